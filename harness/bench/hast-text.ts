// Plain text of a hast tree for scoring, used until the render stage's toPlainText lands: block elements
// start new lines so words of adjacent paragraphs never merge into one token.
import type { Root as HastRoot, RootContent } from 'hast';

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'nav',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'table',
  'tr',
  'td',
  'th',
  'figure',
  'figcaption',
  'br',
  'hr',
  'address',
  'caption',
  'tbody',
  'thead',
  'tfoot',
]);

export function hastToText(root: HastRoot): string {
  const parts: string[] = [];
  const walk = (node: RootContent | HastRoot): void => {
    if (node.type === 'text') {
      parts.push(node.value);
      return;
    }
    if (node.type !== 'element' && node.type !== 'root') return;
    const block = node.type === 'element' && BLOCK_TAGS.has(node.tagName);
    if (block) parts.push('\n');
    for (const child of node.children) walk(child);
    if (block) parts.push('\n');
  };
  walk(root);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
