// `newsmirror bundle` on the demo mirror: an EPUB of one channel-day and of the whole mirror pass epubcheck (Debian's
// package, run as its jar) with no error; single-file HTML articles and a channel file open from file:// in headless
// Chromium with every image drawn and no request at all.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { bundleCommand } from '../../src/cli/bundle.ts';
import { main } from '../../src/cli/main.ts';
import { writeBundle } from '../../src/pipeline/steps/write-bundle.ts';
import { openMemoryStore } from '../../src/store/index.ts';
import { launchChromium } from '../helpers/browser.ts';
import { closeSharedDemoMirror, type DemoMirror, sharedDemoMirror } from '../helpers/mirror-build.ts';
import { readZip } from '../helpers/zip.ts';

const run = promisify(execFile);
/** Debian's epubcheck package installs the jar here; its /usr/bin wrapper needs binfmt, which containers lack. */
const EPUBCHECK_JAR = process.env.EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar';
const CHANNEL = 'ncid1078159';
const DAY = '2023-10-17';

async function epubcheck(file: string): Promise<{ errors: number; output: string }> {
  const { stdout, stderr } = await run('java', ['-jar', EPUBCHECK_JAR, file], { maxBuffer: 1 << 24 }).catch(
    (error: { stdout: string; stderr: string }) => error,
  );
  const output = `${stdout}\n${stderr}`;
  const summary = /(\d+) fatals \/ (\d+) errors/.exec(output);
  assert.ok(summary, `epubcheck printed no summary:\n${output}`);
  return { errors: Number(summary[1]) + Number(summary[2]), output };
}

after(closeSharedDemoMirror);

