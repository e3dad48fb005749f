// Dead hosts cost seconds: a nothing-new run that retries 100 images failed on a host which accepts connections and
// never answers stops asking that host after fetch.hostFailureLimit timeouts (the circuit breaker), and the skipped
// images stay failed as retryable for the next run. Counted in requests, not timed (the seconds are a diagnostic).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type DemoSite, serveDemoSite } from '../../harness/demo-site.ts';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';

const DEAD_IMAGES = 100;

describe('a dead image host (circuit breaker)', () => {
  let site: DemoSite;
  let loaded: LoadedConfig;
  let store: Store;
  let http: HttpClient;
  let dead: Server;
  let deadOrigin: string;
  let deadRequests = 0;
  const sockets = new Set<Socket>();
  const work = mkdtempSync(join(tmpdir(), 'nm-dead-'));

  before(async () => {
    site = await serveDemoSite();
    dead = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (chunk) => {
        deadRequests += chunk.toString('latin1').match(/^GET /gm)?.length ?? 0;
      });
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    deadOrigin = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    const text = site.configText
      .replace('dir: ./out/mirror', `dir: ${join(work, 'mirror')}`)
      .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`)
      .replace(/remotes:[\s\S]*?(\n\S)/, '$1')
      .replace(
        'allowPrivateAddresses: true',
        'allowPrivateAddresses: true\n  retries: 1\n  headersTimeoutMs: 1500\n  bodyTimeoutMs: 1500\n  connectTimeoutMs: 1500',
      );
    loaded = parseConfigText(text, 'newsmirror.yaml', work);
    store = await openSqliteStore(loaded.storePath);
    http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 10 });
  });
  after(async () => {
    await http?.close();
    await store?.close();
    await site?.server.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => dead?.close(resolve));
  });

  test('a nothing-new run asks the dead host a handful of times, not once per image', async (t) => {
    const first = await runMirror({ loaded, store, http, log: silentLogger, push: false });
    assert.equal(first.failed, 0);
    for (let index = 0; index < DEAD_IMAGES; index++) {
      await store.images.recordFailure(`${deadOrigin}/img/${index}.jpg`, 'timeout', 'timed out');
    }
    const started = Date.now();
    const idle = await runMirror({ loaded, store, http, log: silentLogger, push: false });
    t.diagnostic(
      `nothing-new run with ${DEAD_IMAGES} dead images: ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    assert.equal(idle.new, 0);
    assert.equal(idle.images.mirrored, 0);
    const { hostFailureLimit, perHostConcurrency } = loaded.config.fetch;
    assert.ok(
      deadRequests <= hostFailureLimit + perHostConcurrency,
      `${deadRequests} requests to the dead host (limit ${hostFailureLimit}, ${perHostConcurrency} per host)`,
    );
    const failed = (await store.images.listFailed()).filter((failure) => failure.src.startsWith(deadOrigin));
    assert.equal(failed.length, DEAD_IMAGES, 'every image is still failed, to be retried next run');
    assert.ok(failed.filter((failure) => failure.code === 'host_down').length >= DEAD_IMAGES - deadRequests);
  });
});
