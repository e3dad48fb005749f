// The demo mirror's static HTML site in a real browser (Debian's Chromium, headless) at a phone's viewport:
// no request leaves the site's own origin except the configured counter's image, every image is drawn, nothing
// overflows sideways, and no page has any script. Then the `site` command itself: layout, incremental rebuilds,
// stale files and folders it refuses.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { type FixtureServer, startFixtureServer } from '../../harness/fixture-server.ts';
import { buildSite, siteCommand } from '../../src/cli/site.ts';
import { MIRROR_LAYOUT } from '../../src/internal/mirror-layout.ts';
import { defaultSiteDir } from '../../src/pipeline/publish/site.ts';
import { launchChromium } from '../helpers/browser.ts';
import { closeSharedDemoMirror, type DemoMirror, sharedDemoMirror } from '../helpers/mirror-build.ts';

/** An iPhone 12-14 sized screen: the reader the site is made for. */
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
/** A 1x1 transparent GIF, what a hit counter answers. */
const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

interface PageState {
  images: Array<{ src: string; drawn: boolean }>;
  scrollWidth: number;
  viewport: number;
  scripts: number;
  handlers: string[];
  scriptUrls: string[];
  lang: string;
  viewportMeta?: string;
  stylesheets: number;
}

/** Runs in the page (a string: the project compiles without DOM types); yields a PageState. */
const PAGE_PROBE = `(() => ({
  images: [...document.images].map((image) => ({
    src: image.currentSrc || image.src,
    drawn: image.complete && image.naturalWidth > 0,
  })),
  scrollWidth: document.documentElement.scrollWidth,
  viewport: window.innerWidth,
  scripts: document.scripts.length,
  handlers: [...document.querySelectorAll('*')].flatMap((element) =>
    [...element.attributes].filter((attr) => /^on/i.test(attr.name)).map((attr) => attr.name)),
  scriptUrls: [...document.querySelectorAll('[href], [src]')]
    .map((element) => element.getAttribute('href') ?? element.getAttribute('src') ?? '')
    .filter((url) => /^\\s*(javascript|data|vbscript):/i.test(url)),
  lang: document.documentElement.lang,
  viewportMeta: document.querySelector('meta[name="viewport"]')?.getAttribute('content') ?? undefined,
  stylesheets: document.styleSheets.length,
}))()`;

function filesUnder(dir: string, suffix: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(suffix)) found.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

after(closeSharedDemoMirror);

