// The same text twice in a page's main content is a copy, not more content: shops and landing pages render a block
// once for narrow and once for wide screens (the stylesheet shows one), or repeat a price, a promise or a
// specification row in a sticky bar and a tab. The second copy of a block is dropped; text a script hides behind
// identifiers goes too. See docs/extraction.md, "Repeated blocks and hidden identifiers".
import { type Element, isTag, isText } from 'domhandler';
import { removeElement, textContent } from 'domutils';
import type { PageGuess } from '../classify/classify.ts';

/**
 * Pages whose truth repeats text: a forum reply quotes the post it answers, a reference repeats a parameter's
 * description under every endpoint and a tutorial its steps under every language's tab.
 */
const KEEP_REPEATS = new Set(['forum', 'documentation']);

/** A block repeats another only when it holds at least this many words (a lone "Details" or "$20" may recur). */
const MIN_REPEAT_WORDS = 4;

/** Text found more often than this is a field of a list's items (each coupon's fine print), not a copy. */
const MAX_COPIES = 2;

function normalized(node: Element): string {
  return textContent(node).replace(/\s+/g, ' ').trim();
}

function wordCount(text: string): number {
  return text.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
}

function isAncestor(candidate: Element, node: Element): boolean {
  for (let current = node.parent; current; current = current.parent) if (current === candidate) return true;
  return false;
}

/**
 * The content with the second copy of every block of four words or more removed: a block whose text equals an
 * earlier block's, outside it, when the text occurs exactly twice (three or more are the fields of a list's
 * items). Forum threads and documentation keep their repeats. Removes nodes from the document.
 */
export function withoutRepeats(nodes: Element[], page: PageGuess | undefined): Element[] {
  if (page && KEEP_REPEATS.has(page.type)) return nodes;
  // Copies are counted at the outermost element with their text (a wrapper and its only child are one copy).
  const counts = new Map<string, number>();
  const count = (node: Element, parentText: string): void => {
    const text = normalized(node);
    if (wordCount(text) < MIN_REPEAT_WORDS) return;
    if (text !== parentText) counts.set(text, (counts.get(text) ?? 0) + 1);
    for (const child of node.children) if (isTag(child)) count(child, text);
  };
  for (const node of nodes) count(node, '');
  const seen = new Map<string, Element>();
  const kept: Element[] = [];
  const visit = (node: Element): boolean => {
    const text = normalized(node);
    if (wordCount(text) < MIN_REPEAT_WORDS) return true;
    const first = seen.get(text);
    if (first && first !== node && !isAncestor(first, node) && (counts.get(text) ?? 0) <= MAX_COPIES)
      return false;
    if (!first) seen.set(text, node);
    for (const child of [...node.children]) {
      if (isTag(child) && !visit(child)) removeElement(child);
    }
    return true;
  };
  for (const node of nodes) if (visit(node)) kept.push(node);
  return kept;
}

/** A UUID: scripts key their obfuscated, CSS-hidden spans with them; a reader never sees one as text. */
const UUID_TEXT = /^\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*$/i;

/** Removes the text nodes that are a UUID alone from the content, outside code. */
export function withoutIdentifiers(nodes: Element[]): void {
  const visit = (node: Element): void => {
    for (const child of [...node.children]) {
      if (isTag(child)) {
        if (child.name !== 'code' && child.name !== 'pre') visit(child);
      } else if (isText(child) && UUID_TEXT.test(child.data)) removeElement(child);
    }
  };
  for (const node of nodes) visit(node);
}
