// The routes of `serve` behind the counter (`counter-endpoint.ts`, answered first): the stats page and its JSON, and
// the preview of the mirror everywhere else. No route keeps anything about the reader, and there is no access log.
import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import type { Logger } from '../internal/log.ts';
import type { Store } from '../store/index.ts';
import { MAX_URL_LENGTH, rawPathOf } from './counter-endpoint.ts';
import { PAGE_SECURITY_POLICY } from './html.ts';
import { createMetrics } from './metrics.ts';
import type { PageIndex } from './mirror-paths.ts';
import { type PreviewContext, previewResponse } from './preview.ts';
import { type StatsSnapshot, statsSnapshot } from './stats.ts';
import { renderStatsPage } from './stats-page.ts';
import type { CounterRoute, ViewCounter } from './view-counter.ts';

/** Days drawn on the stats chart by default, and the most a `?days=` may ask for. */
export const DEFAULT_CHART_DAYS = 30;
const MAX_CHART_DAYS = 366;

/**
 * How long a computed stats snapshot is reused. The page is public and its queries scan a month of counts; 5 s
 * makes a flood of /stats requests cost one query a window, and counts only move once a flush anyway.
 */
const STATS_CACHE_MS = 5_000;

export interface AppOptions {
  store: Store;
  preview: PreviewContext;
  /** For /stats.json; the counter itself is answered before the app (`answerCounter`). */
  counter?: { route: CounterRoute; views: ViewCounter; pages: PageIndex };
  log: Logger;
  now: () => Date;
  /** Adds GET /-/memory with process.memoryUsage() (for the benchmark); off by default. */
  exposeMemory?: boolean;
}

type Env = { Bindings: { incoming: IncomingMessage }; Variables: { rawPath: string } };

const plain = (status: number, text: string, extra: Record<string, string> = {}) =>
  new Response(`${text}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra },
  });

export function createApp(options: AppOptions): Hono<Env> {
  const app = new Hono<Env>();
  const { counter, preview } = options;

  // Runs first for every request: bounded input and known methods.
  app.use(async (c, next) => {
    const target = c.env.incoming.url ?? '/';
    if (target.length > MAX_URL_LENGTH) return plain(414, 'URI too long');
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') {
      return plain(405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    c.set('rawPath', rawPathOf(target));
    return next();
  });

  const statsCache = new Map<number, { at: number; snapshot: Promise<StatsSnapshot> }>();
  const snapshot = (days: number): Promise<StatsSnapshot> => {
    const now = options.now();
    const cached = statsCache.get(days);
    if (cached && now.getTime() - cached.at < STATS_CACHE_MS && now.getTime() >= cached.at)
      return cached.snapshot;
    const fresh = statsSnapshot(options.store, now, days);
    statsCache.set(days, { at: now.getTime(), snapshot: fresh });
    fresh.catch(() => statsCache.delete(days));
    return fresh;
  };
  const chartDays = (value: string | undefined): number => {
    const days = Number(value ?? DEFAULT_CHART_DAYS);
    return Number.isInteger(days) ? Math.min(MAX_CHART_DAYS, Math.max(1, days)) : DEFAULT_CHART_DAYS;
  };

  app.get('/stats', async (c) => {
    const html = renderStatsPage(await snapshot(chartDays(c.req.query('days'))), {
      title: preview.mirrorTitle,
      previewBase: preview.previewBase,
      pending: counter?.views.pendingPaths ?? 0,
    });
    return c.html(html, 200, {
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': PAGE_SECURITY_POLICY,
      'Referrer-Policy': 'no-referrer',
    });
  });

  app.get('/stats.json', async (c) => {
    const data = await snapshot(chartDays(c.req.query('days')));
    return c.json(
      {
        ...data,
        counter: counter
          ? {
              path: `${counter.route.prefix}{path}${counter.route.suffix}`,
              pendingPaths: counter.views.pendingPaths,
              knownPages: counter.pages.size,
              sinceStart: counter.views.totals,
            }
          : null,
      },
      200,
      { 'Cache-Control': 'no-cache' },
    );
  });

  // Prometheus: totals of runs, articles, failures, channels and views, never a page path (metrics.ts says why).
  const metrics = createMetrics({
    store: options.store,
    counterTotals: counter && (() => counter.views.totals),
  });
  app.get('/metrics', async (c) =>
    c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }),
  );

  if (options.exposeMemory) {
    app.get('/-/memory', (c) =>
      c.json({ ...process.memoryUsage(), maxRssKb: process.resourceUsage().maxRSS }),
    );
  }

  app.get('*', async (c) => {
    const rawPath = c.get('rawPath');
    if (!rawPath.startsWith(preview.previewBase)) return plain(404, 'not found');
    return previewResponse(preview, `/${rawPath.slice(preview.previewBase.length)}`, {
      raw: c.req.query('raw') !== undefined,
      head: c.req.method === 'HEAD',
    });
  });

  app.notFound(() => plain(404, 'not found'));
  // Only the error's class and code are logged: messages can quote the requested path, and nothing a reader sent
  // is written anywhere.
  app.onError((error) => {
    options.log.error('serve: request failed', {
      error: error.name,
      code: (error as { code?: unknown }).code,
    });
    return plain(500, 'internal error');
  });
  return app;
}
