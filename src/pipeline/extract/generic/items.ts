// Main content of a page of items (`pages: any` on a listing or a collection): the grid or list of cards,
// teasers or product tiles, found by its shape rather than by prose scoring, which favours the one paragraph of
// prose such pages carry (an FAQ, a blurb, a consent dialog) over dozens of short, unpunctuated items.
// See docs/extraction.md, "Pages of items".
import { type Document, type Element, isTag } from 'domhandler';
import type { PageGuess } from '../classify/classify.ts';
import { classAndId } from './clean.ts';
import { BOILERPLATE_ATTR, KEEP_ATTR } from './patterns.ts';
import type { Selection } from './select.ts';
import { emptyStats, type TextStats, textWeight } from './text-stats.ts';

/** A row: at least this many element children of one shape, each with this much text. */
const MIN_ROW_ITEMS = 3;
const MIN_ITEM_WEIGHT = 20;
/** Items averaging less text than this are menu entries or tags, not cards. */
const MIN_MEAN_ITEM_WEIGHT = 25;

/** Share of a row's items that must hold a link. */
const MIN_LINKED_SHARE = 0.5;

export interface ItemRow {
  /** The element whose children the items are. */
  parent: Element;
  items: Element[];
  /** Text weight of the items together. */
  weight: number;
}

/** The shape two items of one row share: tag and first class word (modifiers such as `--sale` vary). */
function shapeOf(node: Element): string {
  const first = (node.attribs.class ?? '').trim().split(/\s+/)[0] ?? '';
  return `${node.name}.${first}`;
}

/** Every row of like items in the page outside `skip` and blocks `exclude` accepts, largest first. */
export function findItemRows(
  document: Document,
  stats: Map<Element, TextStats>,
  skip: ReadonlySet<Element>,
  exclude: (node: Element) => boolean = () => false,
): ItemRow[] {
  const weightOf = (node: Element) => textWeight(stats.get(node) ?? emptyStats());
  const rows: ItemRow[] = [];
  const visit = (node: Element): void => {
    if (skip.has(node) || exclude(node)) return;
    const groups = new Map<string, Element[]>();
    for (const child of node.children) {
      if (!isTag(child) || skip.has(child)) continue;
      if (weightOf(child) <= MIN_ITEM_WEIGHT) continue;
      const key = shapeOf(child);
      const group = groups.get(key);
      if (group) group.push(child);
      else groups.set(key, [child]);
    }
    for (const items of groups.values()) {
      if (items.length < MIN_ROW_ITEMS) continue;
      const weight = items.reduce((sum, item) => sum + weightOf(item), 0);
      if (weight / items.length < MIN_MEAN_ITEM_WEIGHT) continue;
      // Cards and tiles link to what they show; a row of option panels (a consent dialog's) links nowhere.
      const linked = items.filter((item) => item.name === 'a' || (stats.get(item)?.links ?? 0) > 0).length;
      if (linked < MIN_LINKED_SHARE * items.length) continue;
      rows.push({ parent: node, items, weight });
    }
    for (const child of node.children) if (isTag(child)) visit(child);
  };
  for (const child of document.children) if (isTag(child)) visit(child);
  return rows.sort((a, b) => b.weight - a.weight);
}

/** Page types whose main content is their items. */
const ITEM_PAGES = new Set(['listing', 'collection']);
/** On such a page the region of items replaces the prose choice when it holds this multiple of its text... */
const MIN_ROW_SHARE = 1.5;
/** ...and on a page read as another type (the classifier misses half the listings) this multiple. */
const MIN_OTHER_ROW_SHARE = 3;
/**
 * On a page read as an article, a row whose items are lists of links themselves (an archive by month, a menu of
 * menus: mostly link text, many links each) is not taken; a headline list's items have a link or a few.
 */
const MAX_ARTICLE_PAGE_LINK_SHARE = 0.8;
const MAX_ARTICLE_PAGE_ITEM_LINKS = 12;

/**
 * With `pages: any`, the region of the page that holds its rows of items (cards, teasers, tiles, posts) is its
 * main content when it outweighs the prose-scored selection: by half again on a page the classifier reads as a
 * listing or a collection, threefold on other pages. A selection inside a consent dialog counts for nothing.
 */
