import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHtml } from '../../../src/pipeline/extract/dom.ts';
import {
  applyRemoveRules,
  readRuleValues,
  safeSelectAll as selectAll,
  selectFirstAlternative,
  splitSelectorList,
} from '../../../src/pipeline/extract/rules.ts';

const BASE = 'https://news.example/gb/23/10/18/n1.htm';

describe('splitSelectorList', () => {
  test('splits on top-level commas only', () => {
    assert.deepEqual(splitSelectorList('.post_list .title a, .arttitle a'), [
      '.post_list .title a',
      '.arttitle a',
    ]);
    assert.deepEqual(splitSelectorList('a[title="x,y"], div:is(p, span) , b'), [
      'a[title="x,y"]',
      'div:is(p, span)',
      'b',
    ]);
    assert.deepEqual(splitSelectorList(' , h1 ,, '), ['h1']);
  });
});

describe('selectFirstAlternative', () => {
  const document = parseHtml('<div class="old"><p>old</p></div><div class="new"><p>one</p><p>two</p></div>');

  test('the first alternative that matches wins, so templates fall back in order', () => {
    assert.equal(selectFirstAlternative('.new, .old', document)[0].attribs.class, 'new');
    assert.equal(selectFirstAlternative('.gone, .old', document)[0].attribs.class, 'old');
  });

  test('an invalid alternative is skipped, not fatal', () => {
    assert.equal(selectFirstAlternative('p[[, .old', document)[0].attribs.class, 'old');
    assert.deepEqual(selectFirstAlternative('p[[', document), []);
  });

  test('keeps only outermost matches', () => {
    assert.equal(selectFirstAlternative('div, p', document).length, 2);
  });
});

describe('applyRemoveRules', () => {
  const html =
    '<div id="artbody"><p>text</p><div id="below_article_ad">ad</div><aside>x</aside><div class="share">s</div><twitter-widget>t</twitter-widget></div>';

  test('each selector applies on its own: missing and invalid ones do not stop the rest', () => {
    const document = parseHtml(html);
    const missed = applyRemoveRules(document, [
      '#no-such-thing',
      'div[[',
      '#below_article_ad',
      'aside',
      'twitter-widget',
    ]);
    assert.deepEqual(missed, ['#no-such-thing', 'div[[']);
    assert.equal(selectAll('#below_article_ad, aside, twitter-widget', document).length, 0);
    assert.equal(selectAll('p', document).length, 1);
  });

  test('alternatives inside one entry apply on their own too', () => {
    const document = parseHtml(html);
    const missed = applyRemoveRules(document, ['.share, bad[[, aside']);
    assert.deepEqual(missed, []);
    assert.equal(selectAll('.share, aside', document).length, 0);
  });

  test('an entry whose alternatives all miss is reported once', () => {
    assert.deepEqual(applyRemoveRules(parseHtml(html), ['.x, .y']), ['.x, .y']);
  });
});

describe('readRuleValues', () => {
  const page = `<html><body>
    <header><h1 class="title">  A  title </h1></header>
    <div class="featured_image"><img src="/blank.gif" data-src="/lead.jpg" alt="lead alt"><noscript><img src="/lead-ns.jpg"></noscript>
      <div class="caption"> The caption </div></div>
    <span class="date">2023年10月18日 09:30</span><time class="t" datetime="2023-10-18T09:30:00+08:00">today</time>
    <div class="author">作者：王小明</div>
  </body></html>`;

  test('reads each field and reports nothing missed when all match', () => {
    const values = readRuleValues(
      parseHtml(page),
      {
        title: 'h1.title',
        leadImage: '.featured_image noscript img',
        caption: '.featured_image .caption',
        date: 'time.t',
        author: '.author',
      },
      BASE,
      undefined,
    );
    assert.equal(values.title, 'A title');
    assert.equal(values.titleElement?.name, 'h1');
    assert.deepEqual(values.leadImage, { src: 'https://news.example/lead-ns.jpg' });
    assert.equal(values.caption, 'The caption');
    assert.equal(values.published, '2023-10-18T09:30:00+08:00');
    assert.equal(values.author, '王小明');
    assert.deepEqual(values.misses, []);
  });

  test('a lead image rule pointing at a lazy placeholder yields the real source', () => {
    const values = readRuleValues(parseHtml(page), { leadImage: '.featured_image > img' }, BASE, undefined);
    assert.deepEqual(values.leadImage, { src: 'https://news.example/lead.jpg', alt: 'lead alt' });
  });

  test('a visible date from a rule takes the page offset', () => {
    const values = readRuleValues(parseHtml(page), { date: '.date' }, BASE, '+08:00');
    assert.equal(values.published, '2023-10-18T09:30:00+08:00');
  });

  test('every field that matches nothing (or nothing usable) is a miss, in a fixed order', () => {
    const values = readRuleValues(
      parseHtml(page),
      { author: '.nobody', date: '.caption', caption: '.none', leadImage: 'h1', title: 'h2' },
      BASE,
      undefined,
    );
    assert.deepEqual(values.misses, ['title', 'leadImage', 'caption', 'date', 'author']);
  });
});
