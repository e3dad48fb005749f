// The SQLite store: the contract every backend passes (test/store/contract.ts), on a file and in memory, then what
// only SQLite does: files and folders, WAL, the busy timeout, private in-memory stores.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { openMemoryStore, openSqliteStore, type Store, StoreError } from '../../src/store/index.ts';
import { isStoreError } from './contract/helpers.ts';
import { describeStore } from './contract.ts';
import { article, tempStorePath } from './helpers.ts';

const cleanups: Array<() => void> = [];
after(() => {
  for (const cleanup of cleanups) cleanup();
});

describeStore('sqlite file', () => {
  const { path, cleanup } = tempStorePath();
  cleanups.push(cleanup);
  return openSqliteStore(path);
});
describeStore('sqlite memory', openMemoryStore);

/** Runs a second process that holds the write lock of `path` for `holdMs`; resolves once it holds it. */
async function holdWriteLock(path: string, holdMs: number): Promise<{ exited: Promise<number | null> }> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `
    const Database = require(process.argv[1]);
    const db = new Database(process.argv[2]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[3]));
  `;
  const child = spawn(process.execPath, ['-e', script, driver, path, String(holdMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the lock holder exited (${code}) before locking`)));
  });
  return { exited };
}

describe('sqlite store', () => {
  let path: string;
  let cleanup: () => void;
  let store: Store;
  beforeEach(async () => {
    ({ path, cleanup } = tempStorePath());
    store = await openSqliteStore(path);
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  test('opening creates the file and its folders', async () => {
    const nested = join(path, '..', 'a', 'b', 'store.sqlite');
    assert.equal(existsSync(nested), false);
    const created = await openSqliteStore(nested);
    try {
      assert.ok(existsSync(nested));
      assert.ok(await created.schemaVersion());
    } finally {
      await created.close();
    }
  });

  test('two stores on one file see each other (a run and serve)', async () => {
    const other = await openSqliteStore(path);
    try {
      await store.articles.save(article('n1'));
      assert.equal((await other.articles.get('epoch', 'n1'))?.title, 'Title n1');
      await other.views.add([{ path: 'pages/world/n1.md', day: '2026-01-01', count: 1 }]);
      assert.deepEqual(await store.views.perDay({ sinceDay: '2026-01-01' }), [
        { day: '2026-01-01', views: 1 },
      ]);
    } finally {
      await other.close();
    }
  });

  test('WAL: a reader in the middle of a read does not hold up a write, and keeps its snapshot', async () => {
    const reader = new Database(path);
    try {
      reader.exec('BEGIN');
      const count = reader.prepare('SELECT count(*) FROM articles').pluck();
      assert.equal(count.get(), 0);
      const started = Date.now();
      // With a rollback journal this write would wait for the reader until busy_timeout, then fail.
      assert.equal(await store.articles.save(article('n1')), 'new');
      assert.ok(Date.now() - started < 1000, 'the write did not wait for the reader');
      assert.equal(count.get(), 0, 'the reader still sees the store as it began');
      reader.exec('COMMIT');
      assert.equal(count.get(), 1);
    } finally {
      reader.close();
    }
  });

  test('a write waits for another process holding the write lock instead of failing', async () => {
    const holder = await holdWriteLock(path, 400);
    const started = Date.now();
    await store.views.add([{ path: 'README.md', day: '2026-01-01', count: 1 }]);
    const waited = Date.now() - started;
    assert.ok(waited >= 250, `waited ${waited} ms for the lock`);
    assert.equal(await holder.exited, 0);
    assert.deepEqual(await store.views.perDay({ sinceDay: '2026-01-01' }), [{ day: '2026-01-01', views: 1 }]);
  });

  test('calls from outside wait for a transaction, and see its result', async () => {
    // SQLite has one connection: an outside call runs after the transaction (the contract only promises that it
    // never sees uncommitted writes).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let saved!: () => void;
    const savedSignal = new Promise<void>((resolve) => (saved = resolve));
    const order: string[] = [];
    const transaction = store.transaction(async (tx) => {
      await tx.articles.save(article('n1'));
      order.push('saved');
      saved();
      await gate;
      order.push('committing');
    });
    await savedSignal;
    const outside = store.articles.get('epoch', 'n1').then((found) => {
      order.push('outside read');
      return found;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(order, ['saved'], 'the outside read waits while the transaction is open');
    release();
    await transaction;
    assert.equal((await outside)?.id, 'n1');
    assert.deepEqual(order, ['saved', 'committing', 'outside read']);
  });

  test('a transaction holds the write lock from its start: another connection cannot write meanwhile', async () => {
    const other = new Database(path, { timeout: 0 });
    try {
      await store.transaction(async () => {
        assert.throws(() => other.exec('BEGIN IMMEDIATE'), { code: 'SQLITE_BUSY' });
      });
      other.exec('BEGIN IMMEDIATE');
      other.exec('COMMIT');
    } finally {
      other.close();
    }
  });

  test('calls through the store from inside a transaction join it (code not yet given tx keeps working)', async () => {
    await assert.rejects(
      store.transaction(async () => {
        await store.articles.save(article('n1'));
        assert.equal(await store.articles.count(), 1, 'ran at once, not after the transaction');
        throw new Error('undo');
      }),
      /undo/,
    );
    assert.equal(await store.articles.get('epoch', 'n1'), undefined, 'rolled back with the transaction');
  });

  test('a stubbed port method cannot change the store for other holders', () => {
    assert.throws(() => {
      (store.views as { add: unknown }).add = async () => {};
    }, TypeError);
  });
});

describe('sqlite store files', () => {
  test('in-memory stores are private to their opener', async () => {
    const first = await openMemoryStore();
    const second = await openSqliteStore(':memory:');
    await first.articles.save(article('n1'));
    assert.equal(await first.articles.count(), 1);
    assert.equal(await second.articles.count(), 0);
    await first.close();
    await second.close();
  });

  test('a file that cannot be opened gives a neutral error naming it', async () => {
    const { path, cleanup } = tempStorePath();
    try {
      mkdirSync(path, { recursive: true }); // a directory where the file should be
      await assert.rejects(openSqliteStore(path), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.ok(error.message.includes(path));
        assert.equal(error.code, 'store_unavailable');
        assert.equal(error.retryable, false);
        return true;
      });
    } finally {
      cleanup();
    }
  });

  test('a file that is not a store is reported as store_corrupt, with the SQLite code in the message', async () => {
    const { path, cleanup } = tempStorePath();
    try {
      writeFileSync(path, 'this is not a database, but it is long enough to have a header '.repeat(20));
      await assert.rejects(openSqliteStore(path), (error: unknown) => {
        assert.ok(isStoreError('store_corrupt')(error));
        assert.match((error as Error).message, /SQLITE_NOTADB/);
        return true;
      });
    } finally {
      cleanup();
    }
  });
});
