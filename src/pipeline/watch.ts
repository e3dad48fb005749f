// `newsmirror watch`: one run every interval (plus jitter), for months. Sites whose channels all fail run after
// run are backed off for growing intervals, so a site that is down or blocking us costs neither time nor
// politeness; a stop signal lets the run in flight finish its articles, commit and push before the loop ends.
// The loop takes its clock, sleep and randomness from the caller, so tests drive months in milliseconds.
import type { Config } from '../config/options.ts';
import { errorMessage, FetchError } from '../internal/errors.ts';
import type { Logger } from '../internal/log.ts';
import { sameSite } from '../internal/url.ts';
import type { FetchOptions, HttpClient } from './fetch/client.ts';

/** A site is backed off once all its channels failed this many runs in a row: one bad hour is not an outage. */
export const FAILURES_BEFORE_BACKOFF = 3;

/** Longest pause of a failing site: it is still tried daily, so a site back online is mirrored within a day. */
export const MAX_BACKOFF_MS = 24 * 60 * 60_000;

export interface WatchClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export const systemClock: WatchClock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise((done) => {
      if (signal.aborted) return done();
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        done();
      }
      signal.addEventListener('abort', finish, { once: true });
    }),
};

// ---------------------------------------------------------------------------------------------------------------
// per-site backoff (pure state, counted in runs)

export interface SiteHealth {
  /** Runs in a row in which every channel of the site failed. */
  consecutiveFailures: number;
  /** Runs still to skip the site in. */
  skipRuns: number;
}

export interface SiteBackoff {
  /** Called as a run starts: the sites it skips (each one's count of runs to skip goes down by one). */
  beginRun(): Set<string>;
  /** Records a run's outcome: the sites it tried, and those among them whose channels all failed. */
  record(tried: Iterable<string>, failed: ReadonlySet<string>): void;
  health(siteId: string): SiteHealth;
}

/**
 * After `failuresBeforeBackoff` failed runs in a row a site is skipped for 1 run, then (if the next try fails
 * too) 2, 4, 8... runs, at most `maxSkipRuns`; one run in which any of its channels answers resets it.
 */
