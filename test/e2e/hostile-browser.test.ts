// Hostile markup in a real browser (issue 17, class 4, the static site, the preview and the HTML bundles): an
// article carrying every script and foreign-load vector (event handlers, javascript:/data: URLs, SVG and MathML
// namespace confusion, mutation-XSS, <base>, <meta refresh>, forms, CSS url(), frames, media) and a title carrying
// Markdown and HTML is mirrored, then each output is opened in headless Chromium. Every vector calls a beacon on a
// loopback host: any request to it, any request off the output's own origin, a CSP violation, a dialog or a page
// error fails the test.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import sharp from 'sharp';
import { type FixtureServer, startFixtureServer } from '../../harness/fixture-server.ts';
import { buildSite } from '../../src/cli/site.ts';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { runMirror } from '../../src/pipeline/run.ts';
import { writeBundle } from '../../src/pipeline/steps/write-bundle.ts';
import { type RunningServer, startServer } from '../../src/server/index.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';
import { launchChromium } from '../helpers/browser.ts';
import { type FaultyServer, serveBytes, startFaultyServer } from '../helpers/faulty-server.ts';

/** Every vector, each calling the beacon `b` (an origin) under its own path so a hit names what ran. */
function vectors(b: string): string {
  const run = (name: string) => `fetch('${b}/${name}')`;
  return [
    `<script>${run('script')}</script><script src="${b}/script.js"></script>`,
    `<img src="x.png" onerror="${run('onerror-mirrored')}" onload="${run('onload')}" alt="mirrored">`,
    `<img src="missing.png" onerror="${run('onerror')}"><p onclick="${run('onclick')}">p</p>`,
    `<details open ontoggle="${run('ontoggle')}"><summary>s</summary>d</details>`,
    `<svg onload="${run('svg-onload')}"><script>${run('svg-script')}</script><animate onbegin="${run('onbegin')}" attributeName="x" dur="1s"/><a xlink:href="javascript:${run('svg-href')}"><text>x</text></a><foreignObject><img src=x onerror="${run('foreign')}"></foreignObject></svg>`,
    `<math><mtext><table><mglyph><style><img src=x onerror="${run('mathml')}"></style></mglyph></table></mtext></math>`,
    `<svg></p><style><a id="</style><img src=1 onerror=${run('mxss-svg')}>"></style></svg>`,
    `<noscript><p title="</noscript><img src=x onerror=${run('mxss-noscript')}>"></p></noscript>`,
    `<form><math><mtext></form><form><mglyph><style></math><img src onerror=${run('mxss-form')}>`,
    `<!--><img src=x onerror=${run('comment')}>--><p><![CDATA[><img src=x onerror=${run('cdata')}>]]></p>`,
    `<base href="${b}/base/"><meta http-equiv="refresh" content="0;url=${b}/refresh"><p><a href="rel.html">rel</a><img src="rel.png" alt="relative"></p>`,
    `<form action="${b}/form"><input name="password" autofocus onfocus="${run('onfocus')}"><input type="image" src="${b}/input.png"><button formaction="javascript:${run('formaction')}">go</button></form>`,
    `<p style="background:url(${b}/style.png)">styled</p><style>@import url(${b}/import.css); body { background: url(${b}/body.png) }</style><link rel="stylesheet" href="${b}/link.css">`,
    `<img srcset="${b}/srcset.png 1x"><video poster="${b}/poster.png" src="${b}/video.mp4" autoplay></video><audio src="${b}/audio.mp3" autoplay></audio><table background="${b}/table.png"><tr><td>t</td></tr></table>`,
    `<iframe src="${b}/iframe"></iframe><iframe srcdoc="&lt;script&gt;${run('srcdoc')}&lt;/script&gt;"></iframe><object data="${b}/object"></object><embed src="${b}/embed">`,
    `<a href="javascript:${run('js-link')}">a</a><a href="&#106;avascript:${run('js-entity')}">b</a><a href="data:text/html,&lt;script&gt;${run('data-link')}&lt;/script&gt;">c</a><img src="data:image/svg+xml,&lt;svg xmlns='http://www.w3.org/2000/svg' onload='${run('data-svg')}'/&gt;">`,
    `<template><img src=x onerror=${run('template')}></template><p>[x](javascript:${run('md-link')}) ![y](${b}/md.png) &lt;img src=x onerror=${run('md-html')}&gt;</p>`,
  ].join('\n');
}

const PARAGRAPHS = Array.from(
  { length: 5 },
  (_, n) =>
    `<p>第${n + 1}段：这是一篇用于测试的新闻稿件，正文有足够的长度，使抽取器能够把它识别为文章，并包含时间、地点和人物。</p>`,
).join('');

