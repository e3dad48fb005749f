// XML text for EPUB's XHTML, package and navigation documents: every attribute quoted, empty elements closed,
// and characters XML 1.0 forbids removed (a stray control character in a publisher's text would make the whole
// book unreadable to a strict reading system).
import type { Element, ElementContent, Root } from 'hast';

const VOID = new Set(['br', 'hr', 'img', 'wbr', 'meta', 'link']);
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ATTRIBUTE_NAMES: Record<string, string> = {
  colSpan: 'colspan',
  rowSpan: 'rowspan',
  className: 'class',
};

export function xmlText(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttribute(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;');
}

/** A hast tree (from bundleBody: element and text nodes only) as XHTML. */
export function toXhtml(node: Root | ElementContent): string {
  if (node.type === 'text') return xmlText(node.value);
  if (node.type === 'root') return node.children.map((child) => toXhtml(child as ElementContent)).join('');
  if (node.type !== 'element') return '';
  return elementXhtml(node);
}

function elementXhtml(element: Element): string {
  let attributes = '';
  for (const [name, value] of Object.entries(element.properties)) {
    if (value === undefined || value === null || value === false) continue;
    const text = Array.isArray(value) ? value.join(' ') : value === true ? name : String(value);
    attributes += ` ${ATTRIBUTE_NAMES[name] ?? name}="${xmlAttribute(text)}"`;
  }
  const open = `<${element.tagName}${attributes}`;
  if (VOID.has(element.tagName)) return `${open}/>`;
  return `${open}>${element.children.map(toXhtml).join('')}</${element.tagName}>`;
}
