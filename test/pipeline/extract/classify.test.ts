import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toHtml } from 'hast-util-to-html';
import { classifyPage } from '../../../src/pipeline/extract/classify/classify.ts';
import { FEATURE_NAMES, pageFeatures } from '../../../src/pipeline/extract/classify/features.ts';
import { PAGE_MODEL } from '../../../src/pipeline/extract/classify/model.ts';
import { refusalOf } from '../../../src/pipeline/extract/classify/refuse.ts';
import { parseHtml } from '../../../src/pipeline/extract/dom.ts';
import { type ExtractOptions, extractArticle } from '../../../src/pipeline/extract/index.ts';

const extractContent = (html: string, options: ExtractOptions) =>
  extractArticle(html, { ...options, explain: true });

const sentence =
  'The council voted on Tuesday to reopen the harbour bridge, ending a closure that had pushed commuters, cyclists and delivery vans onto a long detour through the industrial district.';

const articlePage = `<html><head><title>Bridge reopens | City News</title>
  <meta property="og:type" content="article">
  <script type="application/ld+json">{"@type":"NewsArticle","headline":"Bridge reopens"}</script></head>
  <body><nav><a href="/">Home</a> <a href="/city/">City</a></nav>
  <article><h1>Bridge reopens</h1><time datetime="2024-03-02">2 March 2024</time>
  ${Array.from({ length: 8 }, () => `<p>${sentence}</p>`).join('\n')}</article>
  <footer><a href="/about">About</a></footer></body></html>`;

const card = (i: number) =>
  `<div class="card"><a href="/2024/03/story-${i}.html"><img src="/t/${i}.jpg" alt=""><h3>Headline number ${i} about the city</h3></a><p>A short teaser for story ${i}, one line long.</p></div>`;
const listingPage = `<html><head><title>City | City News</title>
  <script type="application/ld+json">{"@type":"CollectionPage","name":"City"}</script></head>
  <body><nav><a href="/">Home</a></nav><h1>City</h1><div class="cards">${Array.from({ length: 40 }, (_, i) => card(i)).join('')}</div>
  <div class="pager"><a href="?page=2">Next</a></div></body></html>`;

