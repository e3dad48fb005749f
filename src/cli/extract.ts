// `newsmirror extract FILE|URL...`: extraction alone. Raw bytes in, charset detected; one JSON object a line.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { fetchSchema } from '../config/options.ts';
import { errorMessage } from '../internal/errors.ts';
import { createHttpClient } from '../pipeline/fetch/client.ts';
import { extractPage, type PageInput, pageInputOf } from '../pipeline/job/extract-page.ts';
import { previewArticle } from '../pipeline/steps/preview-article.ts';

export interface ExtractCommandOptions {
  url?: string;
  format: string;
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
  error?: string;
}

const FORMATS = new Set(['json', 'markdown', 'text']);

export async function extractCommand(inputs: string[], options: ExtractCommandOptions): Promise<number> {
  if (!FORMATS.has(options.format)) {
    process.stderr.write(
      `newsmirror extract: --format must be json, markdown or text (got "${options.format}")\n`,
    );
    return 2;
  }
  let failed = 0;
  const http = inputs.some(isUrl) ? createHttpClient(fetchSchema.parse({})) : undefined;
  try {
    for (const input of inputs) {
      const result = await extractOne(input, options.url, http);
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
  http?: ReturnType<typeof createHttpClient>,
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
  const extracted = extractPage(page, { url: empty.url });
  if (!extracted) return empty;
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

function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}
