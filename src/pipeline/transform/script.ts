// Simplified <-> traditional Chinese with opencc-js, on text only: URLs, code and ids are never touched.
import type { Root } from 'hast';
import { inScript } from '../../internal/script.ts';
import type { ScriptPolicy } from '../types.ts';
import { rewrite } from './tree.ts';

/** Text inside these stays as written: code and sample output must not change by one character. */
const VERBATIM_TAGS = new Set(['code', 'pre', 'kbd', 'samp', 'var', 'tt']);

/** Attributes a reader sees as text. */
const TEXT_PROPERTIES = ['alt', 'title'];

/** Convert one string of prose (a title, a caption); URLs inside it are kept as they are. */
export function convertText(text: string, policy: ScriptPolicy): string {
  if (policy === 'original') return text;
  return text
    .split(/(\b[a-z][a-z0-9+.-]*:\/\/\S+)/i)
    .map((part, index) => (index % 2 === 1 ? part : inScript(part, policy)))
    .join('');
}

export function convertScript(root: Root, policy: ScriptPolicy): void {
  if (policy === 'original') return;
  rewrite(root, (node, ancestors) => {
    if (ancestors.some((ancestor) => VERBATIM_TAGS.has(ancestor.tagName))) return undefined;
    if (node.type === 'text') {
      node.value = convertText(node.value, policy);
    } else if (node.type === 'element') {
      for (const name of TEXT_PROPERTIES) {
        const value = node.properties?.[name];
        if (typeof value === 'string') node.properties[name] = convertText(value, policy);
      }
    }
    return undefined;
  });
}
