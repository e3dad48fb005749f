// An extracted article as `newsmirror extract` shows it: transformed as a page would be (clutter dropped, headings
// demoted, sanitised), with links and images kept pointing at the publisher, as Markdown and plain text.
// markdown.ts itself, not the stage's index: that would load the feed and QR libraries into `extract`.
import type { ExtractOptions } from '../extract/index.ts';
import { toMarkdown, toPlainText } from '../render/markdown.ts';
import { transformArticle } from '../transform/index.ts';
import type { ExtractedArticle } from '../types.ts';
import { extractPageContent, type PageInput } from './extract-page.ts';

interface ArticlePreview {
  title: string;
  leadImage?: string;
  caption?: string;
  text: string;
  /** Empty unless asked for: serialising Markdown costs as much as extracting the page. */
  markdown: string;
}

function previewArticle(extracted: ExtractedArticle, options: { markdown?: boolean } = {}): ArticlePreview {
  const transformed = transformArticle(extracted, {
    pagePath: 'article.md',
    links: 'keep',
    mirroredPath: () => undefined,
    images: 'hotlink',
    assetPath: () => undefined,
    script: 'original',
  });
  return {
    title: transformed.title,
    leadImage: transformed.leadImage?.src,
    caption: transformed.caption,
    text: toPlainText(transformed.body),
    markdown: options.markdown === false ? '' : toMarkdown(transformed.body),
  };
}

/** One page as `newsmirror extract` reports it: plain data, so it can be made on a worker thread. */
export interface PagePreview {
  title: string | null;
  author: string | null;
  published: string | null;
  lang: string | null;
  leadImage: string | null;
  caption: string | null;
  text: string;
  markdown: string;
  /** 'rules' | 'generic'; null when the page is not an article. */
  method: string | null;
  /** The classifier's guess, when the generic extractor ran. */
  page?: { type: string; probability: number };
  /** Why there is no article (method null). */
  reason?: string;
}

export interface PreviewOptions extends Pick<ExtractOptions, 'url' | 'pages'> {
  /** Serialise the body as Markdown too (json and markdown output). */
  markdown: boolean;
}

/** Extract the page and preview its article: the whole per-page work of `newsmirror extract`. */
export function previewPage(page: PageInput, options: PreviewOptions): PagePreview {
  const extraction = extractPageContent(page, { url: options.url, pages: options.pages });
  const guess = extraction.page && {
    type: extraction.page.type,
    probability: Math.round(extraction.page.probability * 100) / 100,
  };
  const none = { author: null, published: null, lang: null, leadImage: null, caption: null };
  if (!extraction.article) {
    return {
      title: null,
      ...none,
      text: '',
      markdown: '',
      method: null,
      ...(guess && { page: guess }),
      reason: extraction.reason,
    };
  }
  const extracted = extraction.article;
  const preview = previewArticle(extracted, { markdown: options.markdown });
  return {
    title: preview.title || null,
    author: extracted.author ?? null,
    published: extracted.published ?? null,
    lang: extracted.lang ?? null,
    leadImage: preview.leadImage ?? null,
    caption: preview.caption ?? null,
    text: preview.text,
    markdown: preview.markdown,
    method: extracted.method,
    ...(guess && { page: guess }),
  };
}
