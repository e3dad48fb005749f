// Shared by the contract suites (test/store/contract.ts).
import { type Store, StoreError } from '../../../src/store/index.ts';

/** The store of the running test (fresh and empty), and how to open another one for tests that need two. */
export interface Subject {
  readonly store: Store;
  open(): Promise<Store>;
}

/** An assert.rejects predicate: a StoreError with this code. */
export function isStoreError(code: string) {
  return (error: unknown) => error instanceof StoreError && error.code === code;
}
