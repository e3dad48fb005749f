// Other extractors a Node user would pick, run in process as their maintainers document them, for the extraction
// bench: @mozilla/readability and defuddle on linkedom; @postlight/parser when it is installed (it cannot be here:
// see PEER_UNAVAILABLE). Each returns text plus the metadata it reports; a crash counts as no output.
import { Readability } from '@mozilla/readability';
import { Defuddle } from 'defuddle/node';
import { fromHtml } from 'hast-util-from-html';
import { parseHTML } from 'linkedom';
import { hastToText } from './hast-text.ts';

export interface PeerPage {
  url: string;
  html: string;
}

export interface Output {
  text: string;
  title?: string;
  author?: string;
  published?: string;
}

/** linkedom documents have no URL: a <base href> lets extractors resolve relative links as a browser would. */
function withBase(page: PeerPage): string {
  return page.html.replace(/<head\b[^>]*>/i, (head) => `${head}<base href="${page.url}">`);
}

/**
 * Text of an extractor's HTML content, block elements on their own lines (the same conversion as ours), so
 * adjacent paragraphs never merge into one word.
 */
export function htmlText(html: string): string {
  return hastToText(fromHtml(html, { fragment: true }));
}

/**
 * `new Readability(document).parse()` on linkedom. `text` is its documented `textContent`: the published
 * Scrapinghub figure for readability_js is reproduced that way. `blockText` is the same article's `content`
 * turned into text like ours (textContent glues the words of adjacent blocks when the markup has no whitespace
 * between them, which WCXB's word metric punishes).
 */
export function readability(page: PeerPage): Output & { blockText: string } {
  try {
    const article = new Readability(
      parseHTML(withBase(page)).document as unknown as ConstructorParameters<typeof Readability>[0],
    ).parse();
    if (!article) return { text: '', blockText: '' };
    return {
      text: article.textContent ?? '',
      blockText: article.content ? htmlText(article.content) : '',
      title: article.title ?? undefined,
      author: article.byline ?? undefined,
      published: article.publishedTime ?? undefined,
    };
  } catch {
    return { text: '', blockText: '' };
  }
}

/** Defuddle logs the errors it recovers from (bad JSON-LD ...) to the console: muted so the table stays readable. */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const { log, warn, error } = console;
  console.log = console.warn = console.error = () => {};
  try {
    return await run();
  } finally {
    Object.assign(console, { log, warn, error });
  }
}

/** `await Defuddle(document, url)` from `defuddle/node` on linkedom (its README's Node usage); `content` is HTML. */
export async function defuddle(page: PeerPage): Promise<Output> {
  try {
    const { document } = parseHTML(withBase(page));
    const result = await quietly(() =>
      Defuddle(document as unknown as Parameters<typeof Defuddle>[0], page.url),
    );
    return {
      text: result.content ? htmlText(result.content) : '',
      title: result.title || undefined,
      author: result.author || undefined,
      published: result.published || undefined,
    };
  } catch {
    return { text: '' };
  }
}

/** Why a documented peer is missing from the table; printed by the bench and repeated in docs/extraction.md. */
export const PEER_UNAVAILABLE = {
  '@postlight/parser':
    'not installable from the npm registry alone: its 2.2.3 release depends on two GitHub repositories ' +
    '(difflib and browser-request, as git dependencies), which npm must clone and this machine cannot reach',
} as const;
