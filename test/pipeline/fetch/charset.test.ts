import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeBody, detectCharset } from '../../../src/pipeline/fetch/charset.ts';

// Bytes produced once with python3 ('...'.encode('gbk') etc.); Node cannot encode legacy charsets.
const SIMPLIFIED = '新闻自由是民主社会的基石，记者应当独立报道。';
const TRADITIONAL = '新聞自由是民主社會的基石，記者應當獨立報導。';
const GBK_HEX = 'd0c2cec5d7d4d3c9cac7c3f1d6f7c9e7bbe1b5c4bbf9caafa3acbcc7d5dfd3a6b5b1b6c0c1a2b1a8b5c0a1a3';
const BIG5_HEX = 'b773bb44a6dba5d1ac4fa5c1a544aac0b77caabab0f2a5dba141b04faaccc0b3b7edbf57a5dfb3f8bec9a143';
/** '中文' in GBK, then U+20000 as a GB18030 four-byte sequence. */
const GB18030_HEX = 'd6d0cec495328236';

const hex = (value: string) => Uint8Array.from(Buffer.from(value, 'hex'));
const ascii = (value: string) => new TextEncoder().encode(value);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));
/** An HTML page whose <head> is `head` and whose body text is `body` bytes. */
const page = (head: string, body: Uint8Array) =>
  concat(
    ascii(`<!doctype html><html><head>${head}<title>t</title></head><body><p>`),
    body,
    ascii('</p></body></html>'),
  );

