// The PostgreSQL store (node-postgres): for operators who run newsmirror on several machines against one database.
// Queries live in one module per entity, the ports over them in `ports.ts`; this class opens the pool, migrates,
// and sends each call to a connection: any pooled one, or the one of the transaction the call belongs to.
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { lazyRequire } from '../../internal/lazy-require.ts';
import { StoreError } from '../errors.ts';
import { portsOf, type QuerySet } from '../ports.ts';
import type {
  ArticlesPort,
  ChannelHealthPort,
  ChannelsPort,
  FailuresPort,
  FetchCachePort,
  ImagesPort,
  PageRefsPort,
  RemotesPort,
  RunsPort,
  SourceSignalsPort,
  Store,
  StorePorts,
  ViewsPort,
} from '../store.ts';
import { classifyPgError, describeUrl, toPgStoreError } from './errors.ts';
import { applyPgMigrations } from './migrations.ts';
import { type PgQueries, pgQueriesOf } from './ports.ts';
import { clientSession, isConnectionError, poolSession } from './session.ts';

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10): one serves a transaction, the others calls made meanwhile. */
  poolSize?: number;
  /** How long a statement waits for a row lock before failing as store_busy (default 5 s). */
  lockTimeoutMs?: number;
}

// How long a statement waits for a row lock another connection holds before failing with store_busy (retryable),
// as SQLite's busy_timeout: every write here is short, so 5 s only runs out when the holder is stuck.
const LOCK_TIMEOUT_MS = 5_000;

// How long opening a connection may take: an unreachable server must fail the run, not hang it.
const CONNECT_TIMEOUT_MS = 10_000;

// bigint columns (keys, counts, byte sizes) come back as numbers, as from SQLite: none comes near 2^53.
const INT8_OID = 20;

/** Required on first use: a SQLite run never loads node-postgres. */
const pgModule = lazyRequire<typeof pg>('pg');
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pgModule().types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Connects to the PostgreSQL database at `url` (`postgres://user[:password]@host:port/db`) and migrates it.
 * Several processes may open one database at once; the first migrates it while the others wait.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { safe, hostPort } = describeUrl(url);
  const pool = new (pgModule().Pool)({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    lock_timeout: options.lockTimeoutMs ?? LOCK_TIMEOUT_MS,
    application_name: 'newsmirror',
    types,
  });
  // A connection the server dropped (restart, idle timeout): the pool discards it when idle, and the call using it
  // fails as store_unavailable. Without these listeners the 'error' event would crash the process, also while a
  // transaction holds the connection between two statements.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => {});
    const { code, retryable, backendCode } = classifyPgError(error);
    const reason = error instanceof Error ? error.message : String(error);
    const detail = backendCode === undefined ? '' : ` (${backendCode})`;
    throw new StoreError(
      `store: cannot connect to PostgreSQL at ${hostPort} (${safe}): ${reason}${detail}` +
        (retryable ? '; is the server running and reachable?' : ''),
      { code: code === 'store_error' ? 'store_unavailable' : code, where: safe, retryable, cause: error },
    );
  }
  let broken: Error | undefined;
  try {
    await applyPgMigrations(client, safe);
  } catch (error) {
    broken = isConnectionError(error) ? (error as Error) : undefined;
    client.release(broken);
    await pool.end().catch(() => {});
    throw toPgStoreError(error, 'migrating the store', safe);
  }
  client.release();
  return new PostgresStore(pool, safe);
}

/** The transaction in progress: its connection, and the ports bound to it. */
interface ActiveTransaction {
  done: Promise<void>;
  queries: PgQueries;
  ports: StorePorts;
}

