import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fromHtml } from 'hast-util-from-html';
import { loadRenderCase, RENDER_FIXTURES, renderCaseNames } from '../../../harness/render-fixtures.ts';
import { mirrorSchema } from '../../../src/config/options.ts';
import { heading, text } from '../../../src/pipeline/render/escape.ts';
import { renderPage, toMarkdown } from '../../../src/pipeline/render/index.ts';
import type { Article } from '../../../src/pipeline/types.ts';
import { escapedTags, findElements, renderGfmLikeGitHub, renderGfmSafe, textContent } from './gfm.ts';

/** Tags our page frame writes: none of them may ever show to a reader as text. */
const FRAME_TAGS = ['div', 'img', 'hr', 'a', 'ok', 'br', 'p', 'span'];

const cases = renderCaseNames();

describe('golden pages (regenerate: npx tsx scripts/regen-render-fixtures.ts)', () => {
  test('there are golden cases, including the reference shape', () => {
    assert.ok(cases.includes('reference-shape'));
    assert.ok(cases.length >= 4);
  });
  for (const name of cases) {
    test(name, () => {
      const { article, context } = loadRenderCase(name);
      const expected = readFileSync(join(RENDER_FIXTURES, name, 'expected.md'), 'utf8');
      assert.equal(renderPage(article, context), expected);
    });
    test(`${name}: no raw tag of the frame shows on a GFM renderer`, () => {
      const { article, context } = loadRenderCase(name);
      const html = renderGfmSafe(renderPage(article, context));
      // Tags the article itself shows as text (a title about <script>, code quoting </div>) are the
      // publisher's words; everything beyond them would come from our frame.
      const fromArticle = renderGfmSafe(
        `${heading(3, [text(article.title)])}\n\n${toMarkdown(article.body)}`,
      );
      assert.deepEqual(escapedTags(html, FRAME_TAGS).sort(), escapedTags(fromArticle, FRAME_TAGS).sort());
    });
  }
});

describe('reference page, point by point', () => {
  const { article, context } = loadRenderCase('reference-shape');
  const page = renderPage(article, context);
  const lines = page.split('\n');

  test('1. `### <title>` then a `---` rule', () => {
    assert.equal(lines[0], '### 北欧能源峰会落幕 多国领袖会晤 签署电网互联备忘录');
    assert.equal(lines[1], '');
    assert.equal(lines[2], '---');
  });

  test('2. nav bar: config links made relative to the page folder, each with ?<id>', () => {
    assert.equal(
      lines[4],
      '#### [首页](../../README.md?n14097883) &nbsp;|&nbsp; [禁闻](../../../news/README.md?n14097883)',
    );
  });

  test('3. lead image and caption in a div, then <hr/>, rendered as HTML by GFM', () => {
    assert.ok(
      page.includes('<div><img alt="北欧能源峰会落幕 多国领袖会晤 签署电网互联备忘录" src="../../assets/3f/'),
    );
    assert.ok(
      page.includes('\n<div>2023年10月17日，北欧能源峰会会场附近的峡湾。（示意图）</div></div><hr/>\n'),
    );
    const tree = renderGfmLikeGitHub(page);
    const images = findElements(tree, 'img').map((img) => String(img.properties.src));
    assert.ok(images[0].startsWith('../../assets/3f/'));
    assert.equal(findElements(tree, 'hr').length, 3);
  });

  test('4. body: no scripts, share header, ads or recommendations; h2 demoted to h4; links inert', () => {
    const body = page.slice(page.indexOf('<hr/>'), page.indexOf("<img src='"));
    assert.ok(!body.includes('window.ads'));
    assert.ok(!body.includes('分享'));
    assert.ok(!body.includes('推荐文章'));
    assert.ok(page.includes('\n#### 关键矿产供应链\n'));
    assert.ok(page.includes('签署了一份关于跨境电网互联的谅解备忘录'));
    assert.ok(!page.includes('epochtimes.com/gb/tag'));
    assert.ok(!/<ok\b/.test(page));
  });

  test('5. counter image with {path} = the page path, 0x0', () => {
    assert.ok(
      page.includes(
        "\n<img src='https://counter.example.org/epoch-news/pages/ncid1078159/n14097883.md' width='0px' height='0px'/>\n",
      ),
    );
    const counter = findElements(renderGfmLikeGitHub(page), 'img').at(-2)!;
    assert.equal(counter.properties.width, '0px');
  });

  test('6. footer: rule, original link, share block with the public URL and QR image', () => {
    const footer = page.slice(page.lastIndexOf('\n---\n'));
    assert.equal(
      footer,
      [
        '',
        '---',
        '',
        '原文链接（需翻墙）：https://www.epochtimes.com/gb/23/10/18/n14097883.htm',
        '',
        '手机上长按并复制下列链接或二维码分享本文章',
        '',
        '<https://github.com/someone/epoch-news/blob/main/pages/ncid1078159/n14097883.md>',
        '',
        '![](n14097883.md.png)',
        '',
      ].join('\n'),
    );
  });
});

