// The SQLite store (better-sqlite3): one file beside the mirror, or ':memory:' for tests. Queries live in one module
// per entity; this class opens the file, migrates it, and runs each call, serialising them around transactions.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { articleRefQueries } from './article-refs.ts';
import { articleQueries } from './articles.ts';
import { channelQueries } from './channels.ts';
import { StoreError, toStoreError } from './errors.ts';
import { failureQueries } from './failures.ts';
import { fetchCacheQueries } from './fetch-cache.ts';
import { imageQueries } from './images.ts';
import { applyMigrations, schemaVersionOf } from './migrations.ts';
import { remoteQueries } from './remotes.ts';
import { runQueries } from './runs.ts';
import { sourceSignalQueries } from './source-signals.ts';
import type {
  ArticleKey,
  ArticleRecord,
  ArticleRefs,
  FailureInput,
  FetchValidators,
  ImageInput,
  ListArticlesOptions,
  ListFailuresOptions,
  PageOptions,
  PushAttempt,
  RefKind,
  RunSummary,
  SourceSignal,
  Store,
  TopPagesOptions,
  ViewCount,
} from './store.ts';
import { viewQueries } from './views.ts';

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

function queriesOf(db: Database.Database) {
  return {
    ...articleQueries(db),
    ...channelQueries(db),
    ...sourceSignalQueries(db),
    ...articleRefQueries(db),
    ...fetchCacheQueries(db),
    ...failureQueries(db),
    ...runQueries(db),
    ...imageQueries(db),
    ...remoteQueries(db),
    ...viewQueries(db),
  };
}

/** The transaction in progress: calls from its async context go straight through, others wait for `done`. */
interface ActiveTransaction {
  done: Promise<void>;
}

