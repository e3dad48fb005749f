// PostgreSQL errors as the store's backend-neutral codes (see ../errors.ts): a failure record must mean the same
// whichever backend wrote it. The SQLSTATE (or the socket's error code) stays in the message and the cause.
import { StoreError, type StoreErrorCode } from '../errors.ts';

// SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html), most specific first.
const SQLSTATES: Array<[RegExp, StoreErrorCode, boolean]> = [
  // serialization_failure, deadlock_detected, lock_not_available (lock_timeout), query_canceled (statement_timeout)
  [/^(40001|40P01|55P03|57014)$/, 'store_busy', true],
  [/^53100$/, 'store_full', true],
  // too many connections, out of memory: the server may have room again later
  [/^53/, 'store_unavailable', true],
  [/^58/, 'store_io', true],
  [/^23/, 'store_constraint', false],
  [/^XX00[12]$/, 'store_corrupt', false],
  // connection exceptions; the server shutting down, restarting or still starting
  [/^(08|57P0[123])/, 'store_unavailable', true],
  // bad password or role, no such database, no privilege, read-only server: fixing it takes the operator
  [/^(28|3D000|42501|25006)/, 'store_unavailable', false],
];

// Socket errors while connecting or talking to the server: it may be back in a moment.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

// node-postgres reports a dropped connection or a pool connect timeout with a message and no code.
const LOST_CONNECTION =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

export function classifyPgError(error: unknown): {
  code: StoreErrorCode;
  retryable: boolean;
  backendCode?: string;
} {
  const rawCode = (error as { code?: unknown })?.code;
  const backendCode = typeof rawCode === 'string' ? rawCode : undefined;
  if (backendCode !== undefined) {
    for (const [pattern, code, retryable] of SQLSTATES) {
      if (pattern.test(backendCode)) return { code, retryable, backendCode };
    }
    if (SOCKET_CODES.has(backendCode)) return { code: 'store_unavailable', retryable: true, backendCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (LOST_CONNECTION.test(message)) return { code: 'store_unavailable', retryable: true, backendCode };
  return { code: 'store_error', retryable: false, backendCode };
}

/** Wraps an error from node-postgres (or our own code) while doing `what`, keeping StoreErrors as they are. */
export function toPgStoreError(error: unknown, what: string, where: string): StoreError {
  if (error instanceof StoreError) return error;
  const { code, retryable, backendCode } = classifyPgError(error);
  const reason = error instanceof Error ? error.message : String(error);
  const detail = backendCode === undefined ? '' : ` (${backendCode})`;
  return new StoreError(
    `store: ${what} failed on ${where}: ${reason}${detail}${retryable ? '; retry may help' : ''}`,
    { code, where, retryable, cause: error },
  );
}

/** The connection URL fit for messages: no password, and the host:port it points at. */
export function describeUrl(url: string): { safe: string; hostPort: string } {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '';
    const host = parsed.hostname || 'localhost';
    return { safe: parsed.toString(), hostPort: `${host}:${parsed.port || '5432'}` };
  } catch {
    // Not a URL we can parse: say nothing of it that could hold a secret.
    return { safe: 'postgres://(unparsable URL)', hostPort: 'unknown host' };
  }
}
