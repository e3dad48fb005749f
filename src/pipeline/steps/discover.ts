// Step 1, sources: what each channel lists now (listing page, feed or sitemap), with a conditional GET per channel.
import type { ChannelConfig, Config, SiteConfig } from '../../config/options.ts';
import { errorMessage } from '../../internal/errors.ts';
import type { Logger } from '../../internal/log.ts';
import type { FailuresPort, FetchCachePort } from '../../store/index.ts';
import { isStopped } from '../fetch/abandon.ts';
import type { HttpClient } from '../fetch/client.ts';
import {
  detectSourceFormat,
  feedLinksOfHtml,
  parseFeed,
  parseListing,
  parseSitemap,
  SourceError,
  toSourceItems,
} from '../sources/index.ts';
import type { CacheValidators, SourceItem } from '../types.ts';
import type { RunSummary } from './summary.ts';

/** Non-retryable failures are tried this many times in all (across runs) before the URL is skipped. */
export const MAX_ATTEMPTS_FOR_PERMANENT_FAILURES = 3;

/** A sitemap index can list thousands of sitemaps; the newest few hold the new articles. */
const MAX_CHILD_SITEMAPS = 3;

export interface Discovery {
  /** channel id -> items, newest first */
  items: Map<string, SourceItem[]>;
  /** Validators of listing/feed responses, saved only once the run has committed (steps/publish.ts). */
  validators: Map<string, CacheValidators>;
  /** URLs that failed before and deserve another try even if no channel lists them now. */
  retryUrls: Map<string, { siteId: string; channelId?: string }>;
  channelFailures: RunSummary['channelFailures'];
  /** Article links of each channel that gave a full answer (not a 304), for the channel's health. */
  linkCounts: Map<string, number>;
  /** Channels not read because the run is stopping: neither a success nor a failure. */
  stopped: Set<string>;
}

/** Reads every channel at once; a channel that cannot be read loses nothing: its articles are found next run. */
export async function discoverChannels(
  config: Config,
  http: HttpClient,
  store: { fetchCache: FetchCachePort; failures: FailuresPort },
  log: Logger,
): Promise<Discovery> {
  const discovery: Discovery = {
    items: new Map(),
    validators: new Map(),
    retryUrls: new Map(),
    channelFailures: [],
    linkCounts: new Map(),
    stopped: new Set(),
  };
  const channels = config.sites.flatMap((site) => site.channels.map((channel) => ({ site, channel })));
  await Promise.all(
    channels.map(async ({ site, channel }) => {
      try {
        const result = await discoverChannel(site, channel, http, store.fetchCache);
        discovery.items.set(channel.id, result.items);
        if (result.items.length > 0) discovery.linkCounts.set(channel.id, result.items.length);
        if (result.validators) discovery.validators.set(result.sourceUrl, result.validators);
      } catch (error) {
        discovery.items.set(channel.id, []);
        // A stop is no fault of the channel: it is read again next run, and nothing is recorded against it.
        if (isStopped(error)) {
          discovery.stopped.add(channel.id);
          return;
        }
        log.error(`channel ${site.id}/${channel.id} could not be read: ${errorMessage(error)}`);
        discovery.channelFailures.push({
          siteId: site.id,
          channelId: channel.id,
          message: errorMessage(error),
        });
        discovery.items.set(channel.id, []);
      }
    }),
  );
  for (const failure of await store.failures.list({})) {
    if (failure.attempts < MAX_ATTEMPTS_FOR_PERMANENT_FAILURES || failure.retryable) {
      discovery.retryUrls.set(failure.url, { siteId: failure.siteId, channelId: failure.channelId });
    }
  }
  return discovery;
}

/**
 * Reads one channel's listing, feed or sitemap; with a fetch cache, a conditional GET (304 = nothing new).
 * A full answer that yields no article link throws a SourceError (not retryable): a wrong selector or a redesign
 * must fail loudly, and its validators must not be kept, or the next run would get a 304 after the fix.
 */
export async function discoverChannel(
  site: SiteConfig,
  channel: ChannelConfig,
  http: HttpClient,
  fetchCache: FetchCachePort | undefined,
): Promise<{ items: SourceItem[]; sourceUrl: string; validators?: CacheValidators }> {
  const sourceUrl = channel.listing?.url ?? channel.feed ?? channel.sitemap ?? '';
  const page = await http.fetch(sourceUrl, { validators: await fetchCache?.get(sourceUrl) });
  if (page.notModified) return { items: [], sourceUrl };
  const validators =
    page.etag || page.lastModified ? { etag: page.etag, lastModified: page.lastModified } : undefined;
  const format = detectSourceFormat(page.text);
  let links: ReturnType<typeof parseFeed>;
  if (channel.listing) {
    links = parseListing(page.text, page.url, channel.listing.links);
  } else if (format === 'html' && looksLikeHtml(page.text)) {
    throw notXml(channel.feed ? 'feed' : 'sitemap', page.url, page.text);
  } else if (channel.sitemap || format === 'sitemap') {
    const sitemap = parseSitemap(page.text, page.url);
    links = sitemap.links;
    // A sitemap index: read its first child sitemaps (the newest are listed first by convention).
    for (const child of sitemap.sitemaps.slice(0, MAX_CHILD_SITEMAPS)) {
      const childPage = await http.fetch(child, { fromContent: true });
      links.push(...parseSitemap(childPage.text, childPage.url).links);
    }
  } else {
    links = parseFeed(page.text, page.url);
  }
  const items = toSourceItems(links, site, channel);
  if (items.length === 0) throw noArticleLinks(site, channel, page.url, links.length);
  return { items, sourceUrl, validators };
}

function noArticleLinks(site: SiteConfig, channel: ChannelConfig, url: string, found: number): SourceError {
  const what = channel.listing
    ? `listing ${url}: the selector "${channel.listing.links}" matched ${found} link(s)`
    : `${channel.feed ? 'feed' : 'sitemap'} ${url} lists ${found} link(s)`;
  const hint =
    found > 0
      ? `none is an article of ${site.base}${site.articleId ? ` matching articleId ${site.articleId}` : ''}: check base and articleId`
      : channel.listing
        ? 'check the selector against the page as fetched (the layout may have changed)'
        : "check that the URL is still the channel's";
  return new SourceError(`${what}, and no article: ${hint}`, {
    code: 'no_article_links',
    where: url,
    retryable: false,
  });
}

/** Only a page that says it is HTML gets the one-line message; other junk gets the XML parser's own error. */
function looksLikeHtml(text: string): boolean {
  return /<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(text.slice(0, 8192));
}

function notXml(kind: 'feed' | 'sitemap', url: string, html: string): SourceError {
  const feeds = kind === 'feed' ? feedLinksOfHtml(html, url) : [];
  const hint =
    feeds.length > 0
      ? `the page names its feed: ${feeds[0]}`
      : 'for an HTML page use `listing: { url, links }` with a link selector';
  return new SourceError(
    `${kind} ${url} is an HTML page, not ${kind === 'feed' ? 'RSS or Atom' : 'a sitemap'}: ${hint}`,
    {
      code: 'not_xml',
      where: url,
      retryable: false,
    },
  );
}
