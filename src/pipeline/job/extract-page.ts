// A fetched page to an article: charset detection on the raw bytes, then extraction (site rules, or the generic
// extractor). The one place that pairs the two, for runs (on worker threads), `check`, `extract` and fixtures.
import { type Extraction, type ExtractOptions, extractArticle } from '../extract/index.ts';
import { decodeBody, isTextResponse } from '../fetch/charset.ts';
import type { ExtractedArticle, FetchedPage } from '../types.ts';

/**
 * A page as HTML text, or as the bytes received with their Content-Type: decoding then happens where the page is
 * extracted, so the main thread of a run never holds the page as a string.
 */
export type PageInput = { html: string } | { bytes: Uint8Array; contentType?: string };

export function extractPage(page: PageInput, options: ExtractOptions): ExtractedArticle | null {
  return extractPageContent(page, options).article;
}

/** extractPage, saying why when there is no article (for `newsmirror extract` and `check`). */
export function extractPageContent(page: PageInput, options: ExtractOptions): Extraction {
  const html = 'html' in page ? page.html : decodeBody(page.bytes, page.contentType).text;
  return extractArticle(html, { ...options, explain: true });
}

/** A response fetched with `decode: false`, as extraction input. A binary answer (an image, a PDF) is no page:
 * extracting nothing from it makes it `not_article`. */
export function pageInputOf(response: Pick<FetchedPage, 'contentType' | 'body'>): PageInput {
  return isTextResponse(response.contentType, response.body)
    ? { bytes: response.body, contentType: response.contentType }
    : { html: '' };
}
