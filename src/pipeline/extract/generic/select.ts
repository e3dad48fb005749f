// Scoring and choice of the article container.

import { type AnyNode, type Document, type Element, isTag, isText } from 'domhandler';
import { BLOCK_ELEMENTS } from '../../../internal/block-elements.ts';
import { classAndId } from './clean.ts';
import { NEGATIVE_ATTR, POSITIVE_ATTR } from './patterns.ts';
import { findPosts } from './posts.ts';
import { addTextStats, emptyStats, linkDensity, type TextStats, textWeight } from './text-stats.ts';

/** Elements that start a new block; everything else is inline and belongs to the enclosing block's paragraph. */
export const BLOCK_TAGS = new Set([
  ...BLOCK_ELEMENTS,
  'body',
  'caption',
  'center',
  'details',
  'fieldset',
  'html',
  'pre',
  'summary',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
]);

/** Blocks that are paragraphs themselves: their score goes to their parent, not to them. */
const PARAGRAPH_TAGS = new Set([
  'p',
  'pre',
  'li',
  'dd',
  'dt',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'figcaption',
  'address',
  'th',
  'caption',
  'summary',
]);

/** Text weight below which a run of text is a label or a link, not a paragraph. */
const MIN_PARAGRAPH_WEIGHT = 25;
/** Length bonus: one point per this much text weight, capped, so one long block cannot outvote many paragraphs. */
const LENGTH_BONUS_UNIT = 100;
const LENGTH_BONUS_CAP = 3;
/** Ancestors a paragraph's score reaches; deeper wrappers are rare and far containers would collect chrome. */
const MAX_ANCESTOR_LEVELS = 5;
/** Score added or removed by a container's class/id words. */
const ATTR_WEIGHT = 25;
/** Rivals scoring at least this share of the best are treated as parts of the same article. */
const RIVAL_SHARE = 0.75;
/** How many rivals must share an ancestor before it is taken instead of the best container. */
const MIN_RIVALS_IN_ANCESTOR = 3;
/** A sibling block joins the article when it scores this share of the best container. */
const SIBLING_SHARE = 0.2;
const MIN_SIBLING_SCORE = 10;
/** Below this much text weight the best container is no article (index, error or media page). */
export const MIN_ARTICLE_WEIGHT = 250;
/** A container where more than this share of the text is links is a list of links, not an article. */
const MAX_ARTICLE_LINK_DENSITY = 0.5;

export interface Selection {
  nodes: Element[];
  /** Text weight of the selection. */
  weight: number;
}

function rank(
  document: Document,
  stats: Map<Element, TextStats>,
  skip: ReadonlySet<Element>,
  anyPage: boolean,
) {
  const raw = new Map<Element, number>();
  for (const child of document.children) if (isTag(child)) scoreBlock(child, raw, skip);

  const scores = new Map<Element, number>();
  let best: Element | undefined;
  let bestScore = 0;
  for (const [node, rawScore] of raw) {
    const own = stats.get(node);
    if (!own) continue;
    const density = linkDensity(own);
    const score = rawScore * (1 - density) + attrWeight(node);
    scores.set(node, score);
    // A link list cannot be the article: choosing it would turn the whole page down.
    if (!anyPage && density > MAX_ARTICLE_LINK_DENSITY) continue;
    if (score > bestScore) {
      best = node;
      bestScore = score;
    }
  }
  return { best, bestScore, scores };
}

/**
 * Blocks in `skip` (page furniture) are ignored as if removed; their stats must already be taken out. With
 * `anyPage`, a page that is no article (a listing, a product page) still gives its main content: link lists may
 * be chosen, nothing is too short, and a chosen item of a row of like items widens to the whole row.
 */
