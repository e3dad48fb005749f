// Markdown to the tree the git host shows, shared by the static site and the preview server. GitHub renders with
// cmark-gfm (raw HTML passed through, the GFM "tagfilter" escaping a few dangerous tags), then parses the resulting
// HTML and sanitises it. We do the same: remark-parse + remark-gfm, remark-rehype keeping raw HTML as raw nodes,
// rehype-stringify to one HTML string, re-parsed with a spec-compliant parser (hast-util-from-html, parse5) so raw
// HTML split over several Markdown blocks nests as a browser would nest it, and the GitHub schema runs last.
import type { Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { type Schema, sanitize } from 'hast-util-sanitize';
import type { Nodes as MdastNodes, Root as MdastRoot } from 'mdast';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { GITHUB_SCHEMA } from './github-schema.ts';

export { GITHUB_SCHEMA };

/** GFM's tagfilter: these tags are escaped in raw HTML so they show as text rather than act. */
const TAGFILTER = /<(?=\/?(?:title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext)[\s/>])/gi;

const toRawHtml = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(() => escapeFilteredTags)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeStringify, { allowDangerousHtml: true });

/** The sanitised tree GitHub would show for `markdown` (the inside of its `.markdown-body`). */
export function githubMarkdownToHast(markdown: string): Root {
  const raw = String(toRawHtml.processSync(markdown));
  return sanitize(fromHtml(raw, { fragment: true }), GITHUB_SCHEMA as Schema) as Root;
}

function escapeFilteredTags(tree: MdastRoot): void {
  const visit = (node: MdastNodes): void => {
    if (node.type === 'html') node.value = node.value.replace(TAGFILTER, '&lt;');
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
}
