// Second pass, inside the chosen container only: remove what sits in the article's box but is not the article.
import { type ChildNode, type Element, isTag, isText, type Text } from 'domhandler';
import { removeElement, textContent } from 'domutils';
import { classAndId, isBuilderProse, isEmbeddedQuote } from './clean.ts';
import { containsDate } from './metadata.ts';
import { BOILERPLATE_ATTR, BOILERPLATE_LINE, KEEP_ATTR } from './patterns.ts';
import { cutTail } from './tail.ts';
import { emptyStats, linkDensity, type TextStats, textWeight } from './text-stats.ts';

/** Containers that may hold link lists or furniture rather than prose. */
const CONTAINER_TAGS = new Set([
  'div',
  'section',
  'ul',
  'ol',
  'dl',
  'table',
  'header',
  'footer',
  'aside',
  'center',
  'article',
  'figure',
  'span',
]);
const LINE_TAGS = new Set([
  'p',
  'li',
  'dd',
  'dt',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'div',
  'span',
  'td',
  'strong',
  'b',
  'em',
  'font',
]);
const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Inline tags: a line only when nothing but line breaks and blocks sit around them (not a link inside prose). */
const INLINE_LINE_TAGS = new Set(['span', 'strong', 'b', 'em', 'font']);

/** A container whose text is more than this share links is a link list (related stories, tags, share bar). */
const MAX_CONTAINER_LINK_DENSITY = 0.5;
/** A line that is more than this share link and short is a teaser ("Read more: ...") rather than prose. */
const MAX_LINE_LINK_DENSITY = 0.8;
const SHORT_LINE_CHARS = 150;
/** Links and pictures in one inline element that make it a widget: a link in prose is one link. */
const MIN_INLINE_WIDGET_ITEMS = 3;
/** Text weight (about 15 words) below which a pictureless run of links inside a sentence is left alone. */
const MIN_INLINE_WIDGET_WEIGHT = 80;
/** Boilerplate phrases are only tested on short blocks; long ones are prose that happens to start alike. */
const MAX_BOILERPLATE_LINE_CHARS = 200;
/** A furniture-named block holding more than this share of the selection is the article itself. */
const MAX_PRUNED_SHARE = 0.5;

export interface PruneOptions {
  /** Any page's main content (`pages: any`): link lists and rows of items stay. */
  keepLinks?: boolean;
  /** Parts of repeated items named like furniture (`item-parts.ts`): the items' text, kept. */
  keep?: ReadonlySet<Element>;
}

export function pruneContent(
  nodes: Element[],
  titleHeading: Element | undefined,
  stats: Map<Element, TextStats>,
  titles: string[] = [],
  options: PruneOptions = {},
): Element[] {
  const { keepLinks = false, keep = new Set<Element>() } = options;
  const total = Math.max(
    1,
    nodes.reduce((sum, node) => sum + textWeight(stats.get(node) ?? emptyStats()), 0),
  );
  const doomed: ChildNode[] = [];
  const visit = (node: Element, isRoot: boolean): void => {
    if (node === titleHeading || (!isRoot && shouldRemove(node, stats, total, keepLinks, keep))) {
      doomed.push(node);
      const label = node === titleHeading ? undefined : listLabel(node, stats);
      if (label) doomed.push(label);
      return;
    }
    for (const child of node.children) {
      if (isTag(child)) visit(child, false);
      else if (isText(child) && isBoilerplateTextLine(child)) doomed.push(child);
    }
  };
  const kept: Element[] = [];
  for (const node of nodes) {
    if (nodes.length > 1 && shouldRemove(node, stats, total, keepLinks, keep)) continue;
    visit(node, true);
    kept.push(node);
  }
  for (const node of doomed) removeElement(node);
  dropHeaderLines(kept, titles);
  const untailed = anyPageTail(kept, keepLinks);
  dropTrailingHeadings(untailed);
  dropTrailingLabels(untailed);
  for (const node of untailed) dropTrailingBreaks(node);
  return untailed.filter((node) => textContent(node).trim() || hasImage(node));
}

/** An article's tail (bio, more to read, comments) goes; any page's main content keeps everything. */
function anyPageTail(kept: Element[], keepLinks: boolean): Element[] {
  return keepLinks ? kept : cutTail(kept);
}

