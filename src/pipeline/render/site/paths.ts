// Where each file of the mirror lands in the static site, and how links between pages follow it.
import { posix } from 'node:path';
import { MIRROR_LAYOUT } from '../../../internal/mirror-layout.ts';
import { isAbsoluteUrl } from '../paths.ts';

/** The stylesheet every page links, at the site root. */
export const STYLESHEET_PATH = 'style.css';

/**
 * A folder's README.md (the home page's name, any case, as git hosts match it) is its index.html, so a static host
 * serves it at the folder's URL and the home page at the site root.
 */
const FOLDER_PAGE = MIRROR_LAYOUT.home.toLowerCase();

export function isMarkdownPath(path: string): boolean {
  return /\.md$/i.test(path);
}

/** Site path of a mirror file: `README.md` -> `index.html`, `x.md` -> `x.html`, anything else unchanged. */
export function sitePathOf(mirrorPath: string): string {
  if (!isMarkdownPath(mirrorPath)) return mirrorPath;
  const folder = posix.dirname(mirrorPath);
  const name = posix.basename(mirrorPath);
  const html = name.toLowerCase() === FOLDER_PAGE ? 'index.html' : `${name.slice(0, -'.md'.length)}.html`;
  return folder === '.' ? html : `${folder}/${html}`;
}

/**
 * A link of a mirror page as the site needs it: a relative link to a Markdown page points at its HTML page;
 * the query (a cache buster, ignored by static hosts) and the fragment stay. Absolute URLs, in-page anchors
 * and links to anything but Markdown are unchanged.
 */
export function siteHref(href: string): string {
  if (href === '' || href.startsWith('#') || isAbsoluteUrl(href)) return href;
  const split = href.search(/[?#]/);
  const path = split === -1 ? href : href.slice(0, split);
  if (!isMarkdownPath(path)) return href;
  return sitePathOf(path) + (split === -1 ? '' : href.slice(split));
}

/** Link from the site file `fromSitePath` to the site-root file `toSitePath`. */
export function siteRelative(fromSitePath: string, toSitePath: string): string {
  return posix.relative(posix.dirname(fromSitePath), toSitePath) || posix.basename(toSitePath);
}
