// Crash safety and one run at a time, with real processes: `newsmirror run` SIGKILLed at random moments over a
// growing copy of the demo site, then a recovering run and the invariants (harness/kill-test.ts); two runs at
// once; and a lock left by a killed run taken over without a human.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type DemoSite, serveDemoSite } from '../../harness/demo-site.ts';
import { type BareRemote, makeBareRemote, readRemoteFile } from '../../harness/git.ts';
import { runKillTest } from '../../harness/kill-test.ts';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient } from '../../src/pipeline/fetch/client.ts';
import { readMirrorLock } from '../../src/pipeline/publish/lock.ts';
import { runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore } from '../../src/store/index.ts';

/** The issue asks for at least 50 kills; NEWSMIRROR_KILLS changes it for a quick local run or a long soak. */
const KILLS = Number(process.env.NEWSMIRROR_KILLS ?? 50);
/** Fixed so a failure replays the same delays and edits (timing still varies with the machine's load). */
const SEED = Number(process.env.NEWSMIRROR_KILL_SEED ?? 20_240_501);

describe('SIGKILL at random moments', () => {
  test(`${KILLS} kills of \`newsmirror run\`, each followed by a run that restores every invariant`, async (t) => {
    t.diagnostic(`kill test seed ${SEED} (replay: NEWSMIRROR_KILL_SEED=${SEED})`);
    const result = await runKillTest({ kills: KILLS, seed: SEED });
    t.diagnostic(
      `survived ${result.kills} kills in ${result.cycles} cycles; ${result.articles} articles; left: ${JSON.stringify(result.phases)}`,
    );
    assert.ok(result.kills >= KILLS, `only ${result.kills} runs were killed before they finished`);
    // The kills landed in more than one phase of the run.
    assert.ok(Object.keys(result.phases).length >= 2, JSON.stringify(result.phases));
  });
});

describe('one run at a time', () => {
  let site: DemoSite;
  let remote: BareRemote;
  let loaded: LoadedConfig;
  let configFile: string;
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-lock-'));
  const listing = '/gb/ncid1078159.htm';
  let releaseListing: () => void = () => {};

  before(async () => {
    site = await serveDemoSite({ copy: true });
    remote = await makeBareRemote();
    configFile = join(work, 'newsmirror.yaml');
    writeFileSync(
      configFile,
      site.configText
        .replace('dir: ./out/mirror', `dir: ${join(work, 'mirror')}`)
        .replace('url: ./out/remote.git', `url: ${remote.url}`)
        .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`)
        .replace('allowPrivateAddresses: true', 'allowPrivateAddresses: true\n  retries: 0'),
    );
    loaded = parseConfigText(readFileSync(configFile, 'utf8'), configFile, work);
    // The listing answers only when the test says so: the first run holds the lock while it waits.
    site.server.route(listing, async (_req, res) => {
      await new Promise<void>((done) => {
        releaseListing = done;
      });
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(readFileSync(join(site.root, listing)));
    });
  });

  after(async () => {
    releaseListing();
    await site?.server.close();
    await remote?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const startRun = () => spawnCli(['run', '-c', configFile, '-q'], { detached: true });

  const waitForLockHolder = async (pid: number) => {
    for (;;) {
      const owner = await readMirrorLock(loaded.mirrorDir).catch(() => null);
      if (owner?.pid === pid && site.server.hits(listing).length > 0) return;
      await new Promise((done) => setTimeout(done, 50));
    }
  };

  test('a second run while one is running exits 1 naming the pid that holds the lock; the first finishes', async () => {
    const first = startRun();
    await waitForLockHolder(first.child.pid!);
    const second = await startRun().done;
    assert.equal(second.code, 1);
    assert.match(
      second.stderr,
      new RegExp(`is locked by another newsmirror run \\(pid ${first.child.pid} on .+ since .+\\)`),
    );
    releaseListing();
    const firstResult = await first.done;
    assert.equal(firstResult.code, 0, firstResult.stderr);
    assert.equal(await readMirrorLock(loaded.mirrorDir), null, 'the lock is released');
    const article = site.manifest.articles[0];
    assert.ok(await readRemoteFile(remote.path, `pages/${article.homeChannel}/${article.id}.md`));
  });

  test('a lock left by a killed run is taken over by the next run, which completes', async () => {
    // New work for the killed run, so it is stopped inside a run that has something to do.
    const killed = startRun();
    await waitForLockHolder(killed.child.pid!);
    process.kill(-killed.child.pid!, 'SIGKILL');
    const result = await killed.done;
    assert.equal(result.signal, 'SIGKILL');
    assert.equal((await readMirrorLock(loaded.mirrorDir))?.pid, killed.child.pid, 'the lock is left behind');

    releaseListing();
    site.server.unroute(listing);
    const store = await openSqliteStore(loaded.storePath);
    const http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 10 });
    const warnings: string[] = [];
    try {
      const originalWrite = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        warnings.push(String(chunk));
        return originalWrite(chunk, ...rest);
      }) as typeof process.stderr.write;
      try {
        const summary = await runMirror({ loaded, store, http, log: silentLogger });
        assert.deepEqual(summary.failures, []);
      } finally {
        process.stderr.write = originalWrite;
      }
    } finally {
      await http.close();
      await store.close();
    }
    assert.match(
      warnings.join(''),
      new RegExp(`took over a stale mirror lock \\(pid ${killed.child.pid} .*no longer running\\)`),
    );
    assert.equal(await readMirrorLock(loaded.mirrorDir), null);
  });
});

function spawnCli(
  args: string[],
  options: { detached?: boolean; env?: NodeJS.ProcessEnv } = {},
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [resolve('bin/newsmirror.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached,
    env: options.env ?? process.env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolveDone) => child.once('close', (code, signal) => resolveDone({ code, signal, stdout, stderr })));
  return { child, done };
}