describe('page classifier', () => {
  test('the shipped model matches the features pageFeatures computes', () => {
    assert.deepEqual([...PAGE_MODEL.features], [...FEATURE_NAMES]);
    assert.equal(PAGE_MODEL.weights.length, PAGE_MODEL.classes.length);
    for (const row of PAGE_MODEL.weights) assert.equal(row.length, FEATURE_NAMES.length + 1);
    const features = pageFeatures(parseHtml(articlePage), 'https://news.example/2024/03/bridge.html');
    assert.equal(features.length, FEATURE_NAMES.length);
    assert.ok(features.every(Number.isFinite));
  });

  test('features are read from the DOM: visible text, JSON-LD scripts, itemtype, og:type', () => {
    const featuresOf = (html: string) => {
      const values = pageFeatures(parseHtml(html), 'https://shop.example/item/1');
      return (name: (typeof FEATURE_NAMES)[number]) => values[FEATURE_NAMES.indexOf(name)];
    };
    const hidden = featuresOf(`<html><head><script>var data = {"@type": "Product", "price": "$19.99",
      "label": "Add to cart"};</script></head><body><p>Nothing for sale here.</p></body></html>`);
    assert.equal(hidden('schema_product'), 0, 'a @type in a plain script is not a declared type');
    assert.equal(hidden('log_prices'), 0, 'a price inside a script is not shown to readers');
    assert.equal(hidden('cart_words'), 0);
    assert.equal(hidden('og_product'), 0);
    const shown = featuresOf(`<html><head><meta property="og:type" content="Product">
      <script type="application/ld+json">{"@type": ["Product"], "name": "Kettle"}</script></head>
      <body><div itemscope itemtype="https://schema.org/Offer"><p>Now $19.99, was €25</p>
      <button>Add to cart</button></div></body></html>`);
    assert.equal(shown('schema_product'), 1);
    assert.equal(shown('og_product'), 1);
    assert.equal(shown('log_prices'), Math.log1p(2));
    assert.equal(shown('cart_words'), 1);
    const micro = featuresOf(
      '<html><body><div itemtype="http://schema.org/ItemList"><a href="/a">A</a></div></body></html>',
    );
    assert.equal(micro('schema_collection'), 1);
  });

  test('rows of linked cards with headings count as cards; a service page its calls to action', () => {
    const featuresOf = (html: string, url: string) => {
      const values = pageFeatures(parseHtml(html), url);
      return (name: (typeof FEATURE_NAMES)[number]) => values[FEATURE_NAMES.indexOf(name)];
    };
    const listing = featuresOf(listingPage, 'https://news.example/city/');
    assert.equal(listing('log_cards'), Math.log1p(40));
    assert.ok(listing('card_text_share') > 0.8, String(listing('card_text_share')));
    assert.equal(listing('linked_heading_share'), 40 / 41, 'the page heading is the one not linked');
    const article = featuresOf(articlePage, 'https://news.example/2024/03/bridge.html');
    assert.equal(article('log_cards'), 0);
    assert.equal(article('card_text_share'), 0);
    const service = featuresOf(
      `<html><body><h1>Roof repair</h1><p>${sentence}</p><a href="/quote">Get a free quote</a>
      <a href="tel:+15550100">Call us today</a><form><input type="email"><textarea></textarea></form></body></html>`,
      'https://roofer.example/services/roof-repair/',
    );
    assert.equal(service('log_calls_to_action'), Math.log1p(2));
    assert.equal(service('log_contact_links'), Math.log1p(1));
    assert.equal(service('log_contact_inputs'), Math.log1p(2));
    assert.equal(service('log_forms'), Math.log1p(1));
    assert.equal(service('url_service'), 1);
    assert.equal(article('url_service'), 0);
  });

  test('an article reads as one; a page of teaser cards as a listing or collection', () => {
    const article = classifyPage(parseHtml(articlePage), 'https://news.example/2024/03/bridge.html');
    assert.equal(article.type, 'article');
    assert.equal(refusalOf(article), undefined);
    const listing = classifyPage(parseHtml(listingPage), 'https://news.example/city/');
    assert.ok(['listing', 'collection'].includes(listing.type), listing.type);
  });

  test('refuses only listings and collections, and only when confident', () => {
    assert.match(
      refusalOf({ type: 'listing', probability: 0.93 }) ?? '',
      /listing page \(classifier, p=0\.93\)/,
    );
    assert.equal(refusalOf({ type: 'listing', probability: 0.6 }), undefined);
    assert.equal(refusalOf({ type: 'product', probability: 0.99 }), undefined);
    assert.equal(refusalOf({ type: 'forum', probability: 0.99 }), undefined);
  });
});

describe('extractArticle: articles only, or any page', () => {
  test('a listing gives no article, with the reason; with pages: any, its row of items', () => {
    const refused = extractContent(listingPage, { url: 'https://news.example/city/' });
    assert.equal(refused.article, null);
    assert.ok(!refused.article && refused.reason.length > 0);
    assert.ok(refused.page, 'the classifier ran');
    const any = extractContent(listingPage, { url: 'https://news.example/city/', pages: 'any' });
    assert.ok(any.article, 'pages: any gives the main content');
    const html = toHtml(any.article.body);
    for (const i of [0, 17, 39]) assert.match(html, new RegExp(`Headline number ${i} `));
    assert.doesNotMatch(html, /Next<\/a>|Home</);
  });

  test('an article is the same article in both modes', () => {
    const url = 'https://news.example/2024/03/bridge.html';
    const articles = extractContent(articlePage, { url });
    const any = extractContent(articlePage, { url, pages: 'any' });
    assert.ok(articles.article && any.article);
    assert.equal(articles.page?.type, 'article');
    assert.equal(toHtml(articles.article.body), toHtml(any.article.body));
  });

  test('site rules are trusted: no classifier runs and a rule body is kept', () => {
    const found = extractContent(listingPage, {
      url: 'https://news.example/city/',
      rules: { body: '.cards', remove: [] },
    });
    assert.ok(found.article);
    assert.equal(found.page, undefined);
  });
});
