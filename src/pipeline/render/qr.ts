// <page>.md.png: a QR code of the page's public URL, to share it phone to phone.
import { createRequire } from 'node:module';
import { crc32, deflateSync } from 'node:zlib';

/** qrcode's encoder alone: its main module also loads the PNG, SVG and terminal renderers and pngjs (~8 ms). */
const { create } = createRequire(import.meta.url)('qrcode/lib/core/qrcode.js') as Pick<
  typeof import('qrcode'),
  'create'
>;

/** Medium error correction survives a screenshot re-shared through chat apps without growing the code much. */
const ERROR_CORRECTION = 'M';
/** Pixels per module: about 250 px wide for a typical URL, sharp on a phone and a few KB. */
const MODULE_PIXELS = 6;
/** The quiet zone the QR standard asks for, in modules. */
const QUIET_ZONE_MODULES = 4;
/**
 * A fixed mask pattern (2: every third column inverted). Without one, qrcode draws the symbol with each of the 8
 * masks and scores each by the standard's penalty rules: ~40% of a code's cost. Decoders read any mask (its number
 * is in the format bits); the scoring only steers clear of patterns that can trouble poor scanners. The decode test
 * reads codes of versions 3-11 made with it; for the bench's page URLs the search picked 2 or 4.
 */
const MASK_PATTERN = 2;
/** Level 9: the image is a few KB, and rows repeat six times over, so the best level costs well under 1 ms. */
const DEFLATE_LEVEL = 9;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** PNG colour type 0 (grayscale) at bit depth 1: a module is one bit, black 0, white 1. */
const GRAYSCALE = 0;
const ONE_BIT = 1;
/** Filter type 0 on every row: the adaptive filter search of general encoders was most of the cost. */
const FILTER_NONE = 0;

/**
 * Encodes the QR matrix ourselves as a 1-bit grayscale PNG: qrcode's PNG path goes through RGBA pixels and pngjs's
 * adaptive filter search, 10-18 ms a page; this is well under a millisecond.
 */
export async function renderQrPng(url: string): Promise<Uint8Array> {
  const { modules } = create(url, {
    errorCorrectionLevel: ERROR_CORRECTION,
    maskPattern: MASK_PATTERN,
  });
  const side = (modules.size + 2 * QUIET_ZONE_MODULES) * MODULE_PIXELS;
  const rowBytes = 1 + Math.ceil(side / 8);
  // White everywhere (the padding bits past the last pixel are ignored by decoders), filter byte 0 on every row.
  const raw = new Uint8Array(rowBytes * side).fill(0xff);
  for (let y = 0; y < side; y++) raw[y * rowBytes] = FILTER_NONE;
  // Each module row is drawn once, into its first pixel row, then copied into the MODULE_PIXELS - 1 rows below.
  for (let moduleRow = 0; moduleRow < modules.size; moduleRow++) {
    const firstY = (moduleRow + QUIET_ZONE_MODULES) * MODULE_PIXELS;
    const row = raw.subarray(firstY * rowBytes, (firstY + 1) * rowBytes);
    for (let moduleColumn = 0; moduleColumn < modules.size; moduleColumn++) {
      if (!modules.get(moduleRow, moduleColumn)) continue;
      const firstX = (moduleColumn + QUIET_ZONE_MODULES) * MODULE_PIXELS;
      for (let x = firstX; x < firstX + MODULE_PIXELS; x++) row[1 + (x >> 3)] &= ~(0x80 >> (x & 7));
    }
    for (let copy = 1; copy < MODULE_PIXELS; copy++) raw.set(row, (firstY + copy) * rowBytes);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, side);
  view.setUint32(4, side);
  header.set([ONE_BIT, GRAYSCALE, 0, 0, 0], 8); // deflate, adaptive filtering method 0, no interlace
  return concat([
    Uint8Array.from(PNG_SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: DEFLATE_LEVEL })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.byteLength);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.byteLength, crc32(out.subarray(4, 8 + data.byteLength)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
