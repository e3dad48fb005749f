// Labels by the article's language: zh-Hans (the reference's, also for pages with no or an unknown language),
// zh-Hant, en; overridden by `mirror.labels`, then the site's `labels`; the home page and indexes in the mirror's
// language; the retraction notice in the page's language.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configSchema, mirrorSchema } from '../../../src/config/options.ts';
import { labelFamily, labelsFor, mirrorLang } from '../../../src/internal/labels.ts';
import { renderChannelIndexes, renderHome, renderPage } from '../../../src/pipeline/render/index.ts';
import { renderArticlePage } from '../../../src/pipeline/threads/article-page.ts';
import type { Article } from '../../../src/pipeline/types.ts';

const NOW = new Date('2026-03-02T08:00:00Z');

function article(lang: string | undefined): Article {
  return {
    id: 'n1',
    siteId: 'site',
    url: 'https://news.example.org/a/1.html',
    channels: ['world'],
    title: 'A title',
    lang,
    body: {
      type: 'root',
      children: [
        { type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: 'Body.' }] },
      ],
    },
  };
}

const mirror = mirrorSchema.parse({ title: 'Mirror', publicUrl: 'https://example.org/m/' });
const context = { mirror, pagePath: 'pages/world/n1.md', channelTitle: 'World' };

describe('labels by language', () => {
  test('a page without a language, or in zh-CN or an unknown one, keeps the reference wording', () => {
    for (const lang of [undefined, 'zh-CN', 'zh', 'fr']) {
      const page = renderPage(article(lang), context);
      assert.match(page, /\n原文链接（需翻墙）：https:\/\/news\.example\.org\/a\/1\.html\n/, String(lang));
      assert.match(page, /\n手机上长按并复制下列链接或二维码分享本文章\n/);
    }
  });

  test('English and traditional-Chinese pages get their own labels', () => {
    const english = renderPage(article('en-GB'), context);
    assert.match(english, /\nOriginal: https:\/\/news\.example\.org\/a\/1\.html\n/);
    assert.match(english, /long-press to copy the link/);
    assert.doesNotMatch(english, /原文|手机/);
    for (const lang of ['zh-TW', 'zh-Hant', 'zh-HK', 'zh-Hant-TW']) {
      const traditional = renderPage(article(lang), context);
      assert.match(traditional, /\n原文鏈接（需翻牆）：https:/, lang);
      assert.match(traditional, /\n手機上長按並複製下列鏈接或二維碼分享本文章\n/, lang);
    }
    assert.equal(labelFamily('zh-Hans-HK'), 'zh-Hans');
  });

  test("mirror.labels override the built-in ones, a site's labels override the mirror's", () => {
    const custom = mirrorSchema.parse({
      title: 'Mirror',
      labels: { en: { source: 'Source: ' }, 'zh-Hant': { source: '來源：' } },
    });
    const page = (lang: string, siteLabels?: Record<string, Record<string, string>>) =>
      renderPage(article(lang), { ...context, mirror: custom, siteLabels });
    assert.match(page('en'), /\nSource: https:/);
    assert.match(page('zh-TW'), /\n來源：https:/);
    assert.match(page('en', { en: { source: 'Read it at: ' } }), /\nRead it at: https:/);
    // The exact tag beats its family.
    assert.match(page('en-US', { 'en-US': { source: 'US: ' } }), /\nUS: https:/);
    assert.equal(labelsFor('en', { EN: { image: '<{alt}>' } }).image, '<{alt}>', 'tags compare case-blind');
    assert.throws(() => mirrorSchema.parse({ title: 'M', labels: { en: { sorce: 'x' } } }), /sorce/);
  });

  test('image stand-ins follow the article language', async () => {
    const extracted = (lang: string) =>
      JSON.stringify({
        title: 'A title',
        lang,
        body: {
          type: 'root',
          children: [
            {
              type: 'element',
              tagName: 'p',
              properties: {},
              children: [
                {
                  type: 'element',
                  tagName: 'img',
                  properties: { src: 'https://img.example.org/1.jpg', alt: 'A cat' },
                  children: [],
                },
              ],
            },
          ],
        },
        method: 'generic',
        ruleMisses: [],
      });
    const render = async (lang: string) => {
      const [file] = await renderArticlePage({
        id: 'n1',
        siteId: 'site',
        url: 'https://news.example.org/a/1.html',
        pagePath: 'pages/world/n1.md',
        extractedJson: extracted(lang),
        channels: ['world'],
        channelTitle: 'World',
        mirror: mirrorSchema.parse({ title: 'Mirror', images: 'drop' }),
        linkTargets: [],
        assets: [],
      });
      return String(file.content);
    };
    assert.match(await render('en'), /\[Image: A cat\]/);
    assert.match(await render('zh-TW'), /\[圖片：A cat\]/);
    assert.match(await render('zh-CN'), /\[图片：A cat\]/);
  });

  test('a retracted page says so in its language, text kept; `remove` keeps only the notice', () => {
    const retracted = { at: '2026-03-03T09:00:00.000Z', removeText: false };
    const zh = renderPage(article('zh-CN'), { ...context, retracted });
    assert.match(zh, /\n> 本文已于 2026-03-03 被原网站撤下。以下是撤下前的原文，保留在此供读者查阅。\n/);
    assert.match(zh, /\nBody\.\n/);
    const hant = renderPage(article('zh-TW'), { ...context, retracted });
    assert.match(hant, /\n> 本文已於 2026-03-03 被原網站撤下。/);
    const removed = renderPage(article('en'), { ...context, retracted: { ...retracted, removeText: true } });
    assert.match(removed, /\n> The publisher took this article down \(2026-03-03\)\.\n/);
    assert.doesNotMatch(removed, /Body\./);
    assert.match(removed, /\nOriginal: https:/, 'the original link stays');
  });

  test('the home page and indexes use the mirror language: mirror.lang, else what most sites give', () => {
    const english = mirrorSchema.parse({ title: 'Mirror', lang: 'en' });
    const entries = [{ id: 'n1', title: 'A title', path: 'pages/world/n1.md', channelId: 'world' }];
    const home = renderHome(english, [{ id: 'world', title: 'World', count: 1 }], entries, NOW);
    assert.match(home, /#### Latest articles/);
    assert.match(home, /\| Date \| Channel \| Title \|/);
    assert.match(home, /All mirrors/);
    const index = renderChannelIndexes({ id: 'world', title: 'World' }, entries, {
      mirror: english,
      now: NOW,
    });
    assert.match(String(index[0].content), /\| Date \| Title \|/);
    const chinese = renderHome(mirrorSchema.parse({ title: 'M' }), [], entries, NOW);
    assert.match(chinese, /#### 最新文章/);
    const site = (id: string, lang?: string) => ({
      id,
      name: id,
      base: `https://${id}.example.org/`,
      ...(lang ? { lang } : {}),
      channels: [{ id: `${id}-c`, title: 'C', feed: `https://${id}.example.org/feed` }],
    });
    const config = (lang?: string) =>
      configSchema.parse({
        mirror: { title: 'M', ...(lang ? { lang } : {}) },
        sites: [site('a', 'en'), site('b', 'zh-TW'), site('c', 'en'), site('d')],
      });
    assert.equal(mirrorLang(config()), 'en');
    assert.equal(mirrorLang(config('zh-Hant')), 'zh-Hant');
  });
});
