import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseListing, SourceError } from '../../../src/pipeline/sources/index.ts';

const PAGE_URL = 'https://www.example.com/gb/list.htm';
const SELECTOR = '.post_list .title a, .arttitle a';

describe('parseListing', () => {
  test('alternatives of the selector list interleave in document order', () => {
    const html = `<div class="arttitle"><a href="1.htm">one</a></div>
      <div class="post_list"><div class="title"><a href="2.htm">two</a></div></div>
      <div class="arttitle"><a href="3.htm">three</a></div>`;
    assert.deepEqual(
      parseListing(html, PAGE_URL, SELECTOR).map((link) => link.title),
      ['one', 'two', 'three'],
    );
  });

  test('the new template alone, without the fallback matching anything', () => {
    const html = `<nav><a href="/">home</a></nav><div class="post_list"><div class="title"><a href="/gb/n1.htm">new</a></div></div>`;
    assert.deepEqual(parseListing(html, PAGE_URL, SELECTOR), [
      { url: 'https://www.example.com/gb/n1.htm', title: 'new' },
    ]);
  });

  test('relative links resolve against <base href>, which itself resolves against the page', () => {
    const html = `<head><base href="/news/"></head><div class="arttitle"><a href="n1.htm">x</a></div>`;
    assert.equal(parseListing(html, PAGE_URL, SELECTOR)[0].url, 'https://www.example.com/news/n1.htm');
  });

  test('a matched element that is not a link gives its first link; non-http links are skipped', () => {
    const html = `<h2 class="t"><span>x</span><a href="a.htm">A</a><a href="b.htm">B</a></h2>
      <h2 class="t"><a href="javascript:void(0)">js</a></h2><h2 class="t"><a href="mailto:a@b.c">mail</a></h2>`;
    assert.deepEqual(parseListing(html, PAGE_URL, 'h2.t'), [
      { url: 'https://www.example.com/gb/a.htm', title: 'A' },
    ]);
  });

  test('titles: text with whitespace collapsed, else the title attribute, else an image alt', () => {
    const html = `<p class="t"><a href="1">  two
      lines </a></p><p class="t"><a href="2" title="from title"></a></p><p class="t"><a href="3"><img alt="from alt"></a></p>
      <p class="t"><a href="4"></a></p>`;
    assert.deepEqual(
      parseListing(html, PAGE_URL, '.t a').map((link) => link.title),
      ['two lines', 'from title', 'from alt', undefined],
    );
  });

  test('links inside scripts are not links', () => {
    const html = `<script>document.write('<div class="arttitle"><a href="x.htm">x</a></div>')</script>`;
    assert.deepEqual(parseListing(html, PAGE_URL, SELECTOR), []);
  });

  test('an invalid selector throws a SourceError naming the page and the selector', () => {
    assert.throws(
      () => parseListing('<a href="x">x</a>', PAGE_URL, 'a[href'),
      (error: unknown) =>
        error instanceof SourceError &&
        error.message.includes(PAGE_URL) &&
        error.message.includes('"a[href"'),
    );
  });
});
