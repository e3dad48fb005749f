// GET /metrics of `serve`: the mirror's health in Prometheus' text format, read from the store at each scrape.
// Runs, articles, failures, channels and pushes, and the view counter's totals, but nothing about readers: no page
// paths and no per-page or per-day counts, because a scraped series is kept for months by whoever runs the
// Prometheus, and which pages are read, when, is exactly what a censor would like to know. prom-client writes the
// format (escaping, types, HELP lines); a Registry of our own keeps it off the library's global one.
import { Gauge, Registry } from 'prom-client';
import type { StorePorts } from '../store/index.ts';

export interface MetricsSource {
  store: Pick<
    StorePorts,
    'runs' | 'channelHealth' | 'articles' | 'failures' | 'images' | 'remotes' | 'views'
  >;
  /** Views counted by this process's counter since it started. */
  counterTotals?: () => { counted: number; dropped: number; flushed: number };
}

const seconds = (at: string | undefined) => (at === undefined ? undefined : Date.parse(at) / 1000);

export function createMetrics(source: MetricsSource) {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name: `newsmirror_${name}`, help, labelNames, registers: [registry] });
  const runs = gauge('runs_started', 'runs started, as the store numbers them');
  const lastRunStart = gauge('last_run_start_timestamp_seconds', 'when the last run started');
  const lastRunEnd = gauge(
    'last_run_finish_timestamp_seconds',
    'when the last run ended (absent while it runs)',
  );
  const lastRunStatus = gauge('last_run_status', '1 for the status of the last run', ['status']);
  const lastRunArticles = gauge('last_run_articles', 'articles of the last run, by outcome', ['outcome']);
  const articles = gauge('articles', 'articles in the store');
  const newest = gauge(
    'newest_article_timestamp_seconds',
    'publication (or first-seen) time of the newest article',
  );
  const failures = gauge('failures_pending', 'URLs that failed, by kind', ['kind']);
  const channelArticles = gauge('channel_articles', 'articles listed in the channel', ['site', 'channel']);
  const channelFailures = gauge('channel_consecutive_failures', 'runs in a row the channel failed', [
    'site',
    'channel',
  ]);
  const channelSuccess = gauge('channel_last_success_timestamp_seconds', 'last time the channel was read', [
    'site',
    'channel',
  ]);
  const channelLinks = gauge('channel_links', 'article links of the last full answer', ['site', 'channel']);
  const pushFailures = gauge('push_consecutive_failures', 'pushes in a row that failed', ['remote']);
  const pushSuccess = gauge('push_last_success_timestamp_seconds', 'last successful push', ['remote']);
  const viewsStored = gauge('views_stored', 'page views counted and stored, all pages and days together');
  const counter = gauge('counter_views_since_start', "the counter's views since serve started", ['outcome']);

  const setIf = (target: Gauge, value: number | undefined, labels: Record<string, string> = {}) => {
    if (value !== undefined && Number.isFinite(value)) target.set(labels, value);
  };

  // One registry, reset at each render: two scrapes at once (a pair of Prometheus servers) would interleave their
  // resets and writes, so a render already under way is shared with the scrapes that arrive during it.
  let rendering: Promise<string> | undefined;
  return {
    contentType: registry.contentType,
    /** Reads the store and writes every metric. */
    render(): Promise<string> {
      rendering ??= renderNow().finally(() => {
        rendering = undefined;
      });
      return rendering;
    },
  };

  async function renderNow(): Promise<string> {
    const { store } = source;
    registry.resetMetrics();
    const [lastRun] = await store.runs.last(1);
    if (lastRun) {
      runs.set(lastRun.id);
      setIf(lastRunStart, seconds(lastRun.startedAt));
      setIf(lastRunEnd, seconds(lastRun.finishedAt));
      lastRunStatus.set({ status: lastRun.status }, 1);
      for (const [outcome, value] of [
        ['new', lastRun.newCount],
        ['updated', lastRun.updated],
        ['failed', lastRun.failed],
        ['skipped', lastRun.skipped],
      ] as const) {
        setIf(lastRunArticles, value, { outcome });
      }
    } else {
      runs.set(0);
    }
    articles.set(await store.articles.count());
    const [newestEntry] = await store.articles.listNewest(1);
    if (newestEntry) setIf(newest, seconds(newestEntry.published ?? newestEntry.firstSeen));
    const failed = await store.failures.list();
    const retrying = failed.filter((failure) => failure.retryable).length;
    failures.set({ kind: 'article_retrying' }, retrying);
    failures.set({ kind: 'article_given_up' }, failed.length - retrying);
    failures.set({ kind: 'image' }, (await store.images.listFailed()).length);
    for (const health of await store.channelHealth.all()) {
      const labels = { site: health.siteId, channel: health.channelId };
      channelArticles.set(labels, await store.articles.count(health.channelId));
      channelFailures.set(labels, health.consecutiveFailures);
      setIf(channelSuccess, seconds(health.lastSuccessAt), labels);
      setIf(channelLinks, health.recentLinks.at(-1), labels);
    }
    for (const push of await store.remotes.states()) {
      pushFailures.set({ remote: push.remote }, push.consecutiveFailures);
      setIf(pushSuccess, seconds(push.lastSuccessAt), { remote: push.remote });
    }
    const days = await store.views.perDay({ sinceDay: '0000-01-01' });
    viewsStored.set(days.reduce((sum, day) => sum + day.views, 0));
    const totals = source.counterTotals?.();
    if (totals) for (const [outcome, value] of Object.entries(totals)) counter.set({ outcome }, value);
    return registry.metrics();
  }
}
