import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { latestSchemaVersion, migrations, openSqliteStore, StoreError } from '../../src/store/index.ts';
import { applyMigrations, schemaVersionOf } from '../../src/store/migrations.ts';
import { article, tempStorePath } from './helpers.ts';

// Fingerprints (name, first 16 hex digits of the sha256 of the SQL) of the migrations as they shipped. The list is
// append-only: editing or reordering one of these would leave existing stores with a schema the code does not
// expect. Add a line here for each new migration; never change one.
const SHIPPED: Array<[string, string]> = [
  ['articles, their URLs and channel membership', 'ce47cc1d2341785a'],
  ['fetch cache and failures', 'c8e638c33afb9165'],
  ['runs', '29b7e3835a7a0e17'],
  ['mirrored images and their failures', '732a2f5f8af667f4'],
  ['git remotes', '9f2a88ba808a73e7'],
  ['page views per day', '87b4a4c680881694'],
  ['pages waiting for a render, and what listings said of each URL', 'f1111f5539fa831f'],
  ['what each article page shows from elsewhere: its images and the links in its body', '84cb3ed9e86ddc89'],
  ['when each article was last checked at its source', 'a8d66353da0eb057'],
];

function fingerprint(up: unknown): string {
  return createHash('sha256').update(String(up)).digest('hex').slice(0, 16);
}

function tables(db: Database.Database): string[] {
  return db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
}

describe('migrations', () => {
  let path: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ path, cleanup } = tempStorePath());
  });
  afterEach(() => cleanup());

  test('shipped migrations keep their order; new ones only append', () => {
    assert.deepEqual(
      migrations.slice(0, SHIPPED.length).map((migration) => [migration.name, fingerprint(migration.up)]),
      SHIPPED,
    );
    assert.equal(latestSchemaVersion, migrations.length);
  });

  test('apply on a fresh file: schema version is the list length, WAL journal', async () => {
    const store = await openSqliteStore(path);
    assert.equal(await store.schemaVersion(), migrations.length);
    await store.close();

    const db = new Database(path, { readonly: true });
    assert.equal(schemaVersionOf(db), migrations.length);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    for (const table of [
      'articles',
      'article_urls',
      'memberships',
      'fetch_cache',
      'failures',
      'runs',
      'views',
    ]) {
      assert.ok(tables(db).includes(table), `table ${table} exists`);
    }
    db.close();
  });

  test('reopening is idempotent and keeps the data', async () => {
    const first = await openSqliteStore(path);
    await first.articles.save(article('n1'));
    await first.close();
    const schemaBefore = new Database(path, { readonly: true });
    const sqlBefore = schemaBefore.prepare('SELECT sql FROM sqlite_schema ORDER BY name').pluck().all();
    schemaBefore.close();

    const second = await openSqliteStore(path);
    assert.equal(await second.schemaVersion(), migrations.length);
    assert.equal((await second.articles.get('epoch', 'n1'))?.title, 'Title n1');
    await second.close();
    const schemaAfter = new Database(path, { readonly: true });
    assert.deepEqual(
      schemaAfter.prepare('SELECT sql FROM sqlite_schema ORDER BY name').pluck().all(),
      sqlBefore,
    );
    schemaAfter.close();
  });

  test('a file at an older version is migrated forward, keeping its rows', async () => {
    // A store written by an older newsmirror that knew only the first migration.
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    assert.equal(applyMigrations(old, migrations.slice(0, 1)), 1);
    old
      .prepare(
        `INSERT INTO articles (site_id, id, url, home_channel, page_path, title, content_hash, extracted,
          first_seen, updated_at, sort_ms) VALUES ('epoch', 'n1', 'https://news.example/gb/n1.htm', 'world',
          'pages/world/n1.md', 'Old title', 'h1', '{}', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 0)`,
      )
      .run();
    old
      .prepare(`INSERT INTO article_urls (url, article_key) VALUES ('https://news.example/gb/n1.htm', 1)`)
      .run();
    assert.ok(!tables(old).includes('views'));
    old.close();

    const store = await openSqliteStore(path);
    assert.equal(await store.schemaVersion(), migrations.length);
    assert.equal((await store.articles.getByUrl('https://news.example/gb/n1.htm'))?.title, 'Old title');
    assert.equal(
      await store.articles.count(),
      1,
      'the counter row seeded by migration 1 counted the old row',
    );
    assert.deepEqual(
      await store.articles.listUnrendered(),
      [],
      'rows from before render markers count as rendered',
    );
    // Tables of later migrations work.
    await store.views.add([{ path: 'pages/world/n1.md', day: '2026-01-01', count: 2 }]);
    await store.fetchCache.save('https://news.example/gb/n1.htm', { etag: '"a"' });
    assert.deepEqual(await store.fetchCache.get('https://news.example/gb/n1.htm'), { etag: '"a"' });
    await store.close();
  });

  test('a failing migration leaves the file at the previous version, with nothing half-applied', () => {
    const db = new Database(path);
    applyMigrations(db);
    const broken = [
      ...migrations,
      { name: 'broken on purpose', up: 'CREATE TABLE half_done (a TEXT); SELECT * FROM no_such_table;' },
    ];
    assert.throws(
      () => applyMigrations(db, broken),
      (error: unknown) =>
        error instanceof StoreError &&
        error.code === 'migration_failed' &&
        !error.retryable &&
        error.message.includes(`migration ${migrations.length + 1} (broken on purpose)`),
    );
    assert.equal(schemaVersionOf(db), migrations.length);
    assert.ok(!tables(db).includes('half_done'));
    assert.equal(db.inTransaction, false);
    db.close();
  });

  test('a file from a newer newsmirror is refused with a clear error', async () => {
    const db = new Database(path);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    await assert.rejects(openSqliteStore(path), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.equal(error.code, 'schema_too_new');
      assert.match(error.message, /newer than this newsmirror knows/);
      return true;
    });
  });
});
