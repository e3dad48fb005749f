// Health, as an operator watches it: each run records how every channel answered; a channel whose article links
// drop far below its usual count is a warning (summary and log); a channel that breaks or recovers, and a run that
// fails, are POSTed to notify.webhook (a loopback server here), which never fails the run, even when it hangs;
// `newsmirror status` (and --json, through the built CLI) tells it all with run's exit codes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type FixtureServer, startFixtureServer } from '../../harness/fixture-server.ts';
import { formatSummary } from '../../src/cli/run.ts';
import { formatStatus, statusExitCode } from '../../src/cli/status.ts';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { createLogger } from '../../src/internal/log.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { runMirror } from '../../src/pipeline/run.ts';
import { linkDrop, median, nextHealth } from '../../src/pipeline/steps/channel-health.ts';
import { eventsOf } from '../../src/pipeline/steps/notify.ts';
import { collectHealth } from '../../src/server/health.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';

const PARAGRAPH =
  'The city council met on Tuesday to discuss the new budget, which has drawn criticism from residents. ' +
  'Officials said the plan would fund schools, roads and clinics over the next three years.';

function articlePage(id: number): string {
  const body = Array.from({ length: 6 }, () => `<p>${PARAGRAPH}</p>`).join('\n');
  return `<!doctype html><html lang="en"><head><title>Story ${id}</title></head><body>
<article><h1>Story ${id}</h1>${body}</article></body></html>`;
}

