// Hostile input through the whole pipeline: a channel whose listing links to articles that misbehave in every
// way the issue names. Each gives a clear error for that article or is handled; the run goes on; what was already
// mirrored stays; nothing is written outside the mirror; no page carries executable HTML; no request reaches a
// private address. The fixture site is "public" (127.0.0.1 and 127.0.0.3 are let through the private-address
// check by the test's client); 127.0.0.2, 10.x, 169.254.169.254 and ::1 are private, as they are in production.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { DEMO_DIR } from '../../harness/demo-site.ts';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { isSafeId } from '../../src/internal/ids.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { isPrivateAddress } from '../../src/pipeline/fetch/private-address.ts';
import { type RunSummary, runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';
import {
  endlessBody,
  type FaultyServer,
  gzipBomb,
  redirectTo,
  serveBytes,
  slowDrip,
  startFaultyServer,
} from '../helpers/faulty-server.ts';

/** Addresses the test treats as public hosts; every other private address keeps being refused. */
const PUBLIC_FOR_THIS_TEST = new Set(['127.0.0.1', '127.0.0.3']);

const PARAGRAPHS = [
  '【本报讯】这是一篇用于测试的新闻稿件，正文有足够的长度，使抽取器能够把它识别为文章。',
  '第二段继续叙述事件的经过，包含时间、地点和人物，以及相关方面的回应和评论。',
  '第三段是背景介绍：此前类似的事件曾多次发生，引起了社会各界的广泛关注和讨论。',
];

function articleHtml(
  title: string,
  body = PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n'),
  head = '',
): string {
  return `<!doctype html><html><head><meta charset="utf-8">${head}<title>${title}</title></head>
<body><h1>${title}</h1><div id="artbody">${body}</div></body></html>`;
}

interface Case {
  name: string;
  /** Path (as linked, percent-encoded) on the site. */
  path: string;
  /** Links to put on the listing (default the path itself). */
  links?: string[];
}

describe('hostile input', () => {
  let site: FaultyServer;
  let privateHost: FaultyServer;
  let otherHost: FaultyServer;
  let loaded: LoadedConfig;
  let store: Store;
  let http: HttpClient;
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-hostile-'));
  const listed: string[] = [];
  let goodPage = '';
  let summary: RunSummary;
  const run = () => runMirror({ loaded, store, http, log: silentLogger });
  const mirrorDir = () => loaded.mirrorDir;

  const cases: Case[] = [];
  const addCase = (
    name: string,
    path: string,
    handler: Parameters<FaultyServer['route']>[1],
    links?: string[],
  ) => {
    cases.push({ name, path, links });
    site.route(path, handler);
  };

  before(async () => {
    site = await startFaultyServer({ host: '127.0.0.1' });
    privateHost = await startFaultyServer({ host: '127.0.0.2' });
    otherHost = await startFaultyServer({ host: '127.0.0.3' });
    privateHost.route('/secret.html', serveBytes(articleHtml('内网机密'), 'text/html; charset=utf-8'));
    privateHost.route('/i.png', serveBytes('not really', 'image/png'));
    otherHost.route('/a/moved.html', serveBytes(articleHtml('搬到别处的文章'), 'text/html; charset=utf-8'));

    site.route('/list.html', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><body><div class="list">${listed.map((href, i) => `<a href="${href}">条目${i}</a>`).join('\n')}</div></body></html>`,
      );
    });
    site.route('/a/good.html', serveBytes(articleHtml('一篇正常的文章'), 'text/html; charset=utf-8'));

    const text = `mirror:
  dir: ./mirror
  title: 敌意输入测试
  remotes: []
fetch:
  allowPrivateAddresses: false
  retries: 0
  # A 10 s budget per attempt: the slow drip outlives it, while reading 10 MB (endless body, bomb, big page)
  # fits it even on a loaded machine.
  connectTimeoutMs: 1000
  headersTimeoutMs: 3000
  bodyTimeoutMs: 6000
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
    http = createHttpClient(loaded.config.fetch, {
      backoffBaseMs: 1,
      isPrivateAddress: (address) => !PUBLIC_FOR_THIS_TEST.has(address) && isPrivateAddress(address),
    });
  });

  after(async () => {
    await http?.close();
    await store?.close();
    await site?.close();
    await privateHost?.close();
    await otherHost?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('a first run mirrors a good article', async () => {
    listed.push('/a/good.html');
    const first = await run();
    assert.equal(first.new, 1);
    goodPage = readFileSync(join(mirrorDir(), 'pages/news/good.md'), 'utf8');
  });

  test('a run over every hostile case goes on to the end, each case failing alone or handled', async () => {
    const gbk = readFileSync(join(DEMO_DIR, 'site/gbk/a/1039.html'));
    const gbkWithoutMeta = Buffer.from(
      gbk.toString('latin1').replace(/<meta http-equiv="Content-Type"[^>]*>/i, ''),
      'latin1',
    );
    const invalidUtf8 = Buffer.concat([
      // A long page with a few broken sequences (under charset.ts's 5% tolerance): decoded as UTF-8 with U+FFFD.
      Buffer.from(
        articleHtml(
          '无效字节的文章',
          PARAGRAPHS.concat(PARAGRAPHS, PARAGRAPHS)
            .map((p) => `<p>${p}</p>`)
            .join(''),
        ).replace('</p>', ''),
      ),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]),
      Buffer.from('</p>'),
    ]);
    const privateImages = [
      `${privateHost.origin}/i.png`,
      'http://10.0.0.1/x.jpg',
      'http://169.254.169.254/latest/meta-data/y.jpg',
      `http://[::1]:${privateHost.port}/z.png`,
    ];
    const injectedTitle =
      '&lt;script&gt;alert(1)&lt;/script&gt; [点我](javascript:alert(1)) | a | b | # 标题 &lt;img src=x onerror=alert(1)&gt;';
    const injectedBody = [
      `<p>${PARAGRAPHS[0]}</p>`,
      '<script>alert("body")</script>',
      '<p><a href="javascript:alert(1)">脚本链接</a> 与 <a href="JaVaScRiPt:alert(2)">大小写混合</a></p>',
      '<p><img src="x.png" onerror="alert(1)">图片事件</p>',
      '<p onclick="alert(1)">带事件的段落</p>',
      '<iframe src="http://evil.example/"></iframe><svg onload="alert(1)"><circle r="1"/></svg>',
      '<style>body{background:url(javascript:alert(1))}</style>',
      '<p>| 表 | 格 |</p><p>| - | - |</p><p># 不是标题</p><p>## 也不是</p>',
      '<p>&lt;script&gt;alert("text")&lt;/script&gt; 以及 [文字链接](javascript:alert(3)) 和 &lt;img src=x onerror=alert(4)&gt;</p>',
      '<p>![图](javascript:alert(5)) &lt;a href="javascript:alert(6)"&gt;x&lt;/a&gt;</p>',
      `<p>${PARAGRAPHS[1]}</p><p>${PARAGRAPHS[2]}</p>`,
    ].join('\n');
    const bigFiller = 'x'.repeat(9_900_000);

    addCase('slow-drip body', '/a/slow-drip.html', slowDrip({ everyMs: 50, total: 1_000_000 }));
    addCase('never-ending body', '/a/endless.html', endlessBody());
    addCase('gzip bomb (64 MB of zeros)', '/a/gzip-bomb.html', gzipBomb(64 * 1024 * 1024));
    addCase(
      'missing charset (GBK bytes, no header or meta)',
      '/a/no-charset.html',
      serveBytes(gbkWithoutMeta, 'text/html'),
    );
    addCase(
      'lying charset (GBK bytes sent as UTF-8)',
      '/a/lying-charset.html',
      serveBytes(gbkWithoutMeta, 'text/html; charset=utf-8'),
    );
    addCase('invalid UTF-8', '/a/invalid-utf8.html', serveBytes(invalidUtf8, 'text/html; charset=utf-8'));
    addCase('redirect loop', '/a/loop-a.html', redirectTo('/a/loop-b.html'));
    site.route('/a/loop-b.html', redirectTo('/a/loop-a.html'));
    addCase('cross-host redirect', '/a/cross-host.html', redirectTo(`${otherHost.origin}/a/moved.html`));
    addCase(
      'redirect to a private address',
      '/a/to-private.html',
      redirectTo(`${privateHost.origin}/secret.html`),
    );
    addCase(
      'redirect to 169.254.169.254',
      '/a/to-metadata.html',
      redirectTo('http://169.254.169.254/latest/meta-data/'),
    );
    addCase(
      'images on private addresses (127.0.0.2, 10.x, 169.254.169.254, ::1)',
      '/a/private-images.html',
      serveBytes(
        articleHtml(
          '内含内网图片的文章',
          `${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('')}${privateImages.map((src) => `<p><img src="${src}" alt="内网图"></p>`).join('')}`,
        ),
        'text/html; charset=utf-8',
      ),
    );
    const idPage = (title: string) => serveBytes(articleHtml(title), 'text/html; charset=utf-8');
    addCase('id with ../', '/a/..%2F..%2F..%2Fescape.html', idPage('路径穿越'));
    addCase('id with slashes', '/a/x%2Fy%2Fz.html', idPage('带斜杠的编号'));
    addCase('id with NUL', '/a/nul%00byte.html', idPage('带空字符的编号'));
    addCase('id of 300 characters', `/a/${'x'.repeat(300)}.html`, idPage('很长的编号'));
    addCase(
      'Markdown/HTML injection in title and body',
      '/a/injection.html',
      serveBytes(articleHtml(injectedTitle, injectedBody), 'text/html; charset=utf-8'),
    );
    addCase(
      '10 MB page',
      '/a/big.html',
      serveBytes(
        articleHtml('十兆字节的页面', undefined, `<script>var filler="${bigFiller}";</script>`),
        'text/html; charset=utf-8',
      ),
    );
    addCase(
      'one article under utm variants',
      '/a/utm.html',
      serveBytes(articleHtml('带跟踪参数的文章'), 'text/html; charset=utf-8'),
      ['/a/utm.html?utm_source=twitter', '/a/utm.html?utm_medium=social&utm_campaign=x', '/a/utm.html'],
    );
    // Bytes of no text: a listing may link a photo or a PDF; decoded they could pass for a page of text.
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, n) => (n * 7919 + 13) % 256));
    addCase('an image where an article should be', '/a/photo.html', serveBytes(noise, 'image/jpeg'));
    addCase('a PDF where an article should be', '/a/report.html', serveBytes(noise, 'application/pdf'));
    for (const entry of cases) listed.push(...(entry.links ?? [entry.path]));

    summary = await run();
    const outcomes = describeOutcomes(cases, summary, site.origin);
    for (const line of outcomes) console.log(`hostile: ${line}`);

    const codeOf = (path: string) =>
      summary.failures.find((failure) => new URL(failure.url).pathname === path)?.code;
    assert.equal(codeOf('/a/slow-drip.html'), 'timeout');
    assert.equal(codeOf('/a/endless.html'), 'too_large');
    assert.match(codeOf('/a/gzip-bomb.html') ?? '', /^(too_large|decompression)$/);
    assert.equal(codeOf('/a/loop-a.html'), 'redirect_loop');
    assert.equal(codeOf('/a/to-private.html'), 'private_address');
    assert.equal(codeOf('/a/to-metadata.html'), 'private_address');
    assert.equal(codeOf('/a/photo.html'), 'not_article');
    assert.equal(codeOf('/a/report.html'), 'not_article');
    for (const failure of summary.failures) {
      assert.ok(
        failure.message.includes(new URL(failure.url).pathname.slice(0, 40)) ||
          failure.message.includes(failure.url.slice(0, 40)),
        `the message names the article: ${failure.message}`,
      );
    }
    // Handled: mirrored, one page each.
    const page = (id: string) => readFileSync(join(mirrorDir(), 'pages/news', `${id}.md`), 'utf8');
    assert.match(page('no-charset'), /广州一城中村改造启动/);
    assert.match(page('lying-charset'), /广州一城中村改造启动/);
    assert.match(page('invalid-utf8'), /无效字节的文章/);
    assert.match(page('private-images'), /内含内网图片的文章/);
    assert.match(page('big'), /十兆字节的页面/);
    assert.match(page('utm'), /带跟踪参数的文章/);
    assert.equal(site.hits('/a/utm.html'), 1, 'the utm variants are one article, fetched once');
    // Each private image failed (refused before any connection) and is not hotlinked either.
    assert.ok(summary.images.failed >= privateImages.length, `images failed: ${summary.images.failed}`);
    for (const src of ['127.0.0.2', '10.0.0.1', '169.254.169.254', '[::1]']) {
      assert.ok(!page('private-images').includes(src), `no link to ${src}`);
    }
    assert.ok(summary.new >= 10, `new ${summary.new}`);
  });

  test('no request reached a private address', () => {
    assert.deepEqual(privateHost.requests, []);
  });

  test('hostile ids become safe, stable file names inside the mirror', () => {
    const pages = readdirSync(join(mirrorDir(), 'pages/news')).filter((name) => name.endsWith('.md'));
    for (const name of pages) {
      const id = name.slice(0, -'.md'.length);
      assert.ok(isSafeId(id), `safe id: ${JSON.stringify(id)}`);
      assert.ok(Buffer.byteLength(name) < 255, name);
    }
    const titles = ['路径穿越', '带斜杠的编号', '带空字符的编号', '很长的编号'];
    for (const title of titles) {
      const holders = pages.filter((name) =>
        readFileSync(join(mirrorDir(), 'pages/news', name), 'utf8').startsWith(`### ${title}`),
      );
      assert.equal(holders.length, 1, `one page for ${title}: ${holders.join(', ')}`);
    }
    // Nothing outside the mirror: the work folder holds only the mirror, the store and the config's neighbours.
    const outside = readdirSync(work).filter((name) => name !== 'mirror' && !name.startsWith('store.sqlite'));
    assert.deepEqual(outside, []);
    const root = realpathSync(mirrorDir());
    for (const file of walk(mirrorDir())) {
      assert.ok(!relative(root, realpathSync(file)).startsWith('..'), file);
      assert.notEqual(basename(file), 'escape.md');
    }
  });

  test('no page carries executable HTML, even rendered with raw HTML allowed', () => {
    for (const file of walk(join(mirrorDir(), 'pages')).filter((path) => path.endsWith('.md'))) {
      const problems = executableHtml(readFileSync(file, 'utf8'));
      assert.deepEqual(problems, [], relative(mirrorDir(), file));
    }
    const injected = readFileSync(join(mirrorDir(), 'pages/news/injection.md'), 'utf8');
    assert.match(injected, /带事件的段落/, 'the text survives');
    // The title is one line of text, not a table or a second heading.
    assert.equal(injected.split('\n')[0].startsWith('### '), true);
    assert.doesNotMatch(injected.split('\n')[0], /\n/);
  });

  test('the next run goes on: nothing mirrored is lost, failures are retried alone', async () => {
    const again = await run();
    assert.equal(readFileSync(join(mirrorDir(), 'pages/news/good.md'), 'utf8'), goodPage);
    assert.equal(again.new, 0);
    for (const failure of again.failures) {
      assert.ok(
        summary.failures.some((before) => before.url === failure.url),
        `only earlier failures fail again: ${failure.url}`,
      );
    }
  });
});

