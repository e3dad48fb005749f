import { NewsmirrorError } from '../internal/errors.ts';

/** Reading or writing the store failed. `where` is the database file; `retryable` when a later attempt may work. */
export class StoreError extends NewsmirrorError {}

// SQLite result codes a later attempt can get past: another process held the lock too long, the disk was full or
// had an I/O error. Constraint violations, corruption and the like will fail the same way again.
const RETRYABLE_SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|PROTOCOL)/;

/** Wraps an error thrown by SQLite (or our own code) while doing `what`, keeping StoreErrors as they are. */
export function toStoreError(error: unknown, what: string, where: string): StoreError {
  if (error instanceof StoreError) return error;
  const sqliteCode = (error as { code?: unknown })?.code;
  const code = typeof sqliteCode === 'string' ? sqliteCode.toLowerCase() : 'store_error';
  const retryable = typeof sqliteCode === 'string' && RETRYABLE_SQLITE_CODES.test(sqliteCode);
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError(
    `store: ${what} failed on ${where}: ${reason}${retryable ? ' (retry may help)' : ''}`,
    {
      code,
      where,
      retryable,
      cause: error,
    },
  );
}
