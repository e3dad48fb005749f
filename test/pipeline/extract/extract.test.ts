import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Element, Root, RootContent } from 'hast';
import { ExtractError } from '../../../src/internal/errors.ts';
import * as api from '../../../src/pipeline/extract/index.ts';
import { extractArticle } from '../../../src/pipeline/extract/index.ts';

const URL_ = 'https://news.example/gb/23/10/18/n1.htm';
const PROSE =
  '台风过境后，沿海三座城市的教育部门宣布周三全天停课，公共交通部分停驶，低洼地区约三万居民已被疏散到学校和体育馆等临时安置点。';
const PROSE_EN =
  'The bridge opened to traffic again on Wednesday morning, ending a two-year closure that pushed thousands of commuters onto a long detour through the industrial district.';

function elements(root: Root): Element[] {
  const found: Element[] = [];
  const visit = (nodes: RootContent[]): void => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      found.push(node);
      visit(node.children);
    }
  };
  visit(root.children);
  return found;
}

function text(root: Root): string {
  let out = '';
  const visit = (nodes: RootContent[]): void => {
    for (const node of nodes) {
      if (node.type === 'text') out += node.value;
      else if (node.type === 'element') visit(node.children);
    }
  };
  visit(root.children);
  return out;
}

const rulesPage = (body: string, extra = '') => `<html><head><title>标题 | 某报</title>${extra}</head><body>
  <header><h1 class="title">台风过境 三市停课</h1><nav><a href="/">首页</a></nav></header>
  <div class="featured_image"><img src="/blank.gif"><noscript><img src="/img/lead.jpg" alt="lead"></noscript><div class="caption">图说</div></div>
  ${body}
  <aside>侧栏热门新闻列表，侧栏热门新闻列表，侧栏热门新闻列表，侧栏热门新闻列表。</aside>
</body></html>`;
const RULES = {
  body: '#artbody',
  title: 'h1.title',
  leadImage: '.featured_image noscript img',
  caption: '.featured_image .caption',
  remove: ['header', '#below_article_ad', 'aside', '.missing-thing'],
};

describe('extractArticle with site rules', () => {
  const html = rulesPage(
    `<div id="artbody"><p>${PROSE}<a href="/gb/tag/台风.html">台风</a></p><div id="below_article_ad">广告</div><script>x()</script><iframe src="https://e.example/v"></iframe><p>${PROSE}</p></div>`,
  );

  test('reads fields through the rules and applies every remove on its own', () => {
    const article = extractArticle(html, { url: URL_, rules: RULES });
    assert.ok(article);
    assert.equal(article.method, 'rules');
    // The title sits in <header>, which a remove rule names: it is read before anything is removed.
    assert.equal(article.title, '台风过境 三市停课');
    assert.deepEqual(article.leadImage, { src: 'https://news.example/img/lead.jpg', alt: 'lead' });
    assert.equal(article.caption, '图说');
    assert.deepEqual(article.ruleMisses, ['remove:.missing-thing']);
    const body = text(article.body);
    assert.ok(!body.includes('广告'), 'ad removed although an earlier remove selector missed');
    assert.ok(!body.includes('x()'), 'scripts dropped');
    assert.ok(!elements(article.body).some((element) => element.tagName === 'iframe'));
    assert.ok(body.includes(PROSE));
  });

  test('links and images in the body are absolute', () => {
    const article = extractArticle(html, { url: URL_, rules: RULES })!;
    const link = elements(article.body).find((element) => element.tagName === 'a');
    assert.equal(link?.properties.href, 'https://news.example/gb/tag/%E5%8F%B0%E9%A3%8E.html');
  });

  test('a body rule that matches nothing falls back to the generic extractor and says so', () => {
    const redesigned = rulesPage(
      `<article class="story"><p>${PROSE}</p><p>${PROSE}</p><p>${PROSE}</p></article>`,
    );
    const article = extractArticle(redesigned, { url: URL_, rules: RULES });
    assert.ok(article);
    assert.equal(article.method, 'generic');
    assert.equal(article.ruleMisses[0], 'body');
    assert.ok(text(article.body).includes(PROSE));
  });

  test('a body rule that finds only an empty shell counts as a miss too', () => {
    const shell = rulesPage(
      `<div id="artbody"> <p>加载中</p> </div><article><p>${PROSE}</p><p>${PROSE}</p></article>`,
    );
    const article = extractArticle(shell, { url: URL_, rules: RULES });
    assert.equal(article?.method, 'generic');
    assert.ok(article?.ruleMisses.includes('body'));
  });

  test('a body made of one picture is not an empty shell', () => {
    const photo = rulesPage('<div id="artbody"><img src="/img/photo.jpg" alt="p"></div>');
    assert.equal(extractArticle(photo, { url: URL_, rules: RULES })?.method, 'rules');
  });

  test('a body rule with alternatives falls back to the older template', () => {
    const old = rulesPage(`<div class="old-body"><p>${PROSE}</p></div>`);
    const article = extractArticle(old, { url: URL_, rules: { ...RULES, body: '#artbody, .old-body' } });
    assert.equal(article?.method, 'rules');
    assert.deepEqual(article?.ruleMisses, ['remove:#below_article_ad', 'remove:.missing-thing']);
  });

  test('null when neither the rules nor the generic extractor find an article', () => {
    const listing = rulesPage(
      '<ul class="list"><li><a href="/a.htm">一条新闻</a><p>短摘要</p></li><li><a href="/b.htm">二条新闻</a><p>短摘要</p></li></ul>',
    );
    assert.equal(extractArticle(listing, { url: URL_, rules: RULES }), null);
    assert.equal(extractArticle('<html><body><p>404 页面不存在</p></body></html>', { url: URL_ }), null);
    assert.equal(extractArticle('', { url: URL_ }), null);
  });
});

