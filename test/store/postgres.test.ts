// The PostgreSQL store against a real server this file starts (harness/postgres-server.ts): the contract every
// backend passes (test/store/contract.ts), then what only a server backend does: several processes opening,
// migrating and writing one database at once, an unreachable server, errors mapped to the neutral codes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { type PostgresServer, startPostgresServer } from '../../harness/postgres-server.ts';
import { parseConfigText } from '../../src/config/load.ts';
import { ConfigError } from '../../src/internal/errors.ts';
import { openStore, type Store, StoreError, storeExists } from '../../src/store/index.ts';
import { classifyPgError, describeUrl } from '../../src/store/postgres/errors.ts';
import { latestPgSchemaVersion, pgMigrations } from '../../src/store/postgres/migrations.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres.ts';
import { isStoreError } from './contract/helpers.ts';
import { describeStore } from './contract.ts';
import { article, SEEN } from './helpers.ts';

// Started before any test; a missing PostgreSQL fails the file with the harness's message (CI installs it).
let server: PostgresServer;
before(async () => {
  server = await startPostgresServer();
});
after(async () => {
  await server?.stop();
});

async function sql(url: string, text: string, values?: unknown[]): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

// One database for the contract suite; each test's store starts from an empty schema, migrated afresh.
let contractUrl: string | undefined;
describeStore('postgres', async () => {
  contractUrl ??= await server.createDatabase();
  await sql(contractUrl, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  return openPostgresStore(contractUrl);
});

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Opens the store in another Node process and prints its schema version. */
function openInChild(url: string): Promise<string> {
  const module = new URL('../../src/store/postgres/postgres.ts', import.meta.url).href;
  const script = `
    const { openPostgresStore } = await import(${JSON.stringify(module)});
    const store = await openPostgresStore(process.argv[1]);
    process.stdout.write(String(await store.schemaVersion()));
    await store.close();
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`child exited ${code}: ${output}`)),
    ),
  );
}

describe('postgres store', () => {
  const opened: Store[] = [];
  const open = async (url: string, options?: Parameters<typeof openPostgresStore>[1]) => {
    const store = await openPostgresStore(url, options);
    opened.push(store);
    return store;
  };
  after(async () => {
    for (const store of opened) await store.close();
  });

  test('two processes and two pools opening a new database at once migrate it once, all succeeding', async () => {
    const url = await server.createDatabase();
    const [first, second, ...children] = await Promise.all([
      open(url),
      open(url),
      openInChild(url),
      openInChild(url),
    ]);
    assert.equal(await first.schemaVersion(), latestPgSchemaVersion);
    assert.equal(await second.schemaVersion(), latestPgSchemaVersion);
    assert.deepEqual(children, [String(latestPgSchemaVersion), String(latestPgSchemaVersion)]);
    const { rows } = await sql(url, 'SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(
      rows.map((row) => row.version),
      Array.from({ length: latestPgSchemaVersion }, (_, i) => i + 1),
    );
    await first.articles.save(article('n1'));
    assert.equal((await second.articles.get('epoch', 'n1'))?.id, 'n1', 'both stores see one database');
  });

  test('writers in two stores at once: one article row, attempts and views add up', async () => {
    const url = await server.createDatabase();
    const [a, b] = [await open(url), await open(url)];
    // Ten articles, each saved by both at once: the two inserts may meet on either unique index.
    const ids = Array.from({ length: 10 }, (_, i) => `n${i + 1}`);
    const results = await Promise.all(
      ids.map((id) => Promise.all([a.articles.save(article(id)), b.articles.save(article(id))])),
    );
    for (const pair of results) assert.deepEqual([...pair].sort(), ['new', 'unchanged']);
    assert.equal(await a.articles.count(), ids.length);

    const failure = { url: 'https://x.example/', siteId: 'epoch', code: 'x', message: 'x', retryable: true };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).failures.record({ ...failure, at: SEEN })),
    );
    assert.equal((await a.failures.get(failure.url))?.attempts, 20);

    const views = [
      { path: 'pages/world/n1.md', day: '2026-01-01', count: 1 },
      { path: 'README.md', day: '2026-01-01', count: 2 },
    ];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).views.add(i % 3 ? views : [...views].reverse())),
    );
    assert.deepEqual(await b.views.perDay({ sinceDay: '2026-01-01' }), [{ day: '2026-01-01', views: 30 }]);
  });

  test('a transaction runs beside outside calls: they do not wait, and do not see it', async () => {
    const url = await server.createDatabase();
    const store = await open(url);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let saved!: () => void;
    const savedSignal = new Promise<void>((resolve) => (saved = resolve));
    const transaction = store.transaction(async (tx) => {
      await tx.fetchCache.save('https://a.example/', { etag: '"1"' });
      saved();
      await gate;
    });
    await savedSignal;
    await store.fetchCache.save('https://b.example/', { etag: '"2"' }); // would hang here if it waited
    assert.equal(await store.fetchCache.get('https://a.example/'), undefined);
    release();
    await transaction;
    assert.deepEqual(await store.fetchCache.get('https://a.example/'), { etag: '"1"' });
  });

  test('calls through tx in parallel run one at a time on its connection, and commit together', async () => {
    const store = await open(await server.createDatabase());
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      await store.transaction(async (tx) => {
        await Promise.all(Array.from({ length: 20 }, (_, i) => tx.articles.save(article(`n${i}`))));
        await Promise.all([
          tx.views.add([{ path: 'README.md', day: '2026-01-01', count: 1 }]),
          tx.runs.start(SEEN),
        ]);
      });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.equal(await store.articles.count(), 20);
    assert.deepEqual(
      warnings.filter((message) => /client\.query/.test(message)),
      [],
      'no query sent while another runs',
    );
  });

  test('a row lock held too long elsewhere fails a write as store_busy, retryable', async () => {
    const url = await server.createDatabase();
    const store = await open(url, { lockTimeoutMs: 200 });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT n FROM counts WHERE scope = '' FOR UPDATE");
      await assert.rejects(store.articles.save(article('n1')), (error: unknown) => {
        assert.ok(isStoreError('store_busy')(error));
        assert.equal((error as StoreError).retryable, true);
        assert.match((error as Error).message, /55P03/);
        return true;
      });
      await holder.query('ROLLBACK');
      assert.equal(await store.articles.save(article('n1')), 'new', 'works once the lock is gone');
    } finally {
      await holder.end();
    }
  });

  test('an unreachable server: store_unavailable, retryable, naming host:port without the password', async () => {
    const port = await closedPort();
    await assert.rejects(
      openPostgresStore(`postgres://newsmirror:s3cret@127.0.0.1:${port}/newsmirror`),
      (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'store_unavailable');
        assert.equal(error.retryable, true);
        assert.match(error.message, new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${port}`));
        assert.match(error.message, /ECONNREFUSED/);
        assert.doesNotMatch(error.message, /s3cret/);
        assert.doesNotMatch(String(error.where), /s3cret/);
        return true;
      },
    );
  });

  test('a server restarted under an open store: calls fail as store_unavailable meanwhile, then work again', async () => {
    const url = await server.createDatabase();
    const store = await open(url);
    await store.articles.save(article('n1'));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let begun!: () => void;
    const begunSignal = new Promise<void>((resolve) => (begun = resolve));
    // A transaction holding its connection between two statements when the server goes: it fails, the process lives.
    const transaction = store.transaction(async (tx) => {
      await tx.articles.save(article('n2'));
      begun();
      await gate;
      await tx.articles.save(article('n3'));
    });
    await begunSignal;
    await server.pause();
    try {
      release();
      await assert.rejects(transaction, (error: unknown) => {
        assert.ok(isStoreError('store_unavailable')(error), String(error));
        assert.equal((error as StoreError).retryable, true);
        return true;
      });
      await assert.rejects(store.articles.get('epoch', 'n1'), (error: unknown) => {
        assert.ok(isStoreError('store_unavailable')(error), String(error));
        assert.equal((error as StoreError).retryable, true);
        return true;
      });
    } finally {
      await server.resume();
    }
    assert.equal((await store.articles.get('epoch', 'n1'))?.id, 'n1', 'the pool reconnects');
    assert.equal(await store.articles.get('epoch', 'n2'), undefined, 'the broken transaction left nothing');
    assert.equal(await store.articles.save(article('n2')), 'new');
  });

  test('a missing database or role is store_unavailable, not retryable', async () => {
    await assert.rejects(openPostgresStore(server.url('no_such_db')), (error: unknown) => {
      assert.ok(isStoreError('store_unavailable')(error));
      assert.equal((error as StoreError).retryable, false);
      assert.match((error as Error).message, /3D000/);
      return true;
    });
  });

  test('config store.url selects PostgreSQL; store.path and store.url together are refused', async () => {
    const url = await server.createDatabase();
    const config = (store: string) => `mirror: { title: m, dir: out }
store: ${store}
sites:
  - { id: s, name: s, base: https://s.example, articleId: '/(n\\d+)', channels: [{ id: c, title: c, feed: https://s.example/f.xml }] }
`;
    const loaded = parseConfigText(config(`{ url: "${url}" }`), 'newsmirror.yaml', '/srv/news');
    assert.equal(storeExists(loaded), true, 'a database counts as an existing store');
    const store = await openStore(loaded);
    opened.push(store);
    await store.articles.save(article('n1'));
    assert.equal(
      (await sql(url, 'SELECT count(*)::int AS n FROM articles')).rows[0].n,
      1,
      'written to the database',
    );
    assert.throws(
      () => parseConfigText(config(`{ url: "${url}", path: store.sqlite }`), 'newsmirror.yaml', '/srv/news'),
      (error: unknown) => error instanceof ConfigError && /not both/.test(error.message),
    );
    assert.throws(
      () => parseConfigText(config('{ url: "mysql://x/y" }'), 'newsmirror.yaml', '/srv/news'),
      ConfigError,
    );
  });

  test('a database migrated by a newer newsmirror is refused, not used', async () => {
    const url = await server.createDatabase();
    await (await openPostgresStore(url)).close();
    await sql(url, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')");
    await assert.rejects(openPostgresStore(url), (error: unknown) => {
      assert.ok(isStoreError('schema_too_new')(error));
      assert.match((error as Error).message, /schema version 999, newer than this newsmirror knows/);
      return true;
    });
  });

  test('shipped migrations are never edited (append-only)', () => {
    // Name and the first 16 hex digits of the sha256 of the SQL, as shipped. Add a line for each new migration.
    const shipped: Array<[string, string]> = [
      ['articles, their URLs, channel membership and counts', 'f3507cb2927c008b'],
      ['fetch cache, failures and runs', '3cad33df12c755b4'],
      ['mirrored images and their failures, git remotes', 'a76ac3eff9689520'],
      ['page views per day', 'a072733a5d87c8a2'],
    ];
    const fingerprint = (up: string) => createHash('sha256').update(up).digest('hex').slice(0, 16);
    assert.deepEqual(
      pgMigrations.slice(0, shipped.length).map((migration) => [migration.name, fingerprint(migration.up)]),
      shipped,
    );
  });

  test('PostgreSQL error codes map to the neutral store codes', () => {
    const cases: Array<[unknown, string, boolean]> = [
      [{ code: '40001' }, 'store_busy', true],
      [{ code: '40P01' }, 'store_busy', true],
      [{ code: '55P03' }, 'store_busy', true],
      [{ code: '53100' }, 'store_full', true],
      [{ code: '53300' }, 'store_unavailable', true],
      [{ code: '58030' }, 'store_io', true],
      [{ code: '23505' }, 'store_constraint', false],
      [{ code: '23503' }, 'store_constraint', false],
      [{ code: 'XX001' }, 'store_corrupt', false],
      [{ code: '57P01' }, 'store_unavailable', true],
      [{ code: '08006' }, 'store_unavailable', true],
      [{ code: '28P01' }, 'store_unavailable', false],
      [{ code: 'ECONNREFUSED' }, 'store_unavailable', true],
      [new Error('Connection terminated unexpectedly'), 'store_unavailable', true],
      [{ code: '42601' }, 'store_error', false],
    ];
    for (const [error, code, retryable] of cases) {
      const classified = classifyPgError(error);
      assert.deepEqual([classified.code, classified.retryable], [code, retryable], JSON.stringify(error));
    }
    assert.equal(
      describeUrl('postgres://u:pw@db.example:6432/news').safe,
      'postgres://u@db.example:6432/news',
    );
    assert.equal(describeUrl('postgres://u@db.example/news').hostPort, 'db.example:5432');
  });
});
