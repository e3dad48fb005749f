// Starts `serve` on Node's HTTP server with limits that keep a flood cheap: small header budget, short timeouts, a
// connection cap, counts batched in memory and flushed on a timer and at shutdown.

import { realpath } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createLogger, type Logger } from '../internal/log.ts';
import type { Store } from '../store/index.ts';
import { createApp } from './app.ts';
import { answerCounter } from './counter-endpoint.ts';
import { PageIndex } from './mirror-paths.ts';
import { type CounterRoute, counterRouteOf, type FlushResult, ViewCounter } from './view-counter.ts';

/** Counts reach SQLite this often: one short transaction per 5 s whatever the request rate. */
export const DEFAULT_FLUSH_INTERVAL_MS = 5_000;

/** The mirror is rescanned for new pages this often (a run adds pages while serve runs). */
export const DEFAULT_PAGE_RESCAN_MS = 60_000;

/**
 * Bytes of request line plus headers. Camo and browsers send well under 2 KB for an image; 8 KB (half of Node's
 * default) refuses padded requests early with 431.
 */
const MAX_HEADER_BYTES = 8 * 1024;

/** A client must send its headers within 10 s (slow-loris clients cannot hold sockets open for long). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;
/**
 * Node checks those two timeouts only this often (30 s by default), so a slow-loris socket would live up to 40 s;
 * checking every second ends it within a second of its deadline.
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;
/** Idle keep-alive sockets are closed after 5 s: proxies reuse them, idle ones cost memory. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/** Open sockets at once; each costs tens of KB, so memory stays bounded under a connection flood. */
const MAX_CONNECTIONS = 10_000;

/** On shutdown, requests in flight get this long before their sockets are closed. */
const SHUTDOWN_GRACE_MS = 2_000;

export interface ServeOptions {
  store: Store;
  mirrorDir: string;
  mirrorTitle: string;
  /** `mirror.counter`, e.g. 'https://counter.example.org/epoch-news/{path}'; without it nothing is counted. */
  counterUrl?: string;
  /** Default 127.0.0.1: put a TLS reverse proxy in front (with its access log off) to face readers. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  log?: Logger;
  flushIntervalMs?: number;
  pageRescanMs?: number;
  maxPendingPaths?: number;
  /** Default 10 s (tests shorten it); the whole request gets 5 s more. */
  headersTimeoutMs?: number;
  exposeMemory?: boolean;
  now?: () => Date;
}

export interface RunningServer {
  /** e.g. 'http://127.0.0.1:8080' */
  url: string;
  port: number;
  /** Where the preview is mounted: '/' unless the counter owns the root. */
  previewBase: string;
  counterRoute?: CounterRoute;
  /** Writes the pending counts now. */
  flush(): Promise<FlushResult>;
  /** Views counted, dropped (pending map full) and written since the start. */
  totals(): { counted: number; dropped: number; flushed: number };
  /** Rescans the mirror for pages now. */
  rescan(): Promise<void>;
  /** Stops accepting, lets requests in flight end, writes the pending counts. Does not close the store. */
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? createLogger();
  const now = options.now ?? (() => new Date());
  const mirrorRoot = await realpath(options.mirrorDir).catch(() => options.mirrorDir);
  const counterRoute = options.counterUrl ? counterRouteOf(options.counterUrl) : undefined;
  // A counter at the root would shadow the mirror's files: the preview then moves under /-/preview/.
  const previewBase = counterRoute?.prefix === '/' ? '/-/preview/' : '/';
  const pages = new PageIndex(mirrorRoot, options.store);
  const views = new ViewCounter({
    store: options.store,
    maxPendingPaths: options.maxPendingPaths,
    now: () => now().getTime(),
  });
  if (counterRoute) await pages.refresh();

  const counter = counterRoute ? { route: counterRoute, views, pages, log } : undefined;
  const app = createApp({
    store: options.store,
    log,
    now,
    exposeMemory: options.exposeMemory,
    counter,
    preview: {
      mirrorRoot,
      mirrorTitle: options.mirrorTitle,
      previewBase,
      counterUrlPrefix: options.counterUrl?.slice(0, options.counterUrl.indexOf('{path}')),
    },
  });
  const listener = getRequestListener(app.fetch, {
    hostname: 'localhost',
    // Malformed requests (bad Host, bad target): a plain 400, and nothing logged.
    errorHandler: () => new Response('bad request\n', { status: 400 }),
  });

  const server: Server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS,
      requestTimeout:
        options.headersTimeoutMs === undefined
          ? REQUEST_TIMEOUT_MS
          : options.headersTimeoutMs + REQUEST_TIMEOUT_MS - HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    },
    counter
      ? (request, response) => {
          if (!answerCounter(counter, request, response)) listener(request, response);
        }
      : listener,
  );
  server.maxConnections = MAX_CONNECTIONS;
  // Node answers parse errors itself; this replaces its default so the status is right and nothing is logged.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const flush = async (): Promise<FlushResult> => {
    const result = await views.flush();
    if (result.dropped > 0)
      log.warn('serve: views dropped, too many pages pending', { dropped: result.dropped });
    return result;
  };
  const flushTimer = setInterval(() => {
    flush().catch((error: Error) =>
      log.warn('serve: writing view counts failed; kept for the next flush (retryable)', {
        error: error.message,
      }),
    );
  }, options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
  flushTimer.unref();
  const rescanTimer = setInterval(() => {
    if (counterRoute) pages.refresh().catch(() => undefined);
  }, options.pageRescanMs ?? DEFAULT_PAGE_RESCAN_MS);
  rescanTimer.unref();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(flushTimer);
      clearInterval(rescanTimer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(grace);
      await flush();
    })();
    return closing;
  };

  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    previewBase,
    counterRoute,
    flush,
    totals: () => ({ ...views.totals }),
    rescan: () => pages.refresh(),
    close,
  };
}
