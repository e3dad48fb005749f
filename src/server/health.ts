// What `newsmirror status` and the Prometheus `/metrics` of `serve` report: the last run, each channel's health,
// the failures waiting for a retry, the newest article, the pushes. Read from the store only; nothing about readers.
import type { Config } from '../config/options.ts';
import type { FailureRecord, PushState, RunRecord, StorePorts } from '../store/index.ts';

/** How the last run ended, worst first in `newsmirror status`'s exit code (see statusExitCode). */
export type RunOutcome = 'ok' | 'articles failed' | 'channels failed' | 'push failed' | 'running' | 'killed';

export interface ChannelReport {
  siteId: string;
  channelId: string;
  title: string;
  /** Articles listed in the channel. */
  articles: number;
  lastSuccessAt?: string;
  lastFailureAt?: string;
  lastError?: string;
  consecutiveFailures: number;
  /** Article links of the last full answer, and the median of the recent ones. */
  lastLinks?: number;
  usualLinks?: number;
  /** Never read by a run yet (a channel added to the config since). */
  neverRead: boolean;
}

export interface HealthReport {
  at: string;
  lastRun?: RunRecord & { outcome: RunOutcome; seconds?: number };
  channels: ChannelReport[];
  articles: number;
  failures: {
    /** Article URLs a later run tries again. */
    retrying: number;
    /** Article URLs given up (not retryable, tried enough). */
    givenUp: number;
    images: number;
    /** The oldest few, for a quick look. */
    oldest: FailureRecord[];
  };
  newest?: { title: string; path: string; at: string; ageSeconds: number };
  pushes: PushState[];
}

const OLDEST_FAILURES_SHOWN = 5;

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function collectHealth(
  store: Pick<StorePorts, 'runs' | 'channelHealth' | 'articles' | 'failures' | 'images' | 'remotes'>,
  config: Config,
  now = new Date(),
): Promise<HealthReport> {
  const [lastRun] = await store.runs.last(1);
  const health = new Map((await store.channelHealth.all()).map((record) => [record.channelId, record]));
  const channels: ChannelReport[] = [];
  for (const site of config.sites) {
    for (const channel of site.channels) {
      const record = health.get(channel.id);
      channels.push({
        siteId: site.id,
        channelId: channel.id,
        title: channel.title,
        articles: await store.articles.count(channel.id),
        lastSuccessAt: record?.lastSuccessAt,
        lastFailureAt: record?.lastFailureAt,
        lastError: record?.lastError,
        consecutiveFailures: record?.consecutiveFailures ?? 0,
        lastLinks: record?.recentLinks.at(-1),
        usualLinks: median(record?.recentLinks ?? []),
        neverRead: record === undefined,
      });
    }
  }
  const failures = await store.failures.list();
  const retrying = failures.filter((failure) => failure.retryable).length;
  const pushes = await store.remotes.states();
  const [newest] = await store.articles.listNewest(1);
  const newestAt = newest ? (newest.published ?? newest.firstSeen) : undefined;
  return {
    at: now.toISOString(),
    lastRun: lastRun && { ...lastRun, ...runOutcome(lastRun, channels, pushes) },
    channels,
    articles: await store.articles.count(),
    failures: {
      retrying,
      givenUp: failures.length - retrying,
      images: (await store.images.listFailed()).length,
      oldest: failures.slice(0, OLDEST_FAILURES_SHOWN),
    },
    newest:
      newest && newestAt
        ? {
            title: newest.title,
            path: newest.path,
            at: newestAt,
            ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(newestAt)) / 1000)),
          }
        : undefined,
    pushes,
  };
}

function runOutcome(
  run: RunRecord,
  channels: ChannelReport[],
  pushes: PushState[],
): { outcome: RunOutcome; seconds?: number } {
  const seconds =
    run.finishedAt === undefined
      ? undefined
      : (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
  if (run.status === 'running') return { outcome: 'running' };
  if (run.status === 'abandoned') return { outcome: 'killed', seconds };
  // What this run found: a channel failing or a push failing since it started.
  const since = (at?: string) => at !== undefined && at >= run.startedAt;
  if (channels.some((channel) => channel.consecutiveFailures > 0 && since(channel.lastFailureAt))) {
    return { outcome: 'channels failed', seconds };
  }
  if (pushes.some((push) => !push.ok && since(push.lastAttemptAt)))
    return { outcome: 'push failed', seconds };
  return { outcome: (run.failed ?? 0) > 0 ? 'articles failed' : 'ok', seconds };
}
