// Mirrors one image: downloads it (refusing private addresses, as its URL came from content), and names it by
// its content so a picture shared by many pages is stored once.
import { createHash } from 'node:crypto';
import { FetchError } from '../../internal/errors.ts';
import type { HttpClient } from './client.ts';

export interface MirroredImage {
  /** Mirror-root-relative path: assets/<first two hex>/<sha256>.<ext> */
  assetPath: string;
  sha256: string;
  bytes: Uint8Array;
  originalBytes: number;
  contentType: string;
  width?: number;
  height?: number;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
};

export async function mirrorImage(
  http: HttpClient,
  src: string,
  options: { maxBytes: number },
): Promise<MirroredImage> {
  const response = await http.fetch(src, {
    maxBytes: options.maxBytes,
    fromContent: true,
    accept: 'image/*',
  });
  const contentType =
    sniffImageType(response.body) ?? response.contentType.split(';')[0].trim().toLowerCase();
  const extension = EXTENSIONS[contentType];
  if (!extension) {
    throw new FetchError(`image: ${src} is not a supported image (${contentType || 'unknown type'})`, {
      code: 'not_image',
      where: src,
      retryable: false,
    });
  }
  const sha256 = createHash('sha256').update(response.body).digest('hex');
  return {
    assetPath: `assets/${sha256.slice(0, 2)}/${sha256}.${extension}`,
    sha256,
    bytes: response.body,
    originalBytes: response.body.byteLength,
    contentType,
  };
}

/** Trust the bytes, not the header: servers often label images wrongly. */
function sniffImageType(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  return undefined;
}
