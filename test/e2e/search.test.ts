// The static site's search page in headless Chromium: a query typed into the page finds the right articles, in
// simplified or traditional characters whichever script the article is in, and English words; the page asks
// nothing of any host but the site; without JavaScript it still links every channel index.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type FixtureServer, startFixtureServer } from '../../harness/fixture-server.ts';
import { buildSearch } from '../../src/pipeline/steps/build-search.ts';
import { buildSite } from '../../src/pipeline/steps/build-site.ts';
import { openMemoryStore, type Store } from '../../src/store/index.ts';
import { launchChromium } from '../helpers/browser.ts';
import { closeSharedDemoMirror, type DemoMirror, sharedDemoMirror } from '../helpers/mirror-build.ts';

const JS_TYPES = { '.js': 'text/javascript; charset=utf-8' };

/**
 * In the page: the status line says the query ran. A function, not a string: the page's policy forbids eval, which
 * is how a string predicate would run.
 */
const searched = (query: string) => {
  // biome-ignore lint/suspicious/noExplicitAny: the project compiles without DOM types.
  const page = globalThis as any;
  return (
    page.document.getElementById('search-status').textContent.length > 0 &&
    new URL(page.location.href).searchParams.get('q') === query
  );
};

/** Results the page lists once its status line says it searched. */
async function searchFor(page: Page, query: string): Promise<string[]> {
  await page.fill('#search-query', query);
  await page.waitForFunction(searched, query);
  await page.waitForLoadState('networkidle');
  return (await page.$$eval('#search-results a', (links) =>
    links.map((link) => link.textContent ?? ''),
  )) as string[];
}

