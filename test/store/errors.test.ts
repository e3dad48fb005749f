// StoreError codes are backend-neutral: they end up in failure records, which must not change meaning with the
// backend. SQLite's own code stays in the message and the cause.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { classifyStoreError, toStoreError } from '../../src/store/errors.ts';
import { StoreError } from '../../src/store/index.ts';
import { tempStorePath } from './helpers.ts';

// SQLite's primary result codes, and extended ones better-sqlite3 reports (it gives the extended code when there is
// one), https://sqlite.org/rescode.html.
const SQLITE_CODES = [
  'SQLITE_ERROR',
  'SQLITE_INTERNAL',
  'SQLITE_PERM',
  'SQLITE_ABORT',
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_RECOVERY',
  'SQLITE_LOCKED',
  'SQLITE_LOCKED_SHAREDCACHE',
  'SQLITE_NOMEM',
  'SQLITE_READONLY',
  'SQLITE_READONLY_DBMOVED',
  'SQLITE_INTERRUPT',
  'SQLITE_IOERR',
  'SQLITE_IOERR_WRITE',
  'SQLITE_IOERR_FSYNC',
  'SQLITE_CORRUPT',
  'SQLITE_NOTFOUND',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
  'SQLITE_PROTOCOL',
  'SQLITE_SCHEMA',
  'SQLITE_TOOBIG',
  'SQLITE_CONSTRAINT',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_FOREIGNKEY',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_MISMATCH',
  'SQLITE_MISUSE',
  'SQLITE_AUTH',
  'SQLITE_RANGE',
  'SQLITE_NOTADB',
];

describe('store errors', () => {
  test('a busy or locked SQLite error is store_busy and retryable', () => {
    for (const sqliteCode of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', 'SQLITE_PROTOCOL']) {
      const cause = new Database.SqliteError('database is locked', sqliteCode);
      const error = toStoreError(cause, 'adding views', 'mirror/.newsmirror/store.sqlite');
      assert.ok(error instanceof StoreError);
      assert.equal(error.code, 'store_busy', sqliteCode);
      assert.equal(error.retryable, true, sqliteCode);
      assert.equal(error.cause, cause);
      assert.match(
        error.message,
        new RegExp(`adding views failed on mirror/.newsmirror/store.sqlite: .*${sqliteCode}`),
      );
    }
  });

  test('a real lock held by another connection comes out as store_busy', () => {
    const { path, cleanup } = tempStorePath();
    const holder = new Database(path);
    const other = new Database(path, { timeout: 0 });
    try {
      holder.exec('BEGIN IMMEDIATE');
      let thrown: unknown;
      try {
        other.exec('BEGIN IMMEDIATE');
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown, 'the second writer was refused');
      const error = toStoreError(thrown, 'beginning a transaction', path);
      assert.equal(error.code, 'store_busy');
      assert.equal(error.retryable, true);
      assert.match(error.message, /SQLITE_BUSY/);
    } finally {
      holder.close();
      other.close();
      cleanup();
    }
  });

  test('no code starts with sqlite; retryable exactly for busy, full and I/O errors', () => {
    for (const sqliteCode of SQLITE_CODES) {
      const error = toStoreError(new Database.SqliteError('x', sqliteCode), 'x', 'x');
      assert.doesNotMatch(error.code, /^sqlite/i, sqliteCode);
      assert.match(error.code, /^store_/, sqliteCode);
      const retryable = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|PROTOCOL)/.test(sqliteCode);
      assert.equal(error.retryable, retryable, sqliteCode);
    }
    assert.deepEqual(classifyStoreError('SQLITE_FULL'), { code: 'store_full', retryable: true });
    assert.deepEqual(classifyStoreError('SQLITE_IOERR_SHMSIZE'), { code: 'store_full', retryable: true });
    assert.deepEqual(classifyStoreError('SQLITE_IOERR_WRITE'), { code: 'store_io', retryable: true });
    assert.deepEqual(classifyStoreError('SQLITE_CONSTRAINT_UNIQUE'), {
      code: 'store_constraint',
      retryable: false,
    });
    assert.deepEqual(classifyStoreError('SQLITE_NOTADB'), { code: 'store_corrupt', retryable: false });
    assert.deepEqual(classifyStoreError('SQLITE_CANTOPEN'), { code: 'store_unavailable', retryable: false });
    assert.deepEqual(classifyStoreError('SQLITE_MISUSE'), { code: 'store_error', retryable: false });
  });

  test('errors without a SQLite code are store_error; StoreErrors pass through unchanged', () => {
    const plain = toStoreError(new TypeError('The database connection is not open'), 'reading', 'x');
    assert.equal(plain.code, 'store_error');
    assert.equal(plain.retryable, false);
    const node = toStoreError(
      Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
      'x',
      'x',
    );
    assert.equal(node.code, 'store_error', 'a system error code is not a store code either');
    assert.match(node.message, /EACCES/);
    assert.equal(toStoreError('a string', 'x', 'x').code, 'store_error');

    const own = new StoreError('store: n1 is not stored', { code: 'unknown_article', retryable: false });
    assert.equal(toStoreError(own, 'x', 'x'), own);
  });
});
