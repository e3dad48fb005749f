// An extracted article as `newsmirror extract` shows it: transformed as a page would be (clutter dropped, headings
// demoted, sanitised), with links and images kept pointing at the publisher, as Markdown and plain text.
// markdown.ts itself, not the stage's index: that would load the feed and QR libraries into `extract`.
import { toMarkdown, toPlainText } from '../render/markdown.ts';
import { transformArticle } from '../transform/index.ts';
import type { ExtractedArticle } from '../types.ts';

export interface ArticlePreview {
  title: string;
  leadImage?: string;
  caption?: string;
  text: string;
  markdown: string;
}

export function previewArticle(extracted: ExtractedArticle): ArticlePreview {
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
    markdown: toMarkdown(transformed.body),
  };
}