export function selectContent(
  document: Document,
  stats: Map<Element, TextStats>,
  skip: ReadonlySet<Element> = new Set(),
  anyPage = false,
): Selection | null {
  const ranking = rank(document, stats, skip, anyPage);
  const { bestScore, scores } = ranking;
  let { best } = ranking;
  if (!best) return null;

  best = widen(best, bestScore, scores);
  best = climb(best, stats);
  if (anyPage) best = itemRun(best, stats);
  let nodes: Element[];
  const posts = findPosts(best, stats);
  if (posts && 'thread' in posts) {
    nodes = posts.thread;
  } else if (posts) {
    // One entry of several: choose again inside it, never leaving it.
    const inner = climb(bestInside(posts.entry, scores), stats, posts.entry);
    nodes = inner === posts.entry ? [posts.entry] : withSiblings(inner, scores, stats);
  } else {
    nodes = withSiblings(best, scores, stats);
  }
  let weight = 0;
  let linkChars = 0;
  let chars = 0;
  for (const node of nodes) {
    const own = stats.get(node);
    if (!own) continue;
    weight += textWeight(own);
    linkChars += own.linkChars;
    chars += own.chars;
  }
  if (weight === 0) return null;
  if (anyPage) return { nodes, weight };
  if (weight < MIN_ARTICLE_WEIGHT) return null;
  if (chars && linkChars / chars > MAX_ARTICLE_LINK_DENSITY) return null;
  return { nodes, weight };
}

function attrWeight(node: Element): number {
  const words = classAndId(node);
  let weight = 0;
  if (words) {
    if (POSITIVE_ATTR.test(words)) weight += ATTR_WEIGHT;
    if (NEGATIVE_ATTR.test(words)) weight -= ATTR_WEIGHT;
  }
  if (node.name === 'article') weight += ATTR_WEIGHT;
  return weight;
}

/** Collects the inline text of `node` into paragraphs and credits their scores to ancestors. */
function scoreBlock(node: Element, raw: Map<Element, number>, skip: ReadonlySet<Element>): void {
  if (skip.has(node)) return;
  const run: InlineRun = { node, stats: emptyStats(), raw, skip };
  for (const child of node.children) collectInline(child, run, false);
  creditParagraph(run);
}

/** The paragraph being collected inside a block: text runs end at a nested block or a <br>. */
interface InlineRun {
  node: Element;
  stats: TextStats;
  raw: Map<Element, number>;
  skip: ReadonlySet<Element>;
}

/**
 * Scores the collected run as one paragraph and starts the next. Old layouts (and many Chinese pages) write
 * paragraphs as text between <br>s in one cell: each is a paragraph, as each <p> would be.
 */
function creditParagraph(run: InlineRun): void {
  const inline = run.stats;
  run.stats = emptyStats();
  const weight = textWeight(inline);
  if (weight < MIN_PARAGRAPH_WEIGHT) return;
  // Code is not prose: its commas and dots would let one long listing outscore the text that explains it.
  const punctuation = run.node.name === 'pre' ? 0 : inline.punctuation;
  const score =
    (1 + punctuation + Math.min(weight / LENGTH_BONUS_UNIT, LENGTH_BONUS_CAP)) * (1 - linkDensity(inline));
  if (score <= 0) return;
  let target: Element | null = PARAGRAPH_TAGS.has(run.node.name) ? parentElement(run.node) : run.node;
  for (let level = 0; target && level < MAX_ANCESTOR_LEVELS; level++) {
    const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
    run.raw.set(target, (run.raw.get(target) ?? 0) + score / divider);
    target = parentElement(target);
  }
}

function collectInline(node: AnyNode, run: InlineRun, inLink: boolean): void {
  if (isText(node)) {
    const into = run.stats;
    const before = into.chars;
    const cjkBefore = into.cjkChars;
    addTextStats(node.data, into);
    if (inLink) {
      into.linkChars += into.chars - before;
      into.linkCjkChars += into.cjkChars - cjkBefore;
    }
    return;
  }
  if (!isTag(node) || run.skip.has(node)) return;
  if (node.name === 'br') {
    creditParagraph(run);
    return;
  }
  if (BLOCK_TAGS.has(node.name)) {
    creditParagraph(run);
    scoreBlock(node, run.raw, run.skip);
    return;
  }
  const link = inLink || node.name === 'a';
  for (const child of node.children) collectInline(child, run, link);
}