describe('browser: the static site on a phone', () => {
  let mirror: DemoMirror;
  let siteDir: string;
  let server: FixtureServer;
  let browser: Browser;
  let context: BrowserContext;
  let counterHost: string;
  const requests: Array<{ url: string; page: string }> = [];
  const counterHits: string[] = [];
  const elsewhere: string[] = [];

  before(async () => {
    mirror = await sharedDemoMirror();
    siteDir = join(mirror.work, 'site');
    await buildSite({ loaded: mirror.loaded, out: siteDir, store: mirror.store });
    server = await startFixtureServer({ root: siteDir });
    counterHost = new URL(mirror.loaded.config.mirror.counter!.replace('{path}', 'x')).host;
    browser = await launchChromium();
    context = await browser.newContext(PHONE);
    // Every request is answered here: the site's own origin goes to the server, the counter gets a pixel, anything
    // else is refused and remembered (the assertion below names it).
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin === server.origin) return route.continue();
      if (url.host === counterHost) {
        counterHits.push(url.pathname);
        return route.fulfill({ status: 200, contentType: 'image/gif', body: PIXEL_GIF });
      }
      elsewhere.push(url.href);
      return route.abort('blockedbyclient');
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const articlePage = (articleId: string) => {
    const article = mirror.site.manifest.articles.find((candidate) => candidate.id === articleId)!;
    return `/pages/${article.homeChannel}/${article.id}.html`;
  };

  test('home, index, mirrors and article pages load only from the site (and the counter), fully drawn, no overflow', async (t) => {
    const paths = [
      '/',
      '/indexes/ncid1078159.html',
      '/mirrors.html',
      articlePage('n14097883'), // the reference page's shape
      articlePage('n14097641'), // animated GIF
      articlePage('n14097801'), // embedded widget in the source
      articlePage('n14097688'), // brief without a lead image
      articlePage('1037'), // GBK site, generic extractor
    ];
    let imagesDrawn = 0;
    // All pages at once: the browser waits on the network for one while it lays out another.
    const visit = async (path: string) => {
      const page = await context.newPage();
      page.on('request', (request) => requests.push({ url: request.url(), page: path }));
      const response = await page.goto(server.origin + path, { waitUntil: 'load' });
      assert.equal(response?.status(), 200, `${path} is served`);
      const state = (await page.evaluate(PAGE_PROBE)) as PageState;
      if (path.startsWith('/pages/')) assert.ok(state.images.length > 0, `${path} shows images`);
      for (const image of state.images) assert.ok(image.drawn, `${path}: image not drawn: ${image.src}`);
      imagesDrawn += state.images.length;
      assert.ok(
        state.scrollWidth <= PHONE.viewport.width + 1,
        `${path}: ${state.scrollWidth}px wide on a 390px screen`,
      );
      assert.equal(state.viewport, PHONE.viewport.width);
      assert.equal(state.scripts, 0, `${path}: has a script`);
      assert.deepEqual(state.handlers, [], `${path}: event handler attributes`);
      assert.deepEqual(state.scriptUrls, [], `${path}: script URLs`);
      assert.match(state.lang, /^zh/, `${path}: <html lang>`);
      assert.match(state.viewportMeta ?? '', /width=device-width/);
      assert.equal(state.stylesheets, 1, `${path}: the one stylesheet`);
      await page.close();
    };
    await Promise.all(paths.map(visit));
    assert.deepEqual(elsewhere, [], 'requests to hosts other than the site and the counter');
    const hosts = new Set(requests.map((request) => new URL(request.url).host));
    assert.deepEqual([...hosts].sort(), [new URL(server.origin).host, counterHost].sort());
    const articles = paths.filter((path) => path.startsWith('/pages/'));
    assert.equal(counterHits.length, articles.length, 'the counter is asked once per article page');
    t.diagnostic(
      `${paths.length} pages: ${requests.length} requests (${requests.length - counterHits.length} to the site, ` +
        `${counterHits.length} to the counter, ${elsewhere.length} elsewhere), ${imagesDrawn} images drawn`,
    );
  });

  test('no page of the site carries a script, and each one forbids scripts by its policy', () => {
    const pages = filesUnder(siteDir, '.html');
    // Every Markdown file but the guide to the git host's search, whose place the site's own search page takes.
    const markdown = filesUnder(mirror.mirrorDir, '.md').filter((path) => path !== MIRROR_LAYOUT.searchGuide);
    assert.equal(pages.length, markdown.length, 'one HTML page per Markdown file');
    for (const path of pages) {
      const html = readFileSync(join(siteDir, path), 'utf8');
      assert.doesNotMatch(html, /<script|\son[a-z]+\s*=|javascript:/i, path);
      assert.match(
        html,
        /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;none&#39;/,
        path,
      );
    }
  });
});

describe('newsmirror site', () => {
  let mirror: DemoMirror;
  let out: string;

  before(async () => {
    mirror = await sharedDemoMirror();
    out = join(mkdtempSync(join(tmpdir(), 'newsmirror-site-out-')), 'site');
  });
  after(() => rmSync(join(out, '..'), { recursive: true, force: true }));

  test('writes every page as HTML at the same place, links pointing at HTML pages, assets and QR codes copied', async () => {
    const summary = await buildSite({ loaded: mirror.loaded, out, store: mirror.store });
    const markdown = filesUnder(mirror.mirrorDir, '.md').filter((path) => path !== MIRROR_LAYOUT.searchGuide);
    assert.ok(existsSync(join(mirror.mirrorDir, MIRROR_LAYOUT.searchGuide)));
    assert.equal(summary.pages, markdown.length);
    assert.equal(summary.rendered, markdown.length);
    assert.deepEqual(summary.conflicts, []);
    for (const path of markdown) {
      const html = path === 'README.md' ? 'index.html' : path.replace(/\.md$/, '.html');
      assert.ok(existsSync(join(out, html)), html);
    }
    for (const path of [...filesUnder(mirror.mirrorDir, '.png'), ...filesUnder(mirror.mirrorDir, '.jpg')]) {
      assert.deepEqual(readFileSync(join(out, path)), readFileSync(join(mirror.mirrorDir, path)), path);
    }
    for (const path of ['style.css', 'feed.xml', 'mirrors.html', '.nojekyll'])
      assert.ok(existsSync(join(out, path)), path);
    const home = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(
      home,
      /href="pages\/ncid1078159\/n14097883\.html\?\d+"/,
      'article links end in .html, cache buster kept',
    );
    assert.match(home, /href="indexes\/ncid1078159\.html\?\d+"/);
    assert.match(home, /href="mirrors\.html\?\d+"/);
    assert.doesNotMatch(home, /href="(?!https?:)[^"]*\.md[?"#]/, 'no link to a Markdown page is left');
    const article = readFileSync(join(out, 'pages/ncid1078159/n14097883.html'), 'utf8');
    assert.match(article, /<link rel="stylesheet" href="\.\.\/\.\.\/style\.css">/);
    assert.match(article, /<img src="n14097883\.md\.png"/, 'the QR code keeps its name');
    assert.match(article, /href="\.\.\/\.\.\/index\.html\?n14097883"/, 'the nav links the home page');
  });

  test('a second build renders nothing; a changed source is rendered again; a removed one is removed', async () => {
    const again = await buildSite({ loaded: mirror.loaded, out, store: mirror.store });
    assert.equal(again.rendered, 0);
    assert.equal(again.copied, 0);
    assert.equal(again.written, 0);

    // A source written after its output (as a run does) is rendered again, by content.
    const source = join(mirror.mirrorDir, 'mirrors.md');
    const original = readFileSync(source, 'utf8');
    const later = new Date(Date.now() + 60_000);
    try {
      writeFileSync(source, `${original}\n- [另一个副本](https://example.org/copy/)\n`);
      utimesSync(source, later, later);
      const changed = await buildSite({ loaded: mirror.loaded, out, store: mirror.store });
      assert.equal(changed.rendered, 1);
      assert.match(readFileSync(join(out, 'mirrors.html'), 'utf8'), /另一个副本/);
    } finally {
      writeFileSync(source, original);
      utimesSync(source, new Date(later.getTime() + 1000), new Date(later.getTime() + 1000));
    }

    // A page whose source is gone is removed; files the site never wrote are left alone.
    const extraSource = join(mirror.mirrorDir, 'indexes', 'zz-gone.md');
    writeFileSync(extraSource, '### 临时\n');
    await buildSite({ loaded: mirror.loaded, out, store: mirror.store });
    assert.ok(existsSync(join(out, 'indexes', 'zz-gone.html')));
    rmSync(extraSource);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const pruned = await buildSite({ loaded: mirror.loaded, out, store: mirror.store });
    assert.equal(pruned.removed, 1);
    assert.ok(!existsSync(join(out, 'indexes', 'zz-gone.html')), 'the stale page is removed');
    assert.ok(existsSync(join(out, 'notes.txt')), 'a file the site did not write stays');
  });

  test('refuses an output folder inside the mirror, and defaults to <mirror>-site', async () => {
    await assert.rejects(
      buildSite({ loaded: mirror.loaded, out: join(mirror.mirrorDir, 'site'), store: mirror.store }),
      /must not contain each other/,
    );
    assert.equal(defaultSiteDir(mirror.mirrorDir), `${mirror.mirrorDir}-site`);
    const code = await siteCommand({ config: mirror.configPath });
    assert.equal(code, 0);
    assert.ok(existsSync(join(`${mirror.mirrorDir}-site`, 'index.html')));
    rmSync(`${mirror.mirrorDir}-site`, { recursive: true, force: true });
  });
});
