// Extractors may hand over hast whose properties carry raw attribute names (`class`, `colspan`, `data-src`).
// The sanitiser and hast-util-to-mdast only know hast property names (`className`, `colSpan`, `dataSrc`),
// so one serialise/parse round trip brings every tree to canonical hast (and repairs invalid nesting).
import type { Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';

export function normalizeTree(root: Root): Root {
  const html = toHtml(root, { allowDangerousHtml: false });
  const parsed = fromHtml(html, { fragment: true });
  dropPositions(parsed);
  return parsed;
}

/** Positions point into our own intermediate HTML, mean nothing downstream and bloat stored trees. */
function dropPositions(node: Root | RootContent): void {
  delete node.position;
  if ('children' in node) for (const child of node.children) dropPositions(child);
}