describe('detectCharset and decodeBody', () => {
  test('plain UTF-8 without any declaration', () => {
    const result = decodeBody(page('', ascii(SIMPLIFIED)));
    assert.equal(result.charset, 'utf-8');
    assert.ok(result.text.includes(SIMPLIFIED));
  });

  test('pure ASCII is reported as utf-8', () => {
    assert.equal(detectCharset(ascii('<p>hello</p>')), 'utf-8');
  });

  test('the HTTP header charset is used and gb2312 is reported under its WHATWG name gbk', () => {
    const result = decodeBody(page('', hex(GBK_HEX)), 'text/html; charset=GB2312');
    assert.equal(result.charset, 'gbk');
    assert.ok(result.text.includes(SIMPLIFIED));
  });

  test('a GBK page without header charset is decoded through <meta http-equiv>', () => {
    const bytes = page('<meta http-equiv="Content-Type" content="text/html; charset=gbk">', hex(GBK_HEX));
    const result = decodeBody(bytes, 'text/html');
    assert.equal(result.charset, 'gbk');
    assert.ok(result.text.includes(SIMPLIFIED));
  });

  test('<meta charset> names Big5', () => {
    const result = decodeBody(page('<meta charset="big5">', hex(BIG5_HEX)));
    assert.equal(result.charset, 'big5');
    assert.ok(result.text.includes(TRADITIONAL));
  });

  test('the XML declaration names the encoding of a feed', () => {
    const bytes = concat(
      ascii('<?xml version="1.0" encoding="gb2312"?><rss><title>'),
      hex(GBK_HEX),
      ascii('</title></rss>'),
    );
    const result = decodeBody(bytes, 'application/rss+xml');
    assert.equal(result.charset, 'gbk');
    assert.ok(result.text.includes(SIMPLIFIED));
  });

  test('a declared gbk page is decoded as GB18030 so four-byte characters survive', () => {
    const result = decodeBody(page('<meta charset="gbk">', hex(GB18030_HEX)));
    assert.equal(result.charset, 'gbk');
    assert.ok(result.text.includes('中文\u{20000}'));
  });

  test('sniffing without any declaration tells GBK, GB18030 and Big5 apart', () => {
    assert.equal(detectCharset(page('', hex(GBK_HEX))), 'gbk');
    assert.equal(detectCharset(page('', hex(BIG5_HEX))), 'big5');
    assert.equal(detectCharset(page('', concat(hex(GBK_HEX), hex(GB18030_HEX)))), 'gb18030');
    assert.ok(decodeBody(page('', hex(BIG5_HEX))).text.includes(TRADITIONAL));
  });

  test('a lying header: charset=utf-8 on GBK bytes trusts the bytes', () => {
    const result = decodeBody(page('', hex(GBK_HEX)), 'text/html; charset=utf-8');
    assert.equal(result.charset, 'gbk');
    assert.ok(result.text.includes(SIMPLIFIED));
  });

  test('a lying meta: <meta charset=utf-8> on Big5 bytes trusts the bytes', () => {
    const result = decodeBody(page('<meta charset="utf-8">', hex(BIG5_HEX)));
    assert.equal(result.charset, 'big5');
    assert.ok(result.text.includes(TRADITIONAL));
  });

  test('a stale gb2312 meta on a page that is really UTF-8 decodes as UTF-8', () => {
    const result = decodeBody(page('<meta charset="gb2312">', ascii(SIMPLIFIED)));
    assert.equal(result.charset, 'utf-8');
    assert.ok(result.text.includes(SIMPLIFIED));
  });

  test("a server's default ISO-8859-1 header yields to the page's own meta", () => {
    const bytes = page('<meta http-equiv="content-type" content="text/html;charset=gbk">', hex(GBK_HEX));
    const result = decodeBody(bytes, 'text/html; charset=ISO-8859-1');
    assert.equal(result.charset, 'gbk');
    assert.ok(result.text.includes(SIMPLIFIED));
  });

  test('invalid UTF-8 decodes with replacement characters and does not throw', () => {
    const bytes = concat(ascii('<p>ok '), hex('fffe'), ascii(' still ok</p>'));
    const result = decodeBody(bytes, 'text/html; charset=utf-8');
    assert.equal(result.charset, 'utf-8');
    assert.equal(result.text, '<p>ok \uFFFD\uFFFD still ok</p>');
  });

  test('UTF-8 with one broken sequence stays UTF-8 instead of turning into mojibake', () => {
    const bytes = page('', concat(ascii(SIMPLIFIED), hex('e6b0'), ascii(SIMPLIFIED)));
    const result = decodeBody(bytes, 'text/html; charset=utf-8');
    assert.equal(result.charset, 'utf-8');
    assert.ok(result.text.includes(`${SIMPLIFIED}\uFFFD${SIMPLIFIED}`));
    assert.equal(detectCharset(bytes), 'utf-8');
  });

  test('a byte-order mark wins over every declaration', () => {
    const bytes = concat(hex('efbbbf'), page('<meta charset="gbk">', ascii(SIMPLIFIED)));
    const result = decodeBody(bytes, 'text/html; charset=big5');
    assert.equal(result.charset, 'utf-8');
    assert.ok(result.text.startsWith('<!doctype'), 'the BOM itself is not part of the text');
    assert.equal(detectCharset(hex('fffe3c00')), 'utf-16le');
  });

  test('unknown labels are ignored and a utf-16 meta in an ASCII page means utf-8', () => {
    assert.equal(detectCharset(page('', hex(GBK_HEX)), 'text/html; charset=no-such-charset'), 'gbk');
    assert.equal(detectCharset(page('<meta charset="utf-16">', ascii(SIMPLIFIED))), 'utf-8');
  });

  test('a meta charset beyond the first 4 KB is not looked for', () => {
    const filler = ascii(`<!-- ${'x'.repeat(5000)} -->`);
    const bytes = concat(filler, ascii('<meta charset="gbk"><p>caf'), hex('e9'), ascii('</p>'));
    // Without the meta the lone 0xE9 is neither UTF-8 nor Chinese: windows-1252 is the fallback.
    assert.equal(decodeBody(bytes).charset, 'windows-1252');
    assert.ok(decodeBody(bytes).text.endsWith('café</p>'));
  });
});
