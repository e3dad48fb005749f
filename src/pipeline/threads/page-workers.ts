// The per-article CPU work off the main thread: decoding and extracting fetched pages, transforming and rendering
// article pages. Worker threads keep the second core busy while the main thread fetches, stores and writes, and
// each page's garbage stays in a worker's capped heap, so a run over 10,000 articles stays small. A task too big
// for that heap (or a crashed worker) runs on the main thread instead, with a note for the log.
import { createThreadPool, ThreadCrashedError } from '../../internal/thread-pool.ts';
import type { Extraction, ExtractOptions } from '../extract/index.ts';
import { extractPageContent, type PageInput } from '../job/extract-page.ts';
import { type PagePreview, type PreviewOptions, previewPage } from '../job/preview-page.ts';
import type { OutputFile } from '../types.ts';
import { type ArticlePageInput, renderArticlePage } from './article-page.ts';

export type { PageInput } from '../job/extract-page.ts';
export type { ArticlePageInput } from './article-page.ts';

export type PageTask =
  | { kind: 'extract'; page: PageInput; options: ExtractOptions }
  | { kind: 'render'; input: ArticlePageInput }
  | { kind: 'preview'; page: PageInput; options: PreviewOptions };

type PageTaskResult = Extraction | OutputFile[] | PagePreview;

export interface PageWorkers {
  /** The article, or why there is none and the classifier's guess (for the failure's message). */
  extract(page: PageInput, options: ExtractOptions): Promise<Extraction>;
  renderArticle(input: ArticlePageInput): Promise<OutputFile[]>;
  /** A page as `newsmirror extract` shows it. */
  preview(page: PageInput, options: PreviewOptions): Promise<PagePreview>;
  /** Tasks worth keeping in flight at once: enough to keep every worker busy. */
  readonly parallelism: number;
  close(): Promise<void>;
}

export interface PageWorkersOptions {
  /** Worker threads; 0 does the work on the calling thread. */
  threads: number;
  /** Told when a task ran on the main thread because its worker failed (for the log). */
  onFallback?: (what: string, reason: string) => void;
  /** Old-generation heap of each worker in MB (default PAGE_WORKER_HEAP_MB). */
  heapMb?: number;
  /** Told how long each task took on the thread that ran it (for `run --verbose`). */
  onTaskTime?: (kind: PageTask['kind'], ms: number) => void;
}

/**
 * Old-generation heap of each worker. The DOM of a 250 KB page takes ~10 MB; this leaves room for pages several
 * times that while keeping the garbage of thousands of pages from growing the process. Bigger pages fall back.
 */
export const PAGE_WORKER_HEAP_MB = 96;

/** Beside this module: the TypeScript source, or in dist/ (scripts/build.js) the bundled worker entry. */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./page-worker.ts', import.meta.url)
  : new URL('./page-worker.mjs', import.meta.url);

/** The work of one task, the same on any thread. */
export async function runPageTask(task: PageTask): Promise<PageTaskResult> {
  if (task.kind === 'render') {
    try {
      return asBytes(await renderArticlePage(task.input));
    } catch (error) {
      // Rendering has no per-article failure record: the run stops, so the message must name the page.
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`render: ${task.input.pagePath} (${task.input.url}): ${message}`, { cause: error });
    }
  }
  if (task.kind === 'preview') return previewPage(task.page, task.options);
  return extractPageContent(task.page, task.options);
}

/**
 * A page's text as UTF-8 bytes, encoded where it was rendered (writing needs the bytes anyway). Rendered files wait
 * on the main thread for their batch to be written, long enough for V8 to move them to its old generation: as
 * strings they were garbage there that grew the main heap by ~90 MB over 10,000 pages; bytes live outside the heap.
 */
function asBytes(files: OutputFile[]): OutputFile[] {
  return files.map((file) =>
    typeof file.content === 'string' ? { ...file, content: Buffer.from(file.content, 'utf8') } : file,
  );
}

/** Bytes that crossed from a worker arrive as plain Uint8Arrays: as Buffers again (a view, no copy). */
function asBuffers(files: OutputFile[]): OutputFile[] {
  for (const file of files) {
    const { content } = file;
    if (typeof content !== 'string' && !Buffer.isBuffer(content)) {
      file.content = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    }
  }
  return files;
}

export function createPageWorkers(options: PageWorkersOptions): PageWorkers {
  const runHere = async (task: PageTask) => {
    const started = performance.now();
    try {
      return await runPageTask(task);
    } finally {
      options.onTaskTime?.(task.kind, performance.now() - started);
    }
  };
  if (options.threads <= 0) {
    return {
      extract: async (page, extractOptions) =>
        (await runHere({ kind: 'extract', page, options: extractOptions })) as Extraction,
      renderArticle: async (input) => (await runHere({ kind: 'render', input })) as OutputFile[],
      preview: async (page, previewOptions) =>
        (await runHere({ kind: 'preview', page, options: previewOptions })) as PagePreview,
      parallelism: 1,
      close: async () => {},
    };
  }
  const pool = createThreadPool<PageTask, PageTaskResult>({
    size: options.threads,
    entry: WORKER_ENTRY,
    maxOldGenerationSizeMb: options.heapMb ?? PAGE_WORKER_HEAP_MB,
    onTaskTime: options.onTaskTime && ((task, ms) => options.onTaskTime?.(task.kind, ms)),
  });
  const run = async (task: PageTask, what: string) => {
    try {
      return await pool.run(task);
    } catch (error) {
      if (!(error instanceof ThreadCrashedError)) throw error;
      options.onFallback?.(what, error.message);
      return runHere(task);
    }
  };
  return {
    extract: async (page, extractOptions) =>
      (await run({ kind: 'extract', page, options: extractOptions }, extractOptions.url)) as Extraction,
    renderArticle: async (input) =>
      asBuffers((await run({ kind: 'render', input }, input.pagePath)) as OutputFile[]),
    preview: async (page, previewOptions) =>
      (await run({ kind: 'preview', page, options: previewOptions }, previewOptions.url)) as PagePreview,
    // Two tasks per worker: one running, one waiting, so a worker never idles while the main thread prepares.
    parallelism: options.threads * 2,
    close: () => pool.close(),
  };
}
