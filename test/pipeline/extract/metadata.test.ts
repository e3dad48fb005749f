import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHtml } from '../../../src/pipeline/extract/dom.ts';
import {
  bylineIn,
  cleanAuthor,
  cleanTitle,
  dateInUrl,
  guessLang,
  normalizeLang,
  readMetadata,
} from '../../../src/pipeline/extract/metadata.ts';

const BASE = 'https://news.example/world/2023/story.html';
const read = (html: string) => readMetadata(parseHtml(html), { baseUrl: BASE });

describe('title', () => {
  test('og:title first, then twitter:title, JSON-LD headline, h1, <title>, when no heading agrees', () => {
    const jsonLd =
      '<script type="application/ld+json">{"@type":"NewsArticle","headline":"From JSON-LD"}</script>';
    const full = `<head><meta property="og:title" content="From OG"><meta name="twitter:title" content="From Twitter">${jsonLd}<title>From title - Site</title></head><h1>Weather today</h1>`;
    assert.equal(read(full).title, 'From OG');
    assert.equal(read(full.replace('property="og:title"', 'property="x"')).title, 'From Twitter');
    assert.equal(read(`<head>${jsonLd}<title>T</title></head><h1>Weather today</h1>`).title, 'From JSON-LD');
    assert.equal(read('<head><title>T - Site</title></head><h1> From   h1 </h1>').title, 'From h1');
    assert.equal(read('<head><title>Only the title - The Daily Site</title></head>').title, 'Only the title');
  });

  test('the visible headline when it agrees with the declared title', () => {
    const head =
      '<head><meta property="og:title" content="Storm shuts the harbour | The Courier"><title>Storm shuts the harbour | The Courier</title></head>';
    // The headline as printed, worded a little differently from the SEO title.
    assert.equal(
      read(`${head}<h1>Storm shuts the old harbour for a week</h1>`).title,
      'Storm shuts the old harbour for a week',
    );
    // A heading that holds the declared title and a kicker or a date: the declared title.
    assert.equal(
      read(`${head}<h1>Dec 18 2025 Storm shuts the harbour</h1>`).title,
      'Storm shuts the harbour',
    );
  });

  test('a brand heading is never the title', () => {
    const head =
      '<head><meta property="og:site_name" content="The Courier"><meta property="og:title" content="Storm shuts the harbour"></head>';
    const logo = `${head}<header><h1 class="site-logo"><a href="/">Storm Courier</a></h1></header><h1>Storm shuts the old harbour for a week</h1>`;
    assert.equal(read(logo).title, 'Storm shuts the old harbour for a week');
    // The site name as the only heading, and the site name before the title in og:title.
    const named =
      '<head><meta property="og:site_name" content="Courier"><meta property="og:title" content="Courier | Storm shuts the harbour"></head><h1>Courier</h1>';
    assert.equal(read(named).title, 'Storm shuts the harbour');
    // A heading that only links to the home page is the logo.
    assert.equal(
      read(
        '<head><title>Harbour closed by the storm</title></head><h1><a href="/">Harbour Daily</a></h1><h1>Harbour closed by the storm</h1>',
      ).title,
      'Harbour closed by the storm',
    );
  });

  test('removes the site name suffix in its usual forms', () => {
    assert.equal(read('<title>标题在这里｜某某新闻网</title>').title, '标题在这里');
    assert.equal(read('<title>老街区改造完成_社会新闻_南方晨讯网</title>').title, '老街区改造完成');
    assert.equal(read('<title>Bridge reopens | Harbor Daily</title>').title, 'Bridge reopens');
    // og:title carrying the same suffix as <title> loses it too, and og:site_name is removed wherever it is.
    assert.equal(
      read(
        '<meta property="og:title" content="Old bridge reopens — Harbor Daily"><title>Old bridge reopens — Harbor Daily</title>',
      ).title,
      'Old bridge reopens',
    );
    assert.equal(
      read(
        '<meta property="og:site_name" content="大纪元"><meta property="og:title" content="普京访华 | 大纪元">',
      ).title,
      '普京访华',
    );
  });

  test('keeps dashes that are part of the title', () => {
    assert.equal(cleanTitle('COVID-19 cases fall', [], true), 'COVID-19 cases fall');
    assert.equal(
      cleanTitle('Short - A much longer part of the headline that is not a site name', [], true),
      'Short - A much longer part of the headline that is not a site name',
    );
  });
});

