// Step 2, plan: which listed URLs need a job (new, signalled as changed, failed before, due for a revisit), and which
// mirrored articles a channel lists now (an index change only). Reads the store, writes nothing.
import type { Config, SiteConfig } from '../../config/options.ts';
import { durationMs } from '../../config/options-revisit.ts';
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
  /** `revisit`: mirrored, young, and not checked at its source for `revisit.every` (listed or not). */
  reason: 'new' | 'changed' | 'retry' | 'revisit';
}

export interface Plan {
  work: PlannedArticle[];
  /** Articles already mirrored and the channels listing them now. */
  memberships: Array<{ article: StoredArticle; channels: string[] }>;
  /** Listed articles that need nothing. */
  unchanged: number;
  /** Listed URLs that failed for good too often. */
  skipped: number;
  /** Of `work`, the articles planned only to be checked again at their source. */
  revisits: number;
}

export async function planArticles(
  config: Config,
  store: Pick<StorePorts, 'articles' | 'signals' | 'failures'>,
  discovery: Discovery,
  log: Logger,
  now: Date = new Date(),
): Promise<Plan> {
  const sites = new Map(config.sites.map((site) => [site.id, site]));
  const channelOrder = new Map(
    config.sites
      .flatMap((site) => site.channels.map((channel) => channel.id))
      .map((id, index) => [id, index]),
  );
  const plan: Plan = { work: [], memberships: [], unchanged: 0, skipped: 0, revisits: 0 };
  /** Listed, mirrored and needing nothing else: a revisit may still check them. */
  const listedUnchanged = new Map<string, { channels: string[]; signal: SourceSignal }>();
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
      } else {
        plan.unchanged++;
        listedUnchanged.set(existing.url, { channels, signal: remembered ?? signal });
      }
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
  await planRevisits(config, store, plan, listedUnchanged, now, sites);
  return plan;
}

/**
 * Young mirrored articles not checked at their source for `revisit.every`, newest first, whether a channel lists
 * them or not: one conditional GET each, so an edit or a retraction the listing does not show still arrives. An
 * article planned for another reason is not planned twice.
 */
async function planRevisits(
  config: Config,
  store: Pick<StorePorts, 'articles' | 'signals'>,
  plan: Plan,
  listedUnchanged: Map<string, { channels: string[]; signal: SourceSignal }>,
  now: Date,
  sites: Map<string, SiteConfig>,
): Promise<void> {
  const { days, every, limit } = config.revisit;
  const everyMs = durationMs(every);
  if (days <= 0 || limit === 0 || everyMs === null) return;
  const due = await store.articles.listToRevisit({
    since: new Date(now.getTime() - days * 86_400_000).toISOString(),
    checkedBefore: new Date(now.getTime() - everyMs).toISOString(),
    limit,
  });
  const planned = new Set(plan.work.map((work) => work.existing?.url ?? work.url));
  for (const existing of due) {
    const site = sites.get(existing.siteId);
    if (!site || planned.has(existing.url)) continue;
    const listed = listedUnchanged.get(existing.url);
    if (listed) plan.unchanged--;
    // What the listings said is kept as remembered: a revisit must not make the next listing look like an edit.
    const signal = listed?.signal ?? (await store.signals.get(existing.url)) ?? {};
    const channels = listed?.channels ?? [];
    plan.work.push({ url: existing.url, site, channels, signal, existing, reason: 'revisit' });
    plan.revisits++;
  }
}
