// The sanitised body as GitHub-flavoured Markdown (readable raw, portable to every git host) or plain text.

import type { Element, ElementContent, Root, RootContent } from 'hast';
import { type Handle, toMdast } from 'hast-util-to-mdast';
import type { Root as MdastRoot } from 'mdast';
import { toMarkdown as mdastToMarkdown } from 'mdast-util-to-markdown';
import { BLOCK_ELEMENTS } from '../../internal/block-elements.ts';
import { escapeHtml, MARKDOWN_OPTIONS } from './escape.ts';

/** Prefix the sanitiser (like GitHub) puts on ids; GitHub adds it again to the names we write. */
const ANCHOR_PREFIX = 'user-content-';

/** Placeholder element for an in-page link target; Markdown has no ids, so it becomes `<a name>`. */
const ANCHOR_TAG = 'newsmirror-anchor';

/** Elements whose anchor goes before them: void, or where an inline child would break the structure. */
const ANCHOR_BEFORE = new Set(['img', 'br', 'hr', 'table', 'ul', 'ol', 'pre', 'picture']);
/** Table internals: an anchor there has no place in a Markdown table row. */
const ANCHOR_NOWHERE = new Set(['thead', 'tbody', 'tfoot', 'tr']);

const anchorHandler: Handle = (_state, node) => ({
  type: 'html',
  value: `<a name="${escapeHtml(String(node.properties?.name ?? ''))}"></a>`,
});

export function toMarkdown(root: Root): string {
  const tree = withAnchors(withBreaksOutside(structuredClone(root)));
  const mdast = toMdast(tree, { handlers: { [ANCHOR_TAG]: anchorHandler } }) as MdastRoot;
  const markdown = mdastToMarkdown(mdast, MARKDOWN_OPTIONS);
  return markdown.replace(/\n+$/, '') + (markdown.trim() === '' ? '' : '\n');
}

/** Inline formatting a line break at its edge is moved out of. */
const FORMATTING = new Set([
  'strong',
  'b',
  'em',
  'i',
  'del',
  's',
  'u',
  'mark',
  'small',
  'sub',
  'sup',
  'a',
  'span',
]);

/**
 * `<strong>text<br></strong>` (common in CMS output) has no Markdown form: the serialiser writes the break as
 * `\\` + an encoded newline, which a git host shows as a stray backslash. A break at the end (or start) of inline
 * formatting is moved just outside it, where it means the same.
 */
function withBreaksOutside(root: Root): Root {
  const visit = (parent: Root | Element): void => {
    const children: Array<RootContent | ElementContent> = [];
    for (const child of parent.children) {
      if (child.type !== 'element') {
        children.push(child);
        continue;
      }
      visit(child);
      if (!FORMATTING.has(child.tagName)) {
        children.push(child);
        continue;
      }
      const before: ElementContent[] = [];
      const after: ElementContent[] = [];
      while (isBreak(child.children[0])) before.push(child.children.shift() as ElementContent);
      while (isBreak(child.children.at(-1))) after.unshift(child.children.pop() as ElementContent);
      children.push(...before, child, ...after);
    }
    (parent as Element).children = children as ElementContent[];
  };
  visit(root);
  return root;
}

function isBreak(node: RootContent | ElementContent | undefined): boolean {
  return node?.type === 'element' && node.tagName === 'br';
}

/** Every element with an id gets an anchor element GitHub keeps (`<a name>`), so `#user-content-x` works. */
function withAnchors(root: Root): Root {
  const visit = (parent: Root | Element): void => {
    const children: Array<RootContent | ElementContent> = [];
    for (const child of parent.children) {
      if (child.type !== 'element') {
        children.push(child);
        continue;
      }
      visit(child);
      const id = child.properties?.id;
      if (typeof id !== 'string' || id === '' || ANCHOR_NOWHERE.has(child.tagName)) {
        children.push(child);
        continue;
      }
      const anchor: Element = {
        type: 'element',
        tagName: ANCHOR_TAG,
        properties: { name: id.startsWith(ANCHOR_PREFIX) ? id.slice(ANCHOR_PREFIX.length) : id },
        children: [],
      };
      if (ANCHOR_BEFORE.has(child.tagName)) children.push(anchor, child);
      else {
        child.children.unshift(anchor);
        children.push(child);
      }
    }
    (parent as Element).children = children as ElementContent[];
  };
  visit(root);
  return root;
}

/** Elements that start a new block of text. */
const BLOCK_TAGS = new Set([...BLOCK_ELEMENTS, 'details', 'pre', 'summary']);

/** Text only, one paragraph per block, blocks separated by blank lines, `<br>` kept as a line break. */
export function toPlainText(root: Root): string {
  const blocks: string[] = [];
  let current = '';
  const flush = () => {
    const lines = current
      .split('\n')
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
    if (lines.length > 0) blocks.push(lines.join('\n'));
    current = '';
  };
  const walk = (node: Root | RootContent, preformatted: boolean): void => {
    if (node.type === 'text') {
      current += preformatted ? node.value.replace(/[ \t]+/g, ' ') : node.value.replace(/\s+/g, ' ');
      return;
    }
    if (node.type !== 'element' && node.type !== 'root') return;
    if (node.type === 'element') {
      if (node.tagName === 'br') {
        current += '\n';
        return;
      }
      if (node.tagName === 'td' || node.tagName === 'th') current += ' ';
    }
    const block = node.type === 'element' && BLOCK_TAGS.has(node.tagName);
    if (block) flush();
    const inPre = preformatted || (node.type === 'element' && node.tagName === 'pre');
    for (const child of node.children) walk(child, inPre);
    if (block) flush();
  };
  walk(root, false);
  flush();
  return blocks.join('\n\n');
}
