// Last step of every transform: nothing reaches render without passing here.
import type { Root } from 'hast';
import { type Schema, sanitize } from 'hast-util-sanitize';
import { SANITIZE_SCHEMA } from './schema.ts';
import { rewrite } from './tree.ts';

/**
 * Removed before the sanitiser runs: rehype-sanitize and hast-util-sanitize unwrap unknown elements and
 * would keep the text of <style> (CSS shown to readers) unless it is listed in `strip`. Both guards stay, so
 * a change to the schema cannot bring the trap back.
 */
const REMOVED_BEFORE_SANITIZE = new Set(['style', 'script', 'noscript', 'template']);

export function sanitizeBody(root: Root): Root {
  rewrite(root, (node) =>
    node.type === 'element' && REMOVED_BEFORE_SANITIZE.has(node.tagName) ? [] : undefined,
  );
  const clean = sanitize(root, SANITIZE_SCHEMA as Schema);
  if (clean.type === 'root') return clean;
  return { type: 'root', children: clean.type === 'doctype' ? [] : [clean] };
}
