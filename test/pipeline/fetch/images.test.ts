import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { type FixtureServer, startFixtureServer } from '../../../harness/fixture-server.ts';
import { fetchSchema } from '../../../src/config/options.ts';
import { createHttpClient, type HttpClient } from '../../../src/pipeline/fetch/client.ts';
import { mirrorImage } from '../../../src/pipeline/fetch/images.ts';

const MAX_BYTES = 5_000_000;

/** Deterministic noise: a photo-like worst case that JPEG cannot compress well. */
function noise(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  let state = 12345;
  for (let index = 0; index < pixels.length; index++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    pixels[index] = state >> 23;
  }
  return pixels;
}

function gradient(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) pixels.fill((x + y) & 0xff, (y * width + x) * 3, (y * width + x + 1) * 3);
  return pixels;
}

async function jpeg(
  pixels: Buffer,
  width: number,
  height: number,
  quality: number,
  orientation?: number,
): Promise<Buffer> {
  const image = sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality });
  return (orientation ? image.withMetadata({ orientation }) : image).toBuffer();
}

describe('mirrorImage', () => {
  let server: FixtureServer;
  let http: HttpClient;
  const images = new Map<string, Buffer>();

  before(async () => {
    // Quality 95 of a smooth picture: re-encoding at 75 would halve it, yet it is well within the byte budget.
    images.set('/light.jpg', await jpeg(gradient(640, 400), 640, 400, 95));
    images.set('/heavy.jpg', await jpeg(noise(640, 400), 640, 400, 95));
    images.set('/wide.jpg', await jpeg(gradient(2000, 500), 2000, 500, 60));
    images.set('/turned.jpg', await jpeg(gradient(320, 200), 320, 200, 60, 6));
    server = await startFixtureServer();
    for (const [path, bytes] of images)
      server.route(path, (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.end(bytes);
      });
    http = createHttpClient(fetchSchema.parse({ retries: 0 }), { isPrivateAddress: () => false });
  });
  after(async () => {
    await http.close();
    await server.close();
  });

  test('a light JPEG within the width is kept byte for byte, not re-encoded', async () => {
    const image = await mirrorImage(http, `${server.origin}/light.jpg`, { maxBytes: MAX_BYTES });
    assert.deepEqual(Buffer.from(image.bytes), images.get('/light.jpg'));
    assert.equal(image.contentType, 'image/jpeg');
    assert.deepEqual([image.width, image.height], [640, 400]);
    assert.match(image.assetPath, /^assets\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
  });

  test('a heavy JPEG is re-encoded smaller', async () => {
    const original = images.get('/heavy.jpg') as Buffer;
    const image = await mirrorImage(http, `${server.origin}/heavy.jpg`, { maxBytes: MAX_BYTES });
    assert.ok(
      image.bytes.byteLength < original.byteLength,
      `${image.bytes.byteLength} < ${original.byteLength}`,
    );
    assert.equal(image.originalBytes, original.byteLength);
    const metadata = await sharp(image.bytes).metadata();
    assert.deepEqual([metadata.format, metadata.width, metadata.height], ['jpeg', 640, 400]);
  });

  test('a JPEG wider than the limit is scaled down even when light', async () => {
    const image = await mirrorImage(http, `${server.origin}/wide.jpg`, { maxBytes: MAX_BYTES });
    const metadata = await sharp(image.bytes).metadata();
    assert.deepEqual([metadata.width, metadata.height, image.width], [1200, 300, 1200]);
  });

  test('a light JPEG that must be turned upright is re-encoded upright', async () => {
    const image = await mirrorImage(http, `${server.origin}/turned.jpg`, { maxBytes: MAX_BYTES });
    const metadata = await sharp(image.bytes).metadata();
    assert.deepEqual([metadata.width, metadata.height], [200, 320]);
    assert.notEqual(metadata.orientation, 6);
  });
});
