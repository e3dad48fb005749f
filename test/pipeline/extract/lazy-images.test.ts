import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import render from 'dom-serializer';
import { parseHtml } from '../../../src/pipeline/extract/dom.ts';
import { imageSource, parseSrcset, resolveLazyImages } from '../../../src/pipeline/extract/lazy-images.ts';
import { safeSelectAll as selectAll } from '../../../src/pipeline/extract/rules.ts';

const selectOne = (selector: string, root: Parameters<typeof selectAll>[1]) =>
  selectAll(selector, root)[0] ?? null;

const BASE = 'https://news.example/a/b/story.html';

/** Resolve the images in `html` and return every remaining img's attributes. */
function resolved(html: string): Array<Record<string, string>> {
  const document = parseHtml(html);
  resolveLazyImages(document, BASE);
  return selectAll('img', document).map((img) => img.attribs);
}

describe('resolveLazyImages', () => {
  for (const attribute of ['data-src', 'data-original', 'data-lazy-src', 'data-actualsrc', 'data-url']) {
    test(`${attribute} replaces a placeholder src`, () => {
      const [img] = resolved(`<img src="/img/blank.gif" ${attribute}="photos/real.jpg" alt="x">`);
      assert.equal(img.src, 'https://news.example/a/b/photos/real.jpg');
      assert.equal(img[attribute], undefined, 'the lazy attribute is dropped once used');
      assert.equal(img.alt, 'x');
    });
  }

  test('srcset: the widest candidate wins, in any order', () => {
    const [img] = resolved('<img src="s.jpg" srcset="m.jpg 800w, l.jpg 1600w, s.jpg 400w" sizes="50vw">');
    assert.equal(img.src, 'https://news.example/a/b/l.jpg');
    assert.equal(img.srcset, undefined);
    assert.equal(img.sizes, undefined);
  });

  test('srcset with densities: the highest density wins', () => {
    const [img] = resolved('<img src="a.jpg" srcset="a.jpg, a@3x.jpg 3x, a@2x.jpg 2x">');
    assert.equal(img.src, 'https://news.example/a/b/a@3x.jpg');
  });

  test('data-srcset on an img without src', () => {
    const [img] = resolved('<img data-srcset="/p-300.jpg 300w, /p-900.jpg 900w">');
    assert.equal(img.src, 'https://news.example/p-900.jpg');
  });

  test('<picture>: the widest <source> becomes the img, which replaces the picture', () => {
    const document = parseHtml(
      '<div><picture><source type="image/avif" srcset="/r-2000.avif 2000w"><source srcset="/r-640.webp 640w, /r-1280.webp 1280w"><img src="/r.jpg" alt="river"></picture></div>',
    );
    resolveLazyImages(document, BASE);
    assert.equal(selectOne('picture', document), null);
    assert.equal(selectOne('source', document), null);
    assert.equal(selectOne('img', document)?.attribs.src, 'https://news.example/r-2000.avif');
  });

  test('<noscript><img></noscript> after a placeholder replaces the placeholder', () => {
    const document = parseHtml(
      '<p><img class="lazy" src="data:image/gif;base64,R0lGOD" alt="kept alt"><noscript><img src="/real.jpg"></noscript></p>',
    );
    resolveLazyImages(document, BASE);
    const images = selectAll('img', document);
    assert.equal(images.length, 1);
    assert.equal(images[0].attribs.src, 'https://news.example/real.jpg');
    assert.equal(images[0].attribs.alt, 'kept alt');
    assert.equal(selectOne('noscript', document), null);
  });

  test('a placeholder wrapped in a link is replaced too', () => {
    const document = parseHtml(
      '<p><a href="/big.jpg"><img src="/blank.gif"></a><noscript><img src="/real.jpg" alt="r"></noscript></p>',
    );
    resolveLazyImages(document, BASE);
    assert.equal(
      render(selectOne('p', document)!),
      '<p><a href="/big.jpg"><img src="https://news.example/real.jpg" alt="r"></a></p>',
    );
  });

  test('a lone <noscript><img></noscript> is unwrapped so domToHast keeps it', () => {
    const document = parseHtml('<p><noscript><img src="/only.jpg"></noscript></p>');
    resolveLazyImages(document, BASE);
    assert.equal(render(selectOne('p', document)!), '<p><img src="https://news.example/only.jpg"></p>');
  });

  test('a noscript copy of a real image does not duplicate it', () => {
    const images = resolved('<p><img src="/same.jpg"><noscript><img src="/same.jpg"></noscript></p>');
    assert.equal(images.length, 1);
  });

  test('noscript with anything but one image is left for domToHast to drop', () => {
    const document = parseHtml(
      '<p><img src="/a.jpg"><noscript>Enable JavaScript <img src="/b.jpg"></noscript></p>',
    );
    resolveLazyImages(document, BASE);
    assert.ok(selectOne('noscript', document));
  });

  test('1x1 tracking pixels are removed, in or out of noscript', () => {
    const images = resolved(
      '<p><img src="https://t.example/p.gif" width="1" height="1"><img src="/c.jpg" width="0" height="0"><noscript><img width="1" height="1" src="https://t.example/n"></noscript><img src="/real.jpg" width="600" height="400"></p>',
    );
    assert.deepEqual(
      images.map((img) => img.src),
      ['https://news.example/real.jpg'],
    );
  });

  test('a data: placeholder with no real source anywhere is removed', () => {
    assert.deepEqual(resolved('<p><img src="data:image/gif;base64,R0lGOD" alt="never loads"></p>'), []);
  });

  test('protocol-relative and relative sources become absolute http(s) URLs', () => {
    const images = resolved(
      '<img src="//cdn.example/x.jpg"><img src="../y.jpg"><img src="javascript:alert(1)">',
    );
    assert.deepEqual(
      images.map((img) => img.src),
      ['https://cdn.example/x.jpg', 'https://news.example/a/y.jpg'],
    );
  });
});

describe('imageSource', () => {
  test('follows a placeholder to the noscript copy after it, without changing the page', () => {
    const document = parseHtml('<div><img src="/blank.gif"><noscript><img src="/real.jpg"></noscript></div>');
    const placeholder = selectOne('img', document)!;
    assert.equal(imageSource(placeholder, BASE), 'https://news.example/real.jpg');
    assert.equal(selectAll('img', document).length, 2);
  });
});

describe('parseSrcset', () => {
  test('reads widths, densities and URLs with commas', () => {
    assert.deepEqual(parseSrcset('a.jpg 1x, /img/w_300,h_200/b.jpg 2x'), [
      { url: 'a.jpg', width: undefined, density: 1 },
      { url: '/img/w_300,h_200/b.jpg', width: undefined, density: 2 },
    ]);
    assert.deepEqual(parseSrcset('a.jpg 300w,b.jpg 600w'), [
      { url: 'a.jpg', width: 300, density: 1 },
      { url: 'b.jpg', width: 600, density: 1 },
    ]);
  });

  test('skips data: candidates', () => {
    assert.deepEqual(parseSrcset('data:image/gif;base64,AAAA 1x'), []);
  });
});
