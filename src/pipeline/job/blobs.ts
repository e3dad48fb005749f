// Where a job leaves the bytes of the images it mirrored, by content, for the writer to copy into the mirror. In one
// process that is memory (bytes wait only until their article is applied); workers on other machines will use a
// shared folder or object store behind the same interface.

export interface BlobStore {
  /** Stores bytes under their sha256 (hex); storing the same bytes again is a no-op. */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  /** The bytes stored under `sha256`, or undefined when none are (or they were already taken). */
  get(sha256: string): Promise<Uint8Array | undefined>;
  /** Forgets the bytes once the writer holds them. */
  delete(sha256: string): Promise<void>;
}

export function createMemoryBlobStore(): BlobStore {
  const blobs = new Map<string, Uint8Array>();
  return {
    async put(sha256, bytes) {
      blobs.set(sha256, bytes);
    },
    async get(sha256) {
      return blobs.get(sha256);
    },
    async delete(sha256) {
      blobs.delete(sha256);
    },
  };
}
