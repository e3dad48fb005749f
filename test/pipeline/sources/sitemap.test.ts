import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSitemap, SourceError } from '../../../src/pipeline/sources/index.ts';

const SITEMAP_URL = 'https://www.example.com/sitemap.xml';

describe('parseSitemap', () => {
  test('urlset: loc, lastmod as the time when there is no news date', () => {
    const xml = `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://www.example.com/a.html</loc><lastmod>2024-05-01</lastmod></url>
      <url><loc> https://www.example.com/b.html </loc></url>
      <url><loc>mailto:x@example.com</loc></url>
    </urlset>`;
    assert.deepEqual(parseSitemap(xml, SITEMAP_URL), {
      links: [
        { url: 'https://www.example.com/a.html', published: '2024-05-01' },
        { url: 'https://www.example.com/b.html' },
      ],
      sitemaps: [],
    });
  });

  test('news sitemaps under another prefix still give title and publication date', () => {
    const xml = `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://www.example.com/a.html</loc>
        <n:news><n:title>Title</n:title><n:publication_date>2024-05-01T10:00:00Z</n:publication_date></n:news></url>
    </urlset>`;
    assert.deepEqual(parseSitemap(xml, SITEMAP_URL).links, [
      { url: 'https://www.example.com/a.html', title: 'Title', published: '2024-05-01T10:00:00.000Z' },
    ]);
  });

  test('sitemap index: child sitemaps, resolved', () => {
    const xml = `<sitemapindex><sitemap><loc>/s1.xml</loc></sitemap><sitemap><loc>https://cdn.example.com/s2.xml</loc></sitemap></sitemapindex>`;
    assert.deepEqual(parseSitemap(xml, SITEMAP_URL), {
      links: [],
      sitemaps: ['https://www.example.com/s1.xml', 'https://cdn.example.com/s2.xml'],
    });
  });

  test('text sitemap: one URL a line', () => {
    assert.deepEqual(
      parseSitemap('https://www.example.com/a\r\n\r\nhttps://www.example.com/b\n', SITEMAP_URL).links,
      [{ url: 'https://www.example.com/a' }, { url: 'https://www.example.com/b' }],
    );
  });

  test('errors name the sitemap', () => {
    assert.throws(
      () => parseSitemap('<urlset><url><loc>x</loc></urlset>', SITEMAP_URL),
      (error: unknown) =>
        error instanceof SourceError &&
        error.message.startsWith(`sitemap ${SITEMAP_URL} could not be parsed`),
    );
    assert.throws(
      () => parseSitemap('<rss><channel/></rss>', SITEMAP_URL),
      /is not a sitemap: its root element is <rss>/,
    );
    assert.throws(() => parseSitemap('Not Found', SITEMAP_URL), /neither XML nor a text sitemap/);
  });
});
