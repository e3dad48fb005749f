// What a run did, as the CLI prints it and the store records it.
import type { PushResult } from '../publish/git.ts';
import type { OutputFile } from '../types.ts';

export interface ArticleFailure {
  url: string;
  code: string;
  message: string;
  retryable: boolean;
}

export interface RunSummary {
  new: number;
  updated: number;
  unchanged: number;
  failed: number;
  skipped: number;
  /** Mirrored articles checked again at their source (revisit window), and of them, those found retracted. */
  revisited: number;
  retracted: number;
  seconds: number;
  /** Pages whose site rules found no body, so the generic extractor was used. */
  fallbacks: Array<{ siteId: string; url: string; misses: string[] }>;
  /** Channels whose listing, feed or sitemap could not be read this run (their articles wait for the next run). */
  channelFailures: Array<{ siteId: string; channelId: string; message: string }>;
  /** Channels that answered, but with far fewer article links than usual (a redesign, a half-broken selector). */
  channelWarnings: Array<{ siteId: string; channelId: string; message: string }>;
  /** Channels that failed after answering last run ('broke'), or answered after failing ('recovered'). */
  channelChanges: Array<{
    siteId: string;
    channelId: string;
    change: 'broke' | 'recovered';
    message?: string;
  }>;
  failures: ArticleFailure[];
  images: { mirrored: number; reused: number; failed: number; bytes: number };
  bytesWritten: { pages: number; images: number; other: number };
  filesWritten: number;
  commit: string | null;
  pushes: PushResult[];
}

export function emptySummary(): RunSummary {
  return {
    new: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
    revisited: 0,
    retracted: 0,
    seconds: 0,
    fallbacks: [],
    channelFailures: [],
    channelWarnings: [],
    channelChanges: [],
    failures: [],
    images: { mirrored: 0, reused: 0, failed: 0, bytes: 0 },
    bytesWritten: { pages: 0, images: 0, other: 0 },
    filesWritten: 0,
    commit: null,
    pushes: [],
  };
}

/** Bytes of pages and other files the run changed (images are counted as written); unchanged files count nothing. */
export function tallyBytes(summary: RunSummary, files: OutputFile[], writtenPaths: Set<string>): void {
  for (const file of files) {
    if (!writtenPaths.has(file.path)) continue;
    const size = typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.byteLength;
    if (file.path.startsWith('pages/')) summary.bytesWritten.pages += size;
    else summary.bytesWritten.other += size;
  }
}

export function formatTime(at: Date): string {
  return at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

export function commitMessage(at: Date, summary: RunSummary): string {
  return `同步于: ${formatTime(at)}\n\nnew ${summary.new}, updated ${summary.updated}, failed ${summary.failed}, skipped ${summary.skipped}`;
}
