// The writer's half of mirrored images: bytes from the blob store into the mirror (the file first, then its record:
// a run killed in between fetches the image again and its content address names the same file), each image once
// per run however many articles show it.
import type { Logger } from '../../internal/log.ts';
import type { StorePorts } from '../../store/index.ts';
import type { BlobStore } from '../job/blobs.ts';
import type { ImageOutcome } from '../job/types.ts';
import { writeFilesAtomic } from '../publish/write-files.ts';
import type { Changes } from './changes.ts';
import type { RunSummary } from './summary.ts';

export interface ImageWriterContext {
  mirrorDir: string;
  blobs: BlobStore;
  summary: RunSummary;
  changes: Changes;
  log: Logger;
}

export interface ImageWriter {
  /** Writes the files of newly mirrored images; returns what `record` must save. Call before the transaction. */
  writeFiles(outcomes: ImageOutcome[]): Promise<ImageOutcome[]>;
  /** Saves the image records and failures (inside the article's transaction). */
  record(outcomes: ImageOutcome[], tx: Pick<StorePorts, 'images'>): Promise<void>;
  /** Counts (and logs) what `record` saved, once it is committed; the sources mirrored now. */
  tally(outcomes: ImageOutcome[]): string[];
}

export function createImageWriter(context: ImageWriterContext): ImageWriter {
  const { summary, log } = context;
  /** Sources applied this run: an outcome shared by several articles counts and records once. */
  const applied = new Set<string>();
  const writtenAssets = new Set<string>();
  return {
    async writeFiles(outcomes) {
      const fresh: ImageOutcome[] = [];
      for (const outcome of outcomes) {
        if (applied.has(outcome.src)) continue;
        applied.add(outcome.src);
        if (outcome.status !== 'mirrored' || writtenAssets.has(outcome.blob.assetPath)) {
          fresh.push(outcome);
          continue;
        }
        const bytes = await context.blobs.get(outcome.blob.sha256);
        if (!bytes) {
          fresh.push({
            src: outcome.src,
            status: 'failed',
            code: 'blob_missing',
            message: `image ${outcome.src}: its bytes (${outcome.blob.sha256}) are not in the blob store`,
            retryable: true,
          });
          continue;
        }
        const written = await writeFilesAtomic(context.mirrorDir, [
          { path: outcome.blob.assetPath, content: bytes },
        ]);
        await context.blobs.delete(outcome.blob.sha256);
        writtenAssets.add(outcome.blob.assetPath);
        summary.bytesWritten.images += written.bytes;
        summary.images.bytes += written.bytes;
        context.changes.assetPaths.push(...written.writtenPaths);
        fresh.push(outcome);
      }
      return fresh;
    },
    async record(outcomes, tx) {
      for (const outcome of outcomes) {
        if (outcome.status === 'mirrored') {
          const { blob } = outcome;
          await tx.images.save({
            src: outcome.src,
            assetPath: blob.assetPath,
            sha256: blob.sha256,
            bytes: blob.bytes,
            originalBytes: blob.originalBytes,
            width: blob.width,
            height: blob.height,
            contentType: blob.contentType,
          });
        } else if (outcome.status === 'failed') {
          await tx.images.recordFailure(outcome.src, outcome.code, outcome.message);
        }
      }
    },
    tally(outcomes) {
      const mirrored: string[] = [];
      for (const outcome of outcomes) {
        if (outcome.status === 'known') summary.images.reused++;
        else if (outcome.status === 'mirrored') {
          summary.images.mirrored++;
          mirrored.push(outcome.src);
        } else {
          // A failed image keeps its alt text on the page and is tried again next run.
          summary.images.failed++;
          log.warn(`image failed: ${outcome.src}: ${outcome.message}`);
        }
      }
      return mirrored;
    },
  };
}