/** With `keepLinks` (a page that is no article: its items are links), link-heavy blocks are not boilerplate. */
function shouldRemove(
  node: Element,
  stats: Map<Element, TextStats>,
  total: number,
  keepLinks: boolean,
  keep: ReadonlySet<Element>,
): boolean {
  const own = stats.get(node);
  if (!own) return false;
  if (node.name === 'h1' || node.name === 'figcaption') return true;
  if (own.chars === 0)
    return (
      own.images === 0 &&
      node.name !== 'br' &&
      node.name !== 'hr' &&
      node.name !== 'img' &&
      CONTAINER_TAGS.has(node.name)
    );
  const words = classAndId(node);
  if (
    words &&
    !keep.has(node) &&
    BOILERPLATE_ATTR.test(words) &&
    !KEEP_ATTR.test(words) &&
    textWeight(own) < MAX_PRUNED_SHARE * total &&
    !isEmbeddedQuote(node, stats) &&
    !isBuilderProse(node, stats)
  ) {
    return true;
  }
  if (keepLinks) return false;
  const density = linkDensity(own);
  const wholeLine = isWholeLine(node);
  // Inside a sentence, a run of several links (or links and a picture) is a pop-up card or a widget, not prose.
  if (!wholeLine && isInlineWidget(node, stats)) return true;
  if (CONTAINER_TAGS.has(node.name) && wholeLine && density > MAX_CONTAINER_LINK_DENSITY) return true;
  // A paragraph of several links and little else is a list of headlines written with <br>s.
  if (isLinkList(node, own)) return true;
  if ((LINE_TAGS.has(node.name) || HEADING_TAGS.has(node.name)) && wholeLine) {
    if (density > MAX_LINE_LINK_DENSITY && own.chars < SHORT_LINE_CHARS) return true;
    if (own.chars <= MAX_BOILERPLATE_LINE_CHARS) {
      const text = textContent(node).replace(/\s+/g, ' ').trim();
      if (BOILERPLATE_LINE.test(text)) return true;
    }
  }
  return false;
}

/** Links in one block that make it a list when they also carry most of its text. */
const MIN_LIST_LINKS = 3;

/**
 * A block written as lines (<br>s) where most text is in links: a list of headlines. Prose with many links, or a
 * paragraph carrying a pop-up card (a picture), is not written as lines.
 */
function isLinkList(node: Element, own: TextStats): boolean {
  return (
    (LINE_TAGS.has(node.name) || node.name === 'td') &&
    own.links >= MIN_LIST_LINKS &&
    own.images === 0 &&
    linkDensity(own) > MAX_CONTAINER_LINK_DENSITY &&
    countBreaks(node) >= MIN_LIST_LINKS - 1 &&
    isWholeLine(node)
  );
}

function countBreaks(node: Element): number {
  let count = 0;
  for (const child of node.children) {
    if (!isTag(child)) continue;
    count += child.name === 'br' ? 1 : countBreaks(child);
  }
  return count;
}

/** Characters of a label line ("Related:", "DON'T MISS", "相关新闻") that introduces a list. */
const MAX_LIST_LABEL_CHARS = 40;

/** The short line right before a removed link list, which only introduced it. */
function listLabel(node: Element, stats: Map<Element, TextStats>): Element | undefined {
  const own = stats.get(node);
  if (!own || own.links < MIN_LIST_LINKS || linkDensity(own) <= MAX_CONTAINER_LINK_DENSITY) return undefined;
  const before = meaningfulSibling(node, 'prev');
  if (!before || !isTag(before) || !(LINE_TAGS.has(before.name) || HEADING_TAGS.has(before.name)))
    return undefined;
  const text = textContent(before).replace(/\s+/g, ' ').trim();
  if (!text || text.length > MAX_LIST_LABEL_CHARS || SENTENCE_END.test(text)) return undefined;
  return before;
}

/** The innermost inline element holding several links: a wrapper around a name link and its card keeps the name. */
function isInlineWidget(node: Element, stats: Map<Element, TextStats>): boolean {
  const own = stats.get(node);
  if (!own || !INLINE_LINE_TAGS.has(node.name)) return false;
  if (own.links + own.images < MIN_INLINE_WIDGET_ITEMS || linkDensity(own) <= MAX_LINE_LINK_DENSITY)
    return false;
  // A few short links in a sentence ("search: web · news · images") are the sentence's own; cards are longer.
  if (own.images === 0 && textWeight(own) < MIN_INLINE_WIDGET_WEIGHT) return false;
  return !node.children.some((child) => isTag(child) && isInlineWidget(child, stats));
}

