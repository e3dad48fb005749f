// The revisit window, run by run on an injected clock against a fixture server that logs every request: an edit
// no listing shows reaches the mirror after `revisit.every` (not before), through a conditional GET; a 304 rewrites
// nothing; a 410 marks the page as retracted with its text kept; a 503 is no retraction; an article older than
// `revisit.days` is never fetched again.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FixtureServer, startFixtureServer } from '../../harness/fixture-server.ts';
import type { LoadedConfig } from '../../src/config/load.ts';
import type { RunSummary } from '../../src/pipeline/run.ts';
import type { Store } from '../../src/store/index.ts';
import { type ClockedMirror, openClockedMirror } from '../helpers/clocked-mirror.ts';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const HOUR = 3_600_000;

interface Source {
  lang: string;
  title: string;
  body: string;
  /** Answered instead of the page, when set. */
  status?: number;
}

function page(source: Source): string {
  return `<!doctype html><html lang="${source.lang}"><head><title>${source.title}</title></head><body>
<h1>${source.title}</h1><article><p>${source.body}</p><p>${'More of the story. '.repeat(20)}</p></article>
</body></html>`;
}

describe('revisit window (fixture server, injected clock)', () => {
  let server: FixtureServer;
  let mirror: ClockedMirror;
  let loaded: LoadedConfig;
  let store: Store;
  const work = mkdtempSync(join(tmpdir(), 'nm-revisit-'));
  const sources: Record<string, Source> = {
    young: { lang: 'en', title: 'Young story', body: 'The first version of the young story.' },
    flaky: { lang: 'en', title: 'Flaky story', body: 'The flaky host keeps this text.' },
    old: { lang: 'en', title: 'Old story', body: 'An old story nobody edits.' },
  };
  const published: Record<string, string> = {
    young: new Date(T0 - 24 * HOUR).toUTCString(),
    flaky: new Date(T0 - 12 * HOUR).toUTCString(),
    old: new Date(T0 - 10 * 24 * HOUR).toUTCString(),
  };
  const run = (hoursAfter: number): Promise<RunSummary> => mirror.run(hoursAfter);
  const pageText = (id: string) => readFileSync(join(loaded.mirrorDir, 'pages', 'news', `${id}.md`), 'utf8');
  const hits = (id: string) => server.hits(`/story/${id}.html`);

  before(async () => {
    server = await startFixtureServer();
    const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>${Object.keys(sources)
      .map(
        (id) =>
          `<item><title>${sources[id].title}</title><link>${server.origin}/story/${id}.html</link>` +
          `<pubDate>${published[id]}</pubDate></item>`,
      )
      .join('')}</channel></rss>`;
    server.route('/feed.xml', (req, res) => {
      const etag = '"feed-1"';
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag }).end();
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', ETag: etag }).end(feed);
    });
    for (const id of Object.keys(sources)) {
      server.route(`/story/${id}.html`, (req, res) => {
        const source = sources[id];
        if (source.status) return void res.writeHead(source.status).end('gone');
        const html = page(source);
        const etag = `"${createHash('sha256').update(html).digest('hex').slice(0, 16)}"`;
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag }).end();
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ETag: etag }).end(html);
      });
    }
    const config = `
mirror:
  dir: ${join(work, 'mirror')}
  title: Revisit test
  images: drop
store:
  path: ${join(work, 'store.sqlite')}
fetch:
  allowPrivateAddresses: true
  retries: 0
revisit:
  days: 3
  every: 6h
sites:
  - id: fixture
    name: Fixture
    base: ${server.origin}/
    articleId: "/story/([a-z]+)\\\\.html"
    rules: { title: h1, body: article }
    channels:
      - id: news
        title: News
        feed: ${server.origin}/feed.xml
`;
    mirror = await openClockedMirror(config, work, T0);
    ({ loaded, store } = mirror);
  });

  after(async () => {
    await mirror?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('the first run mirrors all three articles', async () => {
    const summary = await run(0);
    assert.deepEqual(summary.failures, []);
    assert.equal(summary.new, 3);
    assert.match(pageText('young'), /The first version of the young story\./);
  });

  test('an edit at the source is not fetched within `every`', async () => {
    sources.young.body = 'The second version: the publisher corrected the young story.';
    const before = hits('young').length;
    const summary = await run(1);
    assert.equal(hits('young').length, before, 'not re-fetched within 6 h');
    assert.equal(summary.revisited, 0);
    assert.match(pageText('young'), /The first version/);
  });

  test('after `every` it is re-fetched with its validators, re-extracted and re-rendered on the same page', async () => {
    const before = hits('young').length;
    const summary = await run(7);
    const requests = hits('young').slice(before);
    assert.equal(requests.length, 1);
    assert.match(String(requests[0].headers['if-none-match']), /^"[0-9a-f]{16}"$/, 'a conditional GET');
    assert.equal(summary.updated, 1);
    assert.equal(summary.new, 0);
    assert.ok(summary.revisited >= 2, `young and flaky revisited (${summary.revisited})`);
    assert.match(pageText('young'), /The second version: the publisher corrected the young story\./);
    assert.doesNotMatch(pageText('young'), /first version/);
    assert.equal(await store.articles.count(), 3, 'no duplicate');
    assert.equal((await store.articles.get('fixture', 'young'))?.pagePath, 'pages/news/young.md');
  });

  test('a 304 costs no rewrite and no commit', async () => {
    const before = hits('young').length;
    const summary = await run(14);
    assert.equal(hits('young').length, before + 1, 'checked again after another 6 h');
    assert.equal(summary.updated, 0);
    assert.equal(summary.filesWritten, 0);
    assert.equal(summary.commit, null);
  });

  test('a 410 marks the page retracted, text kept; a 503 is no retraction', async () => {
    sources.young.status = 410;
    sources.flaky.status = 503;
    const flakyPage = pageText('flaky');
    const summary = await run(21);
    assert.equal(summary.retracted, 1);
    assert.equal(summary.failed, 0, 'neither counts as a failed article');
    const retracted = pageText('young');
    assert.match(retracted, /> The publisher took this article down \(2026-03-03\)\./);
    assert.match(retracted, /The second version: the publisher corrected the young story\./, 'text kept');
    assert.ok(summary.commit, 'the marked page is committed');
    assert.equal(pageText('flaky'), flakyPage, 'a 5xx changes nothing');
    assert.equal((await store.articles.get('fixture', 'flaky'))?.retractedAt, undefined);
  });

  test('an article older than `days` is never fetched again', async () => {
    await run(40);
    assert.equal(hits('old').length, 1, 'fetched once, by the first run');
  });
});
