// Test helper: what a reader sees when a GitHub-flavoured Markdown renderer shows a page.
import type { Element, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { defaultSchema, sanitize } from 'hast-util-sanitize';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

/** Markdown -> sanitised HTML with raw HTML dropped: any tag that shows up escaped here is text a reader sees. */
export function renderGfmSafe(markdown: string): string {
  return String(
    unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkRehype)
      .use(rehypeSanitize)
      .use(rehypeStringify)
      .processSync(markdown),
  );
}

/** Markdown -> HTML with raw HTML kept, then sanitised with GitHub's schema: the tree GitHub would show. */
export function renderGfmLikeGitHub(markdown: string): Root {
  const html = String(
    unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkRehype, { allowDangerousHtml: true })
      .use(rehypeStringify, { allowDangerousHtml: true })
      .processSync(markdown),
  );
  return sanitize(fromHtml(html, { fragment: true }), defaultSchema) as Root;
}

/** Escaped tags of `tagNames` in rendered HTML, e.g. `&#x3C;div` or `&lt;img`. */
export function escapedTags(html: string, tagNames: readonly string[]): string[] {
  const pattern = new RegExp(`(?:&#x3C;|&lt;)/?(?:${tagNames.join('|')})\\b`, 'gi');
  return html.match(pattern) ?? [];
}

/** Elements named `tagName`, in document order. */
export function findElements(root: Root | Element, tagName: string): Element[] {
  const found: Element[] = [];
  const stack: Array<Root | RootContent> = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'element' && node.tagName === tagName) found.push(node);
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return found;
}

export function textContent(node: Root | RootContent): string {
  if (node.type === 'text') return node.value;
  if ('children' in node) return node.children.map(textContent).join('');
  return '';
}
