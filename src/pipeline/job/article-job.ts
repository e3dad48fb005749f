// The per-article job: fetch -> extract -> images, from plain data to plain data. It reads through its ports (HTTP,
// the extractor, a read-only image lookup) and leaves image bytes in a blob store, but never writes the store or
// the mirror and never touches the run's state: the single writer applies its result (steps/apply-result.ts). So
// the same job can run on a queue in another process and be retried.
import { createHash } from 'node:crypto';
import { ExtractError } from '../../internal/errors.ts';
import { collectLinkUrls } from '../../internal/hast.ts';
import { articleIdFromUrl } from '../../internal/ids.ts';
import { uniqueValues } from '../../internal/unique.ts';
import { normalizeArticleUrl, sameSite } from '../../internal/url.ts';
import type { ArticleRefs } from '../../store/index.ts';
import type { Extraction, ExtractOptions, PageGuess } from '../extract/index.ts';
import { collectImageUrls } from '../transform/index.ts';
import type { ExtractedArticle } from '../types.ts';
import { type PageInput, pageInputOf } from './extract-page.ts';
import { failureOf, type ImageJobPorts, mirrorImages } from './images.ts';
import type { ArticleJobInput, ArticleJobResult, ExtractedResult } from './types.ts';

export interface ArticleJobPorts extends ImageJobPorts {
  /** Decodes and extracts a page (on a worker thread in a run): the article, or why there is none. */
  extract(page: PageInput, options: ExtractOptions): Promise<Extraction>;
  /** Told when a part of the job that began at `startedAt` (performance.now()) ends, for `run --verbose`. */
  onTime?(part: 'fetch' | 'images', startedAt: number): void;
}

/** Runs one article's job; every failure comes back as a `failed` result, never as an exception. */
export async function runArticleJob(
  input: ArticleJobInput,
  ports: ArticleJobPorts,
): Promise<ArticleJobResult> {
  try {
    return await fetchAndExtract(input, ports);
  } catch (error) {
    return { kind: 'failed', url: input.url, failure: failureOf(error) };
  }
}

async function fetchAndExtract(input: ArticleJobInput, ports: ArticleJobPorts): Promise<ArticleJobResult> {
  const { url, site } = input;
  // Article URLs come from listings and feeds, and their redirects from the publisher: a hostile or hijacked page
  // must not steer the fetcher into the operator's network (fetch.allowPrivateAddresses opts out). Left undecoded:
  // the extractor decodes it, on a worker thread, so the page never exists as a string on the main thread.
  const fetchStarted = performance.now();
  const page = await ports.http.fetch(url, {
    validators: input.validators,
    fromContent: true,
    decode: false,
  });
  ports.onTime?.('fetch', fetchStarted);
  if (page.notModified) return { kind: 'not_modified', url };

  const extraction = await ports.extract(pageInputOf(page), {
    url: page.url,
    rules: site.rules,
    lang: site.lang,
    pages: site.pages,
  });
  const found = extraction.article;
  // A page without a date of its own takes the feed's or sitemap's (pubDate, updated, lastmod, publication_date).
  const extracted =
    found && !found.published && input.listedPublished
      ? { ...found, published: input.listedPublished }
      : found;
  if (!extracted) {
    const why = extraction.article ? undefined : extraction.reason;
    throw new ExtractError(`extract: ${url}: ${notArticleMessage(why, extraction.page)}`, {
      code: 'not_article',
      where: url,
      retryable: false,
    });
  }
  // The same article reached through another URL (redirect, canonical link) is one article.
  const aliases = uniqueValues(
    [page.url, extracted.canonicalUrl]
      .map((candidate) => (candidate ? normalizeArticleUrl(candidate) : null))
      .filter(
        (candidate): candidate is string =>
          candidate !== null && candidate !== url && sameSite(candidate, site.base),
      ),
  );
  const idCandidates = uniqueValues(
    [url, ...aliases].map((candidate) => articleIdFromUrl(candidate, site.articleId) ?? undefined),
  );
  const refs = pageRefsOf(extracted);
  const imagesStarted = performance.now();
  const images = input.images === 'mirror' ? await mirrorImages(refs.images, input.maxImageBytes, ports) : [];
  if (images.length > 0) ports.onTime?.('images', imagesStarted);
  const result: ExtractedResult = {
    kind: 'article',
    url,
    finalUrl: page.url,
    extracted,
    contentHash: hashExtracted(extracted),
    aliases,
    idCandidates,
    refs,
    images,
    validators: { etag: page.etag, lastModified: page.lastModified },
  };
  return result;
}

/**
 * Why a page is no article, as `newsmirror extract` tells it (its reason and the classifier's guess), so the run's
 * log and `status` say whether the site's pages changed or the classifier turned a real story down.
 */
export function notArticleMessage(reason: string | undefined, page: PageGuess | undefined): string {
  const text = `not an article: ${reason ?? 'no body found'}`;
  if (!page) return text;
  const probability = `p=${page.probability.toFixed(2)}`;
  // A refusal by the classifier already names its guess.
  return text.includes(probability) ? text : `${text} (classifier: ${page.type} page, ${probability})`;
}

/** What a page shows from elsewhere, as recorded with its article: image sources and normalised link targets. */
export function pageRefsOf(extracted: ExtractedArticle): ArticleRefs {
  return {
    images: collectImageUrls(extracted),
    links: collectLinkUrls(extracted.body)
      .map((href) => normalizeArticleUrl(href))
      .filter((href): href is string => href !== null),
  };
}

function hashExtracted(extracted: ExtractedArticle): string {
  const { ruleMisses: _misses, method: _method, ...content } = extracted;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
