// Dates of pages that give none: the sitemap's news:publication_date, else its lastmod (feed pubDate: see
// revisit.test.ts), else the time the mirror found the article, which it keeps: a later run lists it where it was
// found, below what was published since, and the feed never makes it the newest entry again.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FixtureServer, startFixtureServer } from '../../harness/fixture-server.ts';
import type { LoadedConfig } from '../../src/config/load.ts';
import type { Store } from '../../src/store/index.ts';
import { type ClockedMirror, openClockedMirror } from '../helpers/clocked-mirror.ts';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Entry {
  id: string;
  news?: string;
  lastmod?: string;
}

describe('dates from sitemaps, and discovery time for undated articles', () => {
  let server: FixtureServer;
  let mirror: ClockedMirror;
  let loaded: LoadedConfig;
  let store: Store;
  const work = mkdtempSync(join(tmpdir(), 'nm-dates-'));
  let entries: Entry[] = [
    { id: 'alpha', news: iso(T0 - 48 * HOUR) },
    { id: 'beta', lastmod: iso(T0 - 24 * HOUR) },
    { id: 'gamma' },
  ];
  const run = (hoursAfter: number) => mirror.run(hoursAfter);
  const mirrorFile = (path: string) => readFileSync(join(loaded.mirrorDir, path), 'utf8');
  /** Article ids in the order a Markdown table lists them. */
  const listed = (markdown: string) => [...markdown.matchAll(/pages\/news\/([a-z]+)\.md/g)].map((m) => m[1]);

  before(async () => {
    server = await startFixtureServer();
    server.route('/sitemap.xml', (_req, res) => {
      const urls = entries.map(
        ({ id, news, lastmod }) =>
          `<url><loc>${server.origin}/story/${id}.html</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}` +
          (news
            ? `<news:news><news:publication_date>${news}</news:publication_date><news:title>${id}</news:title></news:news>`
            : '') +
          '</url>',
      );
      res
        .writeHead(200, { 'Content-Type': 'application/xml' })
        .end(
          `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" ` +
            `xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">${urls.join('')}</urlset>`,
        );
    });
    for (const id of ['alpha', 'beta', 'gamma', 'delta', 'epsilon']) {
      // No date anywhere in the page: no meta, no time element, none in the URL.
      server.route(`/story/${id}.html`, (_req, res) => {
        res
          .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
          .end(
            `<!doctype html><html lang="zh-CN"><head><title>${id}</title></head><body><h1>${id}</h1>` +
              `<article><p>${'正文内容，没有日期。'.repeat(20)}</p></article></body></html>`,
          );
      });
    }
    const config = `
mirror:
  dir: ${join(work, 'mirror')}
  title: 日期
  images: drop
store:
  path: ${join(work, 'store.sqlite')}
fetch:
  allowPrivateAddresses: true
  retries: 0
sites:
  - id: fixture
    name: Fixture
    base: ${server.origin}/
    articleId: "/story/([a-z]+)\\\\.html"
    rules: { title: h1, body: article }
    channels:
      - id: news
        title: 新闻
        sitemap: ${server.origin}/sitemap.xml
`;
    mirror = await openClockedMirror(config, work, T0);
    ({ loaded, store } = mirror);
  });

  after(async () => {
    await mirror?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('a page without a date takes the sitemap publication date, else its lastmod', async () => {
    const summary = await run(0);
    assert.deepEqual(summary.failures, []);
    assert.equal(summary.new, 3);
    assert.equal((await store.articles.get('fixture', 'alpha'))?.published, iso(T0 - 48 * HOUR));
    assert.equal((await store.articles.get('fixture', 'beta'))?.published, iso(T0 - 24 * HOUR));
    const gamma = await store.articles.get('fixture', 'gamma');
    assert.equal(gamma?.published, undefined);
    assert.equal(gamma?.firstSeen, iso(T0));
    // The index shows the date of each, the undated one the day it was found.
    const index = mirrorFile('indexes/news.md');
    assert.deepEqual(listed(index), ['gamma', 'beta', 'alpha']);
    assert.match(index, /\| 2026-03-02 \| \[gamma\]/);
    assert.match(index, /\| 2026-02-28 \| \[alpha\]/);
  });

  test('an undated article stays where it was found: below what was published since, never newest again', async () => {
    // Two days on: a new dated article, a new undated one; beta's lastmod moves on (an edit, not a new date).
    entries = [
      { id: 'delta', news: iso(T0 + 47 * HOUR) },
      { id: 'epsilon' },
      ...entries.map((entry) => (entry.id === 'beta' ? { ...entry, lastmod: iso(T0 + 40 * HOUR) } : entry)),
    ];
    const summary = await run(48);
    assert.equal(summary.new, 2);
    assert.deepEqual(listed(mirrorFile('README.md')), ['epsilon', 'delta', 'gamma', 'beta', 'alpha']);
    assert.equal(
      (await store.articles.get('fixture', 'beta'))?.published,
      iso(T0 - 24 * HOUR),
      'a stored date is kept when the page still gives none',
    );
    const feed = mirrorFile('feed.xml');
    const updatedOf = (id: string) =>
      new RegExp(`<entry>[\\s\\S]*?/${id}\\.md[\\s\\S]*?<updated>([^<]+)</updated>`).exec(feed)?.[1];
    assert.equal(updatedOf('gamma'), iso(T0), 'the undated entry keeps the time it was found');
    assert.equal(updatedOf('epsilon'), iso(T0 + 48 * HOUR));
  });
});
