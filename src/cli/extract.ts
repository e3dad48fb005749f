// `newsmirror extract FILE|URL...`: extraction alone. Raw bytes in, charset detected; one JSON object a line.
// Several inputs are extracted on this thread and worker threads (a core each, one left spare), printed in input order.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../internal/errors.ts';
import type { HttpClient } from '../pipeline/fetch/client.ts';
import { type PageInput, pageInputOf } from '../pipeline/job/extract-page.ts';
import { type PagePreview, previewPage } from '../pipeline/job/preview-page.ts';
import type { PageWorkers } from '../pipeline/threads/page-workers.ts';

/** Where a page is extracted: this thread, or the worker pool. */
type Previewer = Pick<PageWorkers, 'preview'>;

const ON_THIS_THREAD: Previewer = { preview: async (page, options) => previewPage(page, options) };

export interface ExtractCommandOptions {
  url?: string;
  format: string;
  pages?: string;
  threads?: string;
}

export interface ExtractResult extends PagePreview {
  file: string;
  url: string;
  error?: string;
}

const FORMATS = new Set(['json', 'markdown', 'text']);
const PAGES = new Set(['articles', 'any']);

/** Inputs per thread below which starting a worker (~0.1 s of loading the extractor) does not pay. */
const INPUTS_PER_THREAD = 8;

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
  const threads = options.threads === undefined ? undefined : Number(options.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
    process.stderr.write(
      `newsmirror extract: --threads must be a whole number from 1 to 64 (got "${options.threads}")\n`,
    );
    return 2;
  }
  const settings: Settings = {
    baseUrl: options.url,
    pages: pages as 'articles' | 'any',
    markdown: options.format !== 'text',
  };
  const http = inputs.some(isUrl) ? await httpClient() : undefined;
  // This thread is one of the threads: a worker costs ~0.1 s of loading and warming up the extractor again.
  const threadCount = Math.max(
    1,
    Math.min(threads ?? defaultThreads(), Math.ceil(inputs.length / INPUTS_PER_THREAD)),
  );
  const pool = threadCount > 1 ? await pageWorkers(threadCount - 1) : undefined;
  let failed = 0;
  try {
    // Lanes take the next input as they free up; results are printed in input order as they complete.
    const results: (ExtractResult | undefined)[] = [];
    let next = 0;
    let printed = 0;
    const print = () => {
      for (let result = results[printed]; result; result = results[printed]) {
        results[printed++] = undefined;
        if (result.error) failed++;
        process.stdout.write(formatResult(result, options.format, inputs.length > 1));
      }
    };
    const lane = async (workers: Previewer, onThisThread: boolean) => {
      while (next < inputs.length) {
        const index = next++;
        results[index] = await extractOne(inputs[index], settings, workers, http);
        print();
        // Work on this thread blocks it: let the workers' finished results and requests through.
        if (onThisThread) await setImmediate();
      }
    };
    const lanes = [lane(ON_THIS_THREAD, true)];
    for (let i = 0; pool && i < pool.parallelism; i++) lanes.push(lane(pool, false));
    await Promise.all(lanes);
  } finally {
    await pool?.close();
    await http?.close();
  }
  return failed > 0 ? 1 : 0;
}

/**
 * One core is left to V8's own threads: compiling and collecting garbage for one extracting thread already keep a
 * second core a third busy, and on two cores a worker made `extract` slower (docs/extraction.md, "Whole processes").
 */
function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

interface Settings {
  baseUrl?: string;
  pages: 'articles' | 'any';
  markdown: boolean;
}

async function extractOne(
  input: string,
  settings: Settings,
  workers: Previewer,
  http?: HttpClient,
): Promise<ExtractResult> {
  const empty: ExtractResult = {
    file: input,
    url: settings.baseUrl ?? (isUrl(input) ? input : pathToFileURL(input).href),
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
      empty.url = settings.baseUrl ?? response.url;
    } else {
      // Read here, not on the worker: a missing file is this input's error, and the worker only computes.
      page = { bytes: readFileSync(input) };
    }
  } catch (error) {
    return { ...empty, error: errorMessage(error) };
  }
  const preview = await workers.preview(page, {
    url: empty.url,
    pages: settings.pages,
    markdown: settings.markdown,
  });
  return { ...empty, ...preview };
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

/** Worker threads, loaded only when used: the pool module pulls in the page renderer and its QR library. */
async function pageWorkers(threads: number): Promise<PageWorkers> {
  const { createPageWorkers } = await import('../pipeline/threads/page-workers.ts');
  return createPageWorkers({ threads });
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