describe('published', () => {
  test('article:published_time, with its offset', () => {
    assert.equal(
      read('<meta property="article:published_time" content="2023-10-18T09:30:00+08:00">').published,
      '2023-10-18T09:30:00+08:00',
    );
  });

  test('JSON-LD datePublished inside @graph', () => {
    const html =
      '<script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":["NewsArticle"],"datePublished":"2023-10-18T06:00:00-04:00"}]}</script>';
    assert.equal(read(html).published, '2023-10-18T06:00:00-04:00');
  });

  test('<time datetime>, preferring the one marked as the publication time', () => {
    assert.equal(
      read(
        '<time datetime="2023-10-20">x</time><time class="published" datetime="2023-10-18T08:00:00Z">y</time>',
      ).published,
      '2023-10-18T08:00:00Z',
    );
  });

  test('meta pubdate / publishdate / date', () => {
    assert.equal(read('<meta name="pubdate" content="2023-10-18">').published, '2023-10-18');
    assert.equal(read('<meta name="publishdate" content="2023/10/18">').published, '2023-10-18');
    assert.equal(read('<meta name="date" content="Oct 18, 2023">').published, '2023-10-18');
  });

  test('a visible date near the title, with the offset the page uses elsewhere', () => {
    const html =
      '<meta property="article:modified_time" content="2023-10-19T10:00:00+08:00"><h1>T</h1><div class="info">2023年10月18日 09:30 来源：本报</div>';
    assert.equal(read(html).published, '2023-10-18T09:30:00+08:00');
  });

  test('no offset is invented when the page gives none', () => {
    assert.equal(read('<h1>T</h1><p>2023-10-18 09:30</p>').published, '2023-10-18T09:30:00');
  });

  test('dates far from the title or before it are not taken', () => {
    assert.equal(read('<div>今天是2023年10月18日</div><h1>T</h1><p>正文</p>').published, undefined);
  });

  test('the day in the page URL is kept apart, as a last resort', () => {
    assert.equal(dateInUrl('https://n.example/news/2023/10/18/bridge.html'), '2023-10-18');
    assert.equal(dateInUrl('https://n.example/sm/2005-03-21/244339.shtml'), '2005-03-21');
    assert.equal(dateInUrl('https://n.example/a/20231018/12345.html'), '2023-10-18');
    assert.equal(dateInUrl('https://n.example/a/12345678901.html'), undefined);
    assert.equal(
      dateInUrl('https://n.example/gb/23/10/18/n1.htm'),
      undefined,
      'two-digit years are ambiguous',
    );
    const metadata = readMetadata(parseHtml('<p>x</p>'), {
      baseUrl: BASE,
      pageUrl: 'https://n.example/2023/10/18/x',
    });
    assert.equal(metadata.published, undefined);
    assert.equal(metadata.urlDate, '2023-10-18');
  });

  test('broken JSON-LD is skipped', () => {
    const html =
      '<script type="application/ld+json">{"@type": "NewsArticle", broken</script><h1>T</h1><p>Oct 18, 2023</p>';
    assert.equal(read(html).published, '2023-10-18');
  });
});

