// From links as found to the channel's SourceItems: normal URLs, this site's articles only, each once,
// newest first, bounded by the channel's limit.
import type { ChannelConfig, SiteConfig } from '../../config/options.ts';
import { articleIdFromUrl } from '../../internal/ids.ts';
import { normalizeArticleUrl, sameSite } from '../../internal/url.ts';
import type { SourceItem } from '../types.ts';
import type { DiscoveredLink } from './links.ts';

/**
 * Longer article URLs are refused: browsers, CDNs and git hosts stop near 2,000 characters, and the URL is kept in
 * the store, the page footer and every log line about the article, so a listing must not make it megabytes.
 */
export const MAX_ARTICLE_URL_LENGTH = 2048;

/**
 * Normalise every URL (tracking variants collapse into one), keep only URLs on the site whose `articleId`
 * pattern matches (when the site has one), drop repeats: the same normal URL, or the same article id when the
 * site has a pattern (the first listing wins; a missing title or time is taken from a repeat), order newest first when every item has a readable time (otherwise keep the listed
 * order, which listings and feeds already give newest first), then cut to `channel.limit`.
 */
export function toSourceItems(
  links: DiscoveredLink[],
  site: SiteConfig,
  channel: ChannelConfig,
): SourceItem[] {
  // Keyed by article id when the site has a pattern (two URLs of one id are one page), else by URL.
  const byKey = new Map<string, SourceItem>();
  for (const link of links) {
    if (link.url.length > MAX_ARTICLE_URL_LENGTH) continue;
    const url = normalizeArticleUrl(link.url);
    if (url === null || url.length > MAX_ARTICLE_URL_LENGTH || !sameSite(url, site.base)) continue;
    const key = site.articleId === undefined ? url : articleIdFromUrl(url, site.articleId);
    if (key === null) continue;
    const seen = byKey.get(key);
    if (seen !== undefined) {
      if (seen.title === undefined && link.title !== undefined) seen.title = link.title;
      if (seen.published === undefined && link.published !== undefined) seen.published = link.published;
      continue;
    }
    const item: SourceItem = { url, siteId: site.id, channelId: channel.id, position: 0 };
    if (link.title !== undefined) item.title = link.title;
    if (link.published !== undefined) item.published = link.published;
    byKey.set(key, item);
  }
  const items = newestFirst([...byKey.values()]).slice(0, channel.limit);
  items.forEach((item, index) => {
    item.position = index;
  });
  return items;
}

function newestFirst(items: SourceItem[]): SourceItem[] {
  const times = items.map((item) => (item.published === undefined ? Number.NaN : Date.parse(item.published)));
  if (times.some(Number.isNaN)) return items;
  // Array.prototype.sort is stable, so items with the same time keep their listed order.
  return items
    .map((item, index) => ({ item, time: times[index] }))
    .sort((a, b) => b.time - a.time)
    .map(({ item }) => item);
}

/**
 * Group the items of every channel (in config order) by URL, so an article listed in several channels is
 * one article: each entry lists every listing of it, the first being its home channel.
 */
export function mergeChannelItems(items: SourceItem[][]): Map<string, SourceItem[]> {
  const byUrl = new Map<string, SourceItem[]>();
  for (const channelItems of items) {
    for (const item of channelItems) {
      const listings = byUrl.get(item.url);
      if (listings === undefined) byUrl.set(item.url, [item]);
      else if (!listings.some((listing) => listing.channelId === item.channelId)) listings.push(item);
    }
  }
  return byUrl;
}
