// search.html: the static site's search page. The only page with a script, and only its own file from the site
// (its policy allows nothing else); without JavaScript it still lists the channel indexes to browse.

import type { ScriptPolicy } from '../../types.ts';
import { escapeHtml } from '../escape.ts';
import { inScript } from '../script.ts';
import { STYLESHEET_PATH, sitePathOf } from '../site/paths.ts';

export const SEARCH_PAGE_PATH = 'search.html';
export const SEARCH_SCRIPT_PATH = 'search.js';

export interface SearchPageOptions {
  siteTitle: string;
  lang?: string;
  script: ScriptPolicy;
  /** Mirror-root path of the home page and of each channel's index. */
  homePath: string;
  channels: Array<{ title: string; indexPath: string }>;
}

/** Scripts from the site only, requests to the site only (the index files): nothing from any other host. */
export function searchContentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    "style-src 'self' file:",
    "img-src 'self' file:",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function renderSearchPage(options: SearchPageOptions): string {
  const t = (text: string) => escapeHtml(inScript(text, options.script));
  const channels = options.channels.map(
    (channel) =>
      `<li><a href="${escapeHtml(sitePathOf(channel.indexPath))}">${escapeHtml(channel.title)}</a></li>`,
  );
  const lang = options.lang ? ` lang="${escapeHtml(options.lang)}"` : '';
  return `<!doctype html>
<html${lang}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(searchContentSecurityPolicy())}">
<meta name="referrer" content="no-referrer">
<title>${t('搜索')} - ${escapeHtml(options.siteTitle)}</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<script src="${SEARCH_SCRIPT_PATH}" defer></script>
</head>
<body>
<main>
<h3>${t('搜索')}</h3>
<p><a href="${escapeHtml(sitePathOf(options.homePath))}">${t('首页')}</a></p>
<form id="search-form" action="${SEARCH_PAGE_PATH}" method="get" role="search">
<input id="search-query" name="q" type="search" autocomplete="off" aria-label="${t('搜索')}" placeholder="${t('关键词（简体或繁体，中文至少两个字）')}">
<button type="submit">${t('搜索')}</button>
</form>
<p id="search-status" aria-live="polite"></p>
<ol id="search-results"></ol>
<noscript><p>${t('搜索需要 JavaScript；也可以按栏目浏览：')}</p></noscript>
<h4>${t('按栏目浏览')}</h4>
<ul>
${channels.join('\n')}
</ul>
</main>
</body>
</html>
`;
}
