// Libraries that only some runs need (the Redis queue, PostgreSQL, EPUB zips, the feed parser), required on first
// use: importing them at start-up cost every `newsmirror run` ~0.2 s of CPU and ~20 MB (bullmq alone ~0.2 s of
// loading), queue or not. Only for packages whose CommonJS build is the one in use; sharp, whose ES build is, is
// loaded with `await import()` where it is used (fetch/images.ts, render/bundle/images.ts).
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/** A getter that requires `name` the first time it is called (the module's own cache keeps it after that). */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= requireHere(name) as T;
    return loaded;
  };
}
