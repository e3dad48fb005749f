// Generic extractor: finds the article in a page that has no site rules (or whose rules stopped matching).
// First version: the element holding the most paragraph text. Replaced by the full extractor (issue 3).
import { type Document, type Element, isTag } from 'domhandler';
import { textContent } from 'domutils';
import type { HastRoot, ImageRef } from '../../types.ts';
import { domToHast } from '../dom.ts';

export interface GenericExtraction {
  /** The article body, already cleaned of boilerplate the extractor recognised. */
  body: HastRoot;
  /** Only what the generic extractor found in the content itself; page metadata is read elsewhere. */
  title?: string;
  author?: string;
  published?: string;
  leadImage?: ImageRef;
  caption?: string;
}

/** Smallest amount of paragraph text for a page to count as an article. */
const MIN_ARTICLE_CHARS = 140;

/** Returns null when the page does not look like an article. May remove nodes from `document`. */
export function extractGeneric(document: Document, _url: string): GenericExtraction | null {
  const scores = new Map<Element, number>();
  const visit = (node: Element): void => {
    if (node.name === 'p') {
      const length = textContent(node).trim().length;
      const parent = node.parent;
      if (parent && isTag(parent)) scores.set(parent, (scores.get(parent) ?? 0) + length);
    }
    for (const child of node.children) if (isTag(child)) visit(child);
  };
  for (const child of document.children) if (isTag(child)) visit(child);
  let best: Element | undefined;
  let bestScore = 0;
  for (const [element, score] of scores) {
    if (score > bestScore) {
      best = element;
      bestScore = score;
    }
  }
  if (!best || bestScore < MIN_ARTICLE_CHARS) return null;
  return { body: domToHast(best.children) };
}
