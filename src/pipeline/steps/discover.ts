// Step 1, sources: what each channel lists now (listing page, feed or sitemap), with a conditional GET per channel.
import type { ChannelConfig, Config, SiteConfig } from '../../config/options.ts';
import { errorMessage } from '../../internal/errors.ts';
import type { Logger } from '../../internal/log.ts';
import type { FailuresPort, FetchCachePort } from '../../store/index.ts';
import type { HttpClient } from '../fetch/client.ts';
import {
  detectSourceFormat,
  parseFeed,
  parseListing,
  parseSitemap,
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
  };
  const channels = config.sites.flatMap((site) => site.channels.map((channel) => ({ site, channel })));
  await Promise.all(
    channels.map(async ({ site, channel }) => {
      try {
        const result = await discoverChannel(site, channel, http, store.fetchCache);
        discovery.items.set(channel.id, result.items);
        if (result.validators) discovery.validators.set(result.sourceUrl, result.validators);
      } catch (error) {
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

/** Reads one channel's listing, feed or sitemap; with a fetch cache, a conditional GET (304 = nothing new). */
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
  let links: ReturnType<typeof parseFeed>;
  if (channel.listing) {
    links = parseListing(page.text, page.url, channel.listing.links);
  } else if (channel.sitemap || detectSourceFormat(page.text) === 'sitemap') {
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
  return { items: toSourceItems(links, site, channel), sourceUrl, validators };
}
