// Shared by the HTTP client's tests: small budgets, a client per test, a second loopback host (127.0.0.2).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FetchConfig, fetchSchema } from '../../../src/config/options.ts';
import { FetchError } from '../../../src/internal/errors.ts';
import {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
} from '../../../src/pipeline/fetch/client.ts';

/** Small budgets so failure cases end in well under a second; retries off unless a test asks. */
export function testConfig(overrides: Partial<FetchConfig> = {}): FetchConfig {
  return fetchSchema.parse({
    connectTimeoutMs: 1000,
    headersTimeoutMs: 1500,
    bodyTimeoutMs: 1500,
    retries: 0,
    ...overrides,
  });
}

export async function withClient<T>(
  config: FetchConfig,
  run: (client: HttpClient) => Promise<T>,
  options: HttpClientOptions = {},
): Promise<T> {
  const client = createHttpClient(config, { backoffBaseMs: 1, ...options });
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

export async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FetchError, `expected a FetchError, got ${error}`);
    return error;
  }
  assert.fail('expected the fetch to fail');
}

/** A second loopback host (127.0.0.2) for cross-host redirects and the global concurrency limit. */
export async function startSecondHost(): Promise<{
  origin: string;
  route: (path: string, handler: (req: IncomingMessage, res: ServerResponse) => void) => void;
  close: () => Promise<void>;
}> {
  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  const server: Server = createServer((req, res) => {
    const handler = routes.get(req.url ?? '/');
    if (handler) return handler(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.2', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.2:${port}`,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export function html(res: ServerResponse, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
  res.end(body);
}

/** Writes `chunk` forever, respecting backpressure, until the client goes away. */
export function writeForever(res: ServerResponse, chunk: Buffer): void {
  let open = true;
  res.on('close', () => {
    open = false;
  });
  const pump = () => {
    while (open && res.write(chunk)) {}
    if (open) res.once('drain', pump);
  };
  pump();
}

/**
 * Holds each request until `expected` are in flight together (or a grace period passes, for the last few), so
 * the highest concurrency seen is the client's limit whatever the machine's speed, and above it when broken.
 */
export function concurrencyGate(expected: number) {
  const GRACE_MS = 300;
  let active = 0;
  let most = 0;
  let waiting: Array<() => void> = [];
  const releaseAll = () => {
    const released = waiting;
    waiting = [];
    for (const release of released) release();
  };
  return {
    hold(respond: () => void) {
      active++;
      most = Math.max(most, active);
      waiting.push(() => {
        active--;
        respond();
      });
      if (active >= expected) releaseAll();
      else setTimeout(releaseAll, GRACE_MS);
    },
    most: () => most,
  };
}
