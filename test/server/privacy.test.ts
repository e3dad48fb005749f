// The counter must count pages, never people: after requests carrying every kind of identifying value, none of
// those values may be found in any byte the server wrote (database, WAL, shared memory, logs).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { seedArticle, startTestServer, type TestServer } from './helpers.ts';

/** Loopback has all of 127.0.0.0/8: sending from an unusual address lets us look for it on disk. */
const CLIENT_ADDRESS = '127.0.0.77';

const SECRETS = {
  clientAddress: CLIENT_ADDRESS,
  forwardedFor: '203.0.113.91',
  realIp: '198.51.100.23',
  userAgent: 'PrivacyProbe/4.2 agent-3f9c1e',
  referer: 'https://referrer.example/secret-ref-91c2d7',
  cookie: 'cookie-secret-55aa0b',
  query: 'query-secret-8e4b2a',
  language: 'xx-PRIVACY-LANG',
};

function get(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, localAddress: CLIENT_ADDRESS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function findSecrets(files: string[], logLines: string[]): string[] {
  const found: string[] = [];
  const haystacks = [
    ...files.map((file) => ({ where: file, bytes: readFileSync(file) })),
    { where: 'log', bytes: Buffer.from(logLines.join('\n')) },
  ];
  for (const { where, bytes } of haystacks) {
    for (const [name, value] of Object.entries(SECRETS)) {
      // UTF-8 as SQLite stores text, and UTF-16 in case anything wrote it that way.
      if (bytes.includes(Buffer.from(value, 'utf8')) || bytes.includes(Buffer.from(value, 'utf16le'))) {
        found.push(`${name} in ${where}`);
      }
    }
  }
  return found;
}

test('no address, user agent, referrer, cookie or query string reaches the disk or the log', async () => {
  const page = 'pages/world/n100.md';
  const served: TestServer = await startTestServer({
    files: { [page]: '### A page\n' },
    setup: async (store) => {
      await seedArticle(store, { id: 'n100', channel: 'world', title: 'A page' });
    },
  });
  let closed = false;
  try {
    const headers = {
      'X-Forwarded-For': SECRETS.forwardedFor,
      'X-Real-IP': SECRETS.realIp,
      Forwarded: `for=${SECRETS.forwardedFor}`,
      'User-Agent': SECRETS.userAgent,
      Referer: SECRETS.referer,
      Cookie: `session=${SECRETS.cookie}`,
      'Accept-Language': SECRETS.language,
    };
    const counted = 25;
    for (let i = 0; i < counted; i++) {
      assert.equal(
        await get(served.server.port, `/epoch-news/${page}?utm=${SECRETS.query}&n=${i}`, headers),
        200,
      );
    }
    // A page that does not exist, the stats and the preview see the same headers.
    await get(served.server.port, `/epoch-news/pages/world/none-${SECRETS.query}.md`, headers);
    await get(served.server.port, `/stats?x=${SECRETS.query}`, headers);
    await get(served.server.port, `/${page}?x=${SECRETS.query}`, headers);
    await get(served.server.port, `/no-such-file-${SECRETS.query}`, headers);
    const flushed = await served.server.flush();
    assert.equal(flushed.views, counted);

    // While the store is open: the database, its WAL and its shared-memory file.
    const open = filesUnder(served.dir);
    assert.ok(
      open.some((file) => file.endsWith('-wal')),
      'the WAL file exists and is scanned',
    );
    // Positive control: the scan does see what was written (the page path went into the WAL or the database).
    assert.ok(
      open.some((file) => file.includes('store') && readFileSync(file).includes(Buffer.from(page))),
      'the counted page path is found on disk',
    );
    assert.deepEqual(findSecrets(open, served.logLines), []);

    // The views table can only hold a page, a day and a count: nothing with finer time or reader detail.
    const db = new Database(served.storePath, { readonly: true });
    try {
      const columns = (db.prepare('PRAGMA table_info(views)').all() as Array<{ name: string }>).map(
        (c) => c.name,
      );
      assert.deepEqual(columns.sort(), ['count', 'day', 'path']);
      const rows = db.prepare('SELECT path, day, count FROM views').all() as Array<Record<string, unknown>>;
      assert.equal(rows.length, 1);
      assert.equal(rows[0].path, page);
      assert.match(String(rows[0].day), /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(rows[0].count, counted);
    } finally {
      db.close();
    }

    // After shutdown, once the WAL is checkpointed into the database.
    await served.server.close();
    await served.store.close();
    closed = true;
    assert.deepEqual(findSecrets(filesUnder(served.dir), served.logLines), []);
  } finally {
    if (closed) rmSync(served.dir, { recursive: true, force: true });
    else await served.close();
  }
});
