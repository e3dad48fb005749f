// Pages read back (`newsmirror recover`): a page rendered from an extraction, read back into one, renders the same
// bytes again; a file that is not such a page is refused with the line where it is not.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromHtml } from 'hast-util-from-html';
import { type MirrorConfig, mirrorSchema } from '../../../src/config/options.ts';
import { extractedFromPage } from '../../../src/pipeline/render/read-body.ts';
import { PageFormatError, readPage } from '../../../src/pipeline/render/read-page.ts';
import { type ArticlePageInput, renderArticlePage } from '../../../src/pipeline/threads/article-page.ts';
import type { ExtractedArticle } from '../../../src/pipeline/types.ts';

const ASSET = `assets/ab/${'ab'.repeat(32)}.jpg`;
const RECOVERED = (path: string) => `https://recovered.newsmirror.invalid/${path}`;
const OTHER_PAGE = 'pages/world/n2.md';
const OTHER_URL = 'https://news.example.org/a/2.html';

function mirror(overrides: Record<string, unknown>): MirrorConfig {
  return mirrorSchema.parse({ dir: './mirror', title: 'News', remotes: [], ...overrides });
}

function input(extracted: ExtractedArticle, mirrorConfig: MirrorConfig, assets: Array<[string, string]>) {
  return {
    id: 'n1',
    siteId: 'site',
    url: 'https://news.example.org/a/1.html',
    pagePath: 'pages/world/n1.md',
    extractedJson: JSON.stringify(extracted),
    channels: ['world'],
    channelTitle: 'World',
    mirror: mirrorConfig,
    linkTargets: [[OTHER_URL, OTHER_PAGE]],
    assets,
  } satisfies ArticlePageInput;
}

/** Renders, reads back, renders again: both pages, and the extraction read back. */
async function roundTrip(
  extracted: ExtractedArticle,
  mirrorConfig: MirrorConfig,
  options: { imageSrc: string; retracted?: ArticlePageInput['retracted'] },
) {
  const first = input(extracted, mirrorConfig, [[options.imageSrc, ASSET]]);
  const page = String((await renderArticlePage({ ...first, retracted: options.retracted }))[0].content);
  const read = readPage(page, { mirror: mirrorConfig, pagePath: first.pagePath, id: first.id });
  const back = extractedFromPage(
    read,
    first.pagePath,
    extracted.published,
    (path) => (path === ASSET ? RECOVERED(path) : undefined),
    (path) => (path === OTHER_PAGE ? OTHER_URL : undefined),
  );
  const second = input(back, mirrorConfig, [[RECOVERED(ASSET), ASSET]]);
  const again = String((await renderArticlePage({ ...second, retracted: options.retracted }))[0].content);
  return { page, again, read, back };
}

function extraction(html: string, more: Partial<ExtractedArticle> = {}): ExtractedArticle {
  return {
    title: '标题 *not emphasis* [not a link](javascript:x)',
    canonicalUrl: 'https://news.example.org/a/1.html',
    body: fromHtml(html, { fragment: true }),
    method: 'generic',
    ruleMisses: [],
    ...more,
  };
}

const RICH_BODY = `
<p>First paragraph with <strong>bold</strong>, <em>emphasis</em>, <code>code</code> and a URL as text:
http://example.com/x_y*z.</p>
<br>
<h2 id="part">Second part</h2>
<p>A <a href="${OTHER_URL}">link to a mirrored page</a>, one to <a href="https://elsewhere.example/">elsewhere</a>,
a <a href="mailto:desk@news.example.org">mail link</a> and <a href="#part">one within the page</a>.</p>
<img src="https://img.example.org/1.jpg" alt="A picture">
<h3>Third</h3>
<ul><li>one</li><li>two <del>gone</del></li></ul>
<blockquote><p>Quoted words.</p></blockquote>
<table><thead><tr><th>Year</th><th>Count</th></tr></thead><tbody><tr><td>2023</td><td>7</td></tr></tbody></table>
<ol><li>first</li><li>second</li></ol>`;