function walk(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(path));
    else if (statSync(path).isFile()) found.push(path);
  }
  return found;
}

const EXECUTABLE_ELEMENTS = new Set([
  'script',
  'iframe',
  'object',
  'embed',
  'style',
  'frame',
  'frameset',
  'base',
  'form',
  'meta',
  'link',
]);
const SCRIPT_URL = /^\s*(javascript|vbscript|data\s*:\s*text\/html)/i;

/** Renders Markdown as a permissive host would (GFM, raw HTML passed through) and lists what could run. */
function executableHtml(markdown: string): string[] {
  const html = String(
    unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkRehype, { allowDangerousHtml: true })
      .use(rehypeStringify, { allowDangerousHtml: true })
      .processSync(markdown),
  );
  const tree: Root = fromHtml(html, { fragment: true });
  const problems: string[] = [];
  visit(tree, 'element', (node: Element) => {
    if (EXECUTABLE_ELEMENTS.has(node.tagName)) problems.push(`<${node.tagName}>`);
    if (node.tagName === 'svg' || node.tagName === 'math') problems.push(`<${node.tagName}>`);
    for (const [name, value] of Object.entries(node.properties ?? {})) {
      if (/^on/i.test(name)) problems.push(`${node.tagName} ${name}`);
      const text = Array.isArray(value) ? value.join(' ') : String(value);
      if (['href', 'src', 'action', 'formAction', 'xLinkHref'].includes(name) && SCRIPT_URL.test(text)) {
        problems.push(`${node.tagName} ${name}=${text}`);
      }
    }
  });
  return problems;
}

/** One line per case: what happened to it (for the table in docs/operations.md). */
function describeOutcomes(cases: Case[], summary: RunSummary, origin: string): string[] {
  return cases.map((entry) => {
    const failure = summary.failures.find((candidate) => candidate.url.startsWith(`${origin}${entry.path}`));
    if (failure)
      return `${entry.name}: failed alone, ${failure.code}${failure.retryable ? ' (retried)' : ''}: ${failure.message}`;
    return `${entry.name}: handled`;
  });
}
