// Step 2, plan: which listed URLs need a job (new, signalled as changed, failed before), and which mirrored articles
// a channel lists now (an index change only). Reads the store, writes nothing.
import type { Config, SiteConfig } from '../../config/options.ts';
import type { Logger } from '../../internal/log.ts';
import type { SourceSignal, StoredArticle, StorePorts } from '../../store/index.ts';
import { mergeChannelItems } from '../sources/index.ts';
import { type Discovery, MAX_ATTEMPTS_FOR_PERMANENT_FAILURES } from './discover.ts';
import { mergeSignals, signalChanged, signalOf } from './signals.ts';

export interface PlannedArticle {
  url: string;
  site: SiteConfig;
  /** Every channel that lists it, config order first. */
  channels: string[];
  /** What the channels said of it this run (titles, dates), remembered to notice a later change. */
  signal: SourceSignal;
  existing?: StoredArticle;
  reason: 'new' | 'changed' | 'retry';
}

export interface Plan {
  work: PlannedArticle[];
  /** Articles already mirrored and the channels listing them now. */
  memberships: Array<{ article: StoredArticle; channels: string[] }>;
  /** Listed articles that need nothing. */
  unchanged: number;
  /** Listed URLs that failed for good too often. */
  skipped: number;
}

export async function planArticles(
  config: Config,
  store: Pick<StorePorts, 'articles' | 'signals' | 'failures'>,
  discovery: Discovery,
  log: Logger,
): Promise<Plan> {
  const sites = new Map(config.sites.map((site) => [site.id, site]));
  const channelOrder = new Map(
    config.sites
      .flatMap((site) => site.channels.map((channel) => channel.id))
      .map((id, index) => [id, index]),
  );
  const plan: Plan = { work: [], memberships: [], unchanged: 0, skipped: 0 };
  const retryUrls = new Map(discovery.retryUrls);

  // An article listed in several channels is one article.
  for (const [url, items] of mergeChannelItems([...discovery.items.values()])) {
    retryUrls.delete(url);
    const site = sites.get(items[0].siteId);
    if (!site) continue;
    const channels = [...new Set(items.map((item) => item.channelId))].sort(
      (a, b) => (channelOrder.get(a) ?? 0) - (channelOrder.get(b) ?? 0),
    );
    const signal = signalOf(items);
    const existing = await store.articles.getByUrl(url);
    if (existing) {
      plan.memberships.push({ article: existing, channels });
      const remembered = await store.signals.get(url);
      if (remembered && signalChanged(remembered, signal)) {
        const merged = mergeSignals(remembered, signal);
        plan.work.push({ url, site, channels, signal: merged, existing, reason: 'changed' });
      } else plan.unchanged++;
      continue;
    }
    const failure = await store.failures.get(url);
    if (failure && !failure.retryable && failure.attempts >= MAX_ATTEMPTS_FOR_PERMANENT_FAILURES) {
      plan.skipped++;
      log.debug(`skipped after ${failure.attempts} failures: ${url} (${failure.code})`);
      continue;
    }
    plan.work.push({ url, site, channels, signal, reason: failure ? 'retry' : 'new' });
  }
  // Failed URLs no channel lists any more still get their retry.
  for (const [url, origin] of retryUrls) {
    const site = sites.get(origin.siteId);
    if (!site || (await store.articles.getByUrl(url))) continue;
    const channels = origin.channelId ? [origin.channelId] : [];
    plan.work.push({ url, site, channels, signal: {}, reason: 'retry' });
  }
  return plan;
}