describe('hostile titles and captions render as literal text', () => {
  const mirror = mirrorSchema.parse({
    title: 'm',
    nav: [{ text: 'Home', href: 'README.md' }],
    counter: 'https://c.example.org/{path}',
  });
  const hostile = [
    '<script>alert(1)</script>',
    '[click](javascript:alert(1))',
    '](javascript:alert(1))',
    '| pipes | in | title |',
    '# heading',
    '```\ncode fence\n```',
    '`tick`',
    '<img src=x onerror=alert(1)>',
    '*emphasis* and _under_',
    '&amp; &lt;b&gt;',
    'C#',
    '---',
  ];
  for (const title of hostile) {
    test(JSON.stringify(title), () => {
      const article: Article = {
        id: 'x1',
        siteId: 's',
        url: 'https://news.example.org/x1.html',
        channels: ['c'],
        title,
        caption: title,
        leadImage: { src: 'https://img.example.org/a.jpg', alt: title },
        body: { type: 'root', children: [] },
      };
      const markdown = renderPage(article, { mirror, pagePath: 'pages/c/x1.md', channelTitle: 'c' });
      const tree = renderGfmLikeGitHub(markdown);
      const expected = title.replace(/\s+/g, ' ').trim();
      const heading = findElements(tree, 'h3')[0];
      assert.equal(textContent(heading), expected, 'title shows as typed');
      const captionDiv = findElements(tree, 'div').find((div) => textContent(div).trim() === expected);
      assert.ok(captionDiv, 'caption shows as typed');
      const images = findElements(tree, 'img');
      assert.equal(images.length, 2, 'lead image and counter only');
      assert.equal(images[0].properties.alt, expected);
      for (const element of [...findElements(tree, 'a'), ...images]) {
        const url = String(element.properties.href ?? element.properties.src ?? '');
        assert.ok(!/^javascript:/i.test(url));
      }
      assert.equal(findElements(tree, 'script').length, 0);
      assert.equal(findElements(tree, 'table').length, 0);
    });
  }

  test('an unsafe lead image source is not written', () => {
    const article: Article = {
      id: 'x2',
      siteId: 's',
      url: 'https://news.example.org/x2.html',
      channels: ['c'],
      title: 't',
      leadImage: { src: 'javascript:alert(1)' },
      body: { type: 'root', children: [] },
    };
    const markdown = renderPage(article, { mirror, pagePath: 'pages/c/x2.md', channelTitle: 'c' });
    assert.ok(!markdown.includes('javascript'));
  });

  test('a body tree that is parsed from hostile HTML still renders no raw tags', () => {
    const body = fromHtml('<p>a &lt;div&gt; b</p>', { fragment: true });
    const article: Article = {
      id: 'x3',
      siteId: 's',
      url: 'https://news.example.org/x3.html',
      channels: ['c'],
      title: 't',
      body,
    };
    const html = renderGfmSafe(renderPage(article, { mirror, pagePath: 'pages/c/x3.md', channelTitle: 'c' }));
    assert.ok(html.includes('a &#x3C;div> b'), 'the literal text from the article shows as text');
    assert.deepEqual(escapedTags(html.replace('a &#x3C;div> b', ''), FRAME_TAGS), []);
  });
});

describe('page frame options', () => {
  const base: Article = {
    id: 'n1',
    siteId: 's',
    url: 'https://news.example.org/n1.html',
    channels: ['c'],
    title: 'T',
    body: {
      type: 'root',
      children: [
        { type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: 'Body' }] },
      ],
    },
  };

  test('without nav, lead image, counter or public URL the page is title, body and original link', () => {
    const page = renderPage(base, {
      mirror: mirrorSchema.parse({ title: 'm' }),
      pagePath: 'pages/c/n1.md',
      channelTitle: 'c',
    });
    assert.equal(
      page,
      '### T\n\n---\n\nBody\n\n\n---\n\n原文链接（需翻墙）：https://news.example.org/n1.html\n',
    );
  });

  test('nav hrefs: absolute stay absolute, queries and fragments kept, {id} filled in', () => {
    const mirror = mirrorSchema.parse({
      title: 'm',
      nav: [
        { text: 'a', href: 'https://example.org/x?y=1#f' },
        { text: 'b', href: 'indexes/c.md#top' },
        { text: 'c', href: 'https://stats.example.org/from/{id}' },
        { text: 'd', href: '.' },
      ],
    });
    const page = renderPage(base, { mirror, pagePath: 'pages/c/n1.md', channelTitle: 'c' });
    const nav = page.split('\n')[4];
    const hrefs = [...nav.matchAll(/\]\(([^)]*)\)/g)].map((match) => match[1].replaceAll('\\', ''));
    assert.deepEqual(hrefs, [
      'https://example.org/x?y=1&n1#f',
      '../../indexes/c.md?n1#top',
      'https://stats.example.org/from/n1',
      '../..?n1',
    ]);
  });
});
