// Which parser a fetched channel source needs, from its first element (content types lie too often).
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