/** Inline elements count as a line only when set off on both sides, climbing through wrappers they fill alone. */
function isWholeLine(node: Element): boolean {
  if (!INLINE_LINE_TAGS.has(node.name)) return true;
  let current: Element = node;
  for (;;) {
    const before = meaningfulSibling(current, 'prev');
    const after = meaningfulSibling(current, 'next');
    const parent = current.parent;
    if (before === null && after === null && parent && isTag(parent) && isInline(parent)) {
      current = parent;
      continue;
    }
    return isLineBreak(before) && isLineBreak(after);
  }
}

function isInline(node: Element): boolean {
  return INLINE_LINE_TAGS.has(node.name) || node.name === 'a' || node.name === 'i' || node.name === 'u';
}

/** The nearest sibling that is an element or non-blank text. */
function meaningfulSibling(node: ChildNode, direction: 'prev' | 'next'): ChildNode | null {
  let sibling = node[direction];
  while (sibling && isText(sibling) && !sibling.data.trim()) sibling = sibling[direction];
  while (sibling && !isTag(sibling) && !isText(sibling)) sibling = sibling[direction];
  return sibling;
}

/** A run of text set off by <br> on both sides (old layouts write paragraphs that way) that is a boilerplate line. */
function isBoilerplateTextLine(text: Text): boolean {
  const line = text.data.replace(/\s+/g, ' ').trim();
  if (!line || line.length > MAX_BOILERPLATE_LINE_CHARS) return false;
  if (!isLineBreak(text.prev) || !isLineBreak(text.next)) return false;
  return BOILERPLATE_LINE.test(line);
}

function isLineBreak(node: ChildNode | null): boolean {
  return node === null || (isTag(node) && (node.name === 'br' || BLOCK_BOUNDARY.has(node.name)));
}

/** Block elements next to a text run end its line as a <br> would. */
const BLOCK_BOUNDARY = new Set([
  'p',
  'div',
  'table',
  'ul',
  'ol',
  'hr',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
]);

/** Line breaks left at the end of a block (often before a removed "editor:" line) would render as empty lines. */
function dropTrailingBreaks(node: Element): void {
  for (let index = node.children.length - 1; index >= 0; index--) {
    const child = node.children[index];
    if (isText(child) && !child.data.trim()) continue;
    if (isTag(child) && child.name === 'br') {
      removeElement(child);
      continue;
    }
    if (isTag(child) && !HEADING_TAGS.has(child.name)) dropTrailingBreaks(child);
    return;
  }
}

function hasImage(node: Element): boolean {
  for (const child of node.children) {
    if (!isTag(child)) continue;
    if (child.name === 'img' || hasImage(child)) return true;
  }
  return false;
}

/** Header lines looked at before the first paragraph: headline, kicker, dateline, byline, page numbers. */
const MAX_HEADER_LINES = 6;
/** A header line is short; anything longer is the article's first paragraph. */
const MAX_HEADER_LINE_CHARS = 80;
/** Sentence ends: a line that has one is prose, not a header line. */
const SENTENCE_END = /[。！？!?]|\.(?:\s|$)/;
const CREDIT_START =
  /^(?:来源|作者|记者|本报记者|编辑|文|撰文|发布时间|时间|日期|by)\b\s*[:：/／]?|^(?:来源|作者|记者|编辑|发布时间|时间|日期)/i;
const PAGE_NUMBERS = /上一页|下一页|第\s*\d+\s*页|共\s*\d+\s*页|\bprevious page\b|\bnext page\b/i;

/**
 * Lines above the first paragraph that repeat the headline or carry the dateline, the byline or page numbers:
 * metadata reports them; in the body they are noise. Stops at the first line that reads as prose.
 */
function dropHeaderLines(nodes: Element[], titles: string[]): void {
  const compactTitles = titles.map((title) => title.replace(/\s+/g, '')).filter((title) => title.length >= 4);
  for (let count = 0; count < MAX_HEADER_LINES; count++) {
    const line = firstLine(nodes);
    if (!line) return;
    const text = textContent(line).replace(/\s+/g, ' ').trim();
    if (!isHeaderLine(text, compactTitles)) return;
    removeLine(line, nodes);
  }
}

