// Which parser a fetched channel source needs, from its first element (content types lie too often).
import { resolveHttpUrl } from '../../internal/url.ts';
import { localName } from './xml.ts';

export type SourceFormat = 'rss' | 'atom' | 'sitemap' | 'html';

/** Enough of the start of a document to get past a declaration, comments and a DOCTYPE. */
const SNIFF_LENGTH = 8192;

/** rss / rdf:RDF -> 'rss', feed -> 'atom', urlset / sitemapindex / a list of URLs -> 'sitemap', else 'html'. */
export function detectSourceFormat(text: string): SourceFormat {
  let head = text
    .slice(0, SNIFF_LENGTH)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^https?:\/\/\S+\s*(\n|$)/i.test(head)) return 'sitemap';
  for (;;) {
    const skipped = head.replace(
      /^(<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(\[[\s\S]*?\]\s*)?>)\s*/i,
      '',
    );
    if (skipped === head) break;
    head = skipped;
  }
  const root = /^<([A-Za-z_][\w.:-]*)/.exec(head)?.[1];
  switch (root === undefined ? '' : localName(root).toLowerCase()) {
    case 'rss':
    case 'rdf':
      return 'rss';
    case 'feed':
      return 'atom';
    case 'urlset':
    case 'sitemapindex':
      return 'sitemap';
    default:
      return 'html';
  }
}

/** The feeds an HTML page announces (`<link rel="alternate" type="application/rss+xml" href>`), resolved. */
export function feedLinksOfHtml(html: string, pageUrl: string): string[] {
  const found: string[] = [];
  for (const [tag] of html.slice(0, 65_536).matchAll(/<link\b[^>]*>/gi)) {
    if (!/type\s*=\s*["']?application\/(rss|atom)\+xml/i.test(tag)) continue;
    const href = /href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    const value = href?.[1] ?? href?.[2] ?? href?.[3];
    const resolved = value ? resolveHttpUrl(value.trim(), pageUrl) : null;
    if (resolved) found.push(resolved);
  }
  return found;
}
