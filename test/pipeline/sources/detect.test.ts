import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectSourceFormat } from '../../../src/pipeline/sources/index.ts';

describe('detectSourceFormat', () => {
  test('by the root element, past BOM, declaration, comments and DOCTYPE', () => {
    const cases: [string, string][] = [
      ['<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', 'rss'],
      ['\uFEFF<?xml version="1.0"?><!-- generator --><rdf:RDF xmlns:rdf="x"></rdf:RDF>', 'rss'],
      ['<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "http://x/rss.dtd"><rss/>', 'rss'],
      [
        '<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><feed xmlns="http://www.w3.org/2005/Atom"/>',
        'atom',
      ],
      ['<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>', 'sitemap'],
      ['  <sitemapindex></sitemapindex>', 'sitemap'],
      ['https://www.example.com/a\nhttps://www.example.com/b', 'sitemap'],
      ['<!DOCTYPE html><html><head></head></html>', 'html'],
      ['<html><body><div class="post_list"></div></body></html>', 'html'],
      ['Service Unavailable', 'html'],
      ['', 'html'],
    ];
    for (const [text, format] of cases) assert.equal(detectSourceFormat(text), format, text);
  });
});
