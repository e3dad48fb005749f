// Hostile feeds, sitemaps and listings (issue 17, classes 2 and 3): each gives a clear channel error or bounded
// work, never a hang, an expanded entity, a file read or a request to a host the listing named. Timings are
// bounds with a wide margin (a loaded CI machine), far below what the vulnerable code took (minutes to hours).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fetchSchema, type SiteConfig, siteSchema } from '../../src/config/options.ts';
import { createHttpClient } from '../../src/pipeline/fetch/client.ts';
import { SourceError } from '../../src/pipeline/sources/errors.ts';
import { parseFeed } from '../../src/pipeline/sources/feed.ts';
import { MAX_ARTICLE_URL_LENGTH, toSourceItems } from '../../src/pipeline/sources/items.ts';
import { parseListing } from '../../src/pipeline/sources/listing.ts';
import { parseSitemap } from '../../src/pipeline/sources/sitemap.ts';
import { prepareXml } from '../../src/pipeline/sources/xml.ts';
import { discoverChannel } from '../../src/pipeline/steps/discover.ts';
import { type FaultyServer, serveBytes, startFaultyServer } from '../helpers/faulty-server.ts';

const FEED_URL = 'https://news.example.org/feed.xml';

/** CPU time of `work` (less swayed by a loaded machine than wall time). */
function timed<T>(work: () => T): { result: T; ms: number } {
  const start = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(start);
  return { result, ms: (used.user + used.system) / 1000 };
}

/** An RSS feed of `items`; `doctype` goes between the declaration and the root. */
function rss(items: string, doctype = ''): string {
  return `<?xml version="1.0"?>${doctype}<rss version="2.0"><channel><title>t</title>${items}</channel></rss>`;
}

