import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFeed, SourceError } from '../../../src/pipeline/sources/index.ts';

const FEED_URL = 'https://news.example.com/feed.xml';

function rss(items: string): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${items}</channel></rss>`;
}

describe('parseFeed: RSS 2.0', () => {
  test('CDATA titles with markup become plain text; relative links resolve against the feed URL', () => {
    const links = parseFeed(
      rss(
        '<item><title><![CDATA[A <b>bold</b> &amp; <i>true</i> story]]></title><link>/a/1.htm</link></item>',
      ),
      FEED_URL,
    );
    assert.deepEqual(links, [{ url: 'https://news.example.com/a/1.htm', title: 'A bold & true story' }]);
  });

  test('a guid is the link only when it is a permalink URL', () => {
    const links = parseFeed(
      rss(
        '<item><title>a</title><guid>https://news.example.com/a/2.htm</guid></item>' +
          '<item><title>b</title><guid isPermaLink="false">https://news.example.com/a/3.htm</guid></item>' +
          '<item><title>c</title><guid>12345</guid></item>',
      ),
      FEED_URL,
    );
    assert.deepEqual(
      links.map((link) => link.url),
      ['https://news.example.com/a/2.htm'],
    );
  });

  test('dates become ISO 8601: UTC when the zone is known, local as written when not', () => {
    const links = parseFeed(
      rss(
        '<item><link>https://x.example/1</link><pubDate>Sat, 04 May 2024 09:00:00 +0800</pubDate></item>' +
          '<item><link>https://x.example/2</link><pubDate>4 May 2024 09:00 PDT</pubDate></item>' +
          '<item><link>https://x.example/3</link><pubDate>2024-05-04 09:00:00</pubDate></item>' +
          '<item><link>https://x.example/4</link><pubDate>2024年5月4日 09:00</pubDate></item>' +
          '<item><link>https://x.example/5</link><pubDate>yesterday</pubDate></item>',
      ),
      FEED_URL,
    );
    assert.deepEqual(
      links.map((link) => link.published),
      [
        '2024-05-04T01:00:00.000Z',
        '2024-05-04T16:00:00.000Z',
        '2024-05-04T09:00:00',
        '2024-05-04T09:00:00',
        undefined,
      ],
    );
  });

  test('tolerates bare ampersands in links, undeclared HTML entities and a BOM', () => {
    const links = parseFeed(
      '\uFEFF' +
        rss('<item><title>caf&eacute;&nbsp;ok</title><link>https://x.example/?a=1&b=2</link></item>'),
      FEED_URL,
    );
    assert.deepEqual(links, [{ url: 'https://x.example/?a=1&b=2', title: 'café ok' }]);
  });

  test('items without any http(s) link are skipped', () => {
    const links = parseFeed(
      rss('<item><title>a</title><link>javascript:alert(1)</link></item><item><title>b</title></item>'),
      FEED_URL,
    );
    assert.deepEqual(links, []);
  });
});

describe('parseFeed: Atom', () => {
  test('rel=alternate or no rel; other rels ignored; feedburner:origLink preferred', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
      <entry><title>one</title><link rel="self" href="https://x.example/self"/><link rel="alternate" href="https://x.example/1"/></entry>
      <entry><title>two</title><link href="https://proxy.example/2"/><feedburner:origLink>https://x.example/2</feedburner:origLink></entry>
      <entry><title>three</title><link rel="replies" href="https://x.example/comments"/></entry>
    </feed>`;
    assert.deepEqual(parseFeed(atom, FEED_URL), [
      { url: 'https://x.example/1', title: 'one' },
      { url: 'https://x.example/2', title: 'two' },
    ]);
  });
});

describe('parseFeed: safety and errors', () => {
  test('broken XML throws a SourceError naming the feed and the reason', () => {
    assert.throws(
      () => parseFeed('<rss><channel><item><title>x</item></channel></rss>', FEED_URL),
      (error: unknown) =>
        error instanceof SourceError &&
        error.message.includes(FEED_URL) &&
        /closing tag/i.test(error.message) &&
        error.where === FEED_URL &&
        error.code === 'xml_invalid',
    );
  });

  test('a feed cut short says so', () => {
    assert.throws(
      () => parseFeed('<?xml version="1.0"?><rss><channel><item><title>x</title>', FEED_URL),
      /could not be parsed: .*cut short/,
    );
  });

  test('an HTML page instead of a feed is not a feed', () => {
    assert.throws(
      () => parseFeed('<html><body><p>Moved</p></body></html>', FEED_URL),
      (error: unknown) =>
        error instanceof SourceError &&
        /is not an RSS or Atom feed: its root element is <html>/.test(error.message),
    );
  });

  test('empty or non-XML input', () => {
    assert.throws(() => parseFeed('', FEED_URL), SourceError);
    assert.throws(() => parseFeed('Service Unavailable', FEED_URL), SourceError);
  });

  test('entities declared in a DOCTYPE are never expanded (billion laughs)', () => {
    const levels = ['<!ENTITY l0 "lol">'];
    for (let level = 1; level <= 9; level++) {
      levels.push(`<!ENTITY l${level} "${`&l${level - 1};`.repeat(10)}">`);
    }
    const bomb = `<?xml version="1.0"?><!DOCTYPE rss [${levels.join('')}]><rss><channel><item><title>&l9;</title><link>https://x.example/1</link></item></channel></rss>`;
    const links = parseFeed(bomb, FEED_URL);
    assert.equal(links.length, 1);
    assert.ok((links[0].title ?? '').length < 100);
  });

  test('external entities are never read', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&xxe;</title><link>https://x.example/1</link></item></channel></rss>`;
    const links = parseFeed(xxe, FEED_URL);
    assert.ok(!(links[0].title ?? '').includes('root:'));
  });
});
