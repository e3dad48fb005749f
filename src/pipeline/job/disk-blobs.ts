// The blob store of workers on other machines: a folder they and the writer share (an NFS mount, a Docker volume),
// one file per blob named by its sha256. A blob is written to a temp name and renamed, so a worker killed mid-write
// never leaves a partial blob under the real name; the writer deletes a blob once it is in the mirror.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from './blobs.ts';

export function createDiskBlobStore(dir: string): BlobStore {
  const pathOf = (sha256: string) => {
    // The name comes from a job result (another process): only a hash may name a file here.
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`blob store ${dir}: "${sha256}" is not a sha256`);
    return join(dir, sha256.slice(0, 2), sha256);
  };
  return {
    async put(sha256, bytes) {
      const path = pathOf(sha256);
      await mkdir(join(dir, sha256.slice(0, 2)), { recursive: true });
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, path);
    },
    async get(sha256) {
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async delete(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
  };
}
