// One parse per page: htmlparser2 builds the DOM that rules and the generic extractor both read,
// and only the chosen body subtree is converted to hast for the transform stage.

import { type AnyNode, type Document, type Element, isTag, isText } from 'domhandler';
import type { ElementContent, Element as HastElement, Root as HastRoot } from 'hast';
import { parseDocument } from 'htmlparser2';
import { setProperty } from '../../internal/hast-properties.ts';
import { FastTokenizer } from '../../internal/html-tokenizer.ts';

export type { AnyNode, Document, Element };

/** Parse an HTML string into a DOM; never throws (htmlparser2 is forgiving). */
export function parseHtml(html: string): Document {
  return parseDocument(html, {
    decodeEntities: true,
    lowerCaseAttributeNames: true,
    lowerCaseTags: true,
    Tokenizer: FastTokenizer,
  });
}

/** Elements whose content is never part of an article body. */
const DROPPED_ELEMENTS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'form',
  'button',
  'input',
  'select',
  'textarea',
  'link',
  'meta',
  'head',
]);

/**
 * Convert a DOM subtree to a hast root in canonical hast form: attributes become hast properties
 * (`className` list, `colSpan` number, `dataSrc`, booleans), as hast-util-from-html would give, so no later
 * stage needs to re-parse the body. Scripts, styles and other never-body elements are dropped here so no
 * later stage can leak them. The structure is htmlparser2's, which is not the HTML parsing algorithm's
 * (a table without <tbody>, text straight inside a <table>); the transform stage repairs what matters.
 */
export function domToHast(nodes: AnyNode | AnyNode[], keep: ReadonlySet<string> = new Set()): HastRoot {
  const list = Array.isArray(nodes) ? nodes : [nodes];
  const children: ElementContent[] = [];
  for (const node of list) appendNode(node, children, keep);
  return { type: 'root', children };
}

function appendNode(node: AnyNode, into: ElementContent[], keep: ReadonlySet<string>): void {
  if (isText(node)) {
    if (!node.data) return;
    // Text on both sides of a dropped element (or a comment) is one text node, as a parser would make it.
    const previous = into[into.length - 1];
    if (previous?.type === 'text') previous.value += node.data;
    else into.push({ type: 'text', value: node.data });
    return;
  }
  if (!isTag(node)) {
    if ('children' in node && Array.isArray(node.children)) {
      for (const child of node.children) appendNode(child as AnyNode, into, keep);
    }
    return;
  }
  const tagName = node.name.toLowerCase();
  if (DROPPED_ELEMENTS.has(tagName) && !keep.has(tagName)) return;
  const element: HastElement = { type: 'element', tagName, properties: {}, children: [] };
  for (const name in node.attribs) setProperty(element.properties, name, node.attribs[name]);
  for (const child of node.children) appendNode(child as AnyNode, element.children, keep);
  into.push(element);
}
