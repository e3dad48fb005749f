import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PublishError } from '../../../src/internal/errors.ts';
import { acquireMirrorLock, readMirrorLock } from '../../../src/pipeline/publish/lock.ts';

const LOCK_MODULE = fileURLToPath(new URL('../../../src/pipeline/publish/lock.ts', import.meta.url));

let base: string;
let counter = 0;
before(async () => {
  base = await mkdtemp(join(tmpdir(), 'newsmirror-lock-'));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});
const freshDir = () => join(base, `mirror${counter++}`);

function quietLog() {
  const messages: string[] = [];
  return { messages, warn: (message: string) => void messages.push(message) };
}

/** Another process that takes the lock and holds it until killed; resolves once it holds it. */
async function holdLockInChild(dir: string): Promise<ChildProcess> {
  const script = `import { acquireMirrorLock } from ${JSON.stringify(LOCK_MODULE)};
await acquireMirrorLock(${JSON.stringify(dir)});
process.stdout.write('held\\n');
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('held')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
  return child;
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

test('a second acquire in the same process is refused while the first holds the lock', async () => {
  const dir = freshDir();
  const release = await acquireMirrorLock(dir);
  const owner = await readMirrorLock(dir);
  assert.equal(owner?.pid, process.pid);
  assert.equal(owner?.hostname, hostname());
  await assert.rejects(acquireMirrorLock(dir), { code: 'locked' });
  await release();
  assert.equal(await readMirrorLock(dir), null);
  const again = await acquireMirrorLock(dir);
  await again();
});

test('a lock held by another live process blocks with a message naming it, or is waited for', async () => {
  const dir = freshDir();
  const holder = await holdLockInChild(dir);
  try {
    await assert.rejects(acquireMirrorLock(dir), (error: unknown) => {
      assert.ok(error instanceof PublishError);
      assert.equal(error.code, 'locked');
      assert.equal(error.retryable, true);
      assert.match(
        error.message,
        new RegExp(`pid ${holder.pid} on ${hostname()} since \\d{4}-\\d\\d-\\d\\dT`),
      );
      assert.match(error.message, /locked by another newsmirror run/);
      return true;
    });
    await assert.rejects(acquireMirrorLock(dir, { wait: true, timeoutMs: 300 }), { code: 'locked' });

    // A waiting run gets the lock once the holder is gone (killed: its lock is then stale and taken over).
    const log = quietLog();
    const waiting = acquireMirrorLock(dir, { wait: true, timeoutMs: 30_000, log });
    holder.kill('SIGKILL');
    const release = await waiting;
    assert.equal((await readMirrorLock(dir))?.pid, process.pid);
    await release();
  } finally {
    holder.kill('SIGKILL');
  }
});

test('a lock left by a dead pid on this host is taken over and logged', async () => {
  const dir = freshDir();
  const release = await acquireMirrorLock(dir);
  const lockPath = join(dir, '.git', 'newsmirror.lock');
  await release();
  const pid = await deadPid();
  const stale = { pid, hostname: hostname(), startedAt: '2020-01-01T00:00:00.000Z', token: 'deadbeef' };
  await writeFile(lockPath, JSON.stringify(stale));

  const log = quietLog();
  const releaseNew = await acquireMirrorLock(dir, { log });
  assert.equal(log.messages.length, 1);
  assert.match(
    log.messages[0],
    new RegExp(`took over a stale mirror lock \\(pid ${pid} .*no longer running\\)`),
  );
  const owner = JSON.parse(await readFile(lockPath, 'utf8'));
  assert.equal(owner.pid, process.pid);
  await releaseNew();
});

test('a lock from another host is never taken over automatically', async () => {
  const dir = freshDir();
  (await acquireMirrorLock(dir))();
  const lockPath = join(dir, '.git', 'newsmirror.lock');
  const foreign = {
    pid: await deadPid(),
    hostname: `not-${hostname()}`,
    startedAt: new Date().toISOString(),
    token: 'x1',
  };
  await writeFile(lockPath, JSON.stringify(foreign));
  await assert.rejects(acquireMirrorLock(dir), new RegExp(`on not-${hostname()}`));
});

test('an empty lock file (killed right after creating it) is taken over once it is old', async () => {
  const dir = freshDir();
  (await acquireMirrorLock(dir))();
  const lockPath = join(dir, '.git', 'newsmirror.lock');
  await writeFile(lockPath, '');
  // Fresh: its creator may be about to write it.
  await assert.rejects(acquireMirrorLock(dir), { code: 'locked' });
  const past = new Date(Date.now() - 60_000);
  await utimes(lockPath, past, past);
  const release = await acquireMirrorLock(dir, { log: quietLog() });
  await release();
});

test('release leaves a lock that someone else holds now', async () => {
  const dir = freshDir();
  const release = await acquireMirrorLock(dir);
  const lockPath = join(dir, '.git', 'newsmirror.lock');
  const other = {
    pid: 1,
    hostname: `elsewhere-${hostname()}`,
    startedAt: new Date().toISOString(),
    token: 'other',
  };
  await writeFile(lockPath, JSON.stringify(other));
  await release();
  assert.ok(await stat(lockPath));
});
