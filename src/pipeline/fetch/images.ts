// Mirrors one image for readers behind a censor: downloads it (refusing private addresses, as its URL came from
// content), re-encodes it small enough for a phone on a slow link, and names it by its content so a picture shared
// by many pages is stored once.
import { createHash } from 'node:crypto';
import { FetchError } from '../../internal/errors.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import type { HttpClient } from './client.ts';

export interface MirroredImage {
  /** Mirror-root-relative path: `MIRROR_LAYOUT.asset`, assets/<first two hex>/<sha256>.<ext> */
  assetPath: string;
  sha256: string;
  bytes: Uint8Array;
  originalBytes: number;
  contentType: string;
  width?: number;
  height?: number;
}

export interface ImageOptions {
  maxBytes: number;
  /** Wider images are scaled down: 1200 px covers a phone at 3x and a desktop column. */
  maxWidth?: number;
  /** JPEG/WebP quality: 75 keeps photos clean at about a third of typical publisher sizes. */
  quality?: number;
  /** Refuse decoding images above this many pixels (decompression bombs). 40 MP is far above any news photo. */
  maxPixels?: number;
}

/** Exported for the docs test: docs/config.md states it. */
export const DEFAULT_MAX_WIDTH = 1200;
const DEFAULT_QUALITY = 75;
const DEFAULT_MAX_PIXELS = 40_000_000;
/**
 * Decoding and re-encoding one image may take this long (libvips stops and throws after it): a picture that
 * takes longer is hostile or broken, and the article goes on without it.
 */
const DECODE_TIMEOUT_SECONDS = 20;
/**
 * A JPEG within the width limit and at most this many bytes per pixel is kept as the publisher sent it: 0.25 is
 * about what our own quality-75 encode gives for a photo, so re-encoding it would cost CPU and save little.
 */
const KEEP_JPEG_BYTES_PER_PIXEL = 0.25;
/**
 * Not `mozjpeg: true`: its trellis quantisation and scan search cost 4x the CPU (most of a mirrored article's time
 * in the bench: 72 vs 17 ms a 640x400 photo). mozjpeg's quantisation table and progressive scans keep most of its
 * saving (bench photos: 67 KB vs 55 KB with mozjpeg, 85 KB with plain defaults), and progressive shows a preview early
 * on a slow link.
 */
const JPEG_SPEED_OPTIONS = { mozjpeg: false, quantisationTable: 3, progressive: true } as const;

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

export async function mirrorImage(
  http: HttpClient,
  src: string,
  options: ImageOptions,
): Promise<MirroredImage> {
  const response = await http.fetch(src, {
    maxBytes: options.maxBytes,
    fromContent: true,
    accept: 'image/*',
    // A tarpit costs one attempt's deadline in all, whatever fetch.retries says.
    sharedDeadline: true,
  });
  const original = response.body;
  const declared = response.contentType.split(';')[0].trim().toLowerCase();
  const kind = sniffImageType(original) ?? (declared === 'image/svg+xml' ? 'image/svg+xml' : undefined);
  if (!kind) {
    throw new FetchError(`image: ${src} is not an image we can mirror (${declared || 'unknown type'})`, {
      code: 'not_image',
      where: src,
      retryable: false,
    });
  }
  let encoded: { bytes: Uint8Array; contentType: string; width?: number; height?: number };
  try {
    encoded = await reencode(original, kind, options);
  } catch (error) {
    throw new FetchError(`image: ${src} could not be decoded: ${(error as Error).message}`, {
      code: 'bad_image',
      where: src,
      retryable: false,
      cause: error,
    });
  }
  const sha256 = createHash('sha256').update(encoded.bytes).digest('hex');
  return {
    assetPath: MIRROR_LAYOUT.asset(sha256, EXTENSIONS[encoded.contentType]),
    sha256,
    bytes: encoded.bytes,
    originalBytes: original.byteLength,
    contentType: encoded.contentType,
    width: encoded.width,
    height: encoded.height,
  };
}

async function reencode(
  original: Uint8Array,
  kind: string,
  options: ImageOptions,
): Promise<{ bytes: Uint8Array; contentType: string; width?: number; height?: number }> {
  const maxWidth = options.maxWidth ?? DEFAULT_MAX_WIDTH;
  const quality = options.quality ?? DEFAULT_QUALITY;
  const limitInputPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  // Loaded here, on the first image: a run that hotlinks images never loads libvips (~70 ms of start-up).
  const { default: sharp } = await import('sharp');
  // SVG can carry scripts and remote references: rasterise it, never publish it as is.
  const input = sharp(original, {
    limitInputPixels,
    animated: kind === 'image/gif' || kind === 'image/webp',
  });
  const metadata = await input.metadata();
  // metadata() already enforces limitInputPixels on the header's claim (all frames together when animated): the
  // paths below that keep a picture undecoded rely on it, or readers' browsers would decode the bomb instead.
  const animated = (metadata.pages ?? 1) > 1;
  if (animated) {
    // Animated pictures stay animated; re-encoding frames rarely makes them smaller.
    return {
      bytes: original,
      contentType: kind,
      width: metadata.width,
      height: metadata.pageHeight ?? metadata.height,
    };
  }
  const upright = (metadata.orientation ?? 1) === 1;
  if (
    kind === 'image/jpeg' &&
    upright &&
    metadata.width &&
    metadata.height &&
    metadata.width <= maxWidth &&
    original.byteLength <= metadata.width * metadata.height * KEEP_JPEG_BYTES_PER_PIXEL
  ) {
    return { bytes: original, contentType: kind, width: metadata.width, height: metadata.height };
  }
  let pipeline = input.timeout({ seconds: DECODE_TIMEOUT_SECONDS }).rotate();
  if ((metadata.width ?? 0) > maxWidth)
    pipeline = pipeline.resize({ width: maxWidth, withoutEnlargement: true });
  const output =
    kind === 'image/png' || kind === 'image/svg+xml' || kind === 'image/gif'
      ? metadata.hasAlpha
        ? {
            image: pipeline.png({ palette: true, quality: 80, compressionLevel: 9 }),
            contentType: 'image/png',
          }
        : { image: pipeline.jpeg({ quality, ...JPEG_SPEED_OPTIONS }), contentType: 'image/jpeg' }
      : kind === 'image/webp'
        ? { image: pipeline.webp({ quality }), contentType: 'image/webp' }
        : { image: pipeline.jpeg({ quality, ...JPEG_SPEED_OPTIONS }), contentType: 'image/jpeg' };
  const { data, info } = await output.image.toBuffer({ resolveWithObject: true });
  const resized = (metadata.width ?? 0) > maxWidth;
  // Keep the publisher's file when re-encoding would not save anything and no resize was needed.
  if (!resized && kind === output.contentType && data.byteLength >= original.byteLength) {
    return { bytes: original, contentType: kind, width: metadata.width, height: metadata.height };
  }
  return {
    bytes: new Uint8Array(data),
    contentType: output.contentType,
    width: info.width,
    height: info.height,
  };
}

/** Trust the bytes, not the header: servers often label images wrongly. */
function sniffImageType(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'image/svg+xml';
  return undefined;
}