describe('hostile XML (feeds and sitemaps)', () => {
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-hostile-xml-'));
  let entityHost: FaultyServer;

  before(async () => {
    entityHost = await startFaultyServer({ host: '127.0.0.1' });
    entityHost.route('/entity.txt', serveBytes('FETCHED-ENTITY', 'text/plain'));
  });
  after(async () => {
    await entityHost.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('billion laughs: nine levels of entities stay unexpanded, in bounded time', () => {
    const levels = ['<!ENTITY l0 "lololololol">'];
    for (let level = 1; level <= 9; level++)
      levels.push(`<!ENTITY l${level} "${`&l${level - 1};`.repeat(10)}">`);
    const bomb = rss(
      '<item><title>&l9;</title><link>https://news.example.org/a/1.html</link></item>',
      `<!DOCTYPE rss [${levels.join('')}]>`,
    );
    const { result, ms } = timed(() => parseFeed(bomb, FEED_URL));
    assert.equal(result.length, 1);
    assert.ok((result[0].title ?? '').length < 20, result[0].title);
    assert.ok(ms < 2_000, `${ms} ms`);
  });

  test('external entities (file:// and http) are never read or fetched', () => {
    const secret = join(work, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET-CONTENT');
    const doctype = `<!DOCTYPE rss [<!ENTITY file SYSTEM "${pathToFileURL(secret).href}"><!ENTITY web SYSTEM "${entityHost.origin}/entity.txt"><!ENTITY % remote SYSTEM "${entityHost.origin}/entity.txt"> %remote;]>`;
    const xxe = rss(
      '<item><title>&file;&web;</title><description>&file;</description><link>https://news.example.org/a/1.html</link></item>',
      doctype,
    );
    const links = parseFeed(xxe, FEED_URL);
    assert.doesNotMatch(JSON.stringify(links), /TOP-SECRET|FETCHED-ENTITY/);
    assert.deepEqual(entityHost.requests, []);
  });

  test('unclosed DOCTYPE subsets and CDATA sections repeated 100,000 times: linear, not quadratic', () => {
    // Lazy regular expressions retried from every unclosed opener to the end: 20,000 took 3 s, 100,000 minutes.
    for (const opener of ['<!DOCTYPE [', '<![CDATA[']) {
      const { ms } = timed(() => prepareXml(`<rss>${opener.repeat(100_000)}`));
      assert.ok(ms < 1_000, `${opener}: ${ms} ms`);
      assert.throws(() => parseFeed(`<rss>${opener.repeat(100_000)}`, FEED_URL), SourceError);
    }
  });

  test('control characters XML forbids are dropped, never passed on into titles', () => {
    const links = parseFeed(
      rss(
        '<item><title>a\u0000b\u0007c\u001b[31md\u001b]8;;x\u0007</title><link>https://news.example.org/a/1.html</link></item>',
      ),
      FEED_URL,
    );
    assert.equal(links.length, 1);
    assert.doesNotMatch(links[0].title ?? '', /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    assert.match(links[0].title ?? '', /^abc\[31md\]8;;x$/);
  });

  test('invalid XML and an HTML page instead of a feed: a clear error naming the feed', () => {
    for (const broken of [
      '<rss><channel><item><title>x</item></channel></rss>',
      '<!doctype html><html><body><p>hello<br></body></html>',
      `<rss>${'<a>'.repeat(100_000)}`,
      '\u0000\u0001\u0002',
    ]) {
      assert.throws(
        () => parseFeed(broken, FEED_URL),
        (error: unknown) => error instanceof SourceError && error.message.includes(FEED_URL),
      );
    }
  });

  test('a feed of 100,000 items: parsed in bounded time, cut to the channel limit', () => {
    const items = Array.from(
      { length: 100_000 },
      (_, n) => `<item><title>t${n}</title><link>https://news.example.org/a/${n}.html</link></item>`,
    ).join('');
    const { result, ms } = timed(() => parseFeed(rss(items), FEED_URL));
    assert.equal(result.length, 100_000);
    assert.ok(ms < 30_000, `${ms} ms`);
    const site = siteOf({ limit: 50 });
    assert.equal(toSourceItems(result, site, site.channels[0]).length, 50);
  });

  test('a sitemap index of 10,000 children, or listing itself: at most 3 child fetches, no recursion; an HTML feed', async () => {
    const server = await startFaultyServer({ host: '127.0.0.1' });
    const http = createHttpClient(fetchSchema.parse({ allowPrivateAddresses: true, retries: 0 }));
    try {
      const origin = server.origin;
      const children = Array.from(
        { length: 10_000 },
        (_, n) => `<sitemap><loc>${origin}/s/${n}.xml</loc></sitemap>`,
      );
      const index = (self: boolean) =>
        `<?xml version="1.0"?><sitemapindex>${self ? `<sitemap><loc>${origin}/self.xml</loc></sitemap>` : ''}${children.join('')}</sitemapindex>`;
      server.route('/index.xml', serveBytes(index(false), 'application/xml'));
      server.route('/self.xml', serveBytes(index(true), 'application/xml'));
      const urlset = (n: number) =>
        `<?xml version="1.0"?><urlset><url><loc>${origin}/a/${n}.html</loc></url></urlset>`;
      for (let n = 0; n < 10_000; n++) server.route(`/s/${n}.xml`, serveBytes(urlset(n), 'application/xml'));

      for (const path of ['/index.xml', '/self.xml']) {
        server.requests.length = 0;
        const site = siteOf({ base: `${origin}/`, sitemap: `${origin}${path}` });
        const found = await discoverChannel(site, site.channels[0], http, undefined);
        assert.ok(server.requests.length <= 4, `${path}: ${server.requests.length} requests`);
        assert.ok(
          server.hits('/self.xml') <= (path === '/self.xml' ? 2 : 0),
          'the self-listing is not recursed',
        );
        assert.ok(found.items.length > 0);
      }
      // An HTML page where the feed should be: a channel error, not an attempt to read it as XML.
      server.route('/feed.xml', serveBytes('<!doctype html><html><body><p>moved</body></html>', 'text/html'));
      const site = siteOf({ base: `${origin}/`, feed: `${origin}/feed.xml` });
      await assert.rejects(discoverChannel(site, site.channels[0], http, undefined), (error: unknown) => {
        return (
          error instanceof SourceError && error.code === 'not_xml' && error.message.includes('/feed.xml')
        );
      });
    } finally {
      await http.close();
      await server.close();
    }
  });

  test('a sitemap index is never read as a list of articles', () => {
    const parsed = parseSitemap(
      '<sitemapindex><sitemap><loc>https://news.example.org/s1.xml</loc></sitemap></sitemapindex>',
      'https://news.example.org/index.xml',
    );
    assert.deepEqual(parsed.links, []);
  });
});

describe('hostile listings', () => {
  const PAGE = 'https://news.example.org/list.html';

  test('100,000 links: parsed in bounded time, cut to the channel limit', () => {
    const html = `<div class="list">${Array.from({ length: 100_000 }, (_, n) => `<a href="/a/${n}.html">t${n}</a>`).join('')}</div>`;
    const { result, ms } = timed(() => parseListing(html, PAGE, '.list a'));
    assert.equal(result.length, 100_000);
    const site = siteOf({ limit: 30 });
    const items = timed(() => toSourceItems(result, site, site.channels[0]));
    assert.equal(items.result.length, 30);
    assert.ok(ms + items.ms < 30_000, `${ms} + ${items.ms} ms`);
  });

  test('javascript:, data:, file:, mailto:, other schemes and other hosts are dropped', () => {
    const hrefs = [
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'mailto:a@example.org',
      'ftp://news.example.org/a/1.html',
      'vbscript:msgbox(1)',
      'blob:https://news.example.org/x',
      'https://evil.example/a/1.html',
      'https://news.example.org.evil.example/a/1.html',
      'https://news.example.org@evil.example/a/1.html',
      '//evil.example/a/1.html',
      'https://news.example.org:8443/a/1.html',
      '/a/good.html',
    ];
    const html = `<div class="list">${hrefs.map((href) => `<a href="${href.replace(/"/g, '&quot;')}">x</a>`).join('')}</div>`;
    const site = siteOf({});
    const items = toSourceItems(parseListing(html, PAGE, '.list a'), site, site.channels[0]);
    assert.deepEqual(
      items.map((item) => item.url),
      ['https://news.example.org/a/good.html'],
    );
  });

  test('absurdly long URLs are refused, a long but sane one kept', () => {
    const long = `/a/${'x'.repeat(MAX_ARTICLE_URL_LENGTH)}.html`;
    const huge = `/a/${'y'.repeat(1_000_000)}.html`;
    const sane = `/a/${'z'.repeat(500)}.html`;
    const html = `<div class="list"><a href="${long}">a</a><a href="${huge}">b</a><a href="${sane}">c</a></div>`;
    const site = siteOf({});
    const items = toSourceItems(parseListing(html, PAGE, '.list a'), site, site.channels[0]);
    assert.deepEqual(
      items.map((item) => item.url),
      [`https://news.example.org${sane}`],
    );
    // A feed's links go through the same filter.
    const feedItems = toSourceItems(
      parseFeed(rss(`<item><link>https://news.example.org${huge}</link></item>`), FEED_URL),
      site,
      site.channels[0],
    );
    assert.deepEqual(feedItems, []);
  });
});

function siteOf(options: { base?: string; limit?: number; sitemap?: string; feed?: string }): SiteConfig {
  const channel = options.sitemap
    ? { id: 'c', title: 'c', sitemap: options.sitemap, limit: options.limit }
    : { id: 'c', title: 'c', feed: options.feed ?? FEED_URL, limit: options.limit };
  return siteSchema.parse({
    id: 's',
    name: 's',
    base: options.base ?? 'https://news.example.org/',
    channels: [channel],
  });
}