describe('extractArticle without rules', () => {
  test("a script app's no-script copy is the article when the page holds nothing else", () => {
    const page = `<html><head><title>Thread</title></head><body><div id="app"><p>Loading…</p></div>
      <noscript><p>Please enable JavaScript.</p></noscript>
      <noscript data-path="/t/1"><h1>Bridge reopens</h1><p>${PROSE_EN}</p><p>${PROSE_EN}</p></noscript></body></html>`;
    const article = extractArticle(page, { url: URL_ });
    assert.ok(article, 'the copy inside <noscript> is read');
    assert.match(text(article.body), /bridge opened to traffic/);
    assert.doesNotMatch(text(article.body), /enable JavaScript/);
    const shell = '<html><body><article><p>' + PROSE_EN.repeat(3) + '</p></article>';
    const withFallback = `${shell}<noscript><p>${PROSE_EN}</p></noscript></body></html>`;
    assert.equal(
      text(extractArticle(withFallback, { url: URL_ })?.body ?? { type: 'root', children: [] }).split(
        'bridge opened',
      ).length,
      4,
      'a noscript smaller than the page stays out',
    );
  });

  test('uses the generic extractor and page metadata, with no rule misses', () => {
    const html = `<html lang="en"><head><meta property="og:title" content="Bridge reopens"><meta property="article:published_time" content="2023-10-18T06:00:00-04:00"><link rel="canonical" href="/news/bridge"></head>
      <body><h1>Bridge reopens</h1><p>By Maria Okafor</p><div class="story"><p>${PROSE_EN}</p><p>${PROSE_EN}</p></div></body></html>`;
    const article = extractArticle(html, { url: 'https://harbor.example/news/bridge?utm=x' });
    assert.ok(article);
    assert.equal(article.method, 'generic');
    assert.deepEqual(article.ruleMisses, []);
    assert.equal(article.title, 'Bridge reopens');
    assert.equal(article.published, '2023-10-18T06:00:00-04:00');
    assert.equal(article.author, 'Maria Okafor');
    assert.equal(article.lang, 'en');
    assert.equal(article.canonicalUrl, 'https://harbor.example/news/bridge');
  });

  test('<base href> decides how relative URLs resolve', () => {
    const html = `<html><head><base href="https://cdn.example/site/"></head><body><div><p>${PROSE_EN} <a href="more/info.html">more</a></p><p><img src="pics/a.jpg" alt="a"></p><p>${PROSE_EN}</p></div></body></html>`;
    const article = extractArticle(html, { url: 'https://harbor.example/news/bridge' })!;
    const found = elements(article.body);
    assert.equal(
      found.find((element) => element.tagName === 'a')?.properties.href,
      'https://cdn.example/site/more/info.html',
    );
    assert.equal(
      found.find((element) => element.tagName === 'img')?.properties.src,
      'https://cdn.example/site/pics/a.jpg',
    );
  });

  test('javascript: links lose their href', () => {
    const html = `<div><p>${PROSE_EN} <a href="javascript:void(0)">share</a></p><p>${PROSE_EN}</p></div>`;
    const article = extractArticle(html, { url: 'https://harbor.example/n' })!;
    const link = elements(article.body).find((element) => element.tagName === 'a');
    assert.equal(link?.properties.href, undefined);
  });

  test('the lead image is not repeated at the top of the body; its figure caption becomes the caption', () => {
    const html = `<head><meta property="og:image" content="https://img.example/u/lead-600x400.jpg"></head>
      <div class="story"><figure><img src="https://img.example/u/lead-1200x800.jpg" alt="x"><figcaption>Morning commuters.</figcaption></figure><p>${PROSE_EN}</p><p>${PROSE_EN}</p><figure><img src="https://img.example/u/other.jpg"></figure></div>`;
    const article = extractArticle(html, { url: 'https://harbor.example/n' })!;
    assert.equal(article.leadImage?.src, 'https://img.example/u/lead-600x400.jpg');
    assert.equal(article.caption, 'Morning commuters.');
    const images = elements(article.body).filter((element) => element.tagName === 'img');
    assert.deepEqual(
      images.map((img) => img.properties.src),
      ['https://img.example/u/other.jpg'],
    );
    assert.ok(!text(article.body).includes('Morning commuters.'));
  });

  test('an image later in the body is kept even when it is the lead image', () => {
    const html = `<head><meta property="og:image" content="https://img.example/lead.jpg"></head>
      <div class="story"><p>${PROSE_EN}</p><p><img src="https://img.example/lead.jpg"></p><p>${PROSE_EN}</p></div>`;
    const article = extractArticle(html, { url: 'https://harbor.example/n' })!;
    assert.equal(elements(article.body).filter((element) => element.tagName === 'img').length, 1);
  });

  test('an h1 repeating the title is removed from the body', () => {
    const html = `<head><title>Bridge reopens | Harbor</title></head><div id="body"><h1>Bridge  reopens</h1><p>${PROSE_EN}</p><p>${PROSE_EN}</p></div>`;
    const article = extractArticle(html, { url: 'https://harbor.example/n', rules: { body: '#body' } })!;
    assert.equal(article.title, 'Bridge reopens');
    assert.ok(!elements(article.body).some((element) => element.tagName === 'h1'));
  });

  test('lang: the page first, then the site option, then a guess from the script', () => {
    const body = `<div><p>${PROSE}</p><p>${PROSE}</p></div>`;
    assert.equal(
      extractArticle(`<html lang="zh-TW">${body}</html>`, { url: URL_, lang: 'zh-CN' })?.lang,
      'zh-TW',
    );
    assert.equal(extractArticle(body, { url: URL_, lang: 'zh-CN' })?.lang, 'zh-CN');
    assert.equal(extractArticle(body, { url: URL_ })?.lang, 'zh');
  });

  test('optional fields are absent rather than undefined', () => {
    const article = extractArticle(`<div><p>${PROSE}</p><p>${PROSE}</p></div>`, { url: URL_ })!;
    assert.deepEqual(Object.keys(article), ['title', 'lang', 'body', 'method', 'ruleMisses']);
  });
});

test('a page URL that is not absolute is the caller’s mistake: ExtractError, not retryable', () => {
  assert.throws(
    () => extractArticle('<p>x</p>', { url: 'n1.htm' }),
    (error: unknown) => error instanceof ExtractError && error.code === 'bad_url' && !error.retryable,
  );
});

test('the stage exposes one entry point', () => {
  assert.deepEqual(Object.keys(api).sort(), ['extractArticle']);
});
