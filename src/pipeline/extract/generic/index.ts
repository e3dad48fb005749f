// Generic extractor: finds the article in a page that has no site rules (or whose rules stopped matching).
//
// 1. clean: drop what is never content (scripts, hidden and navigation elements, blocks whose class/id
//    names page furniture) unless that block holds most of the page's text;
// 2. score: every run of inline text is a paragraph scored by length and punctuation (Latin and CJK), damped by
//    its link share, and passes its score to its ancestors with a decay; containers are ranked by that score,
//    their own link density and their class/id words;
// 3. pick the best container, widen it when close rivals share an ancestor, and add sibling blocks that
//    read like prose;
// 4. prune inside: link lists, boilerplate lines, furniture blocks, the title heading.
// See docs/extraction.md for the reasoning and the benchmark figures.
import type { AnyNode, Document, Element } from 'domhandler';
import type { HastRoot, ImageRef } from '../../types.ts';
import type { PageGuess } from '../classify/classify.ts';
import { domToHast } from '../dom.ts';
import { accountFurniture, findFurniture, removeFurniture, removeJunk } from './clean.ts';
import { findItemParts } from './item-parts.ts';
import { preferItems } from './items.ts';
import { findMetadata } from './metadata.ts';
import {
  declaredDescription,
  descriptionParagraph,
  outsideSiteBlocks,
  preferHeadedBlock,
  withDeclaredDescription,
} from './product.ts';
import { pruneContent } from './prune.ts';
import { withoutIdentifiers, withoutRepeats } from './repeats.ts';
import { selectContent } from './select.ts';
import { findThread } from './thread.ts';

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

/** Below this text weight (about 100 words) a selection made without the furniture blocks is double-checked. */
const RETRY_BELOW_WEIGHT = 600;

/** A table cell chosen as the article is layout: its content is the article, the cell is not. */
function unwrapLayoutCell(node: Element): AnyNode[] {
  return node.name === 'td' || node.name === 'th' ? node.children : [node];
}

export interface GenericOptions {
  /** Any page's main content is wanted (`--pages any`), not only an article's. */
  anyPage?: boolean;
  /** The page classifier's guess, when it ran: a hint for pages that are not articles. */
  page?: PageGuess;
}

/**
 * Returns null when the page does not look like an article, or with `anyPage` when it has no main content at
 * all. May remove nodes from `document`.
 */
export function extractGeneric(
  document: Document,
  url: string,
  options: GenericOptions = {},
): GenericExtraction | null {
  const anyPage = options.anyPage ?? false;
  // Read before the scripts go: a shop that renders its description with a script declares it in JSON-LD.
  const declared = anyPage ? declaredDescription(document) : undefined;
  const { pageTitle, stats } = removeJunk(document);
  // Furniture-named parts of repeated items (a tile's `product-caption`) are the items' text on any page.
  const itemParts = anyPage ? findItemParts(document, stats, options.page) : undefined;
  const furniture = findFurniture(document, stats, itemParts);
  accountFurniture(furniture, stats, -1);
  let aside: ReadonlySet<Element> = new Set(furniture);
  let selection = selectContent(document, stats, aside, anyPage);
  if (!selection || selection.weight < RETRY_BELOW_WEIGHT) {
    // Some pages put the article in a box named like furniture: look again with nothing set aside.
    accountFurniture(furniture, stats, 1);
    const retry = selectContent(document, stats, new Set(), anyPage);
    if (retry && retry.weight > (selection?.weight ?? 0)) {
      selection = retry;
      aside = new Set();
    } else accountFurniture(furniture, stats, -1);
  }
  if (anyPage) {
    selection = preferItems(document, stats, aside, selection, options.page);
    selection = preferHeadedBlock(document, stats, aside, selection, options.page);
    // The site's footer or a consent notice is no page's content: chosen alone, they are set aside.
    selection = outsideSiteBlocks(document, stats, aside, selection);
  }
  if (!selection) return declared ? { body: domToHast([descriptionParagraph(declared)]) } : null;
  // A forum thread is its posts, all of them: scoring picks one post, or the box that holds them.
  const thread = findThread(document, selection.nodes, stats, aside, options.page);
  if (thread) selection = { nodes: thread, weight: selection.weight };
  removeFurniture(furniture, selection.nodes);
  const metadata = findMetadata(document, selection.nodes, pageTitle, url);
  const titles = [metadata.title, pageTitle].filter((title): title is string => Boolean(title));
  let nodes: Element[] = pruneContent(selection.nodes, metadata.titleHeading, stats, titles, {
    keepLinks: anyPage,
    keep: itemParts,
  });
  if (anyPage) {
    nodes = withoutRepeats(nodes, options.page);
    withoutIdentifiers(nodes);
  }
  if (declared) nodes = withDeclaredDescription(nodes, declared);
  if (nodes.length === 0) return null;
  return {
    body: domToHast(nodes.flatMap(unwrapLayoutCell)),
    ...(metadata.title ? { title: metadata.title } : {}),
    ...(metadata.author ? { author: metadata.author } : {}),
    ...(metadata.published ? { published: metadata.published } : {}),
    ...(metadata.leadImage ? { leadImage: metadata.leadImage } : {}),
    ...(metadata.caption ? { caption: metadata.caption } : {}),
  };
}