class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #path: string;
  readonly #queries: ReturnType<typeof queriesOf>;
  readonly #context = new AsyncLocalStorage<ActiveTransaction>();
  #active: ActiveTransaction | undefined;
  #savepoints = 0;
  #closed = false;

  constructor(db: Database.Database, path: string) {
    this.#db = db;
    this.#path = path;
    this.#queries = queriesOf(db);
  }

  /**
   * Runs `work` now when no transaction is open or when called from inside the open one (so calls keep their order
   * and a transaction's calls land in it), otherwise once the transaction has ended.
   */
  #call<T>(what: string, work: (queries: ReturnType<typeof queriesOf>) => T): Promise<T> {
    const active = this.#active;
    if (active !== undefined && this.#context.getStore() !== active) {
      return active.done.then(() => this.#call(what, work));
    }
    try {
      return Promise.resolve(this.#now(what, work));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs `work` at once, whatever transaction is open; errors become StoreErrors. */
  #now<T>(what: string, work: (queries: ReturnType<typeof queriesOf>) => T): T {
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

  getArticle(siteId: string, id: string) {
    return this.#call(`reading article ${siteId}/${id}`, (q) => q.getArticle(siteId, id));
  }
  getArticleByUrl(url: string) {
    return this.#call(`looking up ${url}`, (q) => q.getArticleByUrl(url));
  }
  getArticleByPath(pagePath: string) {
    return this.#call(`looking up page ${pagePath}`, (q) => q.getArticleByPath(pagePath));
  }
  saveArticle(record: ArticleRecord) {
    return this.#call(`saving article ${record.siteId}/${record.id}`, (q) => q.saveArticle(record));
  }
  addArticleUrl(url: string, siteId: string, id: string) {
    return this.#call(`adding URL ${url} to ${siteId}/${id}`, (q) => q.addArticleUrl(url, siteId, id));
  }
  pagePathForUrl(url: string) {
    return this.#call(`looking up the page of ${url}`, (q) => q.pagePathForUrl(url));
  }
  hasPage(pagePath: string) {
    return this.#call(`looking up page ${pagePath}`, (q) => q.hasPage(pagePath));
  }
  listArticles(options?: ListArticlesOptions) {
    return this.#call('listing articles', (q) => q.listArticles(options));
  }
  listNewest(limit: number) {
    return this.#call('listing the newest articles', (q) => q.listNewest(limit));
  }
  markRendered(keys: ArticleKey[]) {
    return this.#call('marking pages rendered', (q) => q.markRendered(keys));
  }
  listUnrendered() {
    return this.#call('listing pages to render', (q) => q.listUnrendered());
  }
  saveArticleRefs(siteId: string, id: string, refs: ArticleRefs) {
    return this.#call(`recording what ${siteId}/${id} shows`, (q) => q.saveArticleRefs(siteId, id, refs));
  }
  articleRefs(siteId: string, id: string) {
    return this.#call(`reading what ${siteId}/${id} shows`, (q) => q.articleRefs(siteId, id));
  }

  articlesReferencing(url: string, kind: RefKind) {
    return this.#call(`finding pages showing ${url}`, (q) => q.articlesReferencing(url, kind));
  }
  getSourceSignal(url: string) {
    return this.#call(`reading what the listing said of ${url}`, (q) => q.getSourceSignal(url));
  }
  saveSourceSignal(url: string, signal: SourceSignal) {
    return this.#call(`saving what the listing said of ${url}`, (q) => q.saveSourceSignal(url, signal));
  }
  countArticles(channelId?: string) {
    return this.#call('counting articles', (q) => q.countArticles(channelId));
  }
  async *allArticles(): AsyncIterable<ArticleRecord> {
    let afterKey = 0;
    for (;;) {
      const batch = await this.#call('reading all articles', (q) => q.articlesAfter(afterKey));
      if (batch.records.length === 0) return;
      yield* batch.records;
      afterKey = batch.lastKey;
    }
  }

  addMembership(siteId: string, id: string, channelId: string, seenAt: string) {
    return this.#call(`adding ${siteId}/${id} to channel ${channelId}`, (q) =>
      q.addMembership(siteId, id, channelId, seenAt),
    );
  }
  channelsOf(siteId: string, id: string) {
    return this.#call(`reading channels of ${siteId}/${id}`, (q) => q.channelsOf(siteId, id));
  }
  listChannelEntries(channelId: string, options: PageOptions) {
    return this.#call(`listing channel ${channelId}`, (q) => q.listChannelEntries(channelId, options));
  }

  getValidators(url: string) {
    return this.#call(`reading validators of ${url}`, (q) => q.getValidators(url));
  }
  saveValidators(url: string, validators: FetchValidators) {
    return this.#call(`saving validators of ${url}`, (q) => q.saveValidators(url, validators));
  }

  recordFailure(input: FailureInput) {
    return this.#call(`recording the failure of ${input.url}`, (q) => q.recordFailure(input));
  }
  clearFailure(url: string) {
    return this.#call(`clearing the failure of ${url}`, (q) => q.clearFailure(url));
  }
  listFailures(options?: ListFailuresOptions) {
    return this.#call('listing failures', (q) => q.listFailures(options));
  }
  failureFor(url: string) {
    return this.#call(`reading the failure of ${url}`, (q) => q.failureFor(url));
  }

  startRun(at: string) {
    return this.#call('starting a run', (q) => q.startRun(at));
  }
  finishRun(runId: number, summary: RunSummary) {
    return this.#call(`finishing run ${runId}`, (q) => q.finishRun(runId, summary));
  }
  abandonRun(runId: number, at: string) {
    return this.#call(`abandoning run ${runId}`, (q) => q.abandonRun(runId, at));
  }
  lastRuns(count: number) {
    return this.#call('reading runs', (q) => q.lastRuns(count));
  }
  unfinishedRuns() {
    return this.#call('reading unfinished runs', (q) => q.unfinishedRuns());
  }

  getImage(src: string) {
    return this.#call(`reading image ${src}`, (q) => q.getImage(src));
  }
  getImageBySha256(sha256: string) {
    return this.#call(`reading image ${sha256}`, (q) => q.getImageBySha256(sha256));
  }
  saveImage(input: ImageInput) {
    return this.#call(`saving image ${input.src}`, (q) => q.saveImage(input));
  }
  recordImageFailure(src: string, code: string, message: string, at?: string) {
    return this.#call(`recording the failure of image ${src}`, (q) =>
      q.recordImageFailure(src, code, message, at),
    );
  }
  listFailedImages() {
    return this.#call('listing failed images', (q) => q.listFailedImages());
  }

  recordPush(remote: string, attempt: PushAttempt) {
    return this.#call(`recording a push to ${remote}`, (q) => q.recordPush(remote, attempt));
  }
  pushState(remote: string) {
    return this.#call(`reading the push state of ${remote}`, (q) => q.pushState(remote));
  }
  pushStates() {
    return this.#call('reading push states', (q) => q.pushStates());
  }

  addViews(rows: ViewCount[]) {
    return this.#call('adding views', (q) => q.addViews(rows));
  }
  topPages(options: TopPagesOptions) {
    return this.#call('reading top pages', (q) => q.topPages(options));
  }
  viewsPerDay(options: { sinceDay: string }) {
    return this.#call('reading views per day', (q) => q.viewsPerDay(options));
  }

  schemaVersion() {
    return this.#call('reading the schema version', () => schemaVersionOf(this.#db));
  }

  async transaction<T>(fn: () => Promise<T> | T): Promise<T> {
    const active = this.#active;
    if (active !== undefined && this.#context.getStore() === active) return this.#nested(fn);
    while (this.#active !== undefined) await this.#active.done;
    let finished!: () => void;
    const transaction: ActiveTransaction = { done: new Promise((resolve) => (finished = resolve)) };
    this.#active = transaction;
    try {
      // IMMEDIATE takes the write lock now, so a concurrent writer makes us wait (busy_timeout) instead of failing
      // midway when a read transaction would have to upgrade.
      this.#now('beginning a transaction', () => this.#db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await this.#context.run(transaction, fn);
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

  /** A transaction inside a transaction: a savepoint, so its failure undoes only its own writes. */
  async #nested<T>(fn: () => Promise<T> | T): Promise<T> {
    const savepoint = `nested_${++this.#savepoints}`;
    this.#now('beginning a nested transaction', () => this.#db.exec(`SAVEPOINT ${savepoint}`));
    try {
      const result = await fn();
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
