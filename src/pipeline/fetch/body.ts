// Reads a response body while it streams: undoes Content-Encoding and stops as soon as the DECODED size passes
// the cap, so neither an endless body nor a compression bomb (a few KB that inflate to GBs) is ever buffered.
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/** Thrown when the decoded body passes the cap; the caller turns it into a 'too_large' FetchError. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`body is larger than ${limit} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/** Thrown for a Content-Encoding we did not ask for and cannot undo. */
export class UnsupportedEncoding extends Error {
  constructor(readonly encoding: string) {
    super(`unsupported content-encoding "${encoding}"`);
    this.name = 'UnsupportedEncoding';
  }
}

/** What we offer in Accept-Encoding; all of these can be undone by node:zlib. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

// node's typings have no overload for a variable number of transforms; the runtime accepts an array.
const pipelineOf = pipeline as unknown as (
  streams: ReadonlyArray<
    AsyncIterable<Buffer> | Transform | ((source: AsyncIterable<Buffer>) => Promise<void>)
  >,
  options: { signal?: AbortSignal },
) => Promise<void>;

/** Codings that mean "not encoded" (some servers send these instead of omitting the header). */
const IDENTITY_ENCODINGS = new Set(['', 'identity', 'none']);

/** The codings of a Content-Encoding header in the order to undo them (the last-applied first). */
function codingsToUndo(contentEncoding: string | undefined): string[] {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => !IDENTITY_ENCODINGS.has(coding));
  for (const coding of codings) if (!KNOWN_CODINGS.has(coding)) throw new UnsupportedEncoding(coding);
  return codings.reverse();
}

const KNOWN_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

function decoderFor(coding: string, firstBytes: Uint8Array | undefined): Transform {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      // "deflate" should be zlib-wrapped (RFC 9110) but some servers send raw deflate; the header tells them apart.
      return firstBytes && !hasZlibHeader(firstBytes) ? createInflateRaw() : createInflate();
    default:
      return createBrotliDecompress();
  }
}

function hasZlibHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && (bytes[0] & 0x0f) === 8 && (bytes[0] * 256 + bytes[1]) % 31 === 0;
}

/**
 * Collects `body`, undoing `contentEncoding`, and fails with BodyTooLarge once more than `maxBytes` DECODED bytes
 * arrive. Throws UnsupportedEncoding for codings we did not offer, and zlib's errors for corrupt data.
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const codings = codingsToUndo(contentEncoding);
  let source: AsyncIterable<Buffer> = body;
  let firstBytes: Buffer | undefined;
  if (codings[0] === 'deflate') {
    const iterator: AsyncIterator<Buffer> = body[Symbol.asyncIterator]();
    const first = await iterator.next();
    firstBytes = first.done ? undefined : first.value;
    source = (async function* replay() {
      if (firstBytes) yield firstBytes;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    })();
  }
  const decoders = codings.map((coding, index) => decoderFor(coding, index === 0 ? firstBytes : undefined));

  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early makes pipeline report its own AbortError first, so remember why we stopped.
  let tooLarge: BodyTooLarge | undefined;
  async function collect(decoded: AsyncIterable<Buffer>): Promise<void> {
    for await (const chunk of decoded) {
      total += chunk.length;
      if (total > maxBytes) {
        tooLarge = new BodyTooLarge(maxBytes);
        throw tooLarge;
      }
      chunks.push(chunk);
    }
  }
  try {
    await pipelineOf([source, ...decoders, collect], { signal });
  } catch (error) {
    throw tooLarge ?? error;
  } finally {
    // Closes the connection when we stopped early (cap, abort, corrupt data); a no-op after a complete read.
    body.destroy();
  }
  const joined = Buffer.concat(chunks, total);
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
}