describe('newsmirror bundle', () => {
  let mirror: DemoMirror;
  let out: string;
  before(async () => {
    mirror = await sharedDemoMirror();
    out = mkdtempSync(join(tmpdir(), 'newsmirror-bundle-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  test('an EPUB of one channel-day and one of the whole mirror pass epubcheck', async (t) => {
    const day = join(out, 'day.epub');
    const all = join(out, 'all.epub');
    const summary = await writeBundle({
      loaded: mirror.loaded,
      store: mirror.store,
      format: 'epub',
      channel: CHANNEL,
      since: DAY,
      until: DAY,
      out: day,
    });
    assert.ok(summary.articles > 0 && summary.images > 0);
    const whole = await writeBundle({ loaded: mirror.loaded, store: mirror.store, format: 'epub', out: all });
    assert.equal(whole.articles, await mirror.store.articles.count());
    const checks = await Promise.all([epubcheck(day), epubcheck(all)]);
    for (const check of checks) assert.equal(check.errors, 0, check.output);
    t.diagnostic(
      `one channel-day: ${summary.articles} articles, ${summary.images} images, ${readFileSync(day).length} bytes; ` +
        `whole mirror: ${whole.articles} articles, ${readFileSync(all).length} bytes`,
    );

    const entries = readZip(readFileSync(all));
    assert.equal(entries[0].name, 'mimetype', 'mimetype is the first entry');
    assert.equal(entries[0].method, 0, 'mimetype is stored');
    assert.equal(entries[0].localExtra, 0, 'mimetype has no extra field');
    const text = (name: string) => entries.find((entry) => entry.name === name)?.data.toString('utf8') ?? '';
    const opf = text('EPUB/package.opf');
    assert.match(opf, /<dc:language>zh-Hans<\/dc:language>/);
    assert.match(opf, /page-progression-direction="ltr"/);
    const nav = text('EPUB/nav.xhtml');
    for (const site of mirror.loaded.config.sites) {
      for (const channel of site.channels)
        assert.ok(nav.includes(`<span>${channel.title}</span>`), channel.id);
    }
    // CJK text intact: every stored title appears, character for character, in the book.
    const xhtml = entries
      .filter((entry) => entry.name.endsWith('.xhtml'))
      .map((entry) => entry.data.toString());
    for (const article of await mirror.store.articles.list()) {
      assert.ok(
        xhtml.some((page) => page.includes(`<h1>${article.title}</h1>`)),
        article.title,
      );
    }
    for (const entry of entries.filter((item) => item.name.startsWith('EPUB/images/'))) {
      const meta = await sharp(entry.data).metadata();
      assert.equal(meta.format, 'jpeg', entry.name);
      assert.ok((meta.width ?? 0) <= 1000 && (meta.height ?? 0) <= 1400, `${entry.name} fits an e-reader`);
    }
  });

  test('a body whose markup breaks the content rules of XHTML still makes a valid book', async () => {
    const store = await openMemoryStore();
    const el = (tagName: string, properties: Record<string, unknown>, ...children: unknown[]) => ({
      type: 'element',
      tagName,
      properties,
      children: children.map((child) => (typeof child === 'string' ? { type: 'text', value: child } : child)),
    });
    // What an extractor's lenient parser and a publisher's markup can leave after sanitising.
    const body = {
      type: 'root',
      children: [
        el('p', { id: 'user-content-x' }, '段落里的块：', el('div', {}, '块')),
        el('span', {}, el('p', { id: 'user-content-x' }, '行内元素里的段落')),
        el('div', {}, el('li', {}, '列表外的项目'), el('td', {}, '表格外的单元格'), el('dd', {}, '定义')),
        el('ul', {}, '列表里的文字', el('p', {}, '列表里的段落'), el('li', {}, '项目')),
        el(
          'a',
          { href: 'https://example.org/a' },
          '链接',
          el('a', { href: 'https://example.org/b' }, '里的链接'),
        ),
        el(
          'p',
          {},
          el('a', { href: '#missing' }, '断开的锚点'),
          el('a', { href: '#x' }, '锚点'),
          '控制\u0001字符',
        ),
        el(
          'p',
          {},
          el('img', { src: '../../assets/00/gone.jpg', alt: '丢失的图片' }),
          el('input', { type: 'checkbox' }),
        ),
        el('figcaption', {}, '图外的图注'),
        el('table', {}, el('tr', {}, el('td', { colSpan: 2, align: 'center' }, '单元格'))),
      ],
    };
    const at = '2023-10-17T08:00:00.000Z';
    await store.articles.save({
      siteId: 'epochtimes',
      id: 'messy',
      url: 'https://example.org/messy.htm',
      homeChannel: CHANNEL,
      pagePath: `pages/${CHANNEL}/messy.md`,
      title: '标签错乱的文章',
      lang: 'zh-Hans',
      contentHash: 'messy',
      extracted: JSON.stringify({ title: '标签错乱的文章', body, method: 'rules', ruleMisses: [] }),
      firstSeen: at,
      updatedAt: at,
    });
    await store.channels.addMembership('epochtimes', 'messy', CHANNEL, at);
    const file = join(out, 'messy.epub');
    try {
      await writeBundle({ loaded: mirror.loaded, store, format: 'epub', channel: CHANNEL, out: file });
    } finally {
      await store.close();
    }
    const check = await epubcheck(file);
    assert.equal(check.errors, 0, check.output);
    const page = readZip(readFileSync(file))
      .find((entry) => entry.name === 'EPUB/text/a1.xhtml')
      ?.data.toString();
    for (const text of [
      '段落里的块',
      '行内元素里的段落',
      '列表外的项目',
      '表格外的单元格',
      '里的链接',
      '丢失的图片',
      '控制字符',
    ]) {
      assert.ok(page?.includes(text), text);
    }
  });

  test('bad usage exits 2 with the reason; a period with no article is refused', async () => {
    const config = mirror.configPath;
    const file = join(out, 'x.epub');
    for (const argv of [
      ['bundle', '-c', config, '--format', 'pdf', '--out', file],
      ['bundle', '-c', config, '--format', 'epub', '--since', '17/10/2023', '--out', file],
      ['bundle', '-c', config, '--format', 'epub', '--channel', 'nope', '--out', file],
      [
        'bundle',
        '-c',
        config,
        '--format',
        'epub',
        '--since',
        '2001-01-01',
        '--until',
        '2001-01-02',
        '--out',
        file,
      ],
    ]) {
      assert.equal(await main(argv), 2, argv.join(' '));
    }
    assert.ok(!existsSync(file));
    assert.equal(await bundleCommand({ config, format: 'epub', channel: 'news', out: file }), 0);
    assert.ok(existsSync(file));
  });
});

describe('browser: single-file HTML bundles from file://', () => {
  let mirror: DemoMirror;
  let out: string;
  let browser: Browser;
  before(async () => {
    mirror = await sharedDemoMirror();
    out = mkdtempSync(join(tmpdir(), 'newsmirror-bundle-html-'));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
  });

  test('every article file and a channel file draw every image and make no request', async (t) => {
    const folder = join(out, 'articles');
    const perArticle = await writeBundle({
      loaded: mirror.loaded,
      store: mirror.store,
      format: 'html',
      out: folder,
    });
    const channelFile = join(out, `${CHANNEL}.html`);
    await writeBundle({
      loaded: mirror.loaded,
      store: mirror.store,
      format: 'html',
      channel: CHANNEL,
      out: channelFile,
    });
    const files = [...perArticle.files, channelFile];
    assert.equal(perArticle.files.length, await mirror.store.articles.count());
    const context = await browser.newContext();
    const requests: string[] = [];
    const own = new Set(files.map((file) => pathToFileURL(file).href));
    // Opening a file is the one load allowed; anything else would be refused and named below.
    await context.route('**/*', (route) => {
      if (own.has(route.request().url())) return route.continue();
      requests.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    let drawn = 0;
    for (const file of files) {
      const html = readFileSync(file, 'utf8');
      assert.doesNotMatch(html, /<script|\son[a-z]+\s*=|javascript:/i, file);
      assert.match(
        html,
        /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; img-src data:/,
      );
      const page = await context.newPage();
      const url = pathToFileURL(file).href;
      const seen: string[] = [];
      page.on('request', (request) => {
        if (request.url() !== url && !request.url().startsWith('data:')) seen.push(request.url());
      });
      await page.goto(url, { waitUntil: 'load' });
      const images = (await page.evaluate(
        '[...document.images].map((image) => ({ src: image.src.slice(0, 30), drawn: image.complete && image.naturalWidth > 0 }))',
      )) as Array<{ src: string; drawn: boolean }>;
      for (const image of images) assert.ok(image.drawn, `${file}: image not drawn: ${image.src}`);
      assert.ok(
        images.every((image) => image.src.startsWith('data:image/')),
        file,
      );
      drawn += images.length;
      // The inline style runs under the policy (allowed by its hash): the column has its width.
      assert.equal(
        await page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth"),
        '672px',
        file,
      );
      assert.deepEqual(seen, [], `${file}: requests`);
      await page.close();
    }
    assert.deepEqual(requests, [], 'requests to anything but the files themselves');
    assert.ok(drawn > perArticle.images, 'the images were shown');
    const channelHtml = readFileSync(channelFile, 'utf8');
    assert.match(channelHtml, /<nav>/, 'the channel file has a table of contents');
    const toc = [...channelHtml.matchAll(/<li><a href="#(a-[^"]+)">/g)].map((match) => match[1]);
    assert.ok(toc.length > 1);
    for (const anchor of toc) assert.ok(channelHtml.includes(`<article id="${anchor}"`), anchor);
    const sizes = readdirSync(join(folder, CHANNEL)).map(
      (name) => readFileSync(join(folder, CHANNEL, name)).length,
    );
    t.diagnostic(
      `${files.length} files, ${drawn} images drawn; single-file articles ${Math.min(...sizes)}-${Math.max(...sizes)} bytes; ` +
        `channel file ${channelHtml.length} chars`,
    );
  });
});
