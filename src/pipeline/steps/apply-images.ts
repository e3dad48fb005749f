// The writer's half of mirrored images: bytes from the blob store into the mirror (the file first, then its record:
// a run killed in between fetches the image again and its content address names the same file), each image once
// per run however many articles show it.
import type { Logger } from '../../internal/log.ts';
import type { StorePorts } from '../../store/index.ts';
import type { BlobStore } from '../job/blobs.ts';
import type { ImageBlob, ImageOutcome } from '../job/types.ts';
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
  /**
   * Sources whose outcome is committed this run: an outcome shared by several articles counts and records once.
   * Marked only after the commit, so an article whose transaction rolled back leaves its images to the next one.
   */
  const recorded = new Set<string>();
  /** Asset files written (or being written) this run, by path: undefined once written, or why it could not be. */
  const writing = new Map<string, Promise<ImageOutcome | undefined>>();

  async function writeAsset(src: string, blob: ImageBlob): Promise<ImageOutcome | undefined> {
    const bytes = await context.blobs.get(blob.sha256);
    if (!bytes) {
      const message = `image ${src}: its bytes (${blob.sha256}) are not in the blob store`;
      return { src, status: 'failed', code: 'blob_missing', message, retryable: true };
    }
    const written = await writeFilesAtomic(context.mirrorDir, [{ path: blob.assetPath, content: bytes }]);
    await context.blobs.delete(blob.sha256);
    summary.bytesWritten.images += written.bytes;
    summary.images.bytes += written.bytes;
    context.changes.assetPaths.push(...written.writtenPaths);
    return undefined;
  }

  return {
    async writeFiles(outcomes) {
      const fresh: ImageOutcome[] = [];
      for (const outcome of outcomes) {
        if (recorded.has(outcome.src)) continue;
        if (outcome.status === 'mirrored') {
          // Articles sharing a picture wait for one write of its file, then record it.
          let write = writing.get(outcome.blob.assetPath);
          if (!write) {
            write = writeAsset(outcome.src, outcome.blob);
            writing.set(outcome.blob.assetPath, write);
            write.catch(() => writing.delete(outcome.blob.assetPath));
          }
          const failure = await write;
          if (failure) {
            fresh.push({ ...failure, src: outcome.src });
            continue;
          }
        }
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
        if (recorded.has(outcome.src)) continue;
        recorded.add(outcome.src);
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
