// `newsmirror watch`: the schedule loop driven by an injected clock (months in milliseconds), per-site backoff,
// the client wrapper that notices a site whose channels all fail, and one real SIGTERM on a watching process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import type { DemoSite } from '../../harness/demo-site.ts';
import { serveDemoSite } from '../../harness/demo-site.ts';
import { startFixtureServer } from '../../harness/fixture-server.ts';
import { gitLog, makeBareRemote, readRemoteFile } from '../../harness/git.ts';
import { parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient } from '../../src/pipeline/fetch/client.ts';
import { runMirror } from '../../src/pipeline/run.ts';
import {
  createSiteBackoff,
  nextRunDelay,
  observeSites,
  parseDuration,
  type WatchClock,
  watchLoop,
} from '../../src/pipeline/watch.ts';
import { openSqliteStore } from '../../src/store/index.ts';

const HOUR = 3_600_000;

/** A clock whose sleeps pass at once and move time forward; runs advance it by what they "take". */
function fakeClock(random = 0.5): WatchClock & { time: number; sleeps: number[] } {
  const clock = {
    time: 0,
    sleeps: [] as number[],
    now: () => clock.time,
    random: () => random,
    sleep: async (ms: number, signal: AbortSignal) => {
      clock.sleeps.push(ms);
      if (!signal.aborted) clock.time += ms;
    },
  };
  return clock;
}

describe('durations', () => {
  test('parses the forms the command line accepts and refuses the rest', () => {
    assert.equal(parseDuration('1h'), HOUR);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('120'), 120_000);
    for (const bad of ['', 'h', '1x', '1h junk', '-5m', 'soon']) assert.equal(parseDuration(bad), null, bad);
  });

  test('the next run is one interval plus jitter after the last start, at once when that has passed', () => {
    const base = { everyMs: HOUR, jitterMs: 300_000 };
    assert.equal(
      nextRunDelay({ ...base, lastStart: 0, now: 600_000, random: 0.5 }),
      HOUR + 150_000 - 600_000,
    );
    assert.equal(nextRunDelay({ ...base, lastStart: 0, now: 0, random: 0 }), HOUR);
    assert.equal(nextRunDelay({ ...base, lastStart: 0, now: 2 * HOUR, random: 0.9 }), 0);
  });
});

