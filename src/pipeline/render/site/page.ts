// One Markdown file of the mirror as a static HTML page, shown as the git host shows it: GFM with raw HTML kept,
// the result re-parsed as a browser would (raw HTML split over several Markdown blocks nests the same way), then
// sanitised to GitHub's set of tags and attributes, so nothing in a page can run. Only then are links between
// pages pointed at their HTML files. The page carries no script and a Content-Security-Policy that forbids any.
import type { Element, Root, RootContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { githubMarkdownToHast } from '../../../internal/github-markdown.ts';
import { escapeHtml } from '../escape.ts';
import { isAbsoluteUrl } from '../paths.ts';
import { STYLESHEET_PATH, siteHref, sitePathOf, siteRelative } from './paths.ts';

/** Bump when the HTML a page renders to changes, so an existing site renders every page again. */
export const SITE_RENDER_VERSION = 1;

export interface SitePageOptions {
  /** Mirror-root-relative path of the Markdown file, e.g. `pages/news/n14097790.md`. */
  sourcePath: string;
  /** Language of the page for `<html lang>` (the article's, else the mirror's). */
  lang?: string;
  /** The mirror's title: the page title's suffix. */
  siteTitle: string;
  /** Origin of the configured hit counter, the one other host a page may load (an image) from. */
  counterOrigin?: string;
  /** Site-root path of the Atom feed, announced in the head when present. */
  feedPath?: string;
}

/** The whole HTML document of one page. */
export function renderSitePage(markdown: string, options: SitePageOptions): string {
  const body = renderSiteBody(markdown);
  const pageTitle = firstHeadingText(body);
  const title =
    pageTitle && pageTitle !== options.siteTitle ? `${pageTitle} - ${options.siteTitle}` : options.siteTitle;
  const sitePath = sitePathOf(options.sourcePath);
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(options.counterOrigin))}">`,
    // The counter learns the page from its own URL; no page needs to tell any host where the reader came from.
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<link rel="stylesheet" href="${escapeHtml(siteRelative(sitePath, STYLESHEET_PATH))}">`,
  ];
  if (options.feedPath) {
    head.push(
      `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(options.siteTitle)}" href="${escapeHtml(siteRelative(sitePath, options.feedPath))}">`,
    );
  }
  const lang = options.lang ? ` lang="${escapeHtml(options.lang)}"` : '';
  return `<!doctype html>\n<html${lang}>\n<head>\n${head.join('\n')}\n</head>\n<body>\n<main>\n${toHtml(body)}\n</main>\n</body>\n</html>\n`;
}

/** The sanitised content of one page, links already pointing at HTML pages. */
export function renderSiteBody(markdown: string): Root {
  const tree = githubMarkdownToHast(markdown);
  for (const element of elementsOf(tree)) {
    if (element.tagName !== 'a' || typeof element.properties.href !== 'string') continue;
    const href = element.properties.href;
    element.properties.href = siteHref(href);
    // A link off the site tells its host nothing about the reader's page.
    if (isAbsoluteUrl(href)) element.properties.rel = ['noreferrer'];
  }
  return tree;
}

/**
 * No script, plugin, frame or form at all; styles from the site only; images from the site and, when one is
 * configured, the counter's origin. A second line of defence behind the sanitiser. `file:` lets a reader open a
 * downloaded copy of the site from disk.
 */
export function contentSecurityPolicy(counterOrigin?: string): string {
  const images = ["'self'", 'file:', ...(counterOrigin ? [counterOrigin] : [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'none'",
    "style-src 'self' file:",
    `img-src ${images}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function firstHeadingText(tree: Root): string | undefined {
  for (const element of elementsOf(tree)) {
    if (/^h[1-6]$/.test(element.tagName)) {
      const text = textOf(element).replace(/\s+/g, ' ').trim();
      if (text) return text;
    }
  }
  return undefined;
}

function* elementsOf(node: Root | Element): Generator<Element> {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    yield child;
    yield* elementsOf(child);
  }
}

function textOf(node: Root | RootContent): string {
  if (node.type === 'text') return node.value;
  if ('children' in node) return node.children.map(textOf).join('');
  return '';
}
