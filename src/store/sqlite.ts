// The SQLite store (better-sqlite3): one file beside the mirror, or ':memory:' for tests. Queries live in one module
// per entity, the ports over them in `sqlite-ports.ts`; this class opens the file, migrates it, and runs each call,
// serialising them around transactions.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, toStoreError } from './errors.ts';
import { applyMigrations, schemaVersionOf } from './migrations.ts';
import { portsOf, type QuerySet } from './ports.ts';
import { type Queries, queriesOf } from './sqlite-ports.ts';
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
} from './store.ts';

// How long a write waits for another process's write lock before failing with SQLITE_BUSY (retryable). `serve`
// flushing view counts and a run may write at the same moment; every write here is short, so 5 s only runs out
// when the other process is stuck.
const BUSY_TIMEOUT_MS = 5_000;

// Page cache per connection, in KiB (SQLite's default is 2 MiB). A run's batch of writes and the indexes of a
// 100,000-article store fit in it, so a large transaction does not spill pages to the WAL before it commits. Not
// more: stored bodies pass through it too, and a long run would fill a bigger one with pages it never reads again.
const CACHE_KIB = 16 * 1024;

const IN_MEMORY = ':memory:';

/**
 * Opens (creating it and its folder if needed) and migrates the SQLite store at `path`; ':memory:' gives a private
 * in-memory store for tests. WAL journal: readers never block the writer, and a process killed at any moment loses
 * no committed transaction. synchronous=NORMAL: a power cut may lose the last transactions, never corrupt the file.
 */
export async function openSqliteStore(path: string): Promise<Store> {
  let db: Database.Database | undefined;
  try {
    if (path !== IN_MEMORY && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    // Statement journals (SQLite keeps one per write statement inside a transaction, to undo just that statement)
    // then live in memory: on disk they cost a write system call per page touched, most of a bulk load's time.
    db.pragma('temp_store = MEMORY');
    applyMigrations(db);
    return new SqliteStore(db, path);
  } catch (error) {
    db?.close();
    throw toStoreError(error, 'opening the store', path);
  }
}

/** A private in-memory store, for tests of other parts. */
export function openMemoryStore(): Promise<Store> {
  return openSqliteStore(IN_MEMORY);
}

/**
 * The transaction in progress: calls through its `ports` and calls from its async context go straight through,
 * others wait for `done`.
 */
interface ActiveTransaction {
  done: Promise<void>;
  ports: StorePorts;
}

class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #path: string;
  readonly #queries: Queries;
  readonly #context = new AsyncLocalStorage<ActiveTransaction>();
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

  constructor(db: Database.Database, path: string) {
    this.#db = db;
    this.#path = path;
    this.#queries = queriesOf(db);
    // SQLite's queries answer at once, so the value `work` gives is the call's answer.
    const ports = portsOf(
      <T>(what: string, work: (q: QuerySet) => T | Promise<T>) => this.#call(what, work) as Promise<T>,
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
   * Runs `work` now when no transaction is open or when called from inside the open one (so calls keep their order
   * and a transaction's calls land in it), otherwise once the transaction has ended. "Inside" is the transaction's
   * async context: code not yet handed the `tx` ports keeps working inside a transaction, and nesting is detected.
   */
  #call<T>(what: string, work: (queries: Queries) => T): Promise<T> {
    const active = this.#active;
    if (active !== undefined && this.#context.getStore() !== active) {
      return active.done.then(() => this.#call(what, work));
    }
    return this.#settle(what, work);
  }

  /**
   * A call through the `tx` ports of `transaction`: runs now, from whatever async context, while that transaction
   * is open. Afterwards it fails rather than writing outside the transaction its caller believes it is in.
   */
  #callIn<T>(transaction: ActiveTransaction, what: string, work: (queries: Queries) => T): Promise<T> {
    if (this.#active !== transaction) {
      return Promise.reject(
        new StoreError(`store: ${what} through a transaction that has ended, on ${this.#path}`, {
          code: 'store_transaction_ended',
          where: this.#path,
          retryable: false,
        }),
      );
    }
    return this.#settle(what, work);
  }

  #settle<T>(what: string, work: (queries: Queries) => T): Promise<T> {
    try {
      return Promise.resolve(this.#now(what, work));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs `work` at once, whatever transaction is open; errors become StoreErrors. */
  #now<T>(what: string, work: (queries: Queries) => T): T {
    try {
      if (this.#closed) {
        throw new StoreError(`store: ${what} after close of ${this.#path}`, {
          code: 'store_closed',
          where: this.#path,
          retryable: false,
        });
      }
      return work(this.#queries);
    } catch (error) {
      throw toStoreError(error, what, this.#path);
    }
  }

  schemaVersion() {
    return this.#call('reading the schema version', () => schemaVersionOf(this.#db));
  }

  async transaction<T>(fn: (tx: StorePorts) => Promise<T> | T): Promise<T> {
    const active = this.#active;
    if (active !== undefined && this.#context.getStore() === active) return this.#nested(active, fn);
    while (this.#active !== undefined) await this.#active.done;
    let finished!: () => void;
    const transaction: ActiveTransaction = {
      done: new Promise((resolve) => (finished = resolve)),
      ports: portsOf(
        <T>(what: string, work: (q: QuerySet) => T | Promise<T>) =>
          this.#callIn(transaction, what, work) as Promise<T>,
      ),
    };
    this.#active = transaction;
    try {
      // IMMEDIATE takes the write lock now, so a concurrent writer makes us wait (busy_timeout) instead of failing
      // midway when a read transaction would have to upgrade.
      this.#now('beginning a transaction', () => this.#db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await this.#context.run(transaction, fn, transaction.ports);
        this.#now('committing a transaction', () => this.#db.exec('COMMIT'));
        return result;
      } catch (error) {
        if (this.#db.open && this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.#active = undefined;
      finished();
    }
  }

  /**
   * A transaction inside a transaction: a savepoint, so its failure undoes only its own writes. It hands on the
   * outer `tx`, which stays usable after the savepoint ends (it is the same connection and transaction).
   */
  async #nested<T>(outer: ActiveTransaction, fn: (tx: StorePorts) => Promise<T> | T): Promise<T> {
    const savepoint = `nested_${++this.#savepoints}`;
    this.#now('beginning a nested transaction', () => this.#db.exec(`SAVEPOINT ${savepoint}`));
    try {
      const result = await fn(outer.ports);
      this.#now('committing a nested transaction', () => this.#db.exec(`RELEASE ${savepoint}`));
      return result;
    } catch (error) {
      if (this.#db.open && this.#db.inTransaction) {
        this.#db.exec(`ROLLBACK TO ${savepoint}`);
        this.#db.exec(`RELEASE ${savepoint}`);
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    while (this.#active !== undefined && this.#context.getStore() !== this.#active) await this.#active.done;
    if (this.#closed) return;
    this.#closed = true;
    try {
      // Lets SQLite refresh the statistics its planner uses, cheaply, as its documentation advises at close.
      this.#db.pragma('optimize');
    } finally {
      this.#db.close();
    }
  }
}
