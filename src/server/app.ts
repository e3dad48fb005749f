// The routes of `serve`: the counter at the path of `mirror.counter`, the stats page and its JSON, and the preview
// of the mirror everywhere else. No route reads or keeps anything about the reader: the counter looks at the URL
// path alone, and there is no access log.
import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import type { Logger } from '../internal/log.ts';
import type { Store } from '../store/index.ts';
import { PAGE_SECURITY_POLICY } from './html.ts';
import { mirrorPathOf, type PageIndex } from './mirror-paths.ts';
import { type PreviewContext, previewResponse } from './preview.ts';
import { type StatsSnapshot, statsSnapshot } from './stats.ts';
import { renderStatsPage } from './stats-page.ts';
import type { CounterRoute, ViewCounter } from './view-counter.ts';

/**
 * Longest request target answered (414 beyond). Counter URLs are the counter path plus a page path of at most
 * 512 characters, percent-encoded; 2,048 is what browsers and proxies reliably pass anyway.
 */
export const MAX_URL_LENGTH = 2_048;

/** Days drawn on the stats chart by default, and the most a `?days=` may ask for. */
export const DEFAULT_CHART_DAYS = 30;
const MAX_CHART_DAYS = 366;

/**
 * How long a computed stats snapshot is reused. The page is public and its queries scan a month of counts; 5 s
 * makes a flood of /stats requests cost one query a window, and counts only move once a flush anyway.
 */
const STATS_CACHE_MS = 5_000;

/** A 1x1 transparent GIF (43 bytes): the smallest image every proxy and browser accepts. */
export const PIXEL_GIF = Buffer.from(
  'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==',
  'base64',
);

/** Headers that make image proxies (GitHub's camo) and browsers ask again on every view. */
export const COUNTER_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'image/gif',
  'Content-Length': String(PIXEL_GIF.length),
  'Cache-Control': 'no-cache, no-store, must-revalidate',
  Pragma: 'no-cache',
  Expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
  'X-Content-Type-Options': 'nosniff',
};

export interface AppOptions {
  store: Store;
  preview: PreviewContext;
  /** Absent when the config has no `mirror.counter`: then nothing is counted. */
  counter?: { route: CounterRoute; views: ViewCounter; pages: PageIndex };
  log: Logger;
  now: () => Date;
  /** Adds GET /-/memory with process.memoryUsage() (for the benchmark); off by default. */
  exposeMemory?: boolean;
}

/** The server's own routes, never taken by a counter mounted at '/' (none of them can be a page of the mirror). */
function isReservedPath(rawPath: string): boolean {
  return rawPath === '/stats' || rawPath === '/stats.json' || rawPath.startsWith('/-/');
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

  // Runs first for every request: bounded input, known methods, then the counter before any routing.
  app.use(async (c, next) => {
    const target = c.env.incoming.url ?? '/';
    if (target.length > MAX_URL_LENGTH) return plain(414, 'URI too long');
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD')
      return plain(405, 'method not allowed', { Allow: 'GET, HEAD' });
    const end = target.search(/[?#]/);
    const rawPath = end === -1 ? target : target.slice(0, end);
    if (
      counter &&
      rawPath.startsWith(counter.route.prefix) &&
      rawPath.endsWith(counter.route.suffix) &&
      !isReservedPath(rawPath)
    ) {
      if (method === 'GET') {
        const page = mirrorPathOf(
          `/${rawPath.slice(counter.route.prefix.length, rawPath.length - counter.route.suffix.length)}`,
        );
        if (page !== undefined && page !== '') countView(counter, page, options.log);
      }
      return new Response(method === 'HEAD' ? null : PIXEL_GIF, { status: 200, headers: COUNTER_HEADERS });
    }
    c.set('rawPath', rawPath);
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

function countView(counter: NonNullable<AppOptions['counter']>, page: string, log: Logger): void {
  if (counter.pages.knows(page)) {
    counter.views.count(page);
    return;
  }
  counter.pages.lookup(page).then(
    (isPage) => {
      if (isPage) counter.views.count(page);
    },
    (error: Error) => log.warn('serve: page lookup failed; view not counted', { error: error.name }),
  );
}
