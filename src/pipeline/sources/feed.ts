// RSS 2.0 (and 0.9x), RSS 1.0 (RDF) and Atom 1.0 (and 0.3) feeds -> article links in feed order.
import { parseHttpUrl, resolveHttpUrl } from '../../internal/url.ts';
import { toIsoTime } from './dates.ts';
import { SourceError } from './errors.ts';
import { type DiscoveredLink, discoveredLink } from './links.ts';
import { collapseWhitespace, plainTitle } from './text.ts';
import { attribute, child, children, localName, parseXmlDocument, text, type XmlElement } from './xml.ts';

/**
 * Article links of a feed, in the feed's order. Relative links are resolved against xml:base and `feedUrl`;
 * items without any http(s) link are skipped. Throws a SourceError naming `feedUrl` when the text is not
 * well-formed XML or not a feed.
 */
export function parseFeed(xml: string, feedUrl: string): DiscoveredLink[] {
  const { rootName, root } = parseXmlDocument(xml, feedUrl, 'feed');
  switch (localName(rootName).toLowerCase()) {
    case 'rss':
      return rssItems(
        children(root, 'channel').flatMap((channel) => children(channel, 'item')),
        feedUrl,
      );
    case 'rdf':
      return rssItems(
        [
          ...children(root, 'item'),
          ...children(root, 'rss:item'),
          ...children(child(root, 'channel'), 'item'),
        ],
        feedUrl,
      );
    case 'feed':
      return atomEntries(root, feedUrl);
    default: {
      const hint = ['urlset', 'sitemapindex'].includes(rootName) ? ' (it is a sitemap)' : '';
      throw new SourceError(
        `feed ${feedUrl} is not an RSS or Atom feed: its root element is <${rootName}>${hint}`,
        { code: 'not_a_feed', where: feedUrl, retryable: false },
      );
    }
  }
}

function rssItems(items: XmlElement[], feedUrl: string): DiscoveredLink[] {
  const links: DiscoveredLink[] = [];
  for (const item of items) {
    const base = xmlBase(item, feedUrl);
    const url =
      firstUrl(
        [
          text(child(item, 'feedburner:origLink')),
          text(child(item, 'link')),
          attribute(child(item, 'link'), 'href'),
          ...alternateLinks(item, 'atom:link'),
          attribute(item, 'rdf:about'),
        ],
        base,
      ) ?? permalinkGuid(item);
    if (url === undefined) continue;
    links.push(
      discoveredLink(url, plainTitle(text(child(item, 'title'))), firstTime(item, ['pubDate', 'dc:date'])),
    );
  }
  return links;
}

/** A guid is the article URL when it is not marked otherwise and is an absolute http(s) URL. */
function permalinkGuid(item: XmlElement): string | undefined {
  const guid = child(item, 'guid');
  if (guid === undefined || attribute(guid, 'isPermaLink')?.trim().toLowerCase() === 'false')
    return undefined;
  return parseHttpUrl(text(guid))?.href;
}

function atomEntries(feed: XmlElement, feedUrl: string): DiscoveredLink[] {
  const feedBase = xmlBase(feed, feedUrl);
  const links: DiscoveredLink[] = [];
  for (const entry of children(feed, 'entry')) {
    const base = xmlBase(entry, feedBase);
    const url =
      firstUrl([text(child(entry, 'feedburner:origLink')), ...alternateLinks(entry, 'link')], base) ??
      parseHttpUrl(text(child(entry, 'id')))?.href;
    if (url === undefined) continue;
    links.push(
      discoveredLink(
        url,
        atomTitle(child(entry, 'title')),
        firstTime(entry, ['published', 'updated', 'issued', 'modified', 'created', 'dc:date']),
      ),
    );
  }
  return links;
}

/** hrefs of `<link>` elements that point at the article: rel alternate or no rel, HTML types first. */
function alternateLinks(element: XmlElement, name: string): string[] {
  const candidates = children(element, name).filter((link) => {
    const rel = attribute(link, 'rel')?.trim().toLowerCase();
    return (rel === undefined || rel === '' || rel === 'alternate') && attribute(link, 'href') !== undefined;
  });
  const isHtml = (link: XmlElement) => {
    const type = attribute(link, 'type')?.toLowerCase();
    return type === undefined || type.includes('html');
  };
  return [...candidates.filter(isHtml), ...candidates.filter((link) => !isHtml(link))].map(
    (link) => attribute(link, 'href')!,
  );
}

/** Atom text constructs: 'text' is literal (no markup to strip), 'html' and 'xhtml' carry markup. */
function atomTitle(title: XmlElement | undefined): string | undefined {
  if (title === undefined) return undefined;
  const type = attribute(title, 'type')?.trim().toLowerCase();
  if (type === 'xhtml') return plainTitle(deepText(title));
  if (type === 'html' || type === 'text/html') return plainTitle(text(title));
  return collapseWhitespace(text(title)) || undefined;
}

function deepText(element: XmlElement): string {
  let result = text(element);
  for (const [key, value] of Object.entries(element)) {
    if (!key.startsWith('@_') && key !== '#text' && Array.isArray(value)) {
      result += ' ' + value.map(deepText).join(' ');
    }
  }
  return result;
}

function xmlBase(element: XmlElement, parentBase: string): string {
  const declared = attribute(element, 'xml:base')?.trim();
  return (declared && resolveHttpUrl(declared, parentBase)) || parentBase;
}

function firstUrl(candidates: (string | undefined)[], base: string): string | undefined {
  for (const candidate of candidates) {
    const trimmed = candidate?.trim();
    if (!trimmed) continue;
    const resolved = resolveHttpUrl(trimmed, base);
    if (resolved !== null) return resolved;
  }
  return undefined;
}

function firstTime(element: XmlElement, names: string[]): string | undefined {
  for (const name of names) {
    const time = toIsoTime(text(child(element, name)));
    if (time !== undefined) return time;
  }
  return undefined;
}