describe('a page read back renders the same bytes', () => {
  test('the reference frame (nav bar, counter, share block), mirrored images, links mirrored', async () => {
    const mirrorConfig = mirror({
      publicUrl: 'https://github.com/someone/news/blob/main/',
      nav: [{ text: '首页', href: 'README.md' }],
      counter: 'https://counter.example.org/{path}',
      links: 'mirror',
      images: 'mirror',
    });
    const extracted = extraction(RICH_BODY, {
      leadImage: { src: 'https://img.example.org/1.jpg', alt: 'Lead & "quoted"' },
      caption: 'A caption <with> & signs',
    });
    const { page, again, read } = await roundTrip(extracted, mirrorConfig, {
      imageSrc: 'https://img.example.org/1.jpg',
    });
    assert.match(page, /\[link to a mirrored page\]\(n2\.md\)/);
    assert.match(page, new RegExp(`\\(\\.\\./\\.\\./${ASSET}\\)`));
    assert.equal(read.url, 'https://news.example.org/a/1.html');
    assert.equal(read.title, extracted.title);
    assert.equal(read.caption, 'A caption <with> & signs');
    assert.equal(again, page);
  });

  test('links kept and images hotlinked, English labels, a retraction notice', async () => {
    const mirrorConfig = mirror({ links: 'keep', images: 'hotlink' });
    const extracted = extraction(RICH_BODY, {
      lang: 'en',
      leadImage: { src: 'https://img.example.org/2.jpg' },
    });
    const retracted = { at: '2026-02-01T10:00:00.000Z', removeText: false };
    const { page, again, read } = await roundTrip(extracted, mirrorConfig, {
      imageSrc: 'https://img.example.org/9.jpg',
      retracted,
    });
    assert.match(page, /mailto:desk@news\.example\.org/);
    assert.deepEqual(read.retracted, { date: '2026-02-01', removeText: false });
    assert.equal(read.lang, 'en');
    assert.equal(again, page);
  });

  test('a body that opens with a quotation is no retraction notice', async () => {
    const mirrorConfig = mirror({});
    const { page, again, read } = await roundTrip(
      extraction('<blockquote><p>A quotation opens the story.</p></blockquote><p>Then the story.</p>'),
      mirrorConfig,
      { imageSrc: 'none' },
    );
    assert.equal(read.retracted, undefined);
    assert.match(read.bodyMarkdown, /^> A quotation opens the story\./);
    assert.equal(again, page);
  });

  test('links inert, images dropped, traditional script', async () => {
    const mirrorConfig = mirror({ links: 'inert', images: 'drop', script: 'traditional' });
    const extracted = extraction(RICH_BODY.replace('First', '简体的文字 First'));
    const { page, again } = await roundTrip(extracted, mirrorConfig, { imageSrc: 'none' });
    assert.match(page, /簡體的文字/);
    assert.equal(again, page);
  });
});

describe('files that are not pages newsmirror wrote', () => {
  const mirrorConfig = mirror({});
  const context = { mirror: mirrorConfig, pagePath: 'pages/world/notes.md', id: 'notes' };
  test('no title heading: refused at line 1', () => {
    assert.throws(
      () => readPage('# My notes\n\nText.\n', context),
      (error: unknown) =>
        error instanceof PageFormatError && /notes\.md:1: expected the title/.test(error.message),
    );
  });
  test('no original link: refused', () => {
    assert.throws(
      () => readPage('### A title\n\n---\n\nText only.\n', context),
      (error: unknown) =>
        error instanceof PageFormatError && /expected the original link/.test(error.message),
    );
  });
  test('an original link that is no http(s) URL: refused', () => {
    const page = '### A title\n\n---\n\nText.\n\n---\n\n原文链接（需翻墙）：javascript:alert(1)\n';
    assert.throws(() => readPage(page, context), /expected an http\(s\) URL/);
  });
});
