// The counter's answer, given on Node's own request and response before hono sees the request: it is the one route
// that takes the whole load, and a bare answer costs a fraction of a routed one (see docs/server.md). It reads the
// method and the URL path, nothing else: no header, no address, no query string.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../internal/log.ts';
import { mirrorPathOf, type PageIndex } from './mirror-paths.ts';
import type { CounterRoute, ViewCounter } from './view-counter.ts';

/**
 * Longest request target answered (414 beyond). Counter URLs are the counter path plus a page path of at most
 * 512 characters, percent-encoded; 2,048 is what browsers and proxies reliably pass anyway.
 */
export const MAX_URL_LENGTH = 2_048;

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

export interface CounterEndpoint {
  route: CounterRoute;
  views: ViewCounter;
  pages: PageIndex;
  log: Logger;
}

/** The server's own routes, never taken by a counter mounted at '/' (none of them can be a page of the mirror). */
export function isReservedPath(rawPath: string): boolean {
  return rawPath === '/stats' || rawPath === '/stats.json' || rawPath.startsWith('/-/');
}

/** The URL path without its query string or fragment, still percent-encoded. */
export function rawPathOf(target: string): string {
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/**
 * Answers `request` when it is a GET or HEAD of the counter with a URL within the limit, and returns true; returns
 * false to let the app answer (other paths, other methods, 414). A GET counts one view when its path is a page.
 */
export function answerCounter(
  endpoint: CounterEndpoint,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  const target = request.url ?? '/';
  const method = request.method;
  if (target.length > MAX_URL_LENGTH || (method !== 'GET' && method !== 'HEAD')) return false;
  const { prefix, suffix } = endpoint.route;
  const rawPath = rawPathOf(target);
  if (!rawPath.startsWith(prefix) || !rawPath.endsWith(suffix) || isReservedPath(rawPath)) return false;
  if (method === 'GET') {
    const page = mirrorPathOf(`/${rawPath.slice(prefix.length, rawPath.length - suffix.length)}`);
    if (page !== undefined && page !== '') countView(endpoint, page);
  }
  response.writeHead(200, COUNTER_HEADERS);
  response.end(method === 'GET' ? PIXEL_GIF : undefined);
  return true;
}

function countView(endpoint: CounterEndpoint, page: string): void {
  if (endpoint.pages.knows(page)) {
    endpoint.views.count(page);
    return;
  }
  endpoint.pages.lookup(page).then(
    (isPage) => {
      if (isPage) endpoint.views.count(page);
    },
    (error: Error) => endpoint.log.warn('serve: page lookup failed; view not counted', { error: error.name }),
  );
}
