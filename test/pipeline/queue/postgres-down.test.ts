// PostgreSQL away when the writer starts, with a real server stopped and started again (harness/postgres-server.ts):
// `newsmirror run` says the store is unreachable and fails (exit 3), having fetched nothing and added no job; once the server is back the next
// run mirrors every article. Needs `npm run build`: the worker and the run are the built CLI.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { queueTestBed, startWorker, stopWorker, type WorkerProcess } from './helpers.ts';

const CLI = new URL('../../../bin/newsmirror.js', import.meta.url).pathname;

const bed = queueTestBed('pg', { postgres: true });
let worker: WorkerProcess | undefined;

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

test('PostgreSQL unreachable: `run` says so, fails and adds no job; the next run mirrors everything', async () => {
  const { postgres, site } = bed;
  const mirror = await bed.postgresMirror('pgdown');
  worker = await startWorker(mirror.loaded.file);
  bed.workers.push(worker);
  await postgres.pause();
  const down = await cli(['run', '-c', mirror.loaded.file, '--no-push', '-q']);
  await postgres.resume();
  // A run that cannot open its store failed as a whole (3); 1 would be some articles failed. Either is not done.
  assert.ok(down.code === 3 || down.code === 1, `exit ${down.code}: ${down.stderr}`);
  assert.match(down.stderr, /^newsmirror: .*(store|postgres|PostgreSQL).*127\.0\.0\.1/im);
  assert.equal(site.server.requests.length, 0, 'nothing was fetched for a run that could not store it');
  const summary = await mirror.run();
  assert.deepEqual(summary.failures, []);
  assert.equal(summary.new, site.manifest.articles.length);
  await mirror.assertMirroredOnce();
  assert.equal(await stopWorker(worker), 0);
  worker = undefined;
});
