import { NewsmirrorError } from '../internal/errors.ts';

/** Reading or writing the store failed. `where` is the database file; `retryable` when a later attempt may work. */
export class StoreError extends NewsmirrorError {}

/**
 * The codes a StoreError from the backend itself carries. They are the same for every backend, because they end up
 * in failure records and logs: a record must not change meaning when the store moves from SQLite to PostgreSQL.
 * The backend's own code stays in the message and the cause.
 */
export type StoreErrorCode =
  /** Another writer held the lock too long. Retryable. */
  | 'store_busy'
  /** The disk (or quota) is full. Retryable. */
  | 'store_full'
  /** The disk failed to read or write. Retryable. */
  | 'store_io'
  /** A write broke a uniqueness or foreign-key rule. */
  | 'store_constraint'
  /** The file is not a store, or is damaged. */
  | 'store_corrupt'
  /** The file cannot be opened or written (permissions, read-only file system). */
  | 'store_unavailable'
  /** Called after `close()`. */
  | 'store_closed'
  /** A transaction's ports used after the transaction ended. */
  | 'store_transaction_ended'
  | 'store_error';

// SQLite primary result codes (extended codes such as SQLITE_BUSY_SNAPSHOT or SQLITE_IOERR_WRITE start with them).
// PROTOCOL is a lost race for the WAL lock, hence busy. Retryable exactly as before: busy, full, I/O.
const SQLITE_CODES: Array<[RegExp, StoreErrorCode, boolean]> = [
  [/^SQLITE_(BUSY|LOCKED|PROTOCOL)/, 'store_busy', true],
  [/^SQLITE_FULL/, 'store_full', true],
  // The -shm file could not grow: on a full disk this is what opening the store meets first.
  [/^SQLITE_IOERR_SHMSIZE/, 'store_full', true],
  [/^SQLITE_IOERR/, 'store_io', true],
  [/^SQLITE_CONSTRAINT/, 'store_constraint', false],
  [/^SQLITE_(CORRUPT|NOTADB)/, 'store_corrupt', false],
  [/^SQLITE_(CANTOPEN|PERM|READONLY|AUTH)/, 'store_unavailable', false],
];

/** The neutral code of a backend error code, and whether a later attempt may get past it. */
export function classifyStoreError(backendCode: string | undefined): {
  code: StoreErrorCode;
  retryable: boolean;
} {
  if (backendCode !== undefined) {
    for (const [pattern, code, retryable] of SQLITE_CODES) {
      if (pattern.test(backendCode)) return { code, retryable };
    }
  }
  return { code: 'store_error', retryable: false };
}

/** Wraps an error thrown by SQLite (or our own code) while doing `what`, keeping StoreErrors as they are. */
export function toStoreError(error: unknown, what: string, where: string): StoreError {
  if (error instanceof StoreError) return error;
  const rawCode = (error as { code?: unknown })?.code;
  const backendCode = typeof rawCode === 'string' ? rawCode : undefined;
  const { code, retryable } = classifyStoreError(backendCode);
  const reason = error instanceof Error ? error.message : String(error);
  const detail = backendCode === undefined ? '' : ` (${backendCode})`;
  const advice =
    code === 'store_corrupt' && backendCode?.startsWith('SQLITE_')
      ? damagedFileAdvice(where)
      : code === 'store_full'
        ? `. The disk holding ${where} is full: free space there (or move the store with store.path) and run ` +
          'again; the run stopped before writing to the mirror'
        : '';
  return new StoreError(
    `store: ${what} failed on ${where}: ${reason}${detail}${retryable ? '; retry may help' : ''}${advice}`,
    { code, where, retryable, cause: error },
  );
}

/**
 * What to do about a damaged SQLite file. Retrying cannot help, and the run stops before it commits anything, so
 * the mirror keeps every page; the way back is a copy of the store, what SQLite can salvage, or a fresh one.
 */
function damagedFileAdvice(file: string): string {
  return (
    `. The store file is damaged (truncated or overwritten); the mirror's committed pages are untouched. Move it ` +
    `aside with its -wal and -shm files (mv ${file} ${file}.damaged), then put back a copy (a backup, or the CI ` +
    `cache), or salvage what SQLite can read (sqlite3 ${file}.damaged .recover | sqlite3 ${file}), or rebuild ` +
    'it from the mirror: `newsmirror recover -c <config>` stores every page again with its channels and dates'
  );
}