class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #where: string;
  readonly #poolQueries: PgQueries;
  readonly #context = new AsyncLocalStorage<ActiveTransaction>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #active: ActiveTransaction | undefined;
  #savepoints = 0;
  #closed = false;

  readonly articles: ArticlesPort;
  readonly channels: ChannelsPort;
  readonly pageRefs: PageRefsPort;
  readonly signals: SourceSignalsPort;
  readonly fetchCache: FetchCachePort;
  readonly failures: FailuresPort;
  readonly runs: RunsPort;
  readonly images: ImagesPort;
  readonly remotes: RemotesPort;
  readonly views: ViewsPort;
  readonly channelHealth: ChannelHealthPort;

  constructor(pool: pg.Pool, where: string) {
    this.#pool = pool;
    this.#where = where;
    this.#poolQueries = pgQueriesOf(poolSession(pool));
    // Every PostgreSQL query answers with a Promise: the one table of ports (../ports.ts) runs on them unchanged.
    const ports = portsOf(<T>(what: string, work: (q: QuerySet) => T | Promise<T>) =>
      this.#call(what, work as (q: PgQueries) => Promise<T>),
    );
    this.articles = ports.articles;
    this.channels = ports.channels;
    this.pageRefs = ports.pageRefs;
    this.signals = ports.signals;
    this.fetchCache = ports.fetchCache;
    this.failures = ports.failures;
    this.runs = ports.runs;
    this.images = ports.images;
    this.remotes = ports.remotes;
    this.views = ports.views;
    this.channelHealth = ports.channelHealth;
  }

  /**
   * A call through the store itself. From inside the open transaction's async context it joins the transaction,
   * as in SQLite (code not yet handed `tx` keeps working, and cannot wait on a row lock its own transaction holds);
   * from anywhere else it runs at once on another pooled connection, which sees only committed data.
   */
  #call<T>(what: string, work: (queries: PgQueries) => Promise<T>): Promise<T> {
    const context = this.#context.getStore();
    if (context !== undefined && context === this.#active)
      return this.#settle(what, () => work(context.queries));
    const call = this.#settle(what, () => work(this.#poolQueries));
    this.#inFlight.add(call);
    const forget = () => this.#inFlight.delete(call);
    call.then(forget, forget);
    return call;
  }

  /** A call through the `tx` of `transaction`: it fails once that transaction has ended. */
  #callIn<T>(
    transaction: ActiveTransaction,
    what: string,
    work: (queries: PgQueries) => Promise<T>,
  ): Promise<T> {
    if (this.#active !== transaction) {
      return Promise.reject(
        new StoreError(`store: ${what} through a transaction that has ended, on ${this.#where}`, {
          code: 'store_transaction_ended',
          where: this.#where,
          retryable: false,
        }),
      );
    }
    return this.#settle(what, () => work(transaction.queries));
  }

  async #settle<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      if (this.#closed) {
        throw new StoreError(`store: ${what} after close of ${this.#where}`, {
          code: 'store_closed',
          where: this.#where,
          retryable: false,
        });
      }
      return await work();
    } catch (error) {
      throw toPgStoreError(error, what, this.#where);
    }
  }

  schemaVersion() {
    return this.#call('reading the schema version', (q) => q.schemaVersion());
  }

  /**
   * One pooled connection per transaction. Transactions of one store take turns, as in SQLite, so code written
   * for it (read, decide, write) keeps its meaning; other processes' transactions run beside them, kept apart by
   * row locks.
   */
  async transaction<T>(fn: (tx: StorePorts) => Promise<T> | T): Promise<T> {
    const active = this.#active;
    if (active !== undefined && this.#context.getStore() === active) return this.#nested(active, fn);
    while (this.#active !== undefined) await this.#active.done;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    // Claimed before the first await, so a transaction begun meanwhile waits for this one.
    const claim = { done } as ActiveTransaction;
    this.#active = claim;
    let client: pg.PoolClient | undefined;
    let broken: Error | undefined;
    try {
      client = await this.#settle('beginning a transaction', () => this.#pool.connect());
      // BEGIN, COMMIT and ROLLBACK go through the session's queue too, after any call `fn` left running.
      const session = clientSession(client);
      claim.queries = pgQueriesOf(session);
      claim.ports = portsOf(<T>(what: string, work: (q: QuerySet) => T | Promise<T>) =>
        this.#callIn(claim, what, work as (q: PgQueries) => Promise<T>),
      );
      await this.#settle('beginning a transaction', () => session.query('BEGIN'));
      try {
        const result = await this.#context.run(claim, fn, claim.ports);
        await this.#settle('committing a transaction', () => session.query('COMMIT'));
        return result;
      } catch (error) {
        await session.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      }
    } finally {
      this.#active = undefined;
      client?.release(broken);
      finished();
    }
  }

  /** A transaction inside a transaction: a savepoint, so its failure undoes only its own writes. */
  async #nested<T>(outer: ActiveTransaction, fn: (tx: StorePorts) => Promise<T> | T): Promise<T> {
    const savepoint = `nested_${++this.#savepoints}`;
    await this.#callIn(outer, 'beginning a nested transaction', (q) => q.exec(`SAVEPOINT ${savepoint}`));
    try {
      const result = await fn(outer.ports);
      await this.#callIn(outer, 'committing a nested transaction', (q) => q.exec(`RELEASE ${savepoint}`));
      return result;
    } catch (error) {
      // Also clears the aborted state a failed statement left the transaction in, as SQLite never has one.
      if (this.#active === outer) {
        await outer.queries.exec(`ROLLBACK TO ${savepoint}`).catch(() => {});
        await outer.queries.exec(`RELEASE ${savepoint}`).catch(() => {});
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    const inside = this.#active !== undefined && this.#context.getStore() === this.#active;
    while (this.#active !== undefined && this.#context.getStore() !== this.#active) await this.#active.done;
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
    // From inside a transaction its connection is still out: the pool ends once the transaction gives it back.
    const ending = this.#pool.end();
    if (inside) ending.catch(() => {});
    else await ending;
  }
}
