// Politeness over several workers: three `newsmirror worker` processes, each allowed 4 jobs at once, against a
// fixture server that counts requests in flight per host. fetch.perHostConcurrency holds over all of them (Redis
// counts the slots), and a 429 with Retry-After from one host holds every worker off it. Jobs are added straight to
// the queue (the writer's side, queue/article-queue.ts), so only the workers' fetching is measured.
// Needs `npm run build`: the workers are the built `newsmirror worker`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type FixtureServer, startFixtureServer } from '../../../harness/fixture-server.ts';
import { type RedisServer, startRedisServer } from '../../../harness/redis-server.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { silentLogger } from '../../../src/internal/log.ts';
import type { ArticleJobInput, ArticleJobResult } from '../../../src/pipeline/job/types.ts';
import { openArticleQueue } from '../../../src/pipeline/queue/article-queue.ts';
import { startWorker, stopWorker, type WorkerProcess } from './helpers.ts';

const PER_HOST = 2;
const WORKERS = 3;
const RETRY_AFTER_S = 2;

let redis: RedisServer;
let server: FixtureServer;
const workers: WorkerProcess[] = [];
const work = mkdtempSync(join(tmpdir(), 'newsmirror-queue-polite-'));
/** Requests in flight per host right now, and the most seen at once. */
const inFlight = new Map<string, number>();
const most = new Map<string, number>();
/** When each request arrived, by host. */
const arrivals: { host: string; path: string; at: number }[] = [];
let retryAfterSentAt: number | undefined;

const page = (n: number) =>
  `<!doctype html><html><head><title>Page ${n}</title></head><body><article><h1>Page ${n}</h1>` +
  `${'<p>A paragraph long enough to read as the body of an article, with a few more words in it.</p>'.repeat(5)}` +
  '</article></body></html>';

before(async () => {
  [redis, server] = await Promise.all([startRedisServer(), startFixtureServer()]);
  for (let n = 0; n < 40; n++) {
    server.route(`/a/${n}.html`, async (req, res) => {
      const host = (req.headers.host ?? '').split(':')[0];
      arrivals.push({ host, path: req.url ?? '', at: Date.now() });
      if (n === 0 && host === 'localhost' && retryAfterSentAt === undefined) {
        retryAfterSentAt = Date.now();
        res.writeHead(429, { 'Retry-After': String(RETRY_AFTER_S) });
        res.end();
        return;
      }
      inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
      most.set(host, Math.max(most.get(host) ?? 0, inFlight.get(host) ?? 0));
      await new Promise((resolve) => setTimeout(resolve, 100));
      inFlight.set(host, (inFlight.get(host) ?? 0) - 1);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page(n));
    });
  }
});
after(async () => {
  await Promise.all(workers.map(stopWorker));
  await Promise.all([redis?.stop(), server?.close()]);
  rmSync(work, { recursive: true, force: true });
});

test(`${WORKERS} workers keep to ${PER_HOST} requests at once per host and honour one Retry-After together`, async () => {
  const file = join(work, 'newsmirror.yaml');
  writeFileSync(
    file,
    [
      'mirror: { dir: ./mirror, title: Polite }',
      `fetch: { perHostConcurrency: ${PER_HOST}, concurrency: 16, allowPrivateAddresses: true, retries: 2 }`,
      `queue: { url: "${redis.url}", name: polite }`,
      'sites:',
      '  - id: p',
      '    name: P',
      `    base: "${server.origin}/a/"`,
      `    channels: [{ id: c, title: C, listing: { url: "${server.origin}/a/", links: a } }]`,
      '',
    ].join('\n'),
  );
  const loaded = loadConfig(file);
  workers.push(
    ...(await Promise.all(Array.from({ length: WORKERS }, () => startWorker(file, { concurrency: 4 })))),
  );
  const origins = [server.origin, server.origin.replace('127.0.0.1', 'localhost')];
  const inputs: ArticleJobInput[] = origins.flatMap((origin) =>
    Array.from({ length: 20 }, (_, n) => ({
      url: `${origin}/a/${n}.html`,
      site: { id: 'p', base: `${origin}/a/`, rules: { body: 'article', title: 'h1' } },
      images: 'hotlink' as const,
      maxImageBytes: 1_000_000,
    })),
  );
  const queue = openArticleQueue(loaded.config.queue!, silentLogger);
  const results: ArticleJobResult[] = [];
  try {
    await queue.run(1, inputs, async (result) => void results.push(result));
  } finally {
    await queue.close();
  }
  assert.equal(results.length, inputs.length);
  assert.deepEqual(
    results.flatMap((result) =>
      result.kind === 'failed' ? [`${result.url}: ${result.failure.message}`] : [],
    ),
    [],
  );
  // The limit held over every worker, and was reached (three workers alone would have sent up to 6 at once).
  assert.deepEqual(Object.fromEntries(most), { '127.0.0.1': PER_HOST, localhost: PER_HOST });
  // After the 429, nothing new reached that host before Retry-After was over, from any worker: at most the
  // requests that held the host's other slots already (without the shared pause, ~20 would come in 2 s).
  assert.ok(retryAfterSentAt !== undefined);
  const early = arrivals.filter(
    (arrival) =>
      arrival.host === 'localhost' &&
      arrival.at > retryAfterSentAt! &&
      arrival.at < retryAfterSentAt! + RETRY_AFTER_S * 1000 - 5,
  );
  assert.ok(early.length <= PER_HOST - 1, JSON.stringify(early));
  assert.ok(arrivals.filter((arrival) => arrival.host === 'localhost').length >= 21, 'the 429 was retried');
});
