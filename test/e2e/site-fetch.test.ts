// `sites[].fetch` overrides the global `fetch` for the site's own hosts: a slow publisher with a larger timeout of
// its own mirrors where the global timeout fails it, and its retries are its own, while another site (another host)
// keeps the global settings. Outcomes only: what failed, what was mirrored, how many requests were made.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FixtureServer, startFixtureServer } from '../../harness/fixture-server.ts';
import { parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient } from '../../src/pipeline/fetch/client.ts';
import { type RunSummary, runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore } from '../../src/store/index.ts';

/** Headers come this late from the slow site: well past the global timeout, well within its own. */
const SLOW_MS = 1200;

const article = (title: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><h1>${title}</h1>` +
  `<article><p>${'A sentence of the story. '.repeat(20)}</p></article></body></html>`;

function serveSite(server: FixtureServer, ids: string[], delayMs: number): void {
  server.route('/feed.xml', (_req, res) => {
    const items = ids
      .map((id) => `<item><title>${id}</title><link>${server.origin}/story/${id}.html</link></item>`)
      .join('');
    res
      .writeHead(200, { 'Content-Type': 'application/rss+xml' })
      .end(`<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>${items}</channel></rss>`);
  });
  for (const id of ids) {
    server.route(`/story/${id}.html`, (_req, res) => {
      if (id.startsWith('down')) return void res.writeHead(503).end('busy');
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'text/html' }).end(article(id)), delayMs);
    });
  }
}

describe('per-site fetch settings (two fixture hosts)', () => {
  let slow: FixtureServer;
  let fast: FixtureServer;
  const work = mkdtempSync(join(tmpdir(), 'nm-site-fetch-'));

  before(async () => {
    slow = await startFixtureServer();
    fast = await startFixtureServer();
    serveSite(slow, ['slowone', 'downslow'], SLOW_MS);
    serveSite(fast, ['fastone', 'downfast'], 0);
  });
  after(async () => {
    await slow?.close();
    await fast?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function mirrorWith(name: string, slowSiteFetch: string): Promise<RunSummary> {
    const dir = join(work, name);
    const site = (id: string, server: FixtureServer, extra: string) => `
  - id: ${id}
    name: ${id}
    base: ${server.origin}/
    articleId: "/story/([a-z]+)\\\\.html"
    rules: { title: h1, body: article }${extra}
    channels:
      - id: ${id}-news
        title: News
        feed: ${server.origin}/feed.xml`;
    const loaded = parseConfigText(
      `
mirror:
  dir: ${join(dir, 'mirror')}
  title: Site fetch
  images: drop
store:
  path: ${join(dir, 'store.sqlite')}
fetch:
  allowPrivateAddresses: true
  headersTimeoutMs: 300
  retries: 2
sites:${site('slow', slow, slowSiteFetch)}${site('fast', fast, '')}
`,
      'newsmirror.yaml',
      dir,
    );
    const store = await openSqliteStore(loaded.storePath);
    // As the CLI makes it: the sites' settings go with the client.
    const http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 1, sites: loaded.config.sites });
    try {
      return await runMirror({ loaded, store, http, log: silentLogger, push: false });
    } finally {
      await http.close();
      await store.close();
    }
  }

  const failedCodes = (summary: RunSummary) =>
    Object.fromEntries(
      summary.failures.map((failure) => [failure.url.replace(/^.*\/story\//, ''), failure.code]),
    );

  test('with the global settings only, the slow site times out', async () => {
    const summary = await mirrorWith('global', '');
    assert.equal(failedCodes(summary)['slowone.html'], 'timeout');
    assert.equal(summary.new, 1, 'only the fast site mirrored');
  });

  test('with its own timeout and retries, the slow site mirrors; the other site keeps the global retries', async () => {
    const before = {
      slow: slow.hits('/story/downslow.html').length,
      fast: fast.hits('/story/downfast.html').length,
    };
    const summary = await mirrorWith('per-site', '\n    fetch: { headersTimeoutMs: 10000, retries: 0 }');
    assert.equal(summary.new, 2, JSON.stringify(summary.failures));
    assert.equal(failedCodes(summary)['slowone.html'], undefined);
    assert.equal(failedCodes(summary)['downslow.html'], 'http_503');
    assert.equal(slow.hits('/story/downslow.html').length - before.slow, 1, 'its own retries: 0');
    assert.equal(fast.hits('/story/downfast.html').length - before.fast, 3, 'the global retries: 2');
  });

  test('a site fetch key that does not exist is a config error', () => {
    assert.throws(
      () =>
        parseConfigText(
          `mirror: { title: M }\nsites:\n  - id: s\n    name: S\n    base: https://s.example/\n    fetch: { timeout: 5 }\n    channels: [{ id: c, title: C, feed: https://s.example/f }]\n`,
          'newsmirror.yaml',
          work,
        ),
      /timeout/,
    );
  });
});
