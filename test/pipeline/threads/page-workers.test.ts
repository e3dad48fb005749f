import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, test } from 'node:test';
import { parseConfigText } from '../../../src/config/load.ts';
import { extractArticle } from '../../../src/pipeline/extract/index.ts';
import { createPageWorkers } from '../../../src/pipeline/threads/page-workers.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/extract/${name}/source.html`, import.meta.url));

describe('extraction in worker threads', () => {
  test('gives what extractArticle gives on the main thread, from text or from bytes', async () => {
    const extractor = createPageWorkers({ threads: 1 });
    try {
      for (const name of ['generic-en-news', 'generic-zh-table', 'epochtimes-article']) {
        const bytes = fixture(name);
        const options = { url: `https://news.example.org/${name}.html` };
        const expected = extractArticle(bytes.toString('utf8'), { ...options, explain: true });
        assert.ok(expected.article, `${name} is an article`);
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
    const extractor = createPageWorkers({ threads: 1 });
    try {
      const html = `<html><head><title>测试</title></head><body><article><h1>新闻标题</h1><p>${'这是一篇用国标码编码的中文新闻报道，内容完整。'.repeat(8)}</p></article></body></html>`;
      // Node encodes only UTF-8; glibc's iconv (on every Debian) writes the GBK bytes.
      const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: html });
      assert.notDeepEqual(gbk, Buffer.from(html));
      const result = await extractor.extract(
        { bytes: gbk, contentType: 'text/html; charset=gbk' },
        { url: 'https://news.example.org/gbk.html' },
      );
      assert.ok(result.article);
      assert.match(JSON.stringify(result.article.body), /国标码编码的中文新闻报道/);
    } finally {
      await extractor.close();
    }
  });

  test('a page too big for the worker heap is extracted on the main thread, with a note', async () => {
    const fallbacks: string[] = [];
    const extractor = createPageWorkers({
      threads: 1,
      heapMb: 32,
      onFallback: (url: string, reason: string) => fallbacks.push(`${url}: ${reason}`),
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
      assert.deepEqual(result, extractArticle(html, { ...options, explain: true }));
      assert.equal(fallbacks.length, 1);
      assert.match(fallbacks[0], /long\.html: worker thread ran out of its 32 MB heap/);
      // The pool replaced its worker: a small page goes through a worker again.
      const small = fixture('generic-en-news');
      assert.ok(
        (await extractor.extract({ bytes: small }, { url: 'https://news.example.org/a.html' })).article,
      );
      assert.equal(fallbacks.length, 1);
    } finally {
      await extractor.close();
    }
  });
});

describe('page rendering in worker threads', () => {
  test('gives the same page and QR code as rendering on the main thread', async () => {
    const html = readFileSync(
      new URL('../../fixtures/extract/generic-en-news/source.html', import.meta.url),
      'utf8',
    );
    const extracted = extractArticle(html, { url: 'https://news.example.org/a/1.html' });
    assert.ok(extracted);
    const mirror = parseConfigText(
      [
        'mirror:',
        '  dir: ./mirror',
        '  title: Test mirror',
        '  publicUrl: https://github.com/someone/news/blob/main/',
        '  nav: [{ text: 首页, href: README.md }]',
        'sites:',
        '  - { id: s, name: S, base: "https://news.example.org/", channels: [{ id: c, title: C, feed: "https://news.example.org/feed.xml" }] }',
        '',
      ].join('\n'),
      'test.yaml',
      tmpdir(),
    ).config.mirror;
    const input = {
      id: '1',
      siteId: 's',
      url: 'https://news.example.org/a/1.html',
      pagePath: 'pages/c/1.md',
      extractedJson: JSON.stringify(extracted),
      channels: ['c'],
      channelTitle: 'C',
      mirror,
      linkTargets: [] as Array<[string, string]>,
      assets: [] as Array<[string, string]>,
    };
    const onMain = await createPageWorkers({ threads: 0 }).renderArticle(input);
    const workers = createPageWorkers({ threads: 1 });
    try {
      const inWorker = await workers.renderArticle(input);
      assert.deepEqual(
        inWorker.map((file) => file.path),
        ['pages/c/1.md', 'pages/c/1.md.png'],
      );
      assert.equal(String(inWorker[0].content), String(onMain[0].content));
      assert.deepEqual(
        Buffer.from(inWorker[1].content as Uint8Array),
        Buffer.from(onMain[1].content as Uint8Array),
      );
      assert.match(String(inWorker[0].content), /^### /);
    } finally {
      await workers.close();
    }
  });
});
