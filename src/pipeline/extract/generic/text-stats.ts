// Per-element text statistics, computed bottom-up in one walk so scoring and pruning never re-read a subtree.
import { type AnyNode, type Element, isTag, isText } from 'domhandler';
import { PUNCTUATION } from './patterns.ts';

export interface TextStats {
  /** Non-whitespace characters. */
  chars: number;
  /** Of which inside links. */
  linkChars: number;
  /** CJK characters inside links. */
  linkCjkChars: number;
  /** Han, kana and hangul characters (one of them carries about as much as a short Latin word). */
  cjkChars: number;
  /** Sentence punctuation marks. */
  punctuation: number;
  /** Descendant elements. */
  tags: number;
  /** Descendant links. */
  links: number;
  /** Descendant images. */
  images: number;
}

/** A CJK character weighs about as much as this many Latin characters (average word length, space included). */
const CJK_CHAR_WEIGHT = 3;

/** Text amount comparable across scripts: Latin characters, with CJK characters counted as short words. */
export function textWeight(stats: TextStats): number {
  return stats.chars + (CJK_CHAR_WEIGHT - 1) * stats.cjkChars;
}

/**
 * Share of the text that sits inside links, by text weight: a Chinese headline link followed by its date
 * ("某某新闻标题（2005-04-03 17:19）") is a teaser, though the date has as many characters as the headline.
 */
export function linkDensity(stats: TextStats): number {
  const weight = textWeight(stats);
  return weight ? (stats.linkChars + (CJK_CHAR_WEIGHT - 1) * stats.linkCjkChars) / weight : 0;
}

export function emptyStats(): TextStats {
  return {
    chars: 0,
    linkChars: 0,
    linkCjkChars: 0,
    cjkChars: 0,
    punctuation: 0,
    tags: 0,
    links: 0,
    images: 0,
  };
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff)
  );
}

/**
 * Sentence punctuation, Latin and CJK, by char code (1 = a mark): real prose has it, menus and link lists rarely
 * do. A table, not a Set: this is asked of every character of the page.
 */
const IS_PUNCTUATION = new Uint8Array(0x10000);
for (const mark of PUNCTUATION) IS_PUNCTUATION[mark.charCodeAt(0)] = 1;

export function addTextStats(text: string, stats: TextStats): void {
  let chars = 0;
  let cjk = 0;
  let punctuation = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 32 || code === 0xa0 || code === 0x3000) continue;
    chars++;
    if (code >= 0x3000 && isCjk(code)) cjk++;
    else punctuation += IS_PUNCTUATION[code];
  }
  stats.chars += chars;
  stats.cjkChars += cjk;
  stats.punctuation += punctuation;
}

/**
 * Subtracts (sign -1) or re-adds (sign 1) a subtree's stats to every ancestor's, so one walk serves the whole
 * extraction while blocks are set aside and brought back.
 */
export function adjustAncestors(node: Element, stats: Map<Element, TextStats>, sign: 1 | -1): void {
  const moved = stats.get(node);
  if (!moved) return;
  for (let parent = node.parent; parent && isTag(parent); parent = parent.parent) {
    const own = stats.get(parent);
    if (!own) continue;
    own.chars += sign * moved.chars;
    own.linkChars += sign * moved.linkChars;
    own.linkCjkChars += sign * moved.linkCjkChars;
    own.cjkChars += sign * moved.cjkChars;
    own.punctuation += sign * moved.punctuation;
    own.tags += sign * (moved.tags + 1);
    own.links += sign * (moved.links + (node.name === 'a' ? 1 : 0));
    own.images += sign * (moved.images + (node.name === 'img' ? 1 : 0));
  }
}

/** Computes stats for every element under `root`; the map is keyed by element. */
export function computeStats(root: AnyNode, into = new Map<Element, TextStats>()): Map<Element, TextStats> {
  walk(root, into, false);
  return into;
}

function walk(node: AnyNode, into: Map<Element, TextStats>, inLink: boolean): TextStats {
  const stats = emptyStats();
  walkChildren(node, stats, into, inLink);
  if (isTag(node)) into.set(node, stats);
  return stats;
}

/** Adds the text of `node`'s children to `stats`, recording a fresh stats object for every element below. */
function walkChildren(node: AnyNode, stats: TextStats, into: Map<Element, TextStats>, inLink: boolean): void {
  if (!('children' in node)) return;
  const link = inLink || (isTag(node) && node.name === 'a');
  for (const child of node.children) {
    if (isText(child)) {
      const before = stats.chars;
      const cjkBefore = stats.cjkChars;
      addTextStats(child.data, stats);
      if (link) {
        stats.linkChars += stats.chars - before;
        stats.linkCjkChars += stats.cjkChars - cjkBefore;
      }
    } else if (isTag(child)) {
      const childStats = walk(child, into, link);
      add(stats, childStats);
      stats.tags++;
      if (child.name === 'a') stats.links++;
      else if (child.name === 'img') stats.images++;
    }
  }
}

function add(to: TextStats, from: TextStats): void {
  to.chars += from.chars;
  to.linkChars += from.linkChars;
  to.linkCjkChars += from.linkCjkChars;
  to.cjkChars += from.cjkChars;
  to.punctuation += from.punctuation;
  to.tags += from.tags;
  to.links += from.links;
  to.images += from.images;
}
