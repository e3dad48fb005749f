// Extraction off the main thread: the same pure decode + extractArticle, run in worker threads so parsing uses the
// second core while the main thread fetches, stores and renders, and so each page's parse garbage stays in a
// worker's capped heap. A page too big for that heap (or a crashed worker) is extracted on the main thread instead.
import { createThreadPool, ThreadCrashedError } from '../../internal/thread-pool.ts';
import { type ExtractOptions, extractArticle } from '../extract/index.ts';
import { decodeBody } from '../fetch/charset.ts';
import type { ExtractedArticle } from '../types.ts';

/**
 * A page as HTML text, or as the bytes received with their Content-Type: decoding then happens where the page is
 * extracted, so the main thread never holds the page as a string.
 */
export type PageInput = { html: string } | { bytes: Uint8Array; contentType?: string };

export interface ExtractTask {
  page: PageInput;
  options: ExtractOptions;
}

/** Decode (when given bytes) and extract: the work of one task, the same on any thread. */
export function extractPage(page: PageInput, options: ExtractOptions): ExtractedArticle | null {
  const html = 'html' in page ? page.html : decodeBody(page.bytes, page.contentType).text;
  return extractArticle(html, options);
}

export interface Extractor {
  extract(page: PageInput, options: ExtractOptions): Promise<ExtractedArticle | null>;
  close(): Promise<void>;
}

export interface ExtractorOptions {
  /** Worker threads; 0 extracts on the calling thread. */
  threads: number;
  /** Told when a page was extracted on the main thread because its worker failed (for the log). */
  onFallback?: (url: string, reason: string) => void;
  /** Old-generation heap of each worker in MB (default EXTRACT_WORKER_HEAP_MB). */
  heapMb?: number;
}

/**
 * Old-generation heap of each extraction worker. The DOM of a 250 KB page takes ~10 MB; this leaves room for pages
 * several times that while keeping the garbage of thousands of pages from growing the process. Bigger pages fall
 * back to the main thread.
 */
export const EXTRACT_WORKER_HEAP_MB = 160;

const WORKER_ENTRY = new URL('./extract-worker.ts', import.meta.url);

export function createExtractor(options: ExtractorOptions): Extractor {
  if (options.threads <= 0) {
    return {
      extract: async (page, extractOptions) => extractPage(page, extractOptions),
      close: async () => {},
    };
  }
  const pool = createThreadPool<ExtractTask, ExtractedArticle | null>({
    size: options.threads,
    entry: WORKER_ENTRY,
    maxOldGenerationSizeMb: options.heapMb ?? EXTRACT_WORKER_HEAP_MB,
  });
  return {
    async extract(page, extractOptions) {
      try {
        return await pool.run({ page, options: extractOptions });
      } catch (error) {
        if (!(error instanceof ThreadCrashedError)) throw error;
        options.onFallback?.(extractOptions.url, error.message);
        return extractPage(page, extractOptions);
      }
    },
    close: () => pool.close(),
  };
}