function isHeaderLine(text: string, compactTitles: string[]): boolean {
  if (text.length > MAX_HEADER_LINE_CHARS) return false;
  const compact = text.replace(/\s+/g, '');
  if (compact.length >= 4 && compactTitles.some((title) => title.includes(compact) || compact === title))
    return true;
  if (SENTENCE_END.test(text)) return false;
  return containsDate(text) || CREDIT_START.test(text) || PAGE_NUMBERS.test(text);
}

/** Removes a line and the wrappers (table rows, cells, divs) it leaves empty, up to the article's roots. */
function removeLine(line: Element, roots: Element[]): void {
  let target = line;
  for (;;) {
    const parent = target.parent;
    if (!parent || !isTag(parent) || roots.includes(parent)) break;
    const rest = parent.children.filter((child) => child !== target);
    const empty = rest.every((child) =>
      isText(child)
        ? !child.data.trim()
        : !isTag(child) || (!textContent(child).trim() && !hasImage(child) && child.name !== 'img'),
    );
    if (!empty) break;
    target = parent;
  }
  removeElement(target);
}

/** The first element holding text and no blocks (a line), unless loose text comes first. */
function firstLine(nodes: Element[]): Element | undefined {
  const find = (node: Element): Element | undefined | null => {
    if (!node.children.some((child) => isTag(child) && BLOCK_BOUNDARY_ALL.has(child.name))) {
      return textContent(node).trim() || hasImage(node) ? node : undefined;
    }
    for (const child of node.children) {
      if (isText(child)) {
        if (child.data.trim()) return null;
        continue;
      }
      if (!isTag(child)) continue;
      if (!BLOCK_BOUNDARY_ALL.has(child.name)) {
        if (textContent(child).trim() || hasImage(child)) return null;
        continue;
      }
      const found = find(child);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  for (const node of nodes) {
    const found = find(node);
    if (found !== undefined) return found ?? undefined;
  }
  return undefined;
}

/** Elements that start their own line. */
const BLOCK_BOUNDARY_ALL = new Set([
  ...BLOCK_BOUNDARY,
  'h1',
  'li',
  'dl',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'tbody',
  'thead',
  'tfoot',
  'section',
  'article',
  'header',
  'footer',
  'figure',
  'center',
  'main',
  'aside',
  'address',
  'pre',
]);

/** Short label lines left at the end ("相关报道：", "Related:") introduced something that was pruned. */
const MAX_LABEL_CHARS = 30;

function dropTrailingLabels(nodes: Element[]): void {
  for (;;) {
    const last = lastLine(nodes);
    if (!last) return;
    const text = textContent(last).replace(/\s+/g, ' ').trim();
    if (text.length > MAX_LABEL_CHARS || !/[:：]$/.test(text)) return;
    removeLine(last, nodes);
  }
}

/** The last element holding text and no blocks, unless loose text comes last. */
function lastLine(nodes: Element[]): Element | undefined {
  let current: Element | undefined = nodes.at(-1);
  while (current) {
    const children = current.children.filter((child) => isTag(child) || (isText(child) && child.data.trim()));
    const last = children.at(-1);
    if (!last) return undefined;
    if (!isTag(last)) return undefined;
    if (!BLOCK_BOUNDARY_ALL.has(last.name)) {
      return current.children.some((child) => isTag(child) && BLOCK_BOUNDARY_ALL.has(child.name))
        ? undefined
        : current;
    }
    current = last;
  }
  return undefined;
}

/** A heading with nothing after it ("Related", "More from ...") introduces something that was pruned. */
function dropTrailingHeadings(nodes: Element[]): void {
  for (;;) {
    const last = lastBlock(nodes);
    if (!last || !HEADING_TAGS.has(last.name)) return;
    removeElement(last);
  }
}

function lastBlock(nodes: Element[]): Element | undefined {
  let current: Element | undefined = nodes.at(-1);
  while (current) {
    if (HEADING_TAGS.has(current.name)) return current;
    const children = current.children.filter((child) => isTag(child) || (isText(child) && child.data.trim()));
    const last = children.at(-1);
    if (!last || !isTag(last)) return undefined;
    current = last;
  }
  return undefined;
}
