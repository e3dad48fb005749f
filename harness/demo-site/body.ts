// Article bodies: the blocks of demo/data/articles/*.yaml as the publishers' HTML, with the plain text, links and
// images the manifest records for the tests.
import { posix } from 'node:path';
import { type ArticleSource, articleById, articlePath, imageByKey } from './content.ts';
import type { DemoBodyImage } from './manifest.ts';

/** 1x1 transparent GIF the publisher puts in src until its lazy loader swaps in data-src. */
export const LAZY_PLACEHOLDER =
  'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface RenderedText {
  html: string;
  text: string;
  links: string[];
  deadLinks: string[];
}

/** Inline markup of the article data -> HTML, plain text and the links it made. */
function renderInline(source: string, from: ArticleSource): RenderedText {
  const links: string[] = [];
  const deadLinks: string[] = [];
  const pattern = /\[\[([^\]]+)\]\]|\[([^\]]+)\]\(([^)]+)\)/g;
  let html = '';
  let text = '';
  let last = 0;
  for (const match of source.matchAll(pattern)) {
    html += escapeHtml(source.slice(last, match.index));
    text += source.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[1]) {
      const tag = match[1];
      html += `<a href="/gb/tag/${encodeURIComponent(tag)}.html" target="_blank" rel="noopener">${escapeHtml(tag)}</a>`;
      text += tag;
      continue;
    }
    const [label, target] = [match[2], match[3]];
    let href: string;
    if (target.startsWith('/')) {
      href = target;
      deadLinks.push(target);
    } else {
      const relative = target.startsWith('rel:');
      const to = articlePath(articleById(relative ? target.slice(4) : target));
      href = relative ? posix.relative(posix.dirname(articlePath(from)), to) : to;
      links.push(to);
    }
    html += `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${escapeHtml(label)}</a>`;
    text += label;
  }
  html += escapeHtml(source.slice(last));
  text += source.slice(last);
  return { html, text, links, deadLinks };
}

/** The publisher puts an ad block into every article body, so the `.ad_in_article` remove rule always matches. */
const IN_ARTICLE_AD =
  '<div class="ad_in_article" style="min-height: 250px;"><span class="ad_label">本站广告位</span>' +
  '<script>(window.adQueue = window.adQueue || []).push({ slot: "in-article" });</script></div>\n';

export interface RenderedBody {
  html: string;
  paragraphs: string[];
  links: string[];
  deadLinks: string[];
  images: DemoBodyImage[];
  hasH2: boolean;
}

export function renderBlocks(article: ArticleSource): RenderedBody {
  const out: RenderedBody = { html: '', paragraphs: [], links: [], deadLinks: [], images: [], hasH2: false };
  let figureNumber = Number(article.id.replace(/\D/g, '')) + 10;
  const paragraphCount = article.blocks.filter((block) => 'p' in block).length;
  const adAfter = article.site === 'A' ? Math.min(2, paragraphCount - 1) : -1;
  for (const block of article.blocks) {
    if ('p' in block && out.paragraphs.length === adAfter) out.html += IN_ARTICLE_AD;
    if ('p' in block) {
      const inline = renderInline(block.p, article);
      const style = block.p.startsWith('责任编辑')
        ? ''
        : out.paragraphs.length === 2
          ? ' style="text-indent: 2em;"'
          : '';
      out.html += `<p${style}>${inline.html}</p>\n`;
      out.paragraphs.push(inline.text);
      out.links.push(...inline.links);
      out.deadLinks.push(...inline.deadLinks);
    } else if ('h2' in block) {
      out.html += `<h2 style="font-size: 20px;"><strong>${escapeHtml(block.h2)}</strong></h2>\n`;
      out.hasH2 = true;
    } else if ('figure' in block) {
      const image = imageByKey(block.figure);
      figureNumber++;
      out.html +=
        `<figure id="attachment_${figureNumber}" aria-describedby="caption-attachment-${figureNumber}" class="wp-caption aligncenter" style="width: ${image.width}px">` +
        `<img class="size-full wp-image-${figureNumber}" src="${image.path}" alt="${escapeHtml(block.caption)}" width="${image.width}" height="${image.height}">` +
        `<figcaption id="caption-attachment-${figureNumber}" class="wp-caption-text">${escapeHtml(block.caption)}</figcaption></figure>\n`;
      out.images.push({ path: image.path, kind: 'figure', caption: block.caption });
    } else if ('lazy' in block) {
      const image = imageByKey(block.lazy);
      if (!image.srcset)
        throw new Error(`make-demo-site: lazy image ${block.lazy} has no srcset in images.yaml`);
      const small = imageByKey(image.srcset);
      figureNumber++;
      out.html +=
        `<figure id="attachment_${figureNumber}" class="wp-caption aligncenter" style="width: 600px">` +
        `<img class="lazy size-full wp-image-${figureNumber}" src="${LAZY_PLACEHOLDER}" data-src="${image.path}" ` +
        `srcset="${small.path} ${small.width}w, ${image.path} ${image.width}w" sizes="(max-width: 600px) 100vw, 600px" ` +
        `alt="${escapeHtml(block.caption)}" width="${image.width}" height="${image.height}">` +
        `<figcaption class="wp-caption-text">${escapeHtml(block.caption)}</figcaption></figure>\n`;
      out.images.push({
        path: image.path,
        kind: 'lazy',
        caption: block.caption,
        srcset: [small.path, image.path],
      });
    } else if ('inline' in block) {
      const image = imageByKey(block.inline);
      const src =
        article.site === 'B' ? posix.relative(posix.dirname(articlePath(article)), image.path) : image.path;
      out.html +=
        article.site === 'B'
          ? `<p align="center"><img src="${src}" border="0" alt="${escapeHtml(block.caption)}"></p>\n<p align="center" class="pic-note">${escapeHtml(block.caption)}</p>\n`
          : `<p style="text-align: center;"><img src="${src}" alt="${escapeHtml(block.caption)}" width="${image.width}" height="${image.height}"></p>\n<p class="pic_caption" style="text-align: center; color: #666;">${escapeHtml(block.caption)}</p>\n`;
      out.images.push({ path: image.path, kind: 'inline', caption: block.caption });
    } else if ('aside' in block) {
      const inline = renderInline(block.aside, article);
      out.html += `<aside class="inline_related" style="border-left: 3px solid #c00; padding-left: 8px;">${inline.html}</aside>\n`;
    } else if ('tweet' in block) {
      out.html +=
        `<twitter-widget class="twitter-tweet" data-tweet-id="1714300000000000000" style="display: block;">` +
        `<p lang="zh">推特嵌入内容：${escapeHtml(block.tweet)}</p>— 民间团体观察 (@observer_demo)</twitter-widget>\n` +
        '<script async src="https://platform.twitter.example/widgets.js" charset="utf-8"></script>\n';
    } else if ('video' in block) {
      out.html += `<p><iframe title="视频" src="https://video.example.net/embed/${block.video}" width="560" height="315" frameborder="0" allowfullscreen></iframe></p>\n`;
    }
  }
  return out;
}

/** First sentence-ish of the first paragraph, without the dateline, for listings and feeds. */
export function summary(article: ArticleSource): string {
  const first = article.blocks.find((block): block is { p: string } => 'p' in block);
  const text = renderInline(first?.p ?? '', article).text.replace(/^【[^】]*】(（[^）]*）)?/, '');
  return text.length > 70 ? `${text.slice(0, 70)}……` : text;
}
