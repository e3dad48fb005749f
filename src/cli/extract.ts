// `newsmirror extract FILE|URL...`: extraction alone. Raw bytes in, charset detected; one JSON object a line.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../internal/errors.ts';
import type { HttpClient } from '../pipeline/fetch/client.ts';
import { extractPageContent, type PageInput, pageInputOf } from '../pipeline/job/extract-page.ts';
import { previewArticle } from '../pipeline/steps/preview-article.ts';

export interface ExtractCommandOptions {
  url?: string;
  format: string;
  pages?: string;
}

export interface ExtractResult {
  file: string;
  url: string;
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
  /** The classifier's guess, when the generic extractor ran: `{ type, probability }`. */
  page?: { type: string; probability: number };
  /** Why there is no article (method null). */
  reason?: string;
  error?: string;
}

const FORMATS = new Set(['json', 'markdown', 'text']);
const PAGES = new Set(['articles', 'any']);

export async function extractCommand(inputs: string[], options: ExtractCommandOptions): Promise<number> {
  if (!FORMATS.has(options.format)) {
    process.stderr.write(
      `newsmirror extract: --format must be json, markdown or text (got "${options.format}")\n`,
    );
    return 2;
  }
  const pages = options.pages ?? 'articles';
  if (!PAGES.has(pages)) {
    process.stderr.write(`newsmirror extract: --pages must be articles or any (got "${pages}")\n`);
    return 2;
  }
  let failed = 0;
  const http = inputs.some(isUrl) ? await httpClient() : undefined;
  try {
    for (const input of inputs) {
      const result = await extractOne(input, options.url, http, pages as 'articles' | 'any');
      if (result.error) failed++;
      process.stdout.write(formatResult(result, options.format, inputs.length > 1));
    }
  } finally {
    await http?.close();
  }
  return failed > 0 ? 1 : 0;
}

export async function extractOne(
  input: string,
  baseUrl: string | undefined,
  http?: HttpClient,
  pages: 'articles' | 'any' = 'articles',
): Promise<ExtractResult> {
  const empty: ExtractResult = {
    file: input,
    url: baseUrl ?? (isUrl(input) ? input : pathToFileURL(input).href),
    title: null,
    author: null,
    published: null,
    lang: null,
    leadImage: null,
    caption: null,
    text: '',
    markdown: '',
    method: null,
  };
  let page: PageInput;
  try {
    if (isUrl(input) && http) {
      const response = await http.fetch(input, { decode: false });
      page = pageInputOf(response);
      empty.url = baseUrl ?? response.url;
    } else {
      page = { bytes: await readFile(input) };
    }
  } catch (error) {
    return { ...empty, error: errorMessage(error) };
  }
  const extraction = extractPageContent(page, { url: empty.url, pages });
  const guess = extraction.page && {
    type: extraction.page.type,
    probability: Math.round(extraction.page.probability * 100) / 100,
  };
  if (!extraction.article) return { ...empty, ...(guess && { page: guess }), reason: extraction.reason };
  const extracted = extraction.article;
  const preview = previewArticle(extracted);
  return {
    ...empty,
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

function formatResult(result: ExtractResult, format: string, several: boolean): string {
  if (format === 'json') return `${JSON.stringify(result)}\n`;
  if (result.error) return several ? `<!-- ${result.file}: ${result.error} -->\n\n` : '';
  const body = format === 'markdown' ? markdownDocument(result) : result.text;
  return several ? `<!-- ${result.file} -->\n${body}\n\n` : `${body}\n`;
}

function markdownDocument(result: ExtractResult): string {
  if (result.title === null) return '';
  const meta = [result.author, result.published].filter(Boolean).join(' · ');
  return [
    `# ${result.title.replace(/([\\`*_[\]#<>])/g, '\\$1')}`,
    meta ? `\n${meta}` : '',
    '',
    result.markdown,
  ].join('\n');
}

/** Loaded only for URL inputs: the HTTP client (undici) and the config schema (zod) are most of start-up. */
async function httpClient(): Promise<HttpClient> {
  const [{ fetchSchema }, { createHttpClient }] = await Promise.all([
    import('../config/options.ts'),
    import('../pipeline/fetch/client.ts'),
  ]);
  return createHttpClient(fetchSchema.parse({}));
}

function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}