describe('author', () => {
  test('meta author, article:author, JSON-LD author, rel=author, in that order', () => {
    assert.equal(read('<meta name="author" content="Ann Lee"><a rel="author">Bo Chan</a>').author, 'Ann Lee');
    assert.equal(
      read(
        '<meta property="article:author" content="https://facebook.com/x"><a rel="author" href="/a">Bo Chan</a>',
      ).author,
      'Bo Chan',
    );
    assert.equal(
      read(
        '<script type="application/ld+json">{"@type":"Article","author":[{"name":"Ann Lee"},{"name":"Bo Chan"}]}</script>',
      ).author,
      'Ann Lee, Bo Chan',
    );
  });

  test('the site name given as author is skipped', () => {
    const html =
      '<meta property="og:site_name" content="大纪元"><meta name="author" content="大纪元"><h1>T</h1><p>（大纪元记者林远航综合报导）</p>';
    assert.equal(read(html).author, '林远航');
  });

  test('bylines printed near the title', () => {
    assert.equal(bylineIn('2023年10月18日　来源：本报　作者：王小明'), '王小明');
    assert.equal(bylineIn('【大纪元2023年10月18日讯】（大纪元记者徐简综合报导）'), '徐简');
    assert.equal(bylineIn('本报记者 李同德 报道'), '李同德');
    assert.equal(bylineIn('Updated 9:30\nBy Maria Okafor and Tom Ng\nThe bridge'), 'Maria Okafor and Tom Ng');
    assert.equal(bylineIn('Passers-by stopped to look'), undefined);
    assert.equal(read('<h1>T</h1><div>By <a href="/staff/jane">Jane Doe</a></div>').author, 'Jane Doe');
  });

  test('byline markup near the headline, JSON-LD references, and the publisher only as a last resort', () => {
    const byline =
      '<h1>Storm shuts the harbour</h1><div class="byline"><span>By</span> <a href="/staff/jane-doe">Jane Doe</a><span>May 3, 2025</span></div>';
    assert.equal(read(byline).author, 'Jane Doe');
    // Names in comments and related-story cards are not the writer's.
    assert.equal(
      read('<h1>T</h1><div class="comments"><span class="comment-author">Troll</span></div>').author,
      undefined,
    );
    const graph =
      '<script type="application/ld+json">{"@graph":[{"@type":"Article","author":{"@id":"#p"}},{"@type":"Person","@id":"#p","name":"Ann Lee"}]}</script>';
    assert.equal(read(graph).author, 'Ann Lee');
    const publisher = '<meta property="og:site_name" content="Acme"><meta name="author" content="Acme">';
    assert.equal(read(publisher).author, undefined);
    assert.equal(read(publisher).publisherAuthor, 'Acme');
  });

  test('dates: a <time> that does not parse does not hide the next; marked date elements', () => {
    assert.equal(
      read('<time datetime="02-12-2025">x</time><time datetime="2025-12-02">2 Dec</time>').published,
      '2025-12-02',
    );
    assert.equal(
      read('<h1>T</h1><div class="post-date"><span>Posted on April 13, 2023</span></div>').published,
      '2023-04-13',
    );
  });

  test('cleanAuthor refuses what is not a name', () => {
    assert.equal(cleanAuthor('By  Jane Doe '), 'Jane Doe');
    assert.equal(cleanAuthor('信报记者 蔡雪婧'), '蔡雪婧');
    assert.equal(cleanAuthor('5 min read'), undefined);
    assert.equal(cleanAuthor('Administrator'), undefined);
    assert.equal(cleanAuthor('https://www.facebook.com/someone'), undefined);
    assert.equal(cleanAuthor('x'.repeat(80)), undefined);
    assert.equal(cleanAuthor('  '), undefined);
    assert.equal(cleanAuthor('L_104485'), undefined);
    assert.equal(cleanAuthor('Discuz! Team and Comsenz UI Team'), undefined);
  });
});

describe('lang', () => {
  test('<html lang>, then content-language, then og:locale, normalised', () => {
    assert.equal(read('<html lang="zh_cn"><body></body></html>').lang, 'zh-CN');
    assert.equal(read('<meta http-equiv="content-language" content="en-us">').lang, 'en-US');
    assert.equal(read('<meta property="og:locale" content="zh_TW">').lang, 'zh-TW');
    assert.equal(read('<p>nothing declared</p>').lang, undefined);
  });

  test('normalizeLang and guessLang', () => {
    assert.equal(normalizeLang('zh-hant-tw'), 'zh-Hant-TW');
    assert.equal(normalizeLang('not a tag!'), undefined);
    assert.equal(guessLang('台风过境，沿海三座城市宣布停课一天，公共交通部分停驶。'), 'zh');
    assert.equal(guessLang('東京で会議が開かれました。'), 'ja');
    assert.equal(guessLang('서울에서 회의가 열렸습니다'), 'ko');
    assert.equal(
      guessLang(
        'The bridge opened to traffic again on Wednesday, and the city said that the repair of the deck was done in time for the winter.',
      ),
      'en',
    );
    assert.equal(
      guessLang(
        'Le pont a rouvert mercredi matin après deux ans de travaux importants sur le tablier principal du pont.',
      ),
      undefined,
    );
  });
});

describe('canonical URL and lead image', () => {
  test('canonical is absolute and only http(s)', () => {
    assert.equal(
      read('<link rel="canonical" href="/world/x.html">').canonicalUrl,
      'https://news.example/world/x.html',
    );
    assert.equal(read('<link rel="canonical" href="javascript:void(0)">').canonicalUrl, undefined);
  });

  test('og:image unless it is the site logo; JSON-LD image after it', () => {
    assert.deepEqual(read('<meta property="og:image" content="/img/photo.jpg">').leadImage, {
      src: 'https://news.example/img/photo.jpg',
    });
    assert.equal(read('<meta property="og:image" content="/static/site-logo.png">').leadImage, undefined);
    assert.deepEqual(
      read(
        '<meta property="og:image" content="/logo.png"><script type="application/ld+json">{"@type":"NewsArticle","image":{"url":"/img/p.jpg"}}</script>',
      ).leadImage,
      { src: 'https://news.example/img/p.jpg' },
    );
  });
});
