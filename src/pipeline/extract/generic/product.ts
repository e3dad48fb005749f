// Main content of product and service pages (`pages: any`). Prose scoring picks the one block of such a page
// that reads most like an article: a product's customer reviews, a landing page's FAQ or one of its feature
// sections. The page's own content starts at its main heading (the product's name, the service's headline) and
// runs through the sections under it, so the choice is widened to the block that holds both the heading and the
// prose; on a product page, the reviews are set aside first, and a description the page declares in JSON-LD but
// renders only with a script is added. See docs/extraction.md, "Products and services".
import { type Document, Element, isTag, Text } from 'domhandler';
import { removeElement, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import type { PageGuess } from '../classify/classify.ts';
import { classAndId } from './clean.ts';
import { BOILERPLATE_ATTR, KEEP_ATTR } from './patterns.ts';
import { type Selection, selectContent } from './select.ts';
import { adjustAncestors, emptyStats, linkDensity, type TextStats, textWeight } from './text-stats.ts';

/** class/id words of a product page's customer reviews and ratings (not furniture on other pages: a review is an article). */
const REVIEW_ATTR = /(?:^|[\s_-])(?:reviews?|ratings?|testimonials?)(?:$|[\s_-])/i;
/** The classifier's product guess must be at least this sure before reviews are set aside. */
const MIN_PRODUCT_PROBABILITY = 0.5;
/**
 * A page the classifier reads this surely as an article or a forum thread keeps its prose choice: its heading is
 * a headline, and the prose under it is the story or the thread (the blocks around it are the site's).
 */
const MAX_PROSE_PROBABILITY = 0.5;
const PROSE_PAGES = new Set(['article', 'forum']);
/** The widened block, and what it adds to the choice, must have at most this share of their text in links. */
const MAX_LINK_SHARE = 0.5;
/** Page builders name every block a widget: that word alone does not make a block furniture. */
const BUILDER_WORD = /\S*widget\S*/gi;

function statsOf(stats: Map<Element, TextStats>, node: Element): TextStats {
  return stats.get(node) ?? emptyStats();
}

/**
 * The page's main heading: its first `<h1>` with text that is not mostly a link (a logo in an `<h1>` is), or on a
 * page without one, its first such `<h2>` (landing pages built of sections often start at `<h2>`).
 */
export function mainHeading(document: Document, stats: Map<Element, TextStats>): Element | undefined {
  for (const level of ['h1', 'h2']) {
    let found: Element | undefined;
    const visit = (node: Element): void => {
      if (found) return;
      if (node.name === level) {
        const own = statsOf(stats, node);
        if (textWeight(own) > 0 && linkDensity(own) < MAX_LINK_SHARE) found = node;
        return;
      }
      for (const child of node.children) if (isTag(child)) visit(child);
    };
    for (const child of document.children) if (isTag(child)) visit(child);
    if (found) return found;
  }
  return undefined;
}

/** The node and its ancestors, innermost first. */
function ancestors(node: Element): Element[] {
  const chain: Element[] = [];
  for (let current: Element | null = node; current; ) {
    chain.push(current);
    current = current.parent && isTag(current.parent) ? current.parent : null;
  }
  return chain;
}

function isMain(node: Element): boolean {
  return node.name === 'main' || node.attribs.role === 'main';
}

/** The innermost block holding the heading and every chosen node; for `<body>`, the `<main>` holding the choice. */
function commonBlock(heading: Element, nodes: Element[]): Element | undefined {
  let common = ancestors(heading);
  for (const node of nodes) {
    const chain = new Set(ancestors(node));
    common = common.filter((candidate) => chain.has(candidate));
  }
  const block = common[0];
  if (block?.name !== 'body') return block;
  // Header and footer are set aside as furniture; a `<main>` around the choice still bounds it better.
  const main = ancestors(nodes[0] ?? block).find(isMain);
  return main && nodes.every((node) => ancestors(node).includes(main)) ? main : block;
}

/** Whether a chosen node sits in a block named like furniture below `block` (widening would prune it away). */
function inFurniture(nodes: Element[], block: Element): boolean {
  for (const node of nodes) {
    for (const current of ancestors(node)) {
      if (current === block) break;
      const words = classAndId(current).replace(BUILDER_WORD, '');
      if (words && BOILERPLATE_ATTR.test(words) && !KEEP_ATTR.test(words)) return true;
    }
  }
  return false;
}

/**
 * On a product page, removes the blocks named as reviews or ratings (outside the heading's own blocks and the
 * furniture) and chooses again: reviews are the page's longest prose and outscore the product's description.
 */
function withoutReviews(
  document: Document,
  stats: Map<Element, TextStats>,
  skip: ReadonlySet<Element>,
  heading: Element,
  selection: Selection,
): Selection | null {
  const holders = new Set(ancestors(heading));
  const reviews: Element[] = [];
  const visit = (node: Element): void => {
    if (skip.has(node)) return;
    if (!holders.has(node) && REVIEW_ATTR.test(classAndId(node))) {
      reviews.push(node);
      return;
    }
    for (const child of node.children) if (isTag(child)) visit(child);
  };
  for (const child of document.children) if (isTag(child)) visit(child);
  if (reviews.length === 0) return selection;
  for (const node of reviews) {
    adjustAncestors(node, stats, -1);
    removeElement(node);
  }
  return selectContent(document, stats, skip, true) ?? aroundHeading(heading, stats);
}

/** Text a block must add to the heading's to be the product's block when nothing else reads as content. */
const MIN_BLOCK_ADDED_WEIGHT = 50;

/** The nearest block around the heading that holds more than the name (its price, features), and is no link list. */
function aroundHeading(heading: Element, stats: Map<Element, TextStats>): Selection | null {
  const own = textWeight(statsOf(stats, heading));
  for (const block of ancestors(heading).slice(1)) {
    if (block.name === 'body' || block.name === 'html') break;
    const blockStats = statsOf(stats, block);
    const weight = textWeight(blockStats);
    if (weight - own >= MIN_BLOCK_ADDED_WEIGHT && linkDensity(blockStats) <= MAX_LINK_SHARE)
      return { nodes: [block], weight };
  }
  return null;
}

/**
 * With `pages: any`: the block that holds the page's main heading and the chosen content, when the page is not
 * surely an article and that block is no link list. `skip` is the furniture set aside for the choice. May remove
 * review blocks from `document` (product pages only).
 */
export function preferHeadedBlock(
  document: Document,
  stats: Map<Element, TextStats>,
  skip: ReadonlySet<Element>,
  selection: Selection | null,
  page: PageGuess | undefined,
): Selection | null {
  if (!selection) return selection;
  const heading = mainHeading(document, stats);
  if (!heading) return selection;
  let chosen: Selection | null = selection;
  if (page?.type === 'product' && page.probability >= MIN_PRODUCT_PROBABILITY) {
    chosen = withoutReviews(document, stats, skip, heading, selection);
    if (!chosen) return chosen;
  }
  if (page && PROSE_PAGES.has(page.type) && page.probability >= MAX_PROSE_PROBABILITY) return chosen;
  const block = commonBlock(heading, chosen.nodes);
  if (!block || block.name === 'html') return chosen;
  if (chosen.nodes.length === 1 && chosen.nodes[0] === block) return chosen;
  const own = statsOf(stats, block);
  if (linkDensity(own) > MAX_LINK_SHARE) return chosen;
  let chars = 0;
  let linkChars = 0;
  for (const node of chosen.nodes) {
    chars += statsOf(stats, node).chars;
    linkChars += statsOf(stats, node).linkChars;
  }
  const added = own.chars - chars;
  if (added > 0 && (own.linkChars - linkChars) / added > MAX_LINK_SHARE) return chosen;
  if (inFurniture(chosen.nodes, block)) return chosen;
  return { nodes: [block], weight: textWeight(own) };
}

/** schema.org types whose `description` is the product's own text. */
const PRODUCT_TYPE =
  /^(?:Product|ProductGroup|IndividualProduct|ProductModel|Vehicle|SoftwareApplication|VideoGame)$/;
/** The declared description is added when more than this share of its words is missing from the body. */
const MIN_MISSING_SHARE = 0.5;
const MAX_JSON_DEPTH = 6;

function typeNames(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
}

function collectDescriptions(value: unknown, into: string[], depth: number): void {
  if (depth > MAX_JSON_DEPTH || !value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectDescriptions(item, into, depth + 1);
    return;
  }
  const object = value as Record<string, unknown>;
  const { description } = object;
  if (typeof description === 'string' && typeNames(object['@type']).some((name) => PRODUCT_TYPE.test(name)))
    into.push(description);
  for (const [key, child] of Object.entries(object))
    if (key !== 'description') collectDescriptions(child, into, depth + 1);
}

/**
 * The product description a page declares in JSON-LD (schema.org `Product` and kin), as plain text; read before
 * the scripts are dropped. Shops that render the description with a script still publish it there.
 */
export function declaredDescription(document: Document): string | undefined {
  const found: string[] = [];
  const visit = (node: Element): void => {
    if (node.name === 'script') {
      if (/ld\+json/i.test(node.attribs.type ?? '')) {
        try {
          collectDescriptions(JSON.parse(textContent(node)), found, 0);
        } catch {
          // A malformed block is the page's mistake: the page is read without it.
        }
      }
      return;
    }
    for (const child of node.children) if (isTag(child)) visit(child);
  };
  for (const child of document.children) if (isTag(child)) visit(child);
  const longest = found.sort((a, b) => b.length - a.length)[0];
  if (!longest) return undefined;
  // Descriptions often carry markup or entities of their own.
  const text = textContent(parseDocument(longest, { decodeEntities: true }))
    .replace(/\s+/g, ' ')
    .trim();
  return text || undefined;
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/** A paragraph holding the declared description. */
export function descriptionParagraph(description: string): Element {
  return new Element('p', {}, [new Text(description)]);
}

/**
 * The body with the declared description added at its end when the body misses most of its words (the page
 * renders it with a script, or the choice missed it).
 */
export function withDeclaredDescription(nodes: Element[], description: string): Element[] {
  const wanted = words(description);
  if (wanted.length === 0) return nodes;
  const present = new Set(words(nodes.map((node) => textContent(node)).join(' ')));
  const missing = wanted.filter((word) => !present.has(word)).length;
  return missing > MIN_MISSING_SHARE * wanted.length ? [...nodes, descriptionParagraph(description)] : nodes;
}

/** The site's `<footer>` around `node`: one that no `<article>` or `<main>` holds. */
/** A footer set aside, then a consent notice: no page needs more rounds. */
const MAX_SITE_ROUNDS = 2;

function siteFooter(node: Element): Element | undefined {
  const chain = ancestors(node);
  const index = chain.findIndex((current) => current.name === 'footer');
  if (index < 0 || chain.slice(index).some((current) => current.name === 'article' || isMain(current)))
    return undefined;
  return chain[index];
}

/** Words of a cookie-consent notice; a notice says them again and again, a page's content rarely. */
const CONSENT_WORD = /\b(?:cookies?|consent)\b/gi;
/** A chosen block is a consent notice when these words make at least this share of it, and three or more. */
const MIN_CONSENT_SHARE = 0.02;
const MIN_CONSENT_WORDS = 3;

function isConsentNotice(node: Element): boolean {
  const text = textContent(node);
  const said = text.match(CONSENT_WORD)?.length ?? 0;
  return said >= MIN_CONSENT_WORDS && said >= MIN_CONSENT_SHARE * words(text).length;
}

/** What to set aside of a choice that is the site's, not the page's: its footer, or a consent notice. */
function siteBlock(node: Element): Element | undefined {
  if (node.name === 'html' || node.name === 'body' || isMain(node)) return undefined;
  return siteFooter(node) ?? (isConsentNotice(node) ? node : undefined);
}

function isDialog(node: Element): boolean {
  return node.name === 'dialog' || node.attribs.role === 'dialog' || node.attribs.role === 'alertdialog';
}

/** Removes the consent dialogs inside the chosen blocks (a choice as wide as the page holds the banner too). */
function removeConsentDialogs(nodes: Element[], stats: Map<Element, TextStats>): void {
  const visit = (node: Element): void => {
    for (const child of [...node.children]) {
      if (!isTag(child)) continue;
      if (isDialog(child) && isConsentNotice(child)) {
        adjustAncestors(child, stats, -1);
        removeElement(child);
      } else visit(child);
    }
  };
  for (const node of nodes) visit(node);
}

/** Text of `node` outside the site's footers within it. */
function weightOutsideFooters(node: Element, stats: Map<Element, TextStats>): number {
  if (node.name === 'footer' && siteFooter(node)) return 0;
  let weight = textWeight(statsOf(stats, node));
  for (const child of node.children) {
    if (isTag(child)) weight -= textWeight(statsOf(stats, child)) - weightOutsideFooters(child, stats);
  }
  return weight;
}

/** The choice without its consent dialogs; none when the page's footer is all that is left of it. */
function withoutConsentDialogs(chosen: Selection, stats: Map<Element, TextStats>): Selection | null {
  removeConsentDialogs(chosen.nodes, stats);
  return chosen.nodes.some((node) => weightOutsideFooters(node, stats) > 0) ? chosen : null;
}

/**
 * With `pages: any`, a choice that lies wholly in the site's footer (its legal notes, its link directory) or is a
 * cookie-consent notice is set aside and the page is chosen again: the page's content is elsewhere, or a script
 * renders it and the page has none. May remove those blocks from `document`.
 */
export function outsideSiteBlocks(
  document: Document,
  stats: Map<Element, TextStats>,
  skip: ReadonlySet<Element>,
  selection: Selection | null,
): Selection | null {
  let chosen = selection;
  for (let round = 0; round < MAX_SITE_ROUNDS && chosen && chosen.nodes.length > 0; round++) {
    const blocks = new Set<Element>();
    for (const node of chosen.nodes) {
      const block = siteBlock(node);
      if (!block) return withoutConsentDialogs(chosen, stats);
      blocks.add(block);
    }
    for (const block of blocks) {
      adjustAncestors(block, stats, -1);
      removeElement(block);
    }
    chosen = selectContent(document, stats, skip, true);
    if (!chosen) {
      // Nothing left reads as prose: a shop's name, price and features under its heading still do.
      const heading = mainHeading(document, stats);
      chosen = heading ? aroundHeading(heading, stats) : null;
    }
  }
  if (!chosen || chosen.nodes.some((node) => siteBlock(node))) return null;
  return withoutConsentDialogs(chosen, stats);
}
