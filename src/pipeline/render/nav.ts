// The nav bar on every page: `#### [text](href?query) &nbsp;|&nbsp; ...` as the original had it.
import type { MirrorConfig } from '../../config/options.ts';
import { heading, link, separated } from './escape.ts';
import { configHref } from './paths.ts';

/** The nav bar as seen from `fromFile`; `query` is the article id (pages) or the cache buster (indexes). */
export function renderNavBar(nav: MirrorConfig['nav'], fromFile: string, query: string): string | undefined {
  if (nav.length === 0) return undefined;
  return heading(4, separated(nav.map((item) => link(item.text, configHref(item.href, fromFile, query)))));
}
