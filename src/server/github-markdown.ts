// Markdown to HTML the way the git host shows it, so the preview shows what a reader sees. GitHub renders with
// cmark-gfm (raw HTML passed through, the GFM "tagfilter" escaping a few dangerous tags), then parses the resulting
// HTML and sanitises it. We do the same: remark-parse + remark-gfm, remark-rehype keeping raw HTML as raw nodes,
// rehype-stringify to one HTML string, then the whole string is re-parsed with a spec-compliant HTML parser
// (hast-util-from-html, parse5), so raw HTML split over several Markdown blocks nests as a browser would nest it,
// and hast-util-sanitize with its default schema (which follows GitHub's) runs last.
import type { Element, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { defaultSchema, sanitize } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import type { Html, Nodes as MdastNodes, Root as MdastRoot } from 'mdast';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

/** GFM's tagfilter: these tags are escaped in raw HTML so they show as text rather than act. */
const TAGFILTER = /<(?=\/?(?:title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext)[\s/>])/gi;

function escapeFilteredTags(tree: MdastRoot): void {
  const visit = (node: MdastNodes): void => {
    if (node.type === 'html') (node as Html).value = (node as Html).value.replace(TAGFILTER, '&lt;');
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
}

const toRawHtml = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(() => escapeFilteredTags)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeStringify, { allowDangerousHtml: true });

export interface GithubMarkdownOptions {
  /**
   * Images whose src starts with this URL are left out (the hit counter): an operator previewing a page must not
   * count as a reader.
   */
  dropImagesStartingWith?: string;
}

/** The HTML GitHub would show for `markdown` (the inside of its `.markdown-body`). */
export function renderGithubMarkdown(markdown: string, options: GithubMarkdownOptions = {}): string {
  const raw = String(toRawHtml.processSync(markdown));
  const tree = sanitize(fromHtml(raw, { fragment: true }), defaultSchema) as Root;
  if (options.dropImagesStartingWith) dropImages(tree, options.dropImagesStartingWith);
  return toHtml(tree);
}

function dropImages(tree: Root | Element, prefix: string): void {
  tree.children = tree.children.filter(
    (child: RootContent) =>
      !(
        child.type === 'element' &&
        child.tagName === 'img' &&
        String(child.properties.src ?? '').startsWith(prefix)
      ),
  ) as typeof tree.children;
  for (const child of tree.children) if (child.type === 'element') dropImages(child, prefix);
}