function parentElement(node: Element): Element | null {
  const parent = node.parent;
  return parent && isTag(parent) ? parent : null;
}

/** When several strong containers share an ancestor, the article is the ancestor (split into sections). */
function widen(best: Element, bestScore: number, scores: Map<Element, number>): Element {
  const rivals = [...scores]
    .filter(([node, score]) => node !== best && score >= RIVAL_SHARE * bestScore)
    .map(([node]) => node);
  let chosen = best;
  if (rivals.length >= MIN_RIVALS_IN_ANCESTOR - 1) {
    for (
      let ancestor = parentElement(best);
      ancestor && ancestor.name !== 'body';
      ancestor = parentElement(ancestor)
    ) {
      const inside = rivals.filter((rival) => contains(ancestor, rival)).length;
      if (inside + 1 >= MIN_RIVALS_IN_ANCESTOR) {
        chosen = ancestor;
        break;
      }
    }
  }
  // A container that is its parent's only element child adds nothing; the parent may carry siblings' context.
  let parent = parentElement(chosen);
  while (
    parent &&
    parent.name !== 'body' &&
    !LAYOUT_CELLS.has(chosen.name) &&
    parent.children.filter(isTag).length === 1
  ) {
    chosen = parent;
    parent = parentElement(chosen);
  }
  return chosen;
}

/** Ancestors looked at when the article is split into sibling chunks (one wrapper per chunk, ads between). */
const MAX_CLIMB_LEVELS = 4;
/** An ancestor is taken when what it adds is at least this share of the container's text... */
const MIN_ADDED_SHARE = 0.2;
/** ...and reads like the container: few links, and at least this share of its punctuation per character. */
const MAX_ADDED_LINK_DENSITY = 0.25;
const MIN_ADDED_PUNCTUATION_RATIO = 0.6;
/** An addition of at least this many times the container's text needs only this share of its punctuation. */
const BULK_SHARE = 2;
const BULK_PUNCTUATION_RATIO = 0.4;
/** Additions smaller than this share are wrappers' leftovers (a date, a label): climb past them. */
const NEGLIGIBLE_SHARE = 0.05;
/** Wrapper levels climbed past without counting as one of MAX_CLIMB_LEVELS. */
const MAX_WRAPPER_LEVELS = 8;

/** The highest-scoring container inside `root` (or `root` itself). */
function bestInside(root: Element, scores: Map<Element, number>): Element {
  let best = root;
  let bestScore = scores.get(root) ?? 0;
  const visit = (node: Element): void => {
    for (const child of node.children) {
      if (!isTag(child)) continue;
      const score = scores.get(child);
      if (score !== undefined && score > bestScore) {
        best = child;
        bestScore = score;
      }
      visit(child);
    }
  };
  visit(root);
  return best;
}

/** Moves up while an ancestor adds text that reads like more of the same article; never above `limit`. */
function climb(best: Element, stats: Map<Element, TextStats>, limit?: Element): Element {
  const base = stats.get(best);
  if (!base) return best;
  let chosen = best;
  let current = best;
  const baseWeight = Math.max(1, textWeight(base));
  const basePunctuation = base.punctuation / baseWeight;
  // Wrappers that add next to nothing (a section's label, a date) do not count as levels: builders nest
  // a section's text six deep, and the article is the sections' common parent.
  for (let level = 0, wrappers = 0; level < MAX_CLIMB_LEVELS && current !== limit; level++) {
    const parent = parentElement(current);
    if (!parent || parent.name === 'body' || parent.name === 'html') break;
    const own = stats.get(parent);
    const inner = stats.get(chosen);
    if (!own || !inner) break;
    const addedChars = own.chars - inner.chars;
    const addedWeight = textWeight(own) - textWeight(inner);
    current = parent;
    if (addedWeight < NEGLIGIBLE_SHARE * baseWeight) {
      if (++wrappers <= MAX_WRAPPER_LEVELS) level--;
      continue;
    }
    const addedLinkDensity = addedChars > 0 ? (own.linkChars - inner.linkChars) / addedChars : 0;
    const addedPunctuation = (own.punctuation - inner.punctuation) / addedWeight;
    // Much more text than the start reads like the article when it is prose of its own kind: the start may be
    // one dense section (a list of references) of an article of many.
    const punctuationRatio =
      addedWeight >= BULK_SHARE * baseWeight ? BULK_PUNCTUATION_RATIO : MIN_ADDED_PUNCTUATION_RATIO;
    if (
      addedWeight >= MIN_ADDED_SHARE * baseWeight &&
      addedLinkDensity <= MAX_ADDED_LINK_DENSITY &&
      addedPunctuation >= punctuationRatio * basePunctuation
    ) {
      chosen = parent;
      continue;
    }
    break;
  }
  return chosen;
}

