// A worker killed mid-job, with a real Redis and a real PostgreSQL store: the demo site mirrored while a worker is
// SIGKILLed holding a job; another worker takes it, and every article is stored and written once. (A job that
// kills every worker taking it: poison.test.ts.)
// Needs `npm run build`: the workers are the built `newsmirror worker`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heldArticle, holdPath, queueTestBed, startWorker, stopWorker } from './helpers.ts';

const bed = queueTestBed('kill', { postgres: true });
const { workers } = bed;

test('a worker SIGKILLed mid-job: another takes the job, every article is mirrored once', async () => {
  const { site } = bed;
  const mirror = await bed.postgresMirror(
    'kill',
    {},
    // The killed worker's host slots come back only when their leases end: enough others meanwhile.
    { perHostConcurrency: 12 },
  );
  const held = heldArticle(site);
  const hold = holdPath(site.server, site.root, held.path);
  const [first, second] = await Promise.all([
    startWorker(mirror.loaded.file, { concurrency: 3 }),
    startWorker(mirror.loaded.file, { concurrency: 3 }),
  ]);
  workers.push(first, second);
  // Only the first worker is running when the held article is asked for: it is the one holding the job.
  second.child.kill('SIGSTOP');
  const running = mirror.run();
  await hold.arrived;
  first.child.kill('SIGKILL');
  assert.equal(await first.exited, null);
  second.child.kill('SIGCONT');
  hold.release();
  const summary = await running;
  site.server.unroute(held.path);
  assert.deepEqual(summary.failures, []);
  assert.equal(summary.new, site.manifest.articles.length);
  assert.ok(summary.images.mirrored > 0, 'images came through the shared blob folder');
  assert.ok(site.server.hits(held.path).length >= 2, 'the killed job ran again');
  await mirror.assertMirroredOnce();
  // Nothing is left to do: no job ran twice into a duplicate, none is left behind.
  const again = await mirror.run();
  assert.equal(again.new + again.updated + again.failed, 0);
  assert.equal(await stopWorker(second), 0, 'SIGTERM: the worker finishes and exits 0');
});
