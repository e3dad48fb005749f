// Where the PostgreSQL query modules send their SQL: the pool (each statement on any free connection, a multi-
// statement write in a transaction of its own) or the one connection of an open transaction.
import type pg from 'pg';
import { StoreError } from '../errors.ts';
import { classifyPgError } from './errors.ts';

/** One connection, or the pool acting as one for single statements. */
export interface Conn {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

export interface Session extends Conn {
  /**
   * Runs `fn` on one connection so that its statements commit together: in a transaction of its own on the pool,
   * or as part of the open transaction (whose commit or rollback then covers them).
   */
  atomic<T>(fn: (conn: Conn) => Promise<T>): Promise<T>;
}

export function poolSession(pool: pg.Pool): Session {
  return {
    query: (text, values) => pool.query(text, values),
    async atomic(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        try {
          const result = await fn(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            broken = rollbackError;
          });
          throw error;
        }
      } catch (error) {
        // A connection that failed midway may be half-dead: destroy it rather than hand it to the next caller.
        broken ??= isConnectionError(error) ? (error as Error) : undefined;
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

/**
 * The session of one transaction's connection. Its statements are queued here, one at a time in call order: calls
 * through `tx` may run in parallel (`Promise.all`), and node-postgres deprecates a query sent while another runs.
 */
export function clientSession(client: pg.PoolClient): Session {
  let tail: Promise<unknown> = Promise.resolve();
  const conn: Conn = {
    query(text, values) {
      const result = tail.then(() => client.query(text, values));
      tail = result.catch(() => {});
      return result;
    },
  };
  return { query: conn.query, atomic: (fn) => fn(conn) };
}

/** Errors after which a connection is not worth keeping: the socket or the server went, not a statement. */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof StoreError) return false;
  const { code, retryable } = classifyPgError(error);
  return code === 'store_unavailable' && retryable;
}
