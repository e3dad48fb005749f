// Markdown to HTML the way the git host shows it (src/internal/github-markdown.ts), for the preview, without the
// counter image so an operator's look is not counted as a reader's.
import type { Element, Root, RootContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { githubMarkdownToHast } from '../internal/github-markdown.ts';

export interface GithubMarkdownOptions {
  /**
   * Images whose src starts with this URL are left out (the hit counter): an operator previewing a page must not
   * count as a reader.
   */
  dropImagesStartingWith?: string;
}

/** The HTML GitHub would show for `markdown` (the inside of its `.markdown-body`). */
export function renderGithubMarkdown(markdown: string, options: GithubMarkdownOptions = {}): string {
  const tree = githubMarkdownToHast(markdown);
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
