// CommonJS packages that only some runs need (the Redis queue, PostgreSQL, zip bundles), required on first use:
// importing them at start-up cost every `newsmirror run` ~0.3 s of CPU and ~30 MB, queue or not (bullmq alone
// ~0.2 s). ES-only packages are loaded with `await import()` where they are used instead.
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
