// Parts of repeated items that carry furniture names: a product tile's `product-caption` (name, blurb, price),
// a teaser's `<header>` (its headline), a card's `promo-title`. Named so by the template of every item, they are
// the items' text, not page furniture; with `pages: any` they are neither set aside before scoring nor pruned.
// See docs/extraction.md, "Pages of items".
import { type Document, type Element, isTag } from 'domhandler';
import type { PageGuess } from '../classify/classify.ts';
import { isFurniture } from './clean.ts';
import type { TextStats } from './text-stats.ts';

/** Items (distinct like siblings) that must each hold the part: fewer is a page's two sidebars, not a grid. */
const MIN_ITEMS = 3;
/** Levels above the part looked at for the item it belongs to (tile > caption wrapper > caption). */
const MAX_ITEM_DEPTH = 4;
/** Characters of the middle item: a card or a tile is short; an article's sections and a thread's posts are not. */
const MAX_MEDIAN_ITEM_CHARS = 800;
/** Share of the items that must hold a link: cards link to what they show. */
const MIN_LINKED_SHARE = 0.5;
/** A page read as an article this surely is left as it is. */
const SURE_ARTICLE = 0.5;
/** Text for screen readers only stays out: a reader of the page does not see it. */
const UNSEEN_ATTR = /sr-only|visually-?hidden|screen-?reader|[_-]sr(?:$|[\s_-])/i;

/** The shape like siblings share (tag and first class word), as `items.ts` reads a row. */
function shapeOf(node: Element): string {
  const first = (node.attribs.class ?? '').trim().split(/\s+/)[0] ?? '';
  return `${node.name}.${first}`;
}

/** What one item's part and the next item's have alike: tag and the whole class list (ids are unique). */
function signatureOf(node: Element): string {
  return `${node.name}.${(node.attribs.class ?? '').trim().replace(/\s+/g, ' ')}`;
}

/**
 * Every furniture-named element that recurs, with one signature, at the same depth inside three or more like
 * siblings (the items of a row). An ad slot between the items is a sibling of the items, not inside them, and a
 * page's one share bar or footer does not recur: both stay furniture.
 */
export function findItemParts(
  document: Document,
  stats: Map<Element, TextStats>,
  page: PageGuess | undefined,
): Set<Element> {
  // An article's repeated blocks are its sections and its related-story cards, whose furniture names are right.
  if (page?.type === 'article' && page.probability >= SURE_ARTICLE) return new Set();
  const groups = new Map<string, Element[]>();
  const visit = (node: Element): void => {
    const unseen = UNSEEN_ATTR.test(node.attribs.class ?? '');
    if (node.name !== 'body' && node.name !== 'html' && isFurniture(node) && !unseen) {
      const key = signatureOf(node);
      const group = groups.get(key);
      if (group) group.push(node);
      else groups.set(key, [node]);
    }
    for (const child of node.children) if (isTag(child)) visit(child);
  };
  for (const child of document.children) if (isTag(child)) visit(child);

  const parts = new Set<Element>();
  for (const group of groups.values()) {
    if (group.length < MIN_ITEMS) continue;
    for (let depth = 1; depth <= MAX_ITEM_DEPTH; depth++) {
      // Items of one row: like siblings under one parent, each holding a part `depth` levels down.
      const rows = new Map<Element, Map<string, Map<Element, Element[]>>>();
      for (const part of group) {
        const item = ancestor(part, depth);
        const parent = item && parentElement(item);
        if (!item || !parent) continue;
        const shapes = rows.get(parent) ?? new Map<string, Map<Element, Element[]>>();
        rows.set(parent, shapes);
        const items = shapes.get(shapeOf(item)) ?? new Map<Element, Element[]>();
        shapes.set(shapeOf(item), items);
        const held = items.get(item) ?? [];
        held.push(part);
        items.set(item, held);
      }
      for (const shapes of rows.values()) {
        for (const items of shapes.values()) {
          if (items.size < MIN_ITEMS || !areCards([...items.keys()], stats)) continue;
          for (const held of items.values()) for (const part of held) parts.add(part);
        }
      }
    }
  }
  return parts;
}

/** Short items, most of them linked: a grid's cards, not an article's sections. */
function areCards(items: Element[], stats: Map<Element, TextStats>): boolean {
  const chars = items.map((item) => stats.get(item)?.chars ?? 0).sort((a, b) => a - b);
  if ((chars[Math.floor(chars.length / 2)] ?? 0) > MAX_MEDIAN_ITEM_CHARS) return false;
  const linked = items.filter((item) => item.name === 'a' || (stats.get(item)?.links ?? 0) > 0).length;
  return linked >= MIN_LINKED_SHARE * items.length;
}

function ancestor(node: Element, levels: number): Element | null {
  let current: Element | null = node;
  for (let level = 0; level < levels && current; level++) current = parentElement(current);
  return current;
}

function parentElement(node: Element): Element | null {
  const parent = node.parent;
  return parent && isTag(parent) ? parent : null;
}