export function preferItems(
  document: Document,
  stats: Map<Element, TextStats>,
  skip: ReadonlySet<Element>,
  selection: Selection | null,
  page: PageGuess | undefined,
): Selection | null {
  // A thread's posts are rows too, but a page read as a forum is the thread finder's (thread.ts).
  if (page?.type === 'forum') return selection;
  const rows = findItemRows(document, stats, skip, isConsent);
  const row = rows[0];
  if (!row) return selection;
  // A consent dialog scores as prose (its purposes are sentences) but is never a page's content.
  selection = withoutConsent(selection, stats);
  const region = itemRegion(row, rows, stats);
  const weight = textWeight(stats.get(region) ?? emptyStats());
  const share = page && ITEM_PAGES.has(page.type) ? MIN_ROW_SHARE : MIN_OTHER_ROW_SHARE;
  if (selection && weight < share * selection.weight) return selection;
  // An article's page carries link lists (an archive, a menu of menus) far larger than the article; a listing's
  // items carry text beside their links.
  if (page?.type === 'article' && isLinkLists(row, stats)) return selection;
  if (selection?.nodes.some((node) => contains(node, region))) return selection;
  return { nodes: [region], weight };
}

/** Ancestors of the largest row looked at for the block that holds the page's other rows too. */
const MAX_REGION_LEVELS = 8;
/** An ancestor is the region while items make up at least this share of its text. */
const MIN_REGION_COVER = 0.6;

/**
 * A page of items splits them into rows (sections, carousels, a "more" grid): the highest ancestor of the
 * largest row whose text is still mostly items is the region that holds them all.
 */
function itemRegion(row: ItemRow, rows: ItemRow[], stats: Map<Element, TextStats>): Element {
  const weightOf = (node: Element) => textWeight(stats.get(node) ?? emptyStats());
  const items = new Set(rows.flatMap((each) => each.items));
  const covered = new Map<Element, number>();
  for (const item of items) {
    let nested = false;
    for (let up = parentElement(item); up; up = parentElement(up)) {
      if (items.has(up)) {
        nested = true;
        break;
      }
    }
    if (nested) continue;
    const weight = weightOf(item);
    for (let up = parentElement(item); up; up = parentElement(up))
      covered.set(up, (covered.get(up) ?? 0) + weight);
  }
  let chosen = row.parent;
  let current = row.parent;
  for (let level = 0; level < MAX_REGION_LEVELS; level++) {
    const parent = parentElement(current);
    if (!parent || parent.name === 'body' || parent.name === 'html') break;
    // Pruning drops a block named like furniture from inside the content: the region must not contain the row's.
    if (isNamedFurniture(current)) break;
    current = parent;
    if ((covered.get(parent) ?? 0) >= MIN_REGION_COVER * weightOf(parent)) chosen = parent;
  }
  return chosen;
}

/** The row's middle item (by link share, by link count) is a list of links. */
function isLinkLists(row: ItemRow, stats: Map<Element, TextStats>): boolean {
  const own = row.items.map((item) => stats.get(item) ?? emptyStats());
  const middle = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  return (
    middle(own.map((each) => each.linkChars / Math.max(1, each.chars))) > MAX_ARTICLE_PAGE_LINK_SHARE &&
    middle(own.map((each) => each.links)) > MAX_ARTICLE_PAGE_ITEM_LINKS
  );
}

/** Named like page furniture (and not like content): what pruning drops from inside a selection. */
function isNamedFurniture(node: Element): boolean {
  const words = classAndId(node);
  return Boolean(words) && BOILERPLATE_ATTR.test(words) && !KEEP_ATTR.test(words);
}

/** class/id words of cookie and consent dialogs. */
const CONSENT_ATTR = /cookie|consent|gdpr/i;

/** A cookie or consent dialog; the page's own wrappers (a body class "cookies-not-set") are never one. */
function isConsent(node: Element): boolean {
  if (!CONSENT_ATTR.test(`${node.attribs.id ?? ''} ${node.attribs.class ?? ''}`)) return false;
  return node.name !== 'body' && node.name !== 'html';
}

function withoutConsent(selection: Selection | null, stats: Map<Element, TextStats>): Selection | null {
  if (!selection) return null;
  const nodes = selection.nodes.filter((node) => !insideConsent(node));
  if (nodes.length === selection.nodes.length) return selection;
  const weight = nodes.reduce((sum, node) => sum + textWeight(stats.get(node) ?? emptyStats()), 0);
  return nodes.length > 0 ? { nodes, weight } : null;
}

function insideConsent(node: Element): boolean {
  for (let current: Element | null = node; current; ) {
    if (isConsent(current)) return true;
    current = parentElement(current);
  }
  return false;
}

function parentElement(node: Element): Element | null {
  const parent = node.parent;
  return parent && isTag(parent) ? parent : null;
}

function contains(ancestor: Element, node: Element): boolean {
  for (let current: Element | null = node; current; ) {
    if (current === ancestor) return true;
    current = parentElement(current);
  }
  return false;
}
