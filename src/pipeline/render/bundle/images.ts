// Mirrored images re-encoded for a bundle: e-readers have small screens and slow storage, and a bundle passed on by
// chat app should stay small. EPUB gets JPEG (a core media type every reading system shows; transparency is
// flattened onto white), HTML gets WebP (every current browser shows it, smaller still). Animated images keep
// their first frame: e-readers cannot play them and a bundle is for reading.
import type { BundleImage } from './types.ts';

/** Fits a Kindle Paperwhite-class screen (1072 x 1448) with room to zoom on a phone. */
const MAX_WIDTH = 1000;
const MAX_HEIGHT = 1400;
const QUALITY = 60;

export async function bundleImage(bytes: Uint8Array, format: 'epub' | 'html'): Promise<BundleImage> {
  // Loaded here: a run whose bundles have no images (or that makes none) never loads libvips.
  const { default: sharp } = await import('sharp');
  const pipeline = sharp(bytes, { animated: false, failOn: 'none' })
    .rotate()
    .resize({ width: MAX_WIDTH, height: MAX_HEIGHT, fit: 'inside', withoutEnlargement: true });
  const encoded =
    format === 'epub'
      ? pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: QUALITY, mozjpeg: true })
      : pipeline.webp({ quality: QUALITY });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return {
    mediaType: format === 'epub' ? 'image/jpeg' : 'image/webp',
    bytes: new Uint8Array(data),
    width: info.width,
    height: info.height,
  };
}
