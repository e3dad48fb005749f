import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { mirrorSchema } from '../../../src/config/options.ts';
import {
  type IndexEntry,
  renderFeed,
  renderMirrorsList,
  renderQrPng,
} from '../../../src/pipeline/render/index.ts';
import { findElements, renderGfmLikeGitHub } from './gfm.ts';

// jsqr is CommonJS: typed as a module with `default`, while Node hands over the function itself.
type DecodeQr = typeof jsQRModule.default;
const jsQR: DecodeQr =
  (jsQRModule as unknown as { default?: DecodeQr }).default ?? (jsQRModule as unknown as DecodeQr);

const NOW = new Date('2023-10-18T09:05:00Z');
const ENTRIES: IndexEntry[] = [
  {
    id: 'n2',
    title: 'Second <b>&</b> ]]> "quoted"',
    path: 'pages/china/n2.md',
    published: '2023-10-18T08:00:00+08:00',
    channelId: 'china',
  },
  { id: 'n1', title: '第一篇', path: 'pages/china/n1.md', channelId: 'china' },
];

function parseAtom(xml: string) {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => name === 'entry' || name === 'link',
  });
  return parser.parse(xml, true).feed;
}

describe('Atom feed', () => {
  test('valid XML; entries link to publicUrl + path; titles read back as written', () => {
    const mirror = mirrorSchema.parse({
      title: '新闻镜像',
      publicUrl: 'https://github.com/someone/news/blob/main',
    });
    const feed = parseAtom(renderFeed(mirror, ENTRIES, NOW));
    assert.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
    assert.equal(feed.title, '新闻镜像');
    assert.equal(feed.updated, NOW.toISOString());
    assert.equal(feed.entry.length, 2);
    const [second, first] = feed.entry;
    assert.equal(second.link[0]['@href'], 'https://github.com/someone/news/blob/main/pages/china/n2.md');
    assert.equal(first.link[0]['@href'], 'https://github.com/someone/news/blob/main/pages/china/n1.md');
    // type="html": the text is HTML, so unescaping it once gives back the title.
    const html = second.title['#text'];
    assert.equal(
      html.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
      ENTRIES[0].title,
    );
    assert.equal(second.published, '2023-10-18T00:00:00.000Z');
    assert.notEqual(second.id, first.id);
    assert.match(second.id, /^urn:newsmirror:pages\/china\/n2\.md$/);
  });

  test('without a public URL, links are relative to the feed and ids stay absolute', () => {
    const mirror = mirrorSchema.parse({ title: 'm' });
    const xml = renderFeed(mirror, ENTRIES, NOW);
    assert.ok(!xml.includes('.invalid'));
    const feed = parseAtom(xml);
    assert.equal(feed.entry[0].link[0]['@href'], 'pages/china/n2.md');
    assert.match(feed.id, /^urn:newsmirror:/);
  });
});

describe('QR code', () => {
  test('the PNG decodes back to the URL', async () => {
    const url = 'https://github.com/someone/epoch-news/blob/main/pages/ncid1078159/n14097883.md';
    const bytes = await renderQrPng(url);
    assert.deepEqual([...bytes.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const png = PNG.sync.read(Buffer.from(bytes));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    assert.equal(decoded?.data, url);
  });

  test('non-ASCII URLs round-trip too', async () => {
    const url = 'https://example.org/镜像/pages/中国/n1.md';
    const png = PNG.sync.read(Buffer.from(await renderQrPng(url)));
    assert.equal(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data, url);
  });

  test('with the fixed mask, URLs of every length and kind decode back', async () => {
    // The mask is no longer chosen per code: codes of each size (versions 3 to 11 here) must still read.
    const urls: string[] = [];
    for (let length = 10; length <= 220; length += 7) {
      const id = String(length * 7919).padStart(8, '0');
      urls.push(`https://e.org/${'p'.repeat(length)}/n${id}.md`);
      urls.push(`https://example.org/镜像/${'频道'.repeat(Math.ceil(length / 12))}/n${id}.md`);
    }
    let decoded = 0;
    for (const url of urls) {
      const png = PNG.sync.read(Buffer.from(await renderQrPng(url)));
      assert.equal(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data, url, url);
      decoded++;
    }
    assert.equal(decoded, urls.length);
  });
});

describe('mirrors list', () => {
  test('lists this copy and every configured copy once, as links', () => {
    const mirror = mirrorSchema.parse({
      title: '镜像',
      publicUrl: 'https://github.com/a/news',
      mirrors: [
        { name: 'GitLab | 备份', url: 'https://gitlab.com/a/news' },
        { name: 'same', url: 'https://github.com/a/news' },
      ],
    });
    const tree = renderGfmLikeGitHub(renderMirrorsList(mirror));
    const hrefs = findElements(tree, 'a').map((a) => String(a.properties.href));
    assert.deepEqual(hrefs, ['https://github.com/a/news', 'https://gitlab.com/a/news']);
  });

  test('says so when there is no other copy', () => {
    assert.ok(renderMirrorsList(mirrorSchema.parse({ title: 'm' })).includes('暂无其他镜像'));
  });
});
