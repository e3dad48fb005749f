// Two bugs of the run before it was one flow over a per-article job, each kept as a test that failed on that code:
// articles that overwrote each other when their ids collided with many in flight, and `rebuild` committing the
// private store of a mirror kept at the config's folder (`mirror.dir: .`).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FixtureServer, startFixtureServer } from '../../../harness/fixture-server.ts';
import { type BareRemote, git, makeBareRemote } from '../../../harness/git.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import { silentLogger } from '../../../src/internal/log.ts';
import { createHttpClient } from '../../../src/pipeline/fetch/client.ts';
import { rebuildMirror, runMirror } from '../../../src/pipeline/run.ts';
import { openSqliteStore } from '../../../src/store/index.ts';

/** Months 01..16: as many articles as a run has in flight, every URL ending in `/index.html`. */
const MONTHS = Array.from({ length: 16 }, (_, index) => String(index + 1).padStart(2, '0'));

function articleHtml(month: string): string {
  const paragraphs = Array.from(
    { length: 6 },
    (_, index) =>
      `<p>Report ${month}, paragraph ${index + 1}: the council met again on the budget of month ${month} and ` +
      'heard the residents who had come to speak about the closure of the library and the bus route.</p>',
  ).join('\n');
  return `<!doctype html><html lang="en"><head><title>Report ${month}</title></head><body>
<article><h1>Report ${month}</h1><img src="/img/${month}.png" alt="photo ${month}">${paragraphs}</article></body></html>`;
}

/** An id pattern that tells the months apart (the rebuild test is not about ids). */
const ID_BY_MONTH = '/2024/(\\d+)/';

/** A 1x1 PNG, so each article has an image to download between its fetch and its save. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
  'base64',
);

function configText(
  origin: string,
  mirrorDir: string,
  storeLine: string,
  remote?: string,
  articleId?: string,
): string {
  return `mirror:
  dir: ${JSON.stringify(mirrorDir)}
  title: Reports
  images: mirror
  links: mirror
${remote ? `  remotes:\n    - { name: origin, url: ${JSON.stringify(remote)} }\n` : ''}fetch:
  allowPrivateAddresses: true
  concurrency: 16
${storeLine}sites:
  - id: council
    name: Council
    base: "${origin}/"
${articleId ? `    articleId: '${articleId}'\n` : ''}    channels:
      - { id: reports, title: Reports, listing: { url: "${origin}/reports.html", links: "a.report" } }
`;
}

describe('regressions of the run', () => {
  let server: FixtureServer;
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-regressions-'));

  before(async () => {
    server = await startFixtureServer();
    const links = MONTHS.map(
      (month) => `<a class="report" href="/2024/${month}/index.html">Report ${month}</a>`,
    );
    server.route('/reports.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<html><body>${links.join('\n')}</body></html>`);
    });
    for (const month of MONTHS) {
      server.route(`/2024/${month}/index.html`, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(articleHtml(month));
      });
      // Images answer late, so every article is between its fetch and its save at the same time.
      server.route(`/img/${month}.png`, (_req, res) => {
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'image/png' });
          res.end(PNG);
        }, 150);
      });
    }
  });

  after(async () => {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('URLs ending in the same segment, without an id pattern, are as many articles, none overwritten', async () => {
    const dir = join(work, 'collide');
    const text = configText(
      server.origin,
      join(dir, 'mirror'),
      `store:\n  path: ${JSON.stringify(join(dir, 's.sqlite'))}\n`,
    );
    const loaded = parseConfigText(text, 'newsmirror.yaml', dir);
    const store = await openSqliteStore(loaded.storePath);
    const http = createHttpClient(loaded.config.fetch);
    try {
      const summary = await runMirror({ loaded, store, http, log: silentLogger, push: false });
      assert.deepEqual(summary.failures, []);
      assert.equal(summary.new, MONTHS.length);
      assert.equal(summary.updated, 0);
      assert.equal(await store.articles.count(), MONTHS.length);
      const titles = (await store.articles.list()).map((article) => article.title).sort();
      assert.deepEqual(
        titles,
        MONTHS.map((month) => `Report ${month}`),
      );
      const pages = readdirSync(join(loaded.mirrorDir, 'pages', 'reports')).filter((name) =>
        name.endsWith('.md'),
      );
      assert.equal(pages.length, MONTHS.length);
      // A second run finds every article where the first left it.
      const again = await runMirror({ loaded, store, http, log: silentLogger, push: false });
      assert.equal(again.new + again.updated, 0);
      assert.equal(await store.articles.count(), MONTHS.length);
    } finally {
      await http.close();
      await store.close();
    }
  });

  test('rebuild in a fresh clone of a mirror kept beside its config never commits the private store', async () => {
    let remote: BareRemote | undefined;
    try {
      remote = await makeBareRemote();
      // The CI layout: the config at the root of the mirror's repository, the store in its default place inside.
      const first = join(work, 'first');
      mkdirSync(first, { recursive: true });
      // A repository already, as a checkout is (a config folder newsmirror would `git init` itself is refused).
      await git(first, ['init', '-q', '-b', 'main']);
      writeFileSync(
        join(first, 'newsmirror.yaml'),
        configText(server.origin, '.', '', remote.url, ID_BY_MONTH),
      );
      const loaded = parseConfigText(
        configText(server.origin, '.', '', remote.url, ID_BY_MONTH),
        'newsmirror.yaml',
        first,
      );
      const store = await openSqliteStore(loaded.storePath);
      const http = createHttpClient(loaded.config.fetch);
      try {
        const summary = await runMirror({ loaded, store, http, log: silentLogger });
        assert.equal(summary.new, MONTHS.length);
        assert.ok(summary.pushes.every((push) => push.ok));
        await store.views.add([{ path: 'pages/reports/index.md', day: '2024-05-01', count: 3 }]);
      } finally {
        await http.close();
        await store.close();
      }

      // A fresh clone (no .git/info/exclude of ours) with the store restored from a cache, as CI does.
      const clone = join(work, 'clone');
      await git(work, ['clone', '-q', remote.url, clone]);
      cpSync(join(first, '.newsmirror'), join(clone, '.newsmirror'), { recursive: true });
      const cloned = parseConfigText(
        configText(server.origin, '.', '', remote.url, ID_BY_MONTH),
        'newsmirror.yaml',
        clone,
      );
      assert.ok(existsSync(cloned.storePath));
      const cloneStore = await openSqliteStore(cloned.storePath);
      try {
        await rebuildMirror({ loaded: cloned, store: cloneStore, log: silentLogger });
      } finally {
        await cloneStore.close();
      }
      const tracked = (await git(clone, ['ls-files'])).split('\n');
      assert.ok(tracked.includes('README.md'));
      assert.deepEqual(
        tracked.filter((path) => path.startsWith('.newsmirror')),
        [],
      );
    } finally {
      await remote?.cleanup();
    }
  });
});
