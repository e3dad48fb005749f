// Redis going away mid-run, with real Redis restarts (harness/redis-server.ts): kept its data (the run resumes),
// lost it (the writer adds the lost jobs again). The store is SQLite here: PostgreSQL's part is in kill.test.ts and postgres-down.test.ts.
// Needs `npm run build`: the workers are the built `newsmirror worker`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DemoSite } from '../../../harness/demo-site.ts';
import type { RedisServer } from '../../../harness/redis-server.ts';
import {
  heldArticle,
  holdPath,
  queueMirror,
  queueTestBed,
  startWorker,
  type WorkerProcess,
} from './helpers.ts';

let redis: RedisServer;
let site: DemoSite;
let worker: WorkerProcess | undefined;
const bed = queueTestBed('redis', { ready: startTheWorker });
const { work } = bed;

async function startTheWorker() {
  ({ redis, site } = bed);
  // One worker serves every test: the mirrors share a queue, and keep images at the publisher, so a job never asks
  // a store (the worker reads the first mirror's) whether an image is mirrored.
  worker = await startWorker(
    queueMirror(site, work, 'first', { url: redis.url, ...QUEUE }, { hotlink: true }).loaded.file,
  );
  bed.workers.push(worker);
}

const QUEUE = { name: 'restart' };

/** Runs a fresh mirror with the held article's request open while `during` does its worst to Redis. */
async function runThrough(name: string, queue: Record<string, number>, during: () => Promise<void>) {
  const mirror = queueMirror(site, work, name, { url: redis.url, ...QUEUE, ...queue }, { hotlink: true });
  const held = heldArticle(site);
  const hold = holdPath(site.server, site.root, held.path);
  const running = mirror.run();
  running.catch(() => undefined);
  await hold.arrived;
  await during();
  hold.release();
  return { mirror, running, unhold: () => site.server.unroute(held.path) };
}

test('Redis restarted mid-run with its data: the run resumes and mirrors every article once', async () => {
  const { mirror, running, unhold } = await runThrough('kept', {}, () => redis.restart({ downMs: 300 }));
  const summary = await running;
  unhold();
  assert.deepEqual(summary.failures, []);
  assert.equal(summary.new, site.manifest.articles.length);
  await mirror.assertMirroredOnce();
});

test('Redis restarted without its data: the writer adds the lost jobs again; what is left, the next run does', async () => {
  const { mirror, running, unhold } = await runThrough('wiped', {}, () => redis.restart({ wipe: true }));
  const summary = await running;
  unhold();
  assert.equal(summary.new + summary.failed, site.manifest.articles.length);
  await mirror.run();
  await mirror.assertMirroredOnce();
});

// Redis away longer than queue.unreachableMs (the run fails saying so) is not tested here: in CI that case sometimes
// finished the run instead of failing it, so it is left for a test that does not race.