export function createSiteBackoff(options: {
  failuresBeforeBackoff?: number;
  maxSkipRuns: number;
}): SiteBackoff {
  const threshold = options.failuresBeforeBackoff ?? FAILURES_BEFORE_BACKOFF;
  const sites = new Map<string, SiteHealth>();
  const healthOf = (siteId: string): SiteHealth => {
    let health = sites.get(siteId);
    if (!health) {
      health = { consecutiveFailures: 0, skipRuns: 0 };
      sites.set(siteId, health);
    }
    return health;
  };
  return {
    beginRun() {
      const skipped = new Set<string>();
      for (const [siteId, health] of sites) {
        if (health.skipRuns > 0) {
          health.skipRuns--;
          skipped.add(siteId);
        }
      }
      return skipped;
    },
    record(tried, failed) {
      for (const siteId of tried) {
        const health = healthOf(siteId);
        if (!failed.has(siteId)) {
          health.consecutiveFailures = 0;
          health.skipRuns = 0;
          continue;
        }
        health.consecutiveFailures++;
        if (health.consecutiveFailures >= threshold) {
          const doublings = Math.min(health.consecutiveFailures - threshold, 30);
          health.skipRuns = Math.max(1, Math.min(options.maxSkipRuns, 2 ** doublings));
        }
      }
    },
    health: (siteId) => ({ ...healthOf(siteId) }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// the HTTP client a watched run fetches through

export interface ObservedHttpClient extends HttpClient {
  /** Sites all of whose channel sources failed during this run (sites skipped by backoff are not counted). */
  failedSites(): Set<string>;
}

/**
 * Wraps the run's client: refuses (as a retryable 'backoff' failure, without a request) every URL of a skipped
 * site, and notes which channel sources failed, so the loop can tell a site that is down from one bad article.
 */
export function observeSites(
  http: HttpClient,
  config: Config,
  skip: ReadonlySet<string>,
): ObservedHttpClient {
  const sourceSite = new Map<string, string>();
  const channelCount = new Map<string, number>();
  for (const site of config.sites) {
    for (const channel of site.channels) {
      const source = channel.listing?.url ?? channel.feed ?? channel.sitemap;
      if (source) sourceSite.set(source, site.id);
    }
    channelCount.set(site.id, site.channels.length);
  }
  const failedSources = new Map<string, Set<string>>();
  const skippedSiteOf = (url: string): string | undefined => {
    const direct = sourceSite.get(url);
    if (direct !== undefined) return skip.has(direct) ? direct : undefined;
    return config.sites.find((site) => skip.has(site.id) && sameSite(url, site.base))?.id;
  };
  return {
    async fetch(url: string, options?: FetchOptions) {
      const skipped = skippedSiteOf(url);
      if (skipped !== undefined) {
        throw new FetchError(
          `watch: ${url} not fetched: site ${skipped} is backed off after repeated failures of all its channels`,
          { code: 'backoff', where: url, retryable: true },
        );
      }
      const siteId = sourceSite.get(url);
      try {
        return await http.fetch(url, options);
      } catch (error) {
        if (siteId !== undefined) {
          if (!failedSources.has(siteId)) failedSources.set(siteId, new Set());
          failedSources.get(siteId)!.add(url);
        }
        throw error;
      }
    },
    close: () => http.close(),
    failedSites() {
      return new Set(
        [...failedSources]
          .filter(([siteId, sources]) => sources.size >= (channelCount.get(siteId) ?? Infinity))
          .map(([siteId]) => siteId),
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// the loop

export interface WatchRunOutcome {
  /** Sites whose channels all failed in this run. */
  failedSites: ReadonlySet<string>;
}

export interface WatchLoopOptions {
  everyMs: number;
  /** Each wait is lengthened by a uniform draw in [0, jitterMs], so many mirrors do not hit a site together. */
  jitterMs?: number;
  /** Every site id of the config (for the backoff). */
  sites: string[];
  /** One run; `skip` are the backed-off sites; `signal` aborts when the loop is asked to stop. */
  runOnce(skip: ReadonlySet<string>, signal: AbortSignal): Promise<WatchRunOutcome>;
  /** Abort to stop: a run in flight is let finish (it gets the same signal), then the loop returns. */
  signal: AbortSignal;
  clock?: WatchClock;
  log?: Logger;
  /** Stop after this many runs (tests). */
  maxRuns?: number;
  failuresBeforeBackoff?: number;
  maxBackoffMs?: number;
}

export interface WatchLoopResult {
  runs: number;
  /** Runs that threw (the loop logged them and went on). */
  failedRuns: number;
}

/** Delay until the next run: one interval (plus jitter) after the last run started, at once if that passed. */
export function nextRunDelay(options: {
  lastStart: number;
  now: number;
  everyMs: number;
  jitterMs: number;
  random: number;
}): number {
  const target = options.lastStart + options.everyMs + Math.floor(options.random * options.jitterMs);
  return Math.max(0, target - options.now);
}

export async function watchLoop(options: WatchLoopOptions): Promise<WatchLoopResult> {
  const clock = options.clock ?? systemClock;
  const { signal, log } = options;
  const backoff = createSiteBackoff({
    failuresBeforeBackoff: options.failuresBeforeBackoff,
    maxSkipRuns: Math.max(1, Math.floor((options.maxBackoffMs ?? MAX_BACKOFF_MS) / options.everyMs)),
  });
  const result: WatchLoopResult = { runs: 0, failedRuns: 0 };
  while (!signal.aborted) {
    const start = clock.now();
    const skip = backoff.beginRun();
    for (const siteId of skip) {
      const health = backoff.health(siteId);
      log?.warn(
        `watch: skipping site ${siteId} this run (all its channels failed ${health.consecutiveFailures} runs in ` +
          `a row; ${health.skipRuns} more run(s) skipped before it is tried again)`,
      );
    }
    try {
      const outcome = await options.runOnce(skip, signal);
      const tried = options.sites.filter((siteId) => !skip.has(siteId));
      backoff.record(tried, outcome.failedSites);
    } catch (error) {
      // A run that could not start or publish (mirror locked by a manual run, disk full) is tried next interval.
      result.failedRuns++;
      log?.error(`watch: run failed, next one in ${options.everyMs / 1000} s: ${errorMessage(error)}`);
    }
    result.runs++;
    if (signal.aborted || (options.maxRuns !== undefined && result.runs >= options.maxRuns)) break;
    const delay = nextRunDelay({
      lastStart: start,
      now: clock.now(),
      everyMs: options.everyMs,
      jitterMs: options.jitterMs ?? 0,
      random: clock.random(),
    });
    log?.info(`watch: next run at ${new Date(clock.now() + delay).toISOString()}`);
    await clock.sleep(delay, signal);
  }
  return result;
}

/** '1h', '5m', '30s', '1h30m', '250ms' or a bare number of seconds, in milliseconds; null when unreadable. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * units[match[2]];
    consumed = part.lastIndex;
  }
  return consumed > 0 && consumed === trimmed.length ? Math.round(total) : null;
}