async function watchedContext(browser: Browser, origin: string, elsewhere: string[], options = {}) {
  const context = await browser.newContext(options);
  await context.route('**/*', (route) => {
    if (new URL(route.request().url()).origin === origin) return route.continue();
    elsewhere.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  return context;
}

after(closeSharedDemoMirror);

describe('browser: search on the demo site', () => {
  let mirror: DemoMirror;
  let siteDir: string;
  let server: FixtureServer;
  let browser: Browser;
  const elsewhere: string[] = [];

  before(async () => {
    mirror = await sharedDemoMirror();
    siteDir = join(mkdtempSync(join(tmpdir(), 'newsmirror-search-')), 'site');
    await buildSite({ loaded: mirror.loaded, out: siteDir, store: mirror.store });
    await buildSearch({ loaded: mirror.loaded, store: mirror.store, outDir: siteDir });
    server = await startFixtureServer({ root: siteDir, contentTypes: JS_TYPES });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(join(siteDir, '..'), { recursive: true, force: true });
  });

  test('a traditional query finds the simplified articles that hold it, and the result opens', async (t) => {
    const context = await watchedContext(browser, server.origin, elsewhere);
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${server.origin}/search.html`, { waitUntil: 'load' });
    const expected: string[] = [];
    for (const article of await mirror.store.articles.list()) {
      if (article.extracted.includes('日内瓦')) expected.push(article.title);
    }
    assert.ok(expected.length > 0, 'the demo has articles about Geneva');
    const found = await searchFor(page, '日內瓦'); // 內: the traditional form of 内
    assert.deepEqual([...found].sort(), [...expected].sort());
    assert.deepEqual(await searchFor(page, '不存在的词语组合'), []);
    await searchFor(page, '日內瓦');
    assert.deepEqual(elsewhere, [], 'requests to other hosts');
    assert.ok(requests.every((url) => url.startsWith(server.origin)));
    t.diagnostic(`${requests.length} requests, all to the site`);
    // The result opens (an article page also asks the configured counter for its image: allowed there only).
    await page.click('#search-results a');
    await page.waitForLoadState('load');
    assert.match(page.url(), /\/pages\/.+\.html$/);
    assert.equal(await page.title(), `${found[0]} - ${mirror.loaded.config.mirror.title}`);
    elsewhere.length = 0;
    await context.close();
  });

  test('the search page runs only its own script file; without JavaScript it links every channel index', async () => {
    const html = readFileSync(join(siteDir, 'search.html'), 'utf8');
    assert.match(
      html,
      /content="default-src &#39;none&#39;; script-src &#39;self&#39;; connect-src &#39;self&#39;/,
    );
    assert.deepEqual(
      [...html.matchAll(/<script[^>]*>/g)].map((match) => match[0]),
      ['<script src="search.js" defer>'],
    );
    const context = await watchedContext(browser, server.origin, elsewhere, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.origin}/search.html`, { waitUntil: 'load' });
    const links = (await page.$$eval('main ul a', (anchors) =>
      anchors.map((anchor) => (anchor as unknown as { href: string }).href),
    )) as string[];
    const channels = mirror.loaded.config.sites.flatMap((site) => site.channels);
    assert.equal(links.length, channels.length);
    for (const link of links) assert.equal((await page.request.get(link)).status(), 200, link);
    assert.deepEqual(elsewhere, []);
    await context.close();
  });
});

describe('browser: search across scripts and languages', () => {
  let store: Store;
  let out: string;
  let server: FixtureServer;
  let browser: Browser;
  let context: BrowserContext;
  const elsewhere: string[] = [];
  const articles = [
    { id: 'tw1', title: '台灣選舉結果出爐', text: '國民黨與民進黨在臺北市議員選舉中激烈競爭。' },
    { id: 'cn1', title: '香港新闻自由指数下降', text: '记者协会表示，新闻自由受到前所未有的压力。' },
    {
      id: 'en1',
      title: 'Elections in Taiwan',
      text: 'The DPP won the presidential elections in January 2024.',
    },
  ];

  before(async () => {
    const mirror = await sharedDemoMirror();
    store = await openMemoryStore();
    const at = '2024-01-14T08:00:00.000Z';
    for (const article of articles) {
      const body = {
        type: 'root',
        children: [
          {
            type: 'element',
            tagName: 'p',
            properties: {},
            children: [{ type: 'text', value: article.text }],
          },
        ],
      };
      await store.articles.save({
        siteId: 'epochtimes',
        id: article.id,
        url: `https://example.org/${article.id}.htm`,
        homeChannel: 'news',
        pagePath: `pages/news/${article.id}.md`,
        title: article.title,
        contentHash: article.id,
        extracted: JSON.stringify({ title: article.title, body, method: 'rules', ruleMisses: [] }),
        firstSeen: at,
        updatedAt: at,
      });
    }
    out = mkdtempSync(join(tmpdir(), 'newsmirror-search-scripts-'));
    await buildSearch({ loaded: mirror.loaded, store, outDir: out });
    server = await startFixtureServer({ root: out, contentTypes: JS_TYPES });
    browser = await launchChromium();
    context = await watchedContext(browser, server.origin, elsewhere);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    rmSync(out, { recursive: true, force: true });
  });

  test('simplified finds traditional, traditional finds simplified, English words match in any case', async () => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/search.html`, { waitUntil: 'load' });
    assert.deepEqual(await searchFor(page, '台湾选举'), ['台灣選舉結果出爐']);
    assert.deepEqual(await searchFor(page, '国民党'), ['台灣選舉結果出爐']);
    assert.deepEqual(await searchFor(page, '新聞自由'), ['香港新闻自由指数下降']);
    assert.deepEqual(await searchFor(page, 'ELECTIONS taiwan'), ['Elections in Taiwan']);
    assert.deepEqual(await searchFor(page, 'elections 2024'), ['Elections in Taiwan']);
    // A query in the address bar (a shared link) runs when the page opens.
    await page.goto(`${server.origin}/search.html?q=${encodeURIComponent('記者協會')}`, {
      waitUntil: 'networkidle',
    });
    await page.waitForFunction(searched, '記者協會');
    assert.deepEqual(
      await page.$$eval('#search-results a', (links) => links.map((link) => link.textContent)),
      ['香港新闻自由指数下降'],
    );
    assert.deepEqual(elsewhere, []);
  });

  test('after an incremental build (one new article tokenised, in a second segment), the page finds old and new', async () => {
    const mirror = await sharedDemoMirror();
    const at = '2024-01-15T08:00:00.000Z';
    const text = '台灣選舉後，國際觀察員發表報告。';
    await store.articles.save({
      siteId: 'epochtimes',
      id: 'tw2',
      url: 'https://example.org/tw2.htm',
      homeChannel: 'news',
      pagePath: 'pages/news/tw2.md',
      title: '國際觀察員報告',
      contentHash: 'tw2',
      extracted: JSON.stringify({
        title: '國際觀察員報告',
        body: { type: 'root', children: [{ type: 'text', value: text }] },
        method: 'rules',
        ruleMisses: [],
      }),
      firstSeen: at,
      updatedAt: at,
    });
    const build = await buildSearch({ loaded: mirror.loaded, store, outDir: out });
    assert.equal(build.reindexed, 1);
    assert.equal(build.segments, 2, 'the new article is in the second segment: a query reads both');
    // A new context: nothing of the first index in the browser's cache.
    const fresh = await watchedContext(browser, server.origin, elsewhere);
    const page = await fresh.newPage();
    await page.goto(`${server.origin}/search.html`, { waitUntil: 'load' });
    assert.deepEqual(
      (await searchFor(page, '台湾选举')).sort(),
      ['台灣選舉結果出爐', '國際觀察員報告'].sort(),
    );
    assert.deepEqual(await searchFor(page, '观察员'), ['國際觀察員報告']);
    assert.deepEqual(await searchFor(page, '新聞自由'), ['香港新闻自由指数下降']);
    assert.deepEqual(elsewhere, []);
    await fresh.close();
  });
});
