import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toHtml } from 'hast-util-to-html';
import type { PageGuess } from '../../../../src/pipeline/extract/classify/classify.ts';
import { parseHtml } from '../../../../src/pipeline/extract/dom.ts';
import { extractGeneric } from '../../../../src/pipeline/extract/generic/index.ts';
import { declaredDescription, mainHeading } from '../../../../src/pipeline/extract/generic/product.ts';
import { computeStats } from '../../../../src/pipeline/extract/generic/text-stats.ts';

const URL = 'https://shop.example.com/products/lamp';

function extract(html: string, page?: PageGuess, anyPage = true) {
  const result = extractGeneric(parseHtml(html), URL, { anyPage, page });
  return result ? toHtml(result.body) : null;
}

const prose = (topic: string, count: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      `<p>Paragraph ${i + 1} about ${topic}, written as a full sentence with commas, clauses, and enough words to read like prose.</p>`,
  ).join('\n');

const nav = `<nav><ul>${Array.from({ length: 8 }, (_, i) => `<li><a href="/p/${i}">Menu entry ${i}</a></li>`).join('')}</ul></nav>`;

// A landing page: a hero with the headline, short feature sections, and one long FAQ that prose scoring prefers.
const landing = `<html><body>${nav}<main>
  <section class="hero"><h1>Cloud backups for small offices</h1><p>Every file, every night, kept for a year</p>
    <a href="/start">Start free trial</a></section>
  <section><h2>Encrypted storage</h2><p>Keys stay on your machines</p></section>
  <section><h2>Restore in minutes</h2><p>Pick a folder and a day</p></section>
  <section><h2>Fixed monthly price</h2><p>From 9 euros per seat</p></section>
  <section class="faq"><h2>Questions</h2>${prose('restoring files', 5)}</section>
</main><footer><p>© 2026 Example Backups</p></footer></body></html>`;

describe('product and service pages (pages: any)', () => {
  test('a landing page gives its sections from the main heading down, not only its FAQ', () => {
    const html = extract(landing, { type: 'service', probability: 0.7 });
    assert.ok(html);
    assert.match(html, /Every file, every night/);
    assert.match(html, /Encrypted storage/);
    assert.match(html, /From 9 euros per seat/);
    assert.match(html, /Paragraph 5 about restoring files/);
    assert.doesNotMatch(html, /Menu entry|Example Backups/);
  });

  test('the classifier guess is only a hint: an unclassified landing page is widened too', () => {
    const html = extract(landing);
    assert.ok(html);
    assert.match(html, /Restore in minutes/);
  });

  test('a page read surely as an article keeps its prose choice, and articles mode is unchanged', () => {
    const asArticle = extract(landing, { type: 'article', probability: 0.9 });
    assert.ok(asArticle);
    assert.match(asArticle, /Paragraph 1 about restoring files/);
    assert.doesNotMatch(asArticle, /Encrypted storage/);
    const articlesMode = extract(landing, { type: 'service', probability: 0.7 }, false);
    assert.ok(articlesMode);
    assert.doesNotMatch(articlesMode, /Encrypted storage/);
  });

  test('a product page gives the block around its name and price, without the customer reviews', () => {
    const page = `<html><body>${nav}<div class="product-page">
      <div class="buy-box"><h1>Brass desk lamp</h1><p class="price">€89.00</p>
        <ul class="features"><li>Dimmable warm light</li><li>Height 42 cm</li><li>Solid brass base</li></ul>
        <p>A lamp for long evenings</p></div>
      <div class="product-reviews"><h2>What customers say</h2>${prose('the lamp I bought', 6)}</div>
    </div></body></html>`;
    const html = extract(page, { type: 'product', probability: 0.9 });
    assert.ok(html);
    assert.match(html, /€89\.00/);
    assert.match(html, /Solid brass base/);
    assert.doesNotMatch(html, /the lamp I bought/);
    // Without the product guess the reviews are not set aside: on other pages a review is an article.
    const unguessed = extract(page);
    assert.ok(unguessed);
    assert.match(unguessed, /the lamp I bought/);
  });

  test('a description declared only in JSON-LD is added; one already on the page is not repeated', () => {
    const jsonLd = (description: string) =>
      `<script type="application/ld+json">${JSON.stringify({
        '@context': 'https://schema.org',
        '@graph': [{ '@type': 'Product', name: 'Wool socks', description }],
      })}</script>`;
    const description =
      'Merino wool socks knitted in Portugal, cushioned under the heel &amp; toe for long walks.';
    const scripted = `<html><head>${jsonLd(description)}</head><body><main><h1>Wool socks</h1>
      <p>€17</p><p>Sizes S to XL</p>${prose('shipping', 2)}</main></body></html>`;
    const html = extract(scripted, { type: 'product', probability: 0.9 });
    assert.ok(html);
    assert.match(html, /Merino wool socks knitted in Portugal, cushioned under the heel &#x26; toe/);
    const rendered = `<html><head>${jsonLd(description)}</head><body><main><h1>Wool socks</h1>
      <p>€17</p><p>Merino wool socks knitted in Portugal, cushioned under the heel &amp; toe for long walks.</p>
      </main></body></html>`;
    const once = extract(rendered, { type: 'product', probability: 0.9 });
    assert.ok(once);
    assert.equal(once.match(/Merino wool socks/g)?.length, 1);
  });

  test('declaredDescription reads Product descriptions only, and survives bad JSON', () => {
    const document = parseHtml(`<html><head>
      <script type="application/ld+json">{ not json</script>
      <script type="application/ld+json">{"@type":"Article","description":"A story teaser"}</script>
      <script type="application/ld+json">[{"@type":["Product"],"description":"<p>Oak <b>table</b></p>"}]</script>
    </head><body></body></html>`);
    assert.equal(declaredDescription(document), 'Oak table');
    assert.equal(declaredDescription(parseHtml('<html><body><h1>No markup</h1></body></html>')), undefined);
  });

  test('mainHeading skips a logo heading that is a link', () => {
    const document = parseHtml(
      '<html><body><h1><a href="/">Example Shop</a></h1><div><h1>Brass desk lamp</h1></div></body></html>',
    );
    const heading = mainHeading(document, computeStats(document));
    assert.ok(heading);
    assert.equal(heading.children.length, 1);
    assert.match(JSON.stringify((heading.children[0] as { data?: string }).data), /Brass desk lamp/);
    const sections = parseHtml(
      '<html><body><h3>Menu</h3><h2>Our services</h2><h2>Pricing</h2></body></html>',
    );
    assert.equal(
      mainHeading(sections, computeStats(sections))?.name,
      'h2',
      'a page without an h1 starts at its h2',
    );
  });

  test('a hidden collapse wrapper around an accordion panel is shown open', () => {
    const html = extract(`<html><body><main><h1>Fire pit</h1><p>€549</p>
      <div class="accordion"><h2><button aria-expanded="false">Description</button></h2>
        <div class="collapse" style="display:none"><div role="region">${prose('the fire pit', 3)}</div></div>
      </div><div class="specs">${prose('the steel', 4)}</div></main></body></html>`);
    assert.ok(html);
    assert.match(html, /Paragraph 3 about the fire pit/);
  });
});