describe('the watch loop', () => {
  test('runs start one interval (plus jitter) apart whatever each run takes', async () => {
    const clock = fakeClock(0.5);
    const starts: number[] = [];
    const result = await watchLoop({
      everyMs: HOUR,
      jitterMs: 600_000,
      sites: ['a'],
      clock,
      maxRuns: 4,
      signal: new AbortController().signal,
      async runOnce() {
        starts.push(clock.time);
        clock.time += 20 * 60_000; // a 20-minute run
        return { failedSites: new Set() };
      },
    });
    assert.equal(result.runs, 4);
    const gaps = starts.slice(1).map((start, index) => start - starts[index]);
    assert.deepEqual(gaps, [HOUR + 300_000, HOUR + 300_000, HOUR + 300_000]);
  });

  test('a site whose channels all fail is skipped for 1, 2, 4 runs after 3 failures, and reset when it answers', async () => {
    const clock = fakeClock();
    const triedA: number[] = [];
    let run = 0;
    await watchLoop({
      everyMs: HOUR,
      sites: ['a', 'b'],
      clock,
      maxRuns: 20,
      signal: new AbortController().signal,
      async runOnce(skip) {
        run++;
        assert.ok(!skip.has('b'), 'a healthy site is never skipped');
        if (!skip.has('a')) triedA.push(run);
        // Site a is down until run 14.
        return { failedSites: new Set(run < 14 ? ['a'] : []) };
      },
    });
    // Failures at runs 1, 2, 3 (then skip 1 run), 5 (skip 2), 8 (skip 4), 13 (skip 8): runs 14-21 are skipped
    // even though the site is back, and the first try after that resets it.
    assert.deepEqual(triedA, [1, 2, 3, 5, 8, 13]);
  });

  test('backoff state: doubling, capped, reset by one good run', () => {
    const backoff = createSiteBackoff({ failuresBeforeBackoff: 2, maxSkipRuns: 3 });
    const fail = new Set(['x']);
    backoff.record(['x'], fail);
    assert.equal(backoff.beginRun().size, 0);
    backoff.record(['x'], fail); // 2nd failure: skip 1
    assert.deepEqual([...backoff.beginRun()], ['x']);
    assert.equal(backoff.beginRun().size, 0);
    backoff.record(['x'], fail); // skip 2
    backoff.record(['x'], fail); // skip 4, capped at 3
    assert.equal(backoff.health('x').skipRuns, 3);
    backoff.record(['x'], new Set());
    assert.deepEqual(backoff.health('x'), { consecutiveFailures: 0, skipRuns: 0 });
  });

  test('a run that throws is logged and the loop goes on', async () => {
    const clock = fakeClock();
    const errors: string[] = [];
    let calls = 0;
    const result = await watchLoop({
      everyMs: HOUR,
      sites: [],
      clock,
      maxRuns: 3,
      signal: new AbortController().signal,
      log: { ...silentLogger, error: (message) => errors.push(message) },
      async runOnce() {
        calls++;
        if (calls === 2) throw new Error('mirror is locked by another newsmirror run');
        return { failedSites: new Set() };
      },
    });
    assert.deepEqual(result, { runs: 3, failedRuns: 1 });
    assert.match(errors[0], /run failed, next one in 3600 s: mirror is locked/);
  });

  test('a stop during a run lets that run finish and starts no other; a stop while waiting ends the wait', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    let sawAbortInRun = false;
    const result = await watchLoop({
      everyMs: HOUR,
      sites: [],
      clock,
      signal: controller.signal,
      async runOnce(_skip, signal) {
        controller.abort(); // SIGTERM arrives mid-run
        sawAbortInRun = signal.aborted;
        return { failedSites: new Set() };
      },
    });
    assert.equal(result.runs, 1);
    assert.ok(sawAbortInRun, 'the run is told to stop taking new articles');
    assert.deepEqual(clock.sleeps, [], 'no wait after a stop');

    // Stop while sleeping, with the real clock: the wait ends at once.
    const waiting = new AbortController();
    let runs = 0;
    const loop = watchLoop({
      everyMs: HOUR,
      sites: [],
      signal: waiting.signal,
      async runOnce() {
        runs++;
        setImmediate(() => waiting.abort());
        return { failedSites: new Set() };
      },
    });
    assert.deepEqual(await loop, { runs: 1, failedRuns: 0 });
    assert.equal(runs, 1);
  });
});

describe('observing sites through the HTTP client', () => {
  test('a site is failed when all its channel sources fail; a skipped site is not requested at all', async () => {
    const server = await startFixtureServer();
    server.route('/down/feed.xml', (_req, res) => {
      res.writeHead(503);
      res.end();
    });
    server.route('/down/list.html', (_req, res) => {
      res.writeHead(500);
      res.end();
    });
    server.route('/up/feed.xml', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      res.end('<rss version="2.0"><channel><title>t</title></channel></rss>');
    });
    server.route('/up/list.html', (_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const origin = server.origin;
    const loaded = parseConfigText(
      `mirror: { title: t }
fetch: { allowPrivateAddresses: true, retries: 0 }
sites:
  - id: down
    name: Down
    base: ${origin}/down/
    channels:
      - { id: d1, title: D1, feed: ${origin}/down/feed.xml }
      - { id: d2, title: D2, listing: { url: ${origin}/down/list.html, links: a } }
  - id: up
    name: Up
    base: ${origin}/up/
    channels:
      - { id: u1, title: U1, feed: ${origin}/up/feed.xml }
      - { id: u2, title: U2, listing: { url: ${origin}/up/list.html, links: a } }
`,
      'newsmirror.yaml',
      tmpdir(),
    );
    const http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 1 });
    try {
      const observed = observeSites(http, loaded.config, new Set());
      for (const url of ['/down/feed.xml', '/down/list.html', '/up/feed.xml', '/up/list.html']) {
        await observed.fetch(origin + url).catch(() => undefined);
      }
      assert.deepEqual([...observed.failedSites()], ['down'], 'one channel answering keeps a site healthy');

      const skipping = observeSites(http, loaded.config, new Set(['down']));
      const before = server.requests.length;
      await assert.rejects(skipping.fetch(`${origin}/down/feed.xml`), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'backoff');
        assert.match(error.message, /site down is backed off/);
        return true;
      });
      await assert.rejects(skipping.fetch(`${origin}/down/a/1.html`), /backed off/);
      assert.equal(server.requests.length, before, 'nothing was requested from the skipped site');
      assert.deepEqual([...skipping.failedSites()], [], 'a skipped site is not counted as failing again');
    } finally {
      await http.close();
      await server.close();
    }
  });
});