/** A 1x1 transparent GIF, what the beacon answers. */
const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

interface Visit {
  url: string;
  /** Requests the output may make (its own origin, or its own file). */
  own: (url: string) => boolean;
}

interface Probe {
  scripts: number;
  handlers: string[];
  scriptUrls: string[];
  forbidden: string[];
  violations: string[];
}

/** Runs in the page (a string: the project compiles without DOM types). */
const PROBE = `(() => ({
  scripts: document.scripts.length,
  handlers: [...document.querySelectorAll('*')].flatMap((element) =>
    [...element.attributes].filter((attr) => /^on/i.test(attr.name)).map((attr) => element.localName + ' ' + attr.name)),
  scriptUrls: [...document.querySelectorAll('[href], [src], [action], [formaction], [xlink\\\\:href]')]
    .flatMap((element) => [...element.attributes].map((attr) => [element.localName, attr.name, attr.value]))
    .filter(([, , url]) => /^[\\s\\u0000-\\u001f]*(javascript|vbscript|data)\\s*:/i.test(url))
    // Bundles carry their images inline, as raster data: URLs, which cannot run anything.
    .filter(([tag, name, url]) => !(tag === 'img' && name === 'src' && /^data:image\\/(png|jpeg|gif|webp);base64,/.test(url)))
    .map(([tag, name, url]) => tag + ' ' + name + '=' + url.slice(0, 60)),
  forbidden: [...document.querySelectorAll('base, meta[http-equiv]:not([http-equiv="Content-Security-Policy"]), form, input, button, iframe, frame, object, embed, svg, math, video, audio, template, link:not([rel=stylesheet]):not([rel=alternate]), body style, [style], [srcset], [background], [poster]')]
    .map((element) => element.localName),
  violations: window.__violations ?? [],
}))()`;

