// A poisoned job, with a real Redis and a real PostgreSQL store: a job that kills every worker taking it is failed
// after queue.attempts tries and reported like any failed article, while the rest of the demo site is mirrored.
// Needs `npm run build`: the workers are the built `newsmirror worker`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heldArticle, queueTestBed, startWorker, stopWorker, type WorkerProcess } from './helpers.ts';

const bed = queueTestBed('poison', { postgres: true });
const { workers } = bed;

test('a poisoned job (kills every worker taking it) fails after queue.attempts tries, like any article', async () => {
  const { site } = bed;
  const mirror = await bed.postgresMirror('poison', { attempts: 2, lockMs: 1000 });
  const poisoned = heldArticle(site);
  // One worker at a time, started again when it dies (as Docker's restart policy or systemd does); the fixture
  // server kills whichever worker asks for the poisoned page, every time.
  let current: WorkerProcess | undefined;
  let stopping = false;
  site.server.route(poisoned.path, (_req, res) => {
    current?.child.kill('SIGKILL');
    res.destroy();
  });
  const supervise = (async () => {
    while (!stopping) {
      current = await startWorker(mirror.loaded.file, { concurrency: 1 });
      workers.push(current);
      await current.exited;
    }
  })();
  const summary = await mirror.run();
  stopping = true;
  if (current) await stopWorker(current);
  await supervise;
  site.server.unroute(poisoned.path);
  assert.equal(summary.new, site.manifest.articles.length - 1);
  assert.equal(summary.failed, 1);
  const [failure] = summary.failures;
  assert.ok(failure.url.endsWith(poisoned.path), failure.url);
  assert.equal(failure.code, 'job_failed');
  assert.match(failure.message, /failed on the workers after 2 tries/);
  assert.equal(failure.retryable, true);
  assert.equal(site.server.hits(poisoned.path).length, 2, 'tried twice, then given up');
});