describe('channel health, link drops, the webhook and status', () => {
  let site: FixtureServer;
  let hook: Server;
  let hookUrl: string;
  const posts: Array<Record<string, unknown>> = [];
  let hookHangs = false;
  let links = 6;
  let listingStatus = 200;
  const work = mkdtempSync(join(tmpdir(), 'nm-health-'));
  let loaded: LoadedConfig;
  let configFile: string;
  let store: Store;
  let http: HttpClient;
  const logLines: string[] = [];
  const log = createLogger({ level: 'info', json: true, write: (line) => logLines.push(line) });

  const run = () => runMirror({ loaded, store, http, log });

  before(async () => {
    site = await startFixtureServer();
    site.route('/list.html', (_req, res) => {
      if (listingStatus !== 200) {
        res.writeHead(listingStatus);
        res.end();
        return;
      }
      const items = Array.from(
        { length: links },
        (_, i) => `<li><a href="/a/${i + 1}.html">Story ${i + 1}</a></li>`,
      );
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><html><body><ul class="list">${items.join('')}</ul></body></html>`);
    });
    for (let i = 1; i <= 6; i++) {
      site.route(`/a/${i}.html`, (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(articlePage(i));
      });
    }
    hook = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        posts.push({ method: req.method, type: req.headers['content-type'], ...JSON.parse(body) });
        if (hookHangs) return; // never answers: the run must give up after notify.timeoutMs
        res.writeHead(204);
        res.end();
      });
    });
    await new Promise<void>((done) => hook.listen(0, '127.0.0.1', done));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const text = `mirror:
  title: Health test
  dir: ${join(work, 'mirror')}
  images: drop
store: { path: ${join(work, 'store.sqlite')} }
fetch: { allowPrivateAddresses: true, retries: 0 }
notify: { webhook: ${hookUrl}, timeoutMs: 500 }
sites:
  - id: town
    name: Town news
    base: ${site.origin}/
    lang: en
    channels:
      - { id: local, title: Local, listing: { url: ${site.origin}/list.html, links: ".list a" } }
`;
    configFile = join(work, 'newsmirror.yaml');
    writeFileSync(configFile, text);
    loaded = parseConfigText(text, configFile, work);
    store = await openSqliteStore(loaded.storePath);
    http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 1 });
  });
  after(async () => {
    await http?.close();
    await store?.close();
    await site?.close();
    hook?.closeAllConnections();
    await new Promise((done) => hook?.close(done));
    rmSync(work, { recursive: true, force: true });
  });

  test('the usual count is the median of recent full answers; a third of it is a drop', () => {
    assert.equal(median([3, 40, 41]), 40);
    assert.equal(median([10, 20]), 15);
    assert.equal(linkDrop([40, 41], 1), undefined, 'two runs are not yet a usual count');
    assert.equal(linkDrop([40, 41, 39], 14), undefined);
    assert.equal(linkDrop([40, 41, 39], 13), 40);
    const ids = { siteId: 's', channelId: 'c' };
    const failed = nextHealth(undefined, ids, { ok: false, message: 'answered 503' }, 't1');
    assert.deepEqual(failed, {
      ...ids,
      lastFailureAt: 't1',
      lastError: 'answered 503',
      consecutiveFailures: 1,
      recentLinks: [],
    });
    const notModified = nextHealth(failed, ids, { ok: true }, 't2');
    assert.deepEqual(notModified.recentLinks, [], 'a 304 adds no count');
    assert.equal(notModified.consecutiveFailures, 0);
    let long = notModified;
    for (let i = 0; i < 12; i++) long = nextHealth(long, ids, { ok: true, links: i }, `t${i}`);
    assert.deepEqual(long.recentLinks, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 'the last ten are kept');
  });

  test('runs record health; a sharp drop warns; a break and a recovery reach the webhook; status tells', async () => {
    for (let i = 0; i < 3; i++) {
      const summary = await run();
      assert.deepEqual(summary.channelWarnings, []);
      assert.deepEqual(summary.channelFailures, []);
    }
    assert.equal(posts.length, 0, 'nothing to tell while all is well');
    let report = await collectHealth(store, loaded.config);
    assert.equal(report.channels[0].consecutiveFailures, 0);
    assert.equal(report.channels[0].usualLinks, 6);
    assert.equal(report.channels[0].articles, 6);
    assert.equal(report.lastRun?.outcome, 'ok');
    assert.equal(statusExitCode(report), 0);

    // A redesign leaves one link: not a failure (the channel answered), but a warning in summary and log.
    links = 1;
    const dropped = await run();
    assert.deepEqual(dropped.channelFailures, []);
    assert.equal(dropped.channelWarnings.length, 1);
    assert.match(
      dropped.channelWarnings[0].message,
      /^1 article link\(s\), against 6 usually \(median of the last 3 runs\): check the selector "\.list a" of \S+list\.html/,
    );
    assert.match(
      formatSummary(dropped, loaded.mirrorDir),
      /channels failed 0 \(1 with far fewer links than usual\)/,
    );
    assert.ok(
      logLines.some(
        (line) => /"level":"warn"/.test(line) && /channel town\/local: 1 article link/.test(line),
      ),
      'logged as a warning',
    );

    // The listing breaks: the webhook hears it once, with a one-line text.
    listingStatus = 503;
    const broken = await run();
    assert.equal(broken.channelFailures.length, 1);
    assert.equal(posts.length, 1);
    const post = posts[0];
    assert.equal(post.method, 'POST');
    assert.match(String(post.type), /^application\/json/);
    assert.equal(post.source, 'newsmirror');
    assert.equal(post.mirror, 'Health test');
    assert.deepEqual(
      (post.events as Array<Record<string, unknown>>).map((event) => [event.type, event.site, event.channel]),
      [['channel_broke', 'town', 'local']],
    );
    assert.match(String(post.text), /^newsmirror Health test: channel town\/local broke: .*503/);
    report = await collectHealth(store, loaded.config);
    assert.equal(report.channels[0].consecutiveFailures, 1);
    assert.match(report.channels[0].lastError ?? '', /503/);
    assert.equal(report.lastRun?.outcome, 'channels failed');
    assert.equal(statusExitCode(report), 3);
    assert.match(formatStatus(report), /town\/local: FAILING 1 run\(s\) in a row, last \d+ s ago: .*503/);

    // Still broken: no second message (it did not change).
    await run();
    assert.equal(posts.length, 1);

    // Back: one "recovered".
    listingStatus = 200;
    links = 6;
    await run();
    assert.equal(posts.length, 2);
    assert.deepEqual(
      (posts[1].events as Array<Record<string, unknown>>).map((event) => event.type),
      ['channel_recovered'],
    );
    report = await collectHealth(store, loaded.config);
    assert.equal(report.channels[0].consecutiveFailures, 0);
    assert.equal(report.lastRun?.outcome, 'ok');
    assert.ok(report.newest && report.newest.ageSeconds >= 0);
    assert.equal(statusExitCode(report), 0);
  });

  test('a webhook that never answers is given up after notify.timeoutMs and does not fail the run', async () => {
    hookHangs = true;
    listingStatus = 500;
    const before = posts.length;
    const summary = await run();
    assert.equal(summary.channelFailures.length, 1, 'the run itself finished and reported');
    assert.equal(posts.length, before + 1, 'the webhook was called');
    assert.ok(
      logLines.some((line) =>
        /notify: webhook http:\/\/127\.0\.0\.1:\d+ did not answer within 500 ms/.test(line),
      ),
      logLines.slice(-5).join('\n'),
    );
    assert.ok(
      !logLines.some((line) => line.includes('/hook')),
      'the hook URL path (often a secret) is not logged',
    );
  });

  test('a run that fails is told to the webhook, and still fails as before', async () => {
    hookHangs = false;
    const before = posts.length;
    // The store answers everything but the channel health, which fails as a disk would.
    const failing = new Proxy(store, {
      get(target, property) {
        if (property === 'channelHealth') {
          return { ...target.channelHealth, all: () => Promise.reject(new Error('disk I/O error')) };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await assert.rejects(runMirror({ loaded, store: failing, http, log }), /disk I\/O error/);
    assert.equal(posts.length, before + 1);
    assert.deepEqual(posts.at(-1)?.events, [{ type: 'run_failed', message: 'disk I/O error' }]);
    assert.equal(posts.at(-1)?.run, undefined);
    // A failed push is an event too (eventsOf is what a finished run tells).
    const summary = await run();
    assert.deepEqual(
      eventsOf({
        ...summary,
        channelChanges: [],
        pushes: [{ remote: 'origin', ok: false, error: 'denied', retryable: true }],
      }),
      [{ type: 'push_failed', remote: 'origin', message: 'denied' }],
    );
  });

  test('newsmirror status --json through the built CLI: the same report, exit 3 while a channel fails', async () => {
    const result = await promisify(execFile)(
      process.execPath,
      [join(process.cwd(), 'bin', 'newsmirror.js'), 'status', '-c', configFile, '--json'],
      { encoding: 'utf8' },
    ).then(
      (ok) => ({ code: 0, stdout: ok.stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    assert.equal(result.code, 3);
    const report = JSON.parse(result.stdout);
    assert.equal(report.channels[0].channelId, 'local');
    assert.equal(report.channels[0].consecutiveFailures, 2, 'the listing failed twice since it recovered');
    assert.equal(report.articles, 6);
    assert.equal(report.lastRun.outcome, 'channels failed');
    assert.equal(typeof report.newest.ageSeconds, 'number');
    assert.equal(report.failures.retrying, 0);
  });
});
