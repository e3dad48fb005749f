import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toHtml } from 'hast-util-to-html';
import type { PageGuess } from '../../../../src/pipeline/extract/classify/classify.ts';
import { parseHtml } from '../../../../src/pipeline/extract/dom.ts';
import { extractGeneric } from '../../../../src/pipeline/extract/generic/index.ts';
import { findItemRows } from '../../../../src/pipeline/extract/generic/items.ts';
import { computeStats } from '../../../../src/pipeline/extract/generic/text-stats.ts';

const URL = 'https://shop.example.com/c/backpacks';
const collection: PageGuess = { type: 'collection', probability: 0.7 };
const service: PageGuess = { type: 'service', probability: 0.5 };
const article: PageGuess = { type: 'article', probability: 0.6 };

function extract(html: string, page?: PageGuess, anyPage = true) {
  const result = extractGeneric(parseHtml(html), URL, { anyPage, page });
  return result ? toHtml(result.body) : null;
}

const tiles = (name: string, count: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      `<div class="tile tile--${i % 2 ? 'sale' : 'new'}"><a href="/p/${name}-${i}">${name} pack ${i} in green</a>
        <span class="price">$${100 + i}.00</span><span>${10 + i} reviews</span></div>`,
  ).join('\n');

const prose = (topic: string, count: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      `<p>Answer ${i + 1} about ${topic}, written as a full sentence with commas, clauses, and enough words to read like prose.</p>`,
  ).join('\n');

// A shop's category: a grid of short, unpunctuated tiles and one FAQ, which prose scoring prefers.
const shop = `<html><body>
  <nav><ul>${Array.from({ length: 8 }, (_, i) => `<li><a href="/m/${i}">Menu ${i}</a></li>`).join('')}</ul></nav>
  <main><div class="results"><div class="grid">${tiles('Trail', 16)}</div></div></main>
  <div class="faq"><h2>Questions</h2>${prose('backpacks', 2)}</div>
</body></html>`;

describe('preferItems (pages: any)', () => {
  test('a collection gives its grid of tiles, not its FAQ', () => {
    const html = extract(shop, collection);
    assert.ok(html);
    assert.match(html, /Trail pack 0 in green/);
    assert.match(html, /Trail pack 15 in green/);
    assert.match(html, /\$115\.00/);
    assert.doesNotMatch(html, /Answer 1 about backpacks/);
  });

  test('without pages: any the page is still read as before (the grid is no article)', () => {
    const html = extract(shop, collection, false);
    assert.ok(html === null || !/Trail pack 3 in green/.test(html));
  });

  test('a page read as another type needs a grid far heavier than the prose', () => {
    const light = shop.replace(tiles('Trail', 16), tiles('Trail', 4));
    const html = extract(light, service);
    assert.ok(html);
    assert.match(html, /Answer 1 about backpacks/, 'four tiles do not outweigh the FAQ threefold');
    const heavy = shop.replace(tiles('Trail', 16), tiles('Trail', 30));
    assert.match(extract(heavy, service) ?? '', /Trail pack 29 in green/, 'thirty tiles do');
  });

  test('rows split into sections are kept together', () => {
    const page = `<html><body><main><div class="home">
      <section><h2>New arrivals</h2><div class="row">${tiles('Summit', 6)}</div></section>
      <section><h2>Best sellers</h2><div class="row">${tiles('Ridge', 5)}</div></section>
      <section><h2>On sale</h2><div class="row">${tiles('Valley', 4)}</div></section>
    </div><div class="about">${prose('the shop', 1)}</div></main></body></html>`;
    const html = extract(page, collection);
    assert.ok(html);
    for (const name of ['Summit pack 5', 'Ridge pack 4', 'Valley pack 3'])
      assert.match(html, new RegExp(name));
    assert.match(html, /Best sellers/);
  });

  test('a consent dialog chosen as prose gives way to the items', () => {
    const page = `<html><body>
      <div id="privacy-consent-sdk"><div class="purposes">${prose('cookies and partners', 8)}</div></div>
      <main><ul class="stories">${Array.from(
        { length: 8 },
        (_, i) =>
          `<li class="story"><a href="/news/${i}">Headline number ${i} of the day</a><p>Teaser ${i} text</p></li>`,
      ).join('')}</ul></main></body></html>`;
    const html = extract(page, service);
    assert.ok(html);
    assert.match(html, /Headline number 7 of the day/);
    assert.doesNotMatch(html, /cookies and partners/);
  });

  test('an article keeps its body over a larger archive of links', () => {
    const archive = Array.from(
      { length: 6 },
      (_, m) =>
        `<li class="month">Month ${m}<ul>${Array.from(
          { length: 20 },
          (_, i) => `<li><a href="/a/${m}-${i}">An older post title number ${i} of month ${m}</a></li>`,
        ).join('')}</ul></li>`,
    ).join('');
    const page = `<html><body><article><h1>Why rivers bend</h1>${prose('meanders', 6)}</article>
      <div class="archive-list"><ul class="years">${archive}</ul></div></body></html>`;
    const html = extract(page, article);
    assert.ok(html);
    assert.match(html, /Answer 6 about meanders/);
    assert.doesNotMatch(html, /older post title/);
  });
});

test('a headline list far heavier than the prose is taken even on a page read as an article', () => {
  const headlines = Array.from(
    { length: 40 },
    (_, i) =>
      `<li class="headline"><a href="/news/${i}">Council votes on the budget for district ${i}</a></li>`,
  ).join('');
  const page = `<html><body><div class="intro">${prose('this section', 1)}</div>
    <ul class="headlines">${headlines}</ul></body></html>`;
  const html = extract(page, article);
  assert.ok(html);
  assert.match(html, /district 0<\/a>[\s\S]*district 39<\/a>/);
});

describe('findItemRows', () => {
  test('finds rows of linked items of one shape; skips menus and unlinked panels', () => {
    const document = parseHtml(`<html><body>
      <ul class="menu">${Array.from({ length: 6 }, (_, i) => `<li><a href="/m/${i}">Item ${i}</a></li>`).join('')}</ul>
      <div class="panels">${Array.from({ length: 4 }, (_, i) => `<div class="panel">Option ${i} lets partners measure visits to this site</div>`).join('')}</div>
      <div class="grid">${tiles('Cove', 5)}</div>
    </body></html>`);
    const stats = computeStats(document);
    const rows = findItemRows(document, stats, new Set());
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.parent.attribs.class, 'grid');
    assert.equal(rows[0]?.items.length, 5, 'tile--sale and tile--new are one shape');
  });
});
