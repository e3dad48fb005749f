// The per-host circuit breaker: a host that times out `hostFailureLimit` times in a row is skipped for the rest of
// the run (fail fast, retryable, naming the breaker); answers of any status close it; it probes after the cooldown.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type FixtureServer, startFixtureServer } from '../../../harness/fixture-server.ts';
import { type FetchConfig, fetchSchema } from '../../../src/config/options.ts';
import type { FetchError } from '../../../src/internal/errors.ts';
import { createHttpClient, type HttpClientOptions } from '../../../src/pipeline/fetch/client.ts';

function config(overrides: Partial<FetchConfig> = {}): FetchConfig {
  return fetchSchema.parse({
    connectTimeoutMs: 300,
    headersTimeoutMs: 300,
    bodyTimeoutMs: 300,
    retries: 2,
    perHostConcurrency: 2,
    hostFailureLimit: 3,
    ...overrides,
  });
}

/**
 * Accepts connections and never answers: a host up at the TCP level and dead above it. Counts requests (undici may
 * open a spare connection it never uses, so connections are not counted).
 */
async function startBlackhole(): Promise<{ origin: string; requests: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    socket.on('data', (chunk) => {
      count += chunk.toString('latin1').match(/^GET /gm)?.length ?? 0;
    });
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function outcomes(fetchConfig: FetchConfig, urls: string[], options: HttpClientOptions = {}) {
  const client = createHttpClient(fetchConfig, { backoffBaseMs: 1, ...options });
  try {
    return await Promise.all(
      urls.map((url) =>
        client.fetch(url).then(
          (page) => ({ ok: true as const, status: page.status }),
          (error: FetchError) => ({
            ok: false as const,
            code: error.code,
            message: error.message,
            retryable: error.retryable,
          }),
        ),
      ),
    );
  } finally {
    await client.close();
  }
}

describe('per-host circuit breaker', () => {
  let dead: Awaited<ReturnType<typeof startBlackhole>>;
  let live: FixtureServer;

  before(async () => {
    dead = await startBlackhole();
    live = await startFixtureServer();
    live.route('/500', (_req, res) => {
      res.writeHead(500).end();
    });
    live.route('/ok', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  after(async () => {
    await dead?.close();
    await live?.close();
  });

  test('after hostFailureLimit timeouts in a row, the rest of the requests to that host fail at once', async () => {
    const before = dead.requests();
    const urls = Array.from({ length: 40 }, (_, index) => `${dead.origin}/img/${index}.jpg`);
    const results = await outcomes(config(), urls);
    // At most the limit, plus what was already in flight on the host's slots when it was reached.
    const tried = dead.requests() - before;
    assert.ok(tried <= 3 + 2, `${tried} requests to the dead host`);
    assert.ok(results.every((result) => !result.ok && result.retryable));
    const skipped = results.filter((result) => !result.ok && result.code === 'host_down');
    assert.ok(skipped.length >= 40 - tried, `${skipped.length} skipped`);
    assert.match(
      skipped[0].ok ? '' : skipped[0].message,
      /skipped: 127\.0\.0\.1:\d+ failed to connect or answer 3 times in a row \(circuit breaker, fetch\.hostFailureLimit 3\)/,
    );
    // Other hosts are not affected.
    assert.deepEqual(await outcomes(config(), [`${live.origin}/ok`]), [{ ok: true, status: 200 }]);
  });

  test('HTTP errors never open it; 0 turns it off; after the cooldown one request probes again', async () => {
    const statuses = await outcomes(
      config({ retries: 0 }),
      Array.from({ length: 10 }, () => `${live.origin}/500`),
    );
    assert.ok(statuses.every((result) => !result.ok && result.code === 'http_500'));

    const before = dead.requests();
    const urls = Array.from({ length: 6 }, (_, index) => `${dead.origin}/off/${index}`);
    const off = await outcomes(config({ hostFailureLimit: 0, retries: 0 }), urls);
    assert.ok(off.every((result) => !result.ok && result.code === 'timeout'));
    assert.equal(dead.requests() - before, 6);

    // A cooldown of 0: every request after the breaker opened is a probe, so each is tried.
    const probing = await outcomes(config({ retries: 0, perHostConcurrency: 1 }), urls, {
      hostCooldownMs: 0,
    });
    assert.ok(probing.every((result) => !result.ok && result.code === 'timeout'));
  });
});