/** Records CSP violations before any of the page's own markup is parsed. */
const RECORD_VIOLATIONS = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});`;

describe('hostile markup in the browser: static site, preview, HTML bundles', () => {
  let site: FaultyServer;
  let beacon: FaultyServer;
  let loaded: LoadedConfig;
  let store: Store;
  let http: HttpClient;
  let siteServer: FixtureServer;
  let preview: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-hostile-browser-'));
  const siteDir = join(work, 'site');
  const bundleDir = join(work, 'bundles');
  /** Requests the browser made off the visited output's own origin (or file). */
  const foreign: string[] = [];
  const incidents: string[] = [];
  let visits: Visit[] = [];

  before(async () => {
    site = await startFaultyServer({ host: '127.0.0.1' });
    beacon = await startFaultyServer({ host: '127.0.0.9' });
    beacon.route('/', serveBytes(PIXEL_GIF, 'image/gif'));
    const b = beacon.origin;
    const png = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#468' } })
      .png()
      .toBuffer();
    site.route('/a/x.png', serveBytes(png, 'image/png'));
    const title = `<script>fetch('${b}/title')</script> [点我](javascript:fetch('${b}/title-md')) ![t](${b}/title.png) <img src=x onerror="fetch('${b}/title-img')"> # 标题`;
    const escapedTitle = title.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    site.route(
      '/a/hostile.html',
      serveBytes(
        `<!doctype html><html><head><meta charset="utf-8"><title>${escapedTitle}</title></head><body><h1>${escapedTitle}</h1><div id="artbody">${PARAGRAPHS}${vectors(b)}<p>正文最后一段。</p></div></body></html>`,
        'text/html; charset=utf-8',
      ),
    );
    site.route(
      '/list.html',
      serveBytes(
        '<!doctype html><html><body><div class="list"><a href="/a/hostile.html">x</a></div></body></html>',
        'text/html',
      ),
    );
    const text = `mirror:
  dir: ./mirror
  title: 敌意标记测试
  remotes: []
fetch:
  allowPrivateAddresses: true
  retries: 0
store:
  path: ./store.sqlite
sites:
  - id: hostile
    name: Hostile
    base: ${site.origin}/
    articleId: '/a/(.+)\\.html$'
    rules: { body: '#artbody', title: h1 }
    channels:
      - { id: news, title: 新闻, listing: { url: ${site.origin}/list.html, links: '.list a' } }
`;
    loaded = parseConfigText(text, join(work, 'newsmirror.yaml'), work);
    store = await openSqliteStore(loaded.storePath);
    http = createHttpClient(loaded.config.fetch);
    const summary = await runMirror({ loaded, store, http, log: silentLogger, push: false });
    assert.equal(summary.new, 1, JSON.stringify(summary.failures));
    // The mirror's own fetcher may have tried image URLs of the page; only the browser's requests count below.
    beacon.requests.length = 0;
    // A page the pipeline did not write (edited by hand, or a mirror tampered with): raw HTML in Markdown, which the
    // site and the preview render with their own sanitiser, as the git host does.
    writeFileSync(
      join(loaded.mirrorDir, 'pages/news/raw.md'),
      `### 手写的页面\n\n${vectors(b)}\n\n[点我](javascript:fetch('${b}/md-js'))\n\n<a href="javascript:fetch('${b}/raw-a')">a</a>\n`,
    );

    await buildSite({ loaded, out: siteDir, store });
    siteServer = await startFixtureServer({ root: siteDir });
    preview = await startServer({ store, mirrorDir: loaded.mirrorDir, mirrorTitle: '敌意标记测试', port: 0 });
    const bundles = await writeBundle({ loaded, store, format: 'html', out: bundleDir });
    const channelBundle = join(work, 'news.html');
    await writeBundle({ loaded, store, format: 'html', channel: 'news', out: channelBundle });

    const sameOrigin = (origin: string) => (url: string) => new URL(url).origin === origin;
    const previewAt = (path: string) => `${preview.url}${preview.previewBase}${path}`;
    const files = [...bundles.files, channelBundle].map((file) => pathToFileURL(file).href);
    visits = [
      ...['/', '/indexes/news.html', '/pages/news/hostile.html', '/pages/news/raw.html'].map((path) => ({
        url: siteServer.origin + path,
        own: sameOrigin(siteServer.origin),
      })),
      ...['', 'indexes/news.md', 'pages/news/hostile.md', 'pages/news/raw.md'].map((path) => ({
        url: previewAt(path),
        own: sameOrigin(preview.url),
      })),
      ...files.map((url) => ({ url, own: (requested: string) => requested === url })),
    ];

    browser = await launchChromium();
    context = await browser.newContext();
    await context.addInitScript(RECORD_VIOLATIONS);
    // Each page's own requests are checked against its output (below); here anything off every output is refused,
    // but the beacon's go through, so a hit shows in its own log too.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (visits.some((visit) => visit.own(url)) || new URL(url).origin === beacon.origin)
        return route.continue();
      foreign.push(url);
      return route.abort('blockedbyclient');
    });
  });

  after(async () => {
    await browser?.close();
    await preview?.close();
    await siteServer?.close();
    await http?.close();
    await store?.close();
    await site?.close();
    await beacon?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('each output opens with no script run, no foreign request, no CSP violation', async (t) => {
    const results: Array<{ url: string; probe: Probe }> = [];
    for (const visit of visits) {
      const page = await context.newPage();
      page.on('dialog', (dialog) => {
        incidents.push(`${visit.url}: dialog ${dialog.message()}`);
        void dialog.dismiss();
      });
      page.on('pageerror', (error) => incidents.push(`${visit.url}: page error ${error.message}`));
      page.on('request', (request) => {
        if (!visit.own(request.url())) foreign.push(`${visit.url} -> ${request.url()}`);
      });
      const response = await page.goto(visit.url, { waitUntil: 'load' });
      assert.ok(!response || response.status() === 200, `${visit.url}: ${response?.status()}`);
      // Timers, autoplay, refreshes and lazy loads get a moment to show themselves.
      await page.waitForTimeout(300);
      assert.equal(page.url(), visit.url, 'no refresh or redirect took the page elsewhere');
      results.push({ url: visit.url, probe: (await page.evaluate(PROBE)) as Probe });
      await page.close();
    }
    for (const { url, probe } of results) {
      assert.equal(probe.scripts, 0, `${url}: a script element`);
      assert.deepEqual(probe.handlers, [], `${url}: event handler attributes`);
      assert.deepEqual(probe.scriptUrls, [], `${url}: script URLs`);
      assert.deepEqual(probe.forbidden, [], `${url}: elements that load, submit or re-base`);
      assert.deepEqual(probe.violations, [], `${url}: CSP violations`);
    }
    assert.deepEqual(incidents, []);
    assert.deepEqual(foreign, [], 'requests off the output');
    assert.deepEqual(beacon.requests, [], 'the beacon was never called');
    t.diagnostic(
      `${results.length} pages: ${visits.map((visit) => visit.url.replace(work, '…')).join(', ')}`,
    );
  });

  test('the mirrored image is shown, so its element was kept and checked', async () => {
    const page = await context.newPage();
    await page.goto(`${siteServer.origin}/pages/news/hostile.html`, { waitUntil: 'load' });
    const drawn = (await page.evaluate(
      `[...document.images].filter((image) => image.complete && image.naturalWidth > 0).length`,
    )) as number;
    await page.close();
    assert.ok(drawn >= 1, `${drawn} images drawn`);
  });
});
