// The shared blob folder of the queue's workers: bytes by sha256, written whole (temp name, then rename), read back
// by another store over the same folder (another process), gone once deleted, and no name but a hash accepted.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createDiskBlobStore } from '../../../src/pipeline/job/disk-blobs.ts';

const dir = mkdtempSync(join(tmpdir(), 'newsmirror-blobs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a blob put by one store is read by another over the same folder, then deleted', async () => {
  const bytes = new TextEncoder().encode('an image, as bytes');
  const sha = createHash('sha256').update(bytes).digest('hex');
  await createDiskBlobStore(dir).put(sha, bytes);
  await createDiskBlobStore(dir).put(sha, bytes);
  const other = createDiskBlobStore(dir);
  assert.deepEqual(await other.get(sha), bytes);
  assert.deepEqual(readdirSync(join(dir, sha.slice(0, 2))), [sha], 'no temp file left');
  await other.delete(sha);
  assert.equal(await other.get(sha), undefined);
  await other.delete(sha);
});

test('only a sha256 names a blob', async () => {
  const store = createDiskBlobStore(dir);
  await assert.rejects(store.get('../../etc/passwd'), /is not a sha256/);
  await assert.rejects(store.put('ab', new Uint8Array(1)), /is not a sha256/);
});
