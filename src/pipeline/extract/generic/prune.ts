// Second pass, inside the chosen container only: remove what sits in the article's box but is not the article.
import { type ChildNode, type Element, isTag, isText, type Text } from 'domhandler';
import { removeElement, textContent } from 'domutils';
import { classAndId, isEmbeddedQuote } from './clean.ts';
import { BOILERPLATE_ATTR, BOILERPLATE_LINE, KEEP_ATTR } from './patterns.ts';
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
/** Boilerplate phrases are only tested on short blocks; long ones are prose that happens to start alike. */
const MAX_BOILERPLATE_LINE_CHARS = 200;
/** A furniture-named block holding more than this share of the selection is the article itself. */
const MAX_PRUNED_SHARE = 0.5;

export function pruneContent(
  nodes: Element[],
  titleHeading: Element | undefined,
  stats: Map<Element, TextStats>,
): Element[] {
  const total = Math.max(
    1,
    nodes.reduce((sum, node) => sum + textWeight(stats.get(node) ?? emptyStats()), 0),
  );
  const doomed: ChildNode[] = [];
  const visit = (node: Element, isRoot: boolean): void => {
    if (node === titleHeading || (!isRoot && shouldRemove(node, stats, total))) {
      doomed.push(node);
      return;
    }
    for (const child of node.children) {
      if (isTag(child)) visit(child, false);
      else if (isText(child) && isBoilerplateTextLine(child)) doomed.push(child);
    }
  };
  const kept: Element[] = [];
  for (const node of nodes) {
    if (nodes.length > 1 && shouldRemove(node, stats, total)) continue;
    visit(node, true);
    kept.push(node);
  }
  for (const node of doomed) removeElement(node);
  dropTrailingHeadings(kept);
  for (const node of kept) dropTrailingBreaks(node);
  return kept.filter((node) => textContent(node).trim() || hasImage(node));
}

function shouldRemove(node: Element, stats: Map<Element, TextStats>, total: number): boolean {
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
    BOILERPLATE_ATTR.test(words) &&
    !KEEP_ATTR.test(words) &&
    textWeight(own) < MAX_PRUNED_SHARE * total &&
    !isEmbeddedQuote(node, stats)
  ) {
    return true;
  }
  const density = linkDensity(own);
  const wholeLine = isWholeLine(node);
  if (CONTAINER_TAGS.has(node.name) && wholeLine && density > MAX_CONTAINER_LINK_DENSITY) return true;
  if ((LINE_TAGS.has(node.name) || HEADING_TAGS.has(node.name)) && wholeLine) {
    if (density > MAX_LINE_LINK_DENSITY && own.chars < SHORT_LINE_CHARS) return true;
    if (own.chars <= MAX_BOILERPLATE_LINE_CHARS) {
      const text = textContent(node).replace(/\s+/g, ' ').trim();
      if (BOILERPLATE_LINE.test(text)) return true;
    }
  }
  return false;
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
