// Mirrors, configs and worker processes for the queue tests; each worker is the built `newsmirror worker`
// (harness/queue-workers.ts: `npm run build` first).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { type DemoSite, serveDemoSite } from '../../../harness/demo-site.ts';
import type { FixtureServer } from '../../../harness/fixture-server.ts';
import { type PostgresServer, startPostgresServer } from '../../../harness/postgres-server.ts';
import { stopWorker, type WorkerProcess } from '../../../harness/queue-workers.ts';
import { type RedisServer, startRedisServer } from '../../../harness/redis-server.ts';
import { type LoadedConfig, loadConfig } from '../../../src/config/load.ts';
import { silentLogger } from '../../../src/internal/log.ts';
import { createHttpClient } from '../../../src/pipeline/fetch/client.ts';
import { type RunSummary, runMirror } from '../../../src/pipeline/run.ts';
import { openStore } from '../../../src/store/index.ts';

export { startWorker, stopWorker, type WorkerProcess } from '../../../harness/queue-workers.ts';

/** The demo config with this test's mirror, store and queue. */
export function queueConfigText(
  demoConfig: string,
  work: string,
  store: string,
  queue: Record<string, string | number>,
): string {
  const lines = Object.entries(queue).map(([key, value]) => `  ${key}: ${value}`);
  return demoConfig
    .replace('dir: ./out/mirror', `dir: ${join(work, 'mirror')}`)
    .replace(/ {2}remotes:\n.*\n/, '')
    .replace('path: ./out/store.sqlite', store)
    .replace(
      'allowPrivateAddresses: true',
      'allowPrivateAddresses: true\n  retries: 1\n  headersTimeoutMs: 3000\n  bodyTimeoutMs: 3000\n  connectTimeoutMs: 3000',
    )
    .concat(`queue:\n${lines.join('\n')}\n  blobs: ${join(work, 'blobs')}\n`);
}

/**
 * Holds the answer to `path` until released: resolves `arrived` when a request for it comes in. Serves the file
 * from `root` once released (and at once after that).
 */
export function holdPath(server: FixtureServer, root: string, path: string) {
  let arrive: () => void = () => undefined;
  let release: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  server.route(path, async (_req, res) => {
    arrive();
    await released;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(readFileSync(join(root, path)));
  });
  return { arrived, release };
}

export interface QueueTestMirror {
  loaded: LoadedConfig;
  /** One pass as `newsmirror run` makes it (no push), the store opened and closed around it. */
  run(): Promise<RunSummary>;
  /** Asserts every demo article is stored once and its page written. */
  assertMirroredOnce(): Promise<void>;
}

/**
 * A fresh mirror of the demo site with its jobs on `queue` (queue.name defaults to `name`): SQLite in `work` unless
 * `storeUrl`; `hotlink` keeps images at the publisher (so jobs never ask the store whether one is mirrored);
 * `perHostConcurrency` counts over every worker.
 */
export function queueMirror(
  site: DemoSite,
  work: string,
  name: string,
  queue: Record<string, string | number>,
  options: { storeUrl?: string; hotlink?: boolean; perHostConcurrency?: number } = {},
): QueueTestMirror {
  const dir = join(work, name);
  const store = options.storeUrl ? `url: ${options.storeUrl}` : `path: ${join(dir, 'store.sqlite')}`;
  const file = join(work, `${name}.yaml`);
  let text = queueConfigText(site.configText, dir, store, { name, lockMs: 1500, ...queue });
  if (options.hotlink) text = text.replace('  images: mirror\n', '  images: hotlink\n');
  if (options.perHostConcurrency) {
    text = text.replace(
      '  retries: 1\n',
      `  retries: 1\n  perHostConcurrency: ${options.perHostConcurrency}\n`,
    );
  }
  writeFileSync(file, text);
  const loaded = loadConfig(file);
  return {
    loaded,
    async run() {
      const opened = await openStore(loaded);
      const http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 10 });
      try {
        return await runMirror({ loaded, store: opened, http, log: silentLogger, push: false });
      } finally {
        await http.close();
        await opened.close();
      }
    },
    async assertMirroredOnce() {
      const opened = await openStore(loaded);
      try {
        const stored = await opened.articles.list();
        assert.equal(stored.length, site.manifest.articles.length);
        assert.equal(new Set(stored.map((article) => article.url)).size, stored.length);
        for (const article of site.manifest.articles) {
          const page = join(loaded.mirrorDir, 'pages', article.homeChannel, `${article.id}.md`);
          assert.ok(existsSync(page), `page of ${article.path}`);
        }
      } finally {
        await opened.close();
      }
    },
  };
}

/** A demo article in UTF-8 with a lead image, for holding or poisoning. */
export function heldArticle(site: DemoSite): DemoSite['manifest']['articles'][number] {
  const found = site.manifest.articles.find(
    (article) => article.siteId === 'epochtimes' && article.leadImage && article.charset === 'utf-8',
  );
  assert.ok(found, 'the demo site has a UTF-8 article with a lead image');
  return found;
}

export interface QueueTestBed {
  redis: RedisServer;
  /** Only with `postgres: true`. */
  postgres: PostgresServer;
  site: DemoSite;
  /** Temp folder of the test file's mirrors. */
  work: string;
  /** Workers the test file started: stopped (SIGTERM, if still running) after its tests. */
  workers: WorkerProcess[];
  /** `queueMirror` on this bed's Redis, its store a new PostgreSQL database named `name`. */
  postgresMirror(
    name: string,
    queue?: Record<string, string | number>,
    options?: { perHostConcurrency?: number },
  ): Promise<QueueTestMirror>;
}

/**
 * Registers the `before` and `after` of a queue test file: a real Redis, the demo site and (with `postgres`) a real
 * PostgreSQL started before its tests; its workers, the servers and its temp folder (`newsmirror-queue-<name>-*`
 * in os.tmpdir()) gone after them. `ready` runs once they are up: on Node 20 a file's own root `before` hooks do not
 * wait for one another, so one of them could run before the servers are.
 */
export function queueTestBed(
  name: string,
  options: { postgres?: boolean; ready?: (bed: QueueTestBed) => Promise<void> } = {},
): QueueTestBed {
  // The servers are filled in by `before`; the tests read them only once it has run.
  const bed = {
    work: mkdtempSync(join(tmpdir(), `newsmirror-queue-${name}-`)),
    workers: [] as WorkerProcess[],
  } as QueueTestBed;
  bed.postgresMirror = async (mirrorName, queue = {}, mirrorOptions = {}) => {
    const storeUrl = await bed.postgres.createDatabase(mirrorName);
    return queueMirror(
      bed.site,
      bed.work,
      mirrorName,
      { url: bed.redis.url, ...queue },
      { storeUrl, ...mirrorOptions },
    );
  };
  before(async () => {
    const [redis, site, postgres] = await Promise.all([
      startRedisServer(),
      serveDemoSite(),
      options.postgres ? startPostgresServer() : undefined,
    ]);
    Object.assign(bed, { redis, site, postgres });
    await options.ready?.(bed);
  });
  after(async () => {
    await Promise.all(bed.workers.map(stopWorker));
    await Promise.all([bed.redis?.stop(), bed.postgres?.stop(), bed.site?.server.close()]);
    rmSync(bed.work, { recursive: true, force: true });
  });
  return bed;
}