describe('newsmirror watch, a real process', () => {
  test('SIGTERM mid-run: the articles in flight finish, are committed and pushed, the rest wait; exit 0', async () => {
    const site = await serveDemoSite({ copy: true });
    const remote = await makeBareRemote();
    const work = mkdtempSync(join(tmpdir(), 'newsmirror-watch-'));
    let openGate: () => void = () => {};
    const gate = new Promise<void>((done) => {
      openGate = done;
    });
    try {
      // Every article waits at the gate, so the stop arrives while articles are in flight.
      for (const article of site.manifest.articles) {
        site.server.route(article.path, async (_req, res) => {
          await gate;
          res.writeHead(200, { 'Content-Type': 'text/html' });
          res.end(readFileSync(join(site.root, article.path)));
        });
      }
      // Four articles at a time: the stop leaves most of the 19 for the next run.
      const { configFile, configText } = writeWatchConfig(site, work, remote.url);
      const watch = spawnWatch(configFile);
      const articlePaths = new Set(site.manifest.articles.map((article) => article.path));
      await watch.until(
        () => site.server.requests.some((request) => articlePaths.has(request.path)),
        'fetching',
      );
      watch.child.kill('SIGTERM');
      await watch.until(() => /finishing the run in flight/.test(watch.stderr()), 'acknowledging SIGTERM');
      openGate();
      assert.equal(await watch.exited, 0, watch.stderr());
      const stdout = watch.stdout();
      const stderr = watch.stderr();

      const summary = /new (\d+), updated \d+, failed (\d+)/.exec(stdout);
      assert.ok(summary, `one summary line: ${stdout}`);
      const mirrored = Number(summary[1]);
      assert.ok(
        mirrored > 0 && mirrored < site.manifest.articles.length,
        `${mirrored} articles in the stopped run`,
      );
      assert.equal(Number(summary[2]), 0);
      assert.match(stderr, /watch: stopped/);
      assert.equal((await gitLog(remote.path, 'main')).length, 1, 'the stopped run committed and pushed');

      // The next run mirrors the articles the stop left.
      const loaded = parseConfigText(configText, configFile, work);
      const store = await openSqliteStore(loaded.storePath);
      const http = createHttpClient(loaded.config.fetch);
      try {
        const next = await runMirror({ loaded, store, http, log: silentLogger });
        assert.equal(next.new, site.manifest.articles.length - mirrored);
      } finally {
        await http.close();
        await store.close();
      }
      for (const article of site.manifest.articles) {
        assert.ok(
          await readRemoteFile(remote.path, `pages/${article.homeChannel}/${article.id}.md`),
          article.id,
        );
      }
    } finally {
      openGate();
      await site.server.close();
      await remote.cleanup();
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('SIGTERM while a slow site never answers: in-flight articles are abandoned, the stop commits, the next run completes', async () => {
    const site = await serveDemoSite({ copy: true });
    const remote = await makeBareRemote();
    const work = mkdtempSync(join(tmpdir(), 'newsmirror-watch-slow-'));
    // Every other article hangs (no answer at all) until the test lets it through, so the run's slots fill up
    // with requests that would outlast any stop timeout.
    const slow = new Set(site.manifest.articles.filter((_, index) => index % 2 === 1).map((a) => a.path));
    let hang = true;
    try {
      for (const article of site.manifest.articles) {
        site.server.route(article.path, async (_req, res) => {
          if (hang && slow.has(article.path)) await new Promise(() => {});
          res.writeHead(200, { 'Content-Type': 'text/html' });
          res.end(readFileSync(join(site.root, article.path)));
        });
      }
      const { configFile, configText } = writeWatchConfig(site, work, remote.url);
      const watch = spawnWatch(configFile);
      await watch.until(
        () => site.server.requests.filter((request) => slow.has(request.path)).length >= 4,
        'four slow articles in flight',
      );
      const signalledAt = Date.now();
      watch.child.kill('SIGTERM');
      assert.equal(await watch.exited, 0, watch.stderr());
      const seconds = (Date.now() - signalledAt) / 1000;
      process.stdout.write(`# watch stopped ${seconds.toFixed(1)} s after SIGTERM\n`);
      assert.match(watch.stderr(), /abandoning the articles still in flight/);
      const summary = /new (\d+), updated \d+, failed (\d+)/.exec(watch.stdout());
      assert.ok(summary, `one summary line: ${watch.stdout()}`);
      const mirrored = Number(summary[1]);
      assert.equal(Number(summary[2]), 0, 'an abandoned article is not a failure');
      assert.equal((await gitLog(remote.path, 'main')).length, 1, 'the stopped run committed and pushed');

      // Nothing of the abandoned articles was recorded: the next run (the site answering again) does them all.
      hang = false;
      const loaded = parseConfigText(configText, configFile, work);
      const store = await openSqliteStore(loaded.storePath);
      const http = createHttpClient(loaded.config.fetch);
      try {
        assert.deepEqual(await store.failures.list(), [], 'no failure recorded for the abandoned articles');
        const next = await runMirror({ loaded, store, http, log: silentLogger });
        assert.equal(next.new, site.manifest.articles.length - mirrored);
        assert.equal(next.failed, 0);
      } finally {
        await http.close();
        await store.close();
      }
      for (const article of site.manifest.articles) {
        assert.ok(
          await readRemoteFile(remote.path, `pages/${article.homeChannel}/${article.id}.md`),
          article.id,
        );
      }
    } finally {
      hang = false;
      await site.server.close();
      await remote.cleanup();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

/** The demo config with the mirror, store and remote in `work`; four articles at a time, no retries. */
function writeWatchConfig(site: DemoSite, work: string, remoteUrl: string) {
  const configFile = join(work, 'newsmirror.yaml');
  const configText = site.configText
    .replace('dir: ./out/mirror', `dir: ${join(work, 'mirror')}`)
    .replace('url: ./out/remote.git', `url: ${remoteUrl}`)
    .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`)
    .replace('allowPrivateAddresses: true', 'allowPrivateAddresses: true\n  retries: 0\n  concurrency: 4');
  writeFileSync(configFile, configText);
  return { configFile, configText };
}

/** `newsmirror watch --every 1h` on `configFile` in a child process, its output collected. */
function spawnWatch(configFile: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { watchCommand } from ${JSON.stringify(resolve('src/cli/watch.ts'))};
       process.exitCode = await watchCommand({ config: ${JSON.stringify(configFile)}, every: '1h' });`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    async until(condition: () => boolean, what: string) {
      while (!condition()) {
        if (child.exitCode !== null) assert.fail(`watch exited before ${what}: ${stderr}`);
        await new Promise((done) => setTimeout(done, 50));
      }
    },
  };
}
