// The sources stage: discover article URLs per channel from listing pages, feeds and sitemaps.
// Pure: text in, links out; fetching the pages is the fetch stage's work.
export { detectSourceFormat, feedLinksOfHtml, type SourceFormat } from './detect.ts';
export { SourceError } from './errors.ts';
export { parseFeed } from './feed.ts';
export { mergeChannelItems, toSourceItems } from './items.ts';
export type { DiscoveredLink } from './links.ts';
export { parseListing } from './listing.ts';
export { type ParsedSitemap, parseSitemap } from './sitemap.ts';
