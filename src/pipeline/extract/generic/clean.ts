// First pass over the whole page: remove what can never be article text, before anything is scored.
import { type ChildNode, type Document, type Element, isComment, isTag, isText } from 'domhandler';
import { removeElement, textContent } from 'domutils';
import { BOILERPLATE_ATTR, KEEP_ATTR } from './patterns.ts';
import { placeStreamedChunks } from './streamed.ts';
import { adjustAncestors, computeStats, linkDensity, type TextStats, textWeight } from './text-stats.ts';

/** Elements with no readable text of their own, or whose text is code, controls or chrome. */
const JUNK_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'canvas',
  'button',
  'input',
  'select',
  'textarea',
  'option',
  'link',
  'meta',
  'head',
  'nav',
  'dialog',
  'menu',
  'audio',
  'video',
  'source',
  'track',
  'map',
  'area',
  'applet',
  'frame',
  'frameset',
  'label',
]);

const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Page chrome elements: removed wherever they are, unless they hold most of the page (a misused <header>). */
const CHROME_TAGS = new Set(['header', 'footer', 'aside']);

/** A furniture block holding more than this share of the page's text is kept: the page misuses the class. */
const MAX_REMOVED_SHARE = 0.4;

const HIDDEN_STYLE = /(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

/** Removes never-content elements in place; returns the page's <title> (read before <head> is dropped) and text stats. */
export interface CleanedPage {
  pageTitle?: string;
  /** Text statistics of every element left, kept current through the removals. */
  stats: Map<Element, TextStats>;
}

/**
 * A hidden block holding more than this share of the page's text is kept: pages that script reveals (streamed
 * server rendering parks the content in a `hidden` div and moves it into place; anti-flicker wrappers hide the
 * body until a script runs) would otherwise be empty. Hidden menus and pop-ups hold a small share.
 */
const MAX_HIDDEN_SHARE = 0.5;

export function removeJunk(document: Document): CleanedPage {
  placeStreamedChunks(document);
  let pageTitle: string | undefined;
  const pageChars = Math.max(1, visibleChars(document));
  const hiddenKept = new Set<Element>();
  let controlledIds: Set<string> | undefined;
  const controlled = (): Set<string> => {
    controlledIds ??= idsControlled(document);
    return controlledIds;
  };
  const isJunk = (node: Element): boolean => {
    if (JUNK_TAGS.has(node.name)) return true;
    if (!isHidden(node) || hiddenKept.has(node)) return false;
    if (visibleChars(node) <= MAX_HIDDEN_SHARE * pageChars && !isCollapsedPanel(node, controlled()))
      return true;
    hiddenKept.add(node);
    // Content now, so no longer hidden: a mirrored page (and the transform stage) would hide it again.
    delete node.attribs.hidden;
    delete node.attribs['aria-hidden'];
    if (node.attribs.style && HIDDEN_STYLE.test(node.attribs.style)) delete node.attribs.style;
    return false;
  };
  const visit = (parent: Document | Element): void => {
    let removed = false;
    for (const node of parent.children) {
      if (isComment(node)) {
        removed = true;
        continue;
      }
      if (!isTag(node)) continue;
      if (node.name === 'title' && pageTitle === undefined) pageTitle = textContent(node).trim();
      if (node.name === 'head' && pageTitle === undefined) pageTitle = titleIn(node);
      // An accordion's header is a button inside a heading (ARIA's pattern): its text is the section's heading.
      if (node.name === 'button' && isTag(parent) && HEADING_TAGS.has(parent.name)) node.name = 'span';
      if (isJunk(node)) {
        removed = true;
        continue;
      }
      // ASP.NET and many CMSs wrap the whole page in a form; its content is what matters.
      if (node.name === 'form') node.name = 'div';
      visit(node);
    }
    // One rebuild per parent: removing children one by one is quadratic on pages with thousands of comments.
    if (removed) keepChildren(parent, (node) => !isComment(node) && !(isTag(node) && isJunk(node)));
  };
  visit(document);

  return { pageTitle: pageTitle || undefined, stats: computeStats(document) };
}

/**
 * Blocks whose tag or class/id names page furniture (outermost only). Blocks holding a large share of the page
 * are left out: the page misuses the word; so are `itemParts`, the parts of repeated items (`item-parts.ts`).
 */
export function findFurniture(
  document: Document,
  stats: Map<Element, TextStats>,
  itemParts: ReadonlySet<Element> = new Set(),
): Element[] {
  const total = Math.max(1, totalWeight(document, stats));
  const furniture: Element[] = [];
  const find = (node: Element): void => {
    if (
      node.name !== 'body' &&
      node.name !== 'html' &&
      isFurniture(node) &&
      !itemParts.has(node) &&
      !isEmbeddedQuote(node, stats) &&
      !isBuilderProse(node, stats)
    ) {
      const own = stats.get(node);
      if (!own || textWeight(own) < MAX_REMOVED_SHARE * total) {
        furniture.push(node);
        return;
      }
    }
    for (const child of node.children) if (isTag(child)) find(child);
  };
  for (const child of document.children) if (isTag(child)) find(child);
  return furniture;
}

/** Takes the furniture's text out of (sign -1) or back into (sign 1) its ancestors' stats. */
export function accountFurniture(furniture: Element[], stats: Map<Element, TextStats>, sign: 1 | -1): void {
  for (const node of furniture) adjustAncestors(node, stats, sign);
}

/** Removes furniture from the tree, except blocks that hold any of `content` (the page put its article there). */
export function removeFurniture(furniture: Element[], content: Element[]): void {
  const holders = new Set<Element>();
  for (const node of content) {
    for (let current: Element | null = node; current; current = parentElement(current)) holders.add(current);
  }
  for (const node of furniture) if (!holders.has(node)) removeElement(node);
}

function parentElement(node: Element): Element | null {
  return node.parent && isTag(node.parent) ? node.parent : null;
}

/** A builder block reads as prose from about two sentences ("Like this: Like Loading..." is a widget's label). */
const MIN_PROSE_WEIGHT = 100;
/** Below this share of its text in links a furniture-named block reads as prose. */
const PROSE_LINK_DENSITY = 0.25;

/** The word page builders give every block (Elementor's `elementor-widget-text-editor`, HubSpot's `widget-span`). */
const BUILDER_WORD = /(?:^|[\s_-])widgets?(?=$|[\s_-])/gi;

/**
 * A block that is furniture only by its page builder's name for every block, and reads as prose: sentences, few
 * links. It is no furniture: it is scored, chosen and kept like any block (page builders name every block of an
 * article so). Link boxes and share bars still go, and so does a block named for what it is (comments, related,
 * newsletter) however well it reads, or one inside a furniture block (a sidebar's text widget).
 */
export function isBuilderProse(node: Element, stats: Map<Element, TextStats>): boolean {
  if (CHROME_TAGS.has(node.name)) return false;
  const words = classAndId(node);
  if (!words || BOILERPLATE_ATTR.test(words.replace(BUILDER_WORD, ' '))) return false;
  const own = stats.get(node);
  return (
    own !== undefined &&
    textWeight(own) >= MIN_PROSE_WEIGHT &&
    own.punctuation > 1 &&
    linkDensity(own) < PROSE_LINK_DENSITY
  );
}

/** Share of a block's text its quotation must hold for the block to be a wrapper around an embedded post. */
const EMBED_QUOTE_SHARE = 0.6;

/**
 * A widget-named block that is mostly one <blockquote> is an embedded post (a tweet, a quoted statement) the
 * author put in the story; share bars and link boxes are not written as quotations.
 */
export function isEmbeddedQuote(node: Element, stats: Map<Element, TextStats>): boolean {
  const own = stats.get(node);
  if (!own || own.chars === 0) return false;
  const quote = findDescendant(node, 'blockquote');
  const quoted = quote ? stats.get(quote) : undefined;
  return quoted !== undefined && quoted.chars >= EMBED_QUOTE_SHARE * own.chars;
}

function findDescendant(node: Element, name: string): Element | undefined {
  for (const child of node.children) {
    if (!isTag(child)) continue;
    if (child.name === name) return child;
    const found = findDescendant(child, name);
    if (found) return found;
  }
  return undefined;
}

function titleIn(head: Element): string | undefined {
  for (const child of head.children) {
    if (isTag(child) && child.name === 'title') return textContent(child).trim();
  }
  return undefined;
}

function keepChildren(parent: Document | Element, keep: (node: ChildNode) => boolean): void {
  const kept = parent.children.filter(keep);
  for (let i = 0; i < kept.length; i++) {
    kept[i].prev = kept[i - 1] ?? null;
    kept[i].next = kept[i + 1] ?? null;
  }
  parent.children = kept;
}

/** Characters of text outside never-content elements (scripts, styles ...): what a reader could see. */
function visibleChars(node: Document | Element): number {
  let chars = 0;
  for (const child of node.children) {
    if (isText(child)) chars += child.data.trim().length;
    else if (isTag(child) && !JUNK_TAGS.has(child.name)) chars += visibleChars(child);
  }
  return chars;
}

/** A collapsed panel is content when under this share of its text is in links (a hidden mega-menu is not). */
const MAX_PANEL_LINK_SHARE = 0.5;

/**
 * A hidden panel that a reader opens on the page: an accordion's or a tab's panel (ARIA's `region` / `tabpanel`,
 * or the target of a control's `aria-controls`). A mirror has no script to open it, and the text is the
 * article's (the steps of a guide, the answers of a FAQ), so it is shown open; hidden menus and link boxes are not.
 */
function isCollapsedPanel(node: Element, controlledIds: ReadonlySet<string>): boolean {
  const { role, id } = node.attribs;
  if (role !== 'region' && role !== 'tabpanel' && !(id && controlledIds.has(id))) {
    // A collapse wrapper (hidden while its panel closes, as Chakra's and Bootstrap's do) around one panel.
    const inner = onlyElementChild(node);
    return inner !== undefined && isCollapsedPanel(inner, controlledIds);
  }
  let chars = 0;
  let linkChars = 0;
  const visit = (parent: Element, inLink: boolean): void => {
    for (const child of parent.children) {
      if (isText(child)) {
        const length = child.data.trim().length;
        chars += length;
        if (inLink) linkChars += length;
      } else if (isTag(child) && !JUNK_TAGS.has(child.name)) visit(child, inLink || child.name === 'a');
    }
  };
  visit(node, false);
  return chars > 0 && linkChars < MAX_PANEL_LINK_SHARE * chars;
}

function onlyElementChild(node: Element): Element | undefined {
  let only: Element | undefined;
  for (const child of node.children) {
    if (isTag(child)) {
      if (only) return undefined;
      only = child;
    } else if (isText(child) && child.data.trim()) return undefined;
  }
  return only;
}

/** Every id an element names in `aria-controls` (space-separated ids). */
function idsControlled(document: Document): Set<string> {
  const ids = new Set<string>();
  const visit = (parent: Document | Element): void => {
    for (const child of parent.children) {
      if (!isTag(child)) continue;
      const controls = child.attribs['aria-controls'];
      if (controls) for (const id of controls.split(/\s+/)) if (id) ids.add(id);
      visit(child);
    }
  };
  visit(document);
  return ids;
}

function isHidden(node: Element): boolean {
  const { attribs } = node;
  if ('hidden' in attribs) return true;
  if (attribs.style && HIDDEN_STYLE.test(attribs.style)) return true;
  return attribs['aria-hidden'] === 'true' && node.name !== 'body' && node.name !== 'html';
}

export function classAndId(node: Element): string {
  const { class: className, id } = node.attribs;
  return className && id ? `${className} ${id}` : (className ?? id ?? '');
}

export function isFurniture(node: Element): boolean {
  if (CHROME_TAGS.has(node.name)) return true;
  const words = classAndId(node);
  if (!words) return false;
  if (node.name === 'a' || node.name === 'article' || node.name === 'main') return false;
  return BOILERPLATE_ATTR.test(words) && !KEEP_ATTR.test(words);
}

function totalWeight(document: Document, stats: Map<Element, TextStats>): number {
  let total = 0;
  for (const child of document.children) {
    if (isTag(child)) {
      const own = stats.get(child);
      if (own) total += textWeight(own);
    }
  }
  return total;
}