/** Table cells and rows used for layout: climbing out of them would turn the article into a table. */
const LAYOUT_CELLS = new Set(['td', 'th', 'tr', 'tbody', 'thead', 'tfoot']);

function contains(ancestor: Element, node: Element): boolean {
  for (let current: Element | null = node; current; current = parentElement(current)) {
    if (current === ancestor) return true;
  }
  return false;
}

/** Prose-like text weight for a sibling paragraph with no score of its own to join. */
const SIBLING_PARAGRAPH_WEIGHT = 80;
const SIBLING_MAX_LINK_DENSITY = 0.25;

function withSiblings(
  best: Element,
  scores: Map<Element, number>,
  stats: Map<Element, TextStats>,
): Element[] {
  const parent = best.parent;
  if (!parent || !isTag(parent)) return [best];
  const bestScore = scores.get(best) ?? 0;
  const threshold = Math.max(MIN_SIBLING_SCORE, bestScore * SIBLING_SHARE);
  const bestClass = best.attribs.class;
  const nodes: Element[] = [];
  for (const sibling of parent.children) {
    if (!isTag(sibling)) continue;
    if (sibling === best) {
      nodes.push(sibling);
      continue;
    }
    let score = scores.get(sibling) ?? 0;
    if (bestClass && sibling.attribs.class === bestClass) score += bestScore * SIBLING_SHARE;
    if (score >= threshold) {
      nodes.push(sibling);
      continue;
    }
    if (PARAGRAPH_TAGS.has(sibling.name) || sibling.name === 'div') {
      const own = stats.get(sibling);
      if (!own) continue;
      const weight = textWeight(own);
      const density = linkDensity(own);
      if (weight > SIBLING_PARAGRAPH_WEIGHT && density < SIBLING_MAX_LINK_DENSITY && own.punctuation > 0) {
        nodes.push(sibling);
      }
    }
  }
  return nodes;
}

/** Levels climbed from the chosen block looking for the row of like items it belongs to. */
const MAX_ITEM_LEVELS = 6;
/** Items of a row: at least this many blocks of one tag and class, each with some text. */
const MIN_ROW_ITEMS = 3;
const MIN_ITEM_WEIGHT = 20;
/** The row must hold at least this multiple of the chosen block's weight, or the block is the content. */
const MIN_ROW_GAIN = 2;

/** The container of the row of like items (cards, teasers, product tiles) `best` is one of; else `best`. */
function itemRun(best: Element, stats: Map<Element, TextStats>): Element {
  const weightOf = (node: Element) => textWeight(stats.get(node) ?? emptyStats());
  const shapeOf = (node: Element) => `${node.name}.${node.attribs.class ?? ''}`;
  let current = best;
  for (let level = 0; level < MAX_ITEM_LEVELS; level++) {
    const parent = parentElement(current);
    if (!parent || parent.name === 'body' || parent.name === 'html') break;
    const key = shapeOf(current);
    const items = parent.children.filter(
      (child): child is Element =>
        isTag(child) && shapeOf(child) === key && weightOf(child) > MIN_ITEM_WEIGHT,
    );
    const rowWeight = items.reduce((sum, item) => sum + weightOf(item), 0);
    if (items.length >= MIN_ROW_ITEMS && rowWeight >= MIN_ROW_GAIN * weightOf(current)) return parent;
    current = parent;
  }
  return best;
}
