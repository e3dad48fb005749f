// Sitemaps (urlset, with Google News extensions), sitemap indexes, and plain-text sitemaps (one URL a line).
import { resolveHttpUrl } from '../../internal/url.ts';
import { toIsoTime } from './dates.ts';
import { SourceError } from './errors.ts';
import { type DiscoveredLink, discoveredLink } from './links.ts';
import { plainTitle } from './text.ts';
import { child, children, localName, parseXmlDocument, text } from './xml.ts';

export interface ParsedSitemap {
  /** Article links in document order; title and publication time from `news:news` when present. */
  links: DiscoveredLink[];
  /** Child sitemaps of a sitemap index, for the caller to fetch (this module does no I/O). */
  sitemaps: string[];
}

/**
 * Links and child sitemaps of a sitemap. `published` is news:publication_date, else lastmod (the best
 * recency hint a plain sitemap has). Throws a SourceError naming `sitemapUrl` for broken XML.
 */
export function parseSitemap(xml: string, sitemapUrl: string): ParsedSitemap {
  if (
    !xml
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('<')
  )
    return parseTextSitemap(xml, sitemapUrl);
  const { rootName, root } = parseXmlDocument(xml, sitemapUrl, 'sitemap');
  switch (localName(rootName).toLowerCase()) {
    case 'urlset': {
      const links: DiscoveredLink[] = [];
      for (const entry of children(root, 'url')) {
        const url = resolveHttpUrl(text(child(entry, 'loc')), sitemapUrl);
        if (url === null) continue;
        const news = child(entry, 'news:news');
        const published =
          toIsoTime(text(child(news, 'news:publication_date'))) ?? toIsoTime(text(child(entry, 'lastmod')));
        links.push(discoveredLink(url, plainTitle(text(child(news, 'news:title'))), published));
      }
      return { links, sitemaps: [] };
    }
    case 'sitemapindex': {
      const sitemaps = children(root, 'sitemap')
        .map((entry) => resolveHttpUrl(text(child(entry, 'loc')), sitemapUrl))
        .filter((url): url is string => url !== null);
      return { links: [], sitemaps };
    }
    default:
      throw new SourceError(
        `sitemap ${sitemapUrl} is not a sitemap: its root element is <${rootName}>, not <urlset> or <sitemapindex>`,
        { code: 'not_a_sitemap', where: sitemapUrl, retryable: false },
      );
  }
}

function parseTextSitemap(body: string, sitemapUrl: string): ParsedSitemap {
  const links: DiscoveredLink[] = [];
  for (const line of body.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const url = /^https?:\/\//i.test(trimmed) ? resolveHttpUrl(trimmed) : null;
    if (url === null) {
      throw new SourceError(
        `sitemap ${sitemapUrl} is neither XML nor a text sitemap: the line "${trimmed.slice(0, 80)}" is not a URL`,
        { code: 'not_a_sitemap', where: sitemapUrl, retryable: false },
      );
    }
    links.push(discoveredLink(url));
  }
  return { links, sitemaps: [] };
}
