import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { counterRouteOf, ViewCounter } from '../../src/server/index.ts';
import { openMemoryStore, type ViewCount } from '../../src/store/index.ts';
import { seedArticle, startTestServer, type TestServer, writeMirrorFile } from './helpers.ts';

const EVER = '2000-01-01';

describe('counter over HTTP', () => {
  let served: TestServer;
  const page = 'pages/world/n1.md';
  const storedOnly = 'pages/china/n2.md';

  before(async () => {
    served = await startTestServer({
      files: {
        [page]: '### One\n',
        'README.md': '# Home\n',
        'assets/ab/x.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      },
      setup: async (store) => {
        // A page the store knows but whose file is not on disk (yet): still a page of the mirror.
        await seedArticle(store, { id: 'n2', channel: 'china', title: 'Two' });
      },
    });
  });
  after(() => served.close());

  const hit = (path: string, init?: RequestInit) => fetch(`${served.server.url}/epoch-news/${path}`, init);

  test('answers a 1x1 GIF that image proxies must fetch again on every view', async () => {
    const response = await hit(page);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/gif');
    assert.equal(response.headers.get('cache-control'), 'no-cache, no-store, must-revalidate');
    assert.equal(response.headers.get('pragma'), 'no-cache');
    const expires = Date.parse(response.headers.get('expires') ?? '');
    assert.ok(expires < Date.now() - 86_400_000, 'Expires is in the past');
    assert.equal(response.headers.get('etag'), null);
    assert.equal(response.headers.get('last-modified'), null);
    assert.equal(response.headers.get('set-cookie'), null);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(bytes.subarray(0, 6).toString('latin1'), 'GIF89a');
    assert.equal(bytes.readUInt16LE(6), 1);
    assert.equal(bytes.readUInt16LE(8), 1);
  });

  test('counts pages only after a flush, one view per request, summed per day', async () => {
    await served.server.flush();
    const before = await served.store.views.top({ sinceDay: EVER, limit: 10 });
    const viewsOf = (rows: typeof before, path: string) => rows.find((row) => row.path === path)?.views ?? 0;
    for (let i = 0; i < 7; i++) await hit(page);
    await hit(encodeURI(storedOnly));
    assert.equal(
      viewsOf(await served.store.views.top({ sinceDay: EVER, limit: 10 }), page),
      viewsOf(before, page),
      'nothing written before the flush',
    );
    const flushed = await served.server.flush();
    assert.equal(flushed.views, 8);
    assert.equal(flushed.rows, 2);
    const rows = await served.store.views.top({ sinceDay: EVER, limit: 10 });
    assert.equal(viewsOf(rows, page), viewsOf(before, page) + 7);
    assert.equal(viewsOf(rows, storedOnly), 1);
    const today = new Date().toISOString().slice(0, 10);
    assert.ok((await served.store.views.perDay({ sinceDay: EVER })).some((row) => row.day === today));
  });

  test('answers the same GIF for paths that are not pages, and stores nothing for them', async () => {
    const notPages = [
      'pages/world/missing.md',
      'README',
      'assets/ab/x.png',
      'pages/world/',
      '',
      '..%2F..%2Fetc%2Fpasswd',
      '.git/config',
      'pages/world/n1.md%00',
      `${'a/'.repeat(300)}x.md`,
    ];
    await served.server.flush();
    for (const path of notPages) {
      const response = await hit(path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), 'image/gif', path);
      await response.arrayBuffer();
    }
    const flushed = await served.server.flush();
    assert.equal(flushed.views, 0);
    const stored = (await served.store.views.top({ sinceDay: EVER, limit: 100 })).map((row) => row.path);
    for (const path of stored)
      assert.ok(path === page || path === storedOnly, `unexpected stored path ${path}`);
  });

  test('HEAD answers the headers without counting', async () => {
    await served.server.flush();
    const response = await hit(page, { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-cache, no-store, must-revalidate');
    assert.equal((await served.server.flush()).views, 0);
  });

  test('pages added to the mirror while serving count after a rescan', async () => {
    const fresh = 'pages/world/n3.md';
    writeMirrorFile(served.mirrorDir, fresh, '### Three\n');
    await served.server.rescan();
    await (await hit(fresh)).arrayBuffer();
    const flushed = await served.server.flush();
    assert.equal(flushed.views, 1);
  });
});

describe('ViewCounter', () => {
  test('caps distinct pending pages, drops and counts the overflow, and keeps counting known ones', async () => {
    const store = await openMemoryStore();
    const counter = new ViewCounter({
      store,
      maxPendingPaths: 3,
      now: () => Date.parse('2024-05-01T12:00:00Z'),
    });
    for (const path of ['a.md', 'b.md', 'c.md', 'd.md', 'e.md', 'a.md']) counter.count(path);
    assert.equal(counter.pendingPaths, 3);
    const result = await counter.flush();
    assert.deepEqual(result, { views: 4, rows: 3, dropped: 2 });
    assert.deepEqual(counter.totals, { counted: 4, dropped: 2, flushed: 4 });
    const rows = await store.views.top({ sinceDay: EVER, limit: 10 });
    assert.deepEqual(
      rows.map((row) => [row.path, row.views]),
      [
        ['a.md', 2],
        ['b.md', 1],
        ['c.md', 1],
      ],
    );
    // After a flush the map is empty again and new pages fit.
    assert.equal(counter.count('d.md'), true);
    await store.close();
  });

  test('counts each view under its UTC day, across midnight within one flush', async () => {
    const store = await openMemoryStore();
    let now = Date.parse('2024-05-01T23:59:59Z');
    const counter = new ViewCounter({ store, now: () => now });
    counter.count('p.md');
    counter.count('p.md');
    now = Date.parse('2024-05-02T00:00:01Z');
    counter.count('p.md');
    await counter.flush();
    assert.deepEqual(await store.views.perDay({ sinceDay: EVER }), [
      { day: '2024-05-01', views: 2 },
      { day: '2024-05-02', views: 1 },
    ]);
    await store.close();
  });

  test('keeps the counts for the next flush when writing fails', async () => {
    const store = await openMemoryStore();
    let fail = true;
    const failing = {
      views: {
        ...store.views,
        add: async (rows: ViewCount[]) => {
          if (fail) throw new Error('database is locked');
          return store.views.add(rows);
        },
      },
    };
    const counter = new ViewCounter({ store: failing, now: () => Date.parse('2024-05-01T12:00:00Z') });
    counter.count('p.md');
    counter.count('q.md');
    await assert.rejects(counter.flush(), /locked/);
    assert.equal(counter.pendingPaths, 2);
    counter.count('p.md');
    fail = false;
    assert.deepEqual(await counter.flush(), { views: 3, rows: 2, dropped: 0 });
    assert.equal((await store.views.top({ sinceDay: EVER, limit: 1 }))[0].views, 2);
    await store.close();
  });
});

describe('counterRouteOf', () => {
  test('takes the path around {path}', () => {
    assert.deepEqual(counterRouteOf('https://counter.example.org/epoch-news/{path}'), {
      prefix: '/epoch-news/',
      suffix: '',
    });
    assert.deepEqual(counterRouteOf('http://c.example:8080/v/{path}.gif'), { prefix: '/v/', suffix: '.gif' });
    assert.deepEqual(counterRouteOf('https://c.example/{path}'), { prefix: '/', suffix: '' });
  });

  test('refuses {path} outside the URL path', () => {
    assert.throws(() => counterRouteOf('https://c.example/hit?p={path}'), /path of an http/);
    assert.throws(() => counterRouteOf('https://c.example/a/{path}/{path}'), /exactly once/);
  });
});

test('a counter at the root moves the preview under /-/preview/', async () => {
  const served = await startTestServer({
    counterUrl: 'https://c.example/{path}',
    files: { 'pages/x/n1.md': '### One\n' },
  });
  try {
    const gif = await fetch(`${served.server.url}/pages/x/n1.md`);
    assert.equal(gif.headers.get('content-type'), 'image/gif');
    await gif.arrayBuffer();
    const preview = await fetch(`${served.server.url}/-/preview/pages/x/n1.md`);
    assert.match(await preview.text(), /<h3>One<\/h3>/);
    assert.equal((await served.server.flush()).views, 1);
  } finally {
    await served.close();
  }
});
