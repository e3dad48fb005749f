// The images part of the per-article job: each image the page shows is mirrored once (downloaded, re-encoded, kept
// by content in the blob store), or found already mirrored, or failed with a reason. Nothing is written to the store
// or the mirror here: the writer does that with the article.
import { errorMessage, NewsmirrorError } from '../../internal/errors.ts';
import type { HttpClient } from '../fetch/client.ts';
import { mirrorImage } from '../fetch/images.ts';
import type { BlobStore } from './blobs.ts';
import type { ImageOutcome, JobFailure } from './types.ts';

export interface ImageJobPorts {
  http: HttpClient;
  blobs: BlobStore;
  /** Whether an image is already mirrored (read-only: a job never writes the store). */
  isMirrored(src: string): Promise<boolean>;
  /**
   * Outcomes of images already tried by this process, by source: articles sharing a picture wait for one download.
   * Only a cache: a job gives the same outcome without it.
   */
  tried?: Map<string, Promise<ImageOutcome>>;
}

/** Mirrors each image of `srcs` at most once per `ports.tried`; never throws for one image's failure. */
export function mirrorImages(
  srcs: string[],
  maxBytes: number,
  ports: ImageJobPorts,
): Promise<ImageOutcome[]> {
  return Promise.all(srcs.map((src) => mirrorOneImage(src, maxBytes, ports)));
}

function mirrorOneImage(src: string, maxBytes: number, ports: ImageJobPorts): Promise<ImageOutcome> {
  let outcome = ports.tried?.get(src);
  if (!outcome) {
    outcome = downloadImage(src, maxBytes, ports);
    ports.tried?.set(src, outcome);
  }
  return outcome;
}

async function downloadImage(src: string, maxBytes: number, ports: ImageJobPorts): Promise<ImageOutcome> {
  if (await ports.isMirrored(src)) return { src, status: 'known' };
  try {
    const image = await mirrorImage(ports.http, src, { maxBytes });
    await ports.blobs.put(image.sha256, image.bytes);
    return {
      src,
      status: 'mirrored',
      blob: {
        sha256: image.sha256,
        assetPath: image.assetPath,
        bytes: image.bytes.byteLength,
        originalBytes: image.originalBytes,
        contentType: image.contentType,
        width: image.width,
        height: image.height,
      },
    };
  } catch (error) {
    return { src, status: 'failed', ...failureOf(error) };
  }
}

/** A typed failure from any error: ours keep their code; anything else is unexpected, so a later try may pass. */
export function failureOf(error: unknown): JobFailure {
  if (error instanceof NewsmirrorError) {
    return { code: error.code, message: error.message, retryable: error.retryable };
  }
  return { code: 'internal', message: errorMessage(error), retryable: true };
}
