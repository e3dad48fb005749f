// One article's page, from its stored extraction to the files a reader opens: transform (link policy, images,
// script, sanitising) then render (page in the reference format, QR code). Pure: every store lookup is resolved by
// the caller and passed in as plain data, so the unit runs on any thread.
import type { MirrorConfig } from '../../config/options.ts';
import { collectLinkUrls } from '../../internal/hast.ts';
import { type LabelOverrides, labelsFor } from '../../internal/labels.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import { normalizeArticleUrl } from '../../internal/url.ts';
// The stage's files, not its index: that would load the feed library into every page worker.
import { renderPage } from '../render/page.ts';
import { publicUrlOf } from '../render/paths.ts';
import { renderQrPng } from '../render/qr.ts';
import { type TransformedArticle, transformArticle } from '../transform/index.ts';
import type { Article, ExtractedArticle, OutputFile } from '../types.ts';

export interface ArticlePageInput {
  id: string;
  siteId: string;
  url: string;
  pagePath: string;
  /** The ExtractedArticle as stored (JSON): parsed where the page is rendered. */
  extractedJson: string;
  channels: string[];
  channelTitle: string;
  mirror: MirrorConfig;
  /** Normalised link URL (normalizeArticleUrl) -> mirror-root path of the mirrored article it points to. */
  linkTargets: Array<[string, string]>;
  /** Image source -> mirror-root path of its mirrored asset. */
  assets: Array<[string, string]>;
  /** The source took the article down (404/410) at `at`; `removeText`: the page keeps only the notice. */
  retracted?: { at: string; removeText: boolean };
  /** The site's `labels`, over the mirror's. */
  siteLabels?: LabelOverrides;
}

/** The stored article through the transform every page goes through (bundles show the same sanitised body). */
export function transformStoredArticle(input: ArticlePageInput): {
  extracted: ExtractedArticle;
  transformed: TransformedArticle;
} {
  const { mirror } = input;
  const extracted = JSON.parse(input.extractedJson) as ExtractedArticle;
  const linkTargets = new Map(input.linkTargets);
  // Links are looked up as extracted (absolute http hrefs of the body), by their normalised URL.
  const extractedHrefs = new Set(collectLinkUrls(extracted.body));
  const assets = new Map(input.assets);
  const transformed = transformArticle(extracted, {
    pagePath: input.pagePath,
    links: mirror.links,
    mirroredPath: (url) =>
      extractedHrefs.has(url) ? linkTargets.get(normalizeArticleUrl(url) ?? '') : undefined,
    images: mirror.images,
    assetPath: (src) => assets.get(src),
    script: mirror.script,
    labels: labelsFor(extracted.lang, mirror.labels, input.siteLabels),
  });
  return { extracted, transformed };
}

export async function renderArticlePage(input: ArticlePageInput): Promise<OutputFile[]> {
  const { mirror, pagePath } = input;
  const { extracted, transformed } = transformStoredArticle(input);
  const article: Article = {
    id: input.id,
    siteId: input.siteId,
    url: input.url,
    channels: input.channels,
    title: transformed.title,
    author: extracted.author,
    published: extracted.published,
    lang: extracted.lang,
    leadImage: transformed.leadImage,
    caption: transformed.caption,
    body: transformed.body,
  };
  const files: OutputFile[] = [
    {
      path: pagePath,
      content: renderPage(article, {
        mirror,
        pagePath,
        channelTitle: input.channelTitle,
        siteLabels: input.siteLabels,
        retracted: input.retracted,
      }),
    },
  ];
  if (mirror.publicUrl) {
    files.push({
      path: MIRROR_LAYOUT.qrCode(pagePath),
      content: await renderQrPng(publicUrlOf(mirror.publicUrl, pagePath)),
    });
  }
  return files;
}
