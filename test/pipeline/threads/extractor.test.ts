import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { extractArticle } from '../../../src/pipeline/extract/index.ts';
import { createExtractor } from '../../../src/pipeline/threads/extractor.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/extract/${name}/source.html`, import.meta.url));

describe('extraction in worker threads', () => {
  test('gives what extractArticle gives on the main thread, from text or from bytes', async () => {
    const extractor = createExtractor({ threads: 1 });
    try {
      for (const name of ['generic-en-news', 'generic-zh-table', 'epochtimes-article']) {
        const bytes = fixture(name);
        const options = { url: `https://news.example.org/${name}.html` };
        const expected = extractArticle(bytes.toString('utf8'), options);
        assert.ok(expected, `${name} is an article`);
        assert.deepEqual(
          await extractor.extract({ bytes, contentType: 'text/html' }, options),
          expected,
          name,
        );
        assert.deepEqual(await extractor.extract({ html: bytes.toString('utf8') }, options), expected, name);
      }
    } finally {
      await extractor.close();
    }
  });

  test('decodes a GBK page in the worker from its bytes and Content-Type', async () => {
    const extractor = createExtractor({ threads: 1 });
    try {
      const html = `<html><head><title>测试</title></head><body><article><h1>新闻标题</h1><p>${'这是一篇用国标码编码的中文新闻报道，内容完整。'.repeat(8)}</p></article></body></html>`;
      // Node encodes only UTF-8; glibc's iconv (on every Debian) writes the GBK bytes.
      const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: html });
      assert.notDeepEqual(gbk, Buffer.from(html));
      const result = await extractor.extract(
        { bytes: gbk, contentType: 'text/html; charset=gbk' },
        { url: 'https://news.example.org/gbk.html' },
      );
      assert.ok(result);
      assert.match(JSON.stringify(result.body), /国标码编码的中文新闻报道/);
    } finally {
      await extractor.close();
    }
  });

  test('a page too big for the worker heap is extracted on the main thread, with a note', async () => {
    const fallbacks: string[] = [];
    const extractor = createExtractor({
      threads: 1,
      heapMb: 32,
      onFallback: (url, reason) => fallbacks.push(`${url}: ${reason}`),
    });
    try {
      const paragraphs = Array.from(
        { length: 40_000 },
        (_, n) =>
          `<p>Paragraph ${n} of a very long report, with <a href="/x${n}">a link</a> and more words.</p>`,
      );
      const html = `<html><body><article><h1>Long report</h1>${paragraphs.join('')}</article></body></html>`;
      const options = { url: 'https://news.example.org/long.html' };
      const result = await extractor.extract({ html }, options);
      assert.deepEqual(result, extractArticle(html, options));
      assert.equal(fallbacks.length, 1);
      assert.match(fallbacks[0], /long\.html: worker thread ran out of its 32 MB heap/);
      // The pool replaced its worker: a small page goes through a worker again.
      const small = fixture('generic-en-news');
      assert.ok(await extractor.extract({ bytes: small }, { url: 'https://news.example.org/a.html' }));
      assert.equal(fallbacks.length, 1);
    } finally {
      await extractor.close();
    }
  });
});
