// Contract: the fetch cache, failures, runs, images, remotes and views ports.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { article, SEEN } from '../helpers.ts';
import { isStoreError, type Subject } from './helpers.ts';

export function recordsContract(subject: Subject): void {
  describe('fetch cache', () => {
    test('validators are saved, replaced and read back by URL', async () => {
      const store = subject.store;
      const url = 'https://news.example/gb/list.htm';
      assert.equal(await store.fetchCache.get(url), undefined);
      await store.fetchCache.save(url, { etag: '"v1"', lastModified: 'Tue, 06 Jan 2026 00:00:00 GMT' });
      assert.deepEqual(await store.fetchCache.get(url), {
        etag: '"v1"',
        lastModified: 'Tue, 06 Jan 2026 00:00:00 GMT',
      });
      await store.fetchCache.save(url, { etag: '"v2"', contentHash: 'abc' });
      assert.deepEqual(await store.fetchCache.get(url), { etag: '"v2"', contentHash: 'abc' });
    });
  });

  describe('failures', () => {
    const failure = (at: string, code = 'http_500', retryable = true) => ({
      url: 'https://news.example/gb/n9.htm',
      siteId: 'epoch',
      channelId: 'world',
      code,
      message: `fetch: ${code}`,
      retryable,
      at,
    });

    test('attempts count up; the first time is kept and the last one follows', async () => {
      const store = subject.store;
      assert.equal((await store.failures.record(failure('2026-01-01T00:00:00.000Z'))).attempts, 1);
      assert.equal((await store.failures.record(failure('2026-01-02T00:00:00.000Z'))).attempts, 2);
      const third = await store.failures.record(failure('2026-01-03T00:00:00.000Z', 'http_404', false));
      assert.deepEqual(third, {
        url: 'https://news.example/gb/n9.htm',
        siteId: 'epoch',
        channelId: 'world',
        code: 'http_404',
        message: 'fetch: http_404',
        retryable: false,
        attempts: 3,
        firstAt: '2026-01-01T00:00:00.000Z',
        lastAt: '2026-01-03T00:00:00.000Z',
      });
      assert.deepEqual(await store.failures.get('https://news.example/gb/n9.htm'), third);
    });

    test('listing filters retryable ones and by site; clearing forgets', async () => {
      const store = subject.store;
      await store.failures.record({ ...failure('2026-01-01T00:00:00.000Z'), url: 'https://a.example/1' });
      await store.failures.record({
        ...failure('2026-01-02T00:00:00.000Z', 'not_article', false),
        url: 'https://a.example/2',
      });
      await store.failures.record({
        ...failure('2026-01-03T00:00:00.000Z'),
        url: 'https://b.example/3',
        siteId: 'b',
      });
      assert.deepEqual(
        (await store.failures.list()).map((f) => f.url),
        ['https://a.example/1', 'https://a.example/2', 'https://b.example/3'],
      );
      assert.deepEqual(
        (await store.failures.list({ retryableOnly: true })).map((f) => f.url),
        ['https://a.example/1', 'https://b.example/3'],
      );
      assert.deepEqual(
        (await store.failures.list({ siteId: 'b' })).map((f) => f.url),
        ['https://b.example/3'],
      );
      await store.failures.clear('https://a.example/1');
      assert.equal(await store.failures.get('https://a.example/1'), undefined);
      assert.equal((await store.failures.record(failure('2026-01-05T00:00:00.000Z'))).attempts, 1);
    });
  });

  describe('runs', () => {
    test('a run killed midway stays visible until it is dealt with', async () => {
      const store = subject.store;
      const killed = await store.runs.start('2026-01-01T00:00:00.000Z');
      assert.deepEqual(await store.runs.unfinished(), [
        { id: killed, startedAt: '2026-01-01T00:00:00.000Z', status: 'running' },
      ]);
      await store.runs.abandon(killed, '2026-01-01T01:00:00.000Z');
      assert.deepEqual(await store.runs.unfinished(), []);

      const run = await store.runs.start('2026-01-01T01:00:00.000Z');
      const summary = {
        finishedAt: '2026-01-01T01:00:09.000Z',
        newCount: 3,
        updated: 1,
        failed: 2,
        skipped: 0,
        commit: 'abc123',
        bytes: 4096,
      };
      await store.runs.finish(run, summary);
      const [last, previous] = await store.runs.last(5);
      assert.deepEqual(last, {
        id: run,
        startedAt: '2026-01-01T01:00:00.000Z',
        status: 'finished',
        ...summary,
      });
      assert.equal(previous.status, 'abandoned');
      assert.equal((await store.runs.last(1)).length, 1);
      await assert.rejects(store.runs.finish(run + 100, summary), isStoreError('unknown_run'));
    });
  });

  describe('images', () => {
    const image = {
      src: 'https://img.example/a.jpg',
      assetPath: 'assets/ab/abcdef.webp',
      sha256: 'abcdef',
      bytes: 1000,
      originalBytes: 5000,
      width: 800,
      height: 600,
      contentType: 'image/webp',
      savedAt: SEEN,
    };

    test('saved images are found by source and by content; a save clears the failure', async () => {
      const store = subject.store;
      assert.equal(await store.images.get(image.src), undefined);
      const first = await store.images.recordFailure(
        image.src,
        'timeout',
        'image timed out',
        '2026-01-01T00:00:00.000Z',
      );
      assert.equal(first.attempts, 1);
      const second = await store.images.recordFailure(
        image.src,
        'http_503',
        'busy',
        '2026-01-02T00:00:00.000Z',
      );
      assert.deepEqual(second, {
        src: image.src,
        code: 'http_503',
        message: 'busy',
        attempts: 2,
        firstAt: '2026-01-01T00:00:00.000Z',
        lastAt: '2026-01-02T00:00:00.000Z',
      });
      assert.deepEqual(await store.images.listFailed(), [second]);

      await store.images.save(image);
      assert.deepEqual(await store.images.get(image.src), image);
      assert.deepEqual(await store.images.listFailed(), []);
      const { width: _w, height: _h, ...unsized } = image;
      await store.images.save({ ...unsized, src: 'https://img.example/copy.jpg' });
      const copy = await store.images.get('https://img.example/copy.jpg');
      assert.equal(copy?.width, undefined);
      assert.ok(copy?.savedAt, 'savedAt defaults to now');
      assert.equal((await store.images.getBySha256('abcdef'))?.assetPath, image.assetPath);
    });
  });

  describe('remotes', () => {
    test('push state keeps the last success through failures', async () => {
      const store = subject.store;
      assert.equal(await store.remotes.state('origin'), undefined);
      await store.remotes.recordPush('origin', { at: '2026-01-01T00:00:00.000Z', ok: true, commit: 'c1' });
      await store.remotes.recordPush('origin', {
        at: '2026-01-02T00:00:00.000Z',
        ok: false,
        commit: 'c2',
        error: 'refused',
      });
      const down = await store.remotes.recordPush('origin', {
        at: '2026-01-03T00:00:00.000Z',
        ok: false,
        commit: 'c3',
        error: 'timed out',
      });
      assert.deepEqual(down, {
        remote: 'origin',
        lastAttemptAt: '2026-01-03T00:00:00.000Z',
        ok: false,
        commit: 'c3',
        error: 'timed out',
        lastSuccessAt: '2026-01-01T00:00:00.000Z',
        lastPushedCommit: 'c1',
        consecutiveFailures: 2,
      });
      const up = await store.remotes.recordPush('origin', {
        at: '2026-01-04T00:00:00.000Z',
        ok: true,
        commit: 'c3',
      });
      assert.equal(up.consecutiveFailures, 0);
      assert.equal(up.error, undefined);
      assert.equal(up.lastPushedCommit, 'c3');
      await store.remotes.recordPush('backup', { at: '2026-01-04T00:00:00.000Z', ok: true, commit: 'c3' });
      assert.deepEqual(
        (await store.remotes.states()).map((state) => state.remote),
        ['backup', 'origin'],
      );
      assert.deepEqual(await store.remotes.state('origin'), up);
    });
  });

  describe('views', () => {
    test('counts add up per path and day; top pages and views per day', async () => {
      const store = subject.store;
      await store.articles.save(article('n1', { homeChannel: 'world' }));
      await store.articles.save(article('n2', { homeChannel: 'china' }));
      await store.views.add([
        { path: 'pages/world/n1.md', day: '2026-01-01', count: 5 },
        { path: 'pages/china/n2.md', day: '2026-01-01', count: 2 },
        { path: 'pages/china/n2.md', day: '2026-01-02', count: 3 },
        { path: 'README.md', day: '2026-01-02', count: 1 },
      ]);
      await store.views.add([
        { path: 'pages/china/n2.md', day: '2026-01-02', count: 4 },
        { path: 'pages/china/n2.md', day: '2026-01-02', count: 1 },
      ]);

      assert.deepEqual(await store.views.top({ sinceDay: '2026-01-01', limit: 10 }), [
        {
          path: 'pages/china/n2.md',
          views: 10,
          siteId: 'epoch',
          id: 'n2',
          title: 'Title n2',
          channelId: 'china',
        },
        {
          path: 'pages/world/n1.md',
          views: 5,
          siteId: 'epoch',
          id: 'n1',
          title: 'Title n1',
          channelId: 'world',
        },
        { path: 'README.md', views: 1 },
      ]);
      assert.deepEqual(
        (await store.views.top({ sinceDay: '2026-01-02', limit: 10 })).map((page) => [page.path, page.views]),
        [
          ['pages/china/n2.md', 8],
          ['README.md', 1],
        ],
      );
      assert.deepEqual(
        (await store.views.top({ sinceDay: '2026-01-01', limit: 10, channelId: 'world' })).map(
          (page) => page.path,
        ),
        ['pages/world/n1.md'],
      );
      assert.deepEqual((await store.views.top({ sinceDay: '2026-01-01', limit: 1 })).length, 1);
      assert.deepEqual(await store.views.perDay({ sinceDay: '2025-12-01' }), [
        { day: '2026-01-01', views: 7 },
        { day: '2026-01-02', views: 9 },
      ]);
    });

    test('a bad row rejects the whole batch', async () => {
      const store = subject.store;
      await assert.rejects(
        store.views.add([
          { path: 'pages/world/n1.md', day: '2026-01-01', count: 1 },
          { path: 'pages/world/n1.md', day: '1 Jan 2026', count: 1 },
        ]),
        isStoreError('bad_day'),
      );
      await assert.rejects(
        store.views.add([{ path: 'pages/world/n1.md', day: '2026-01-01', count: -1 }]),
        isStoreError('bad_count'),
      );
      assert.deepEqual(await store.views.perDay({ sinceDay: '2026-01-01' }), []);
    });
  });

  describe('records of a fresh store', () => {
    test('every lookup of a fresh store finds nothing, and every list is empty', async () => {
      const store = subject.store;
      assert.equal(await store.failures.get('https://x.example/'), undefined);
      assert.deepEqual(await store.failures.list(), []);
      assert.deepEqual(await store.runs.last(5), []);
      assert.deepEqual(await store.runs.unfinished(), []);
      assert.equal(await store.images.getBySha256('abcdef'), undefined);
      assert.deepEqual(await store.images.listFailed(), []);
      assert.deepEqual(await store.remotes.states(), []);
      assert.deepEqual(await store.views.top({ sinceDay: '2000-01-01', limit: 10 }), []);
      assert.deepEqual(await store.views.perDay({ sinceDay: '2000-01-01' }), []);
      assert.equal(await store.articles.count(), 0);
      assert.deepEqual(await store.articles.listUnrendered(), []);
      const version = await store.schemaVersion();
      assert.ok(Number.isInteger(version) && version > 0, `schema version ${version}`);
    });

    test('a failure without a channel reads back without one; an image failure defaults to now', async () => {
      const store = subject.store;
      const recorded = await store.failures.record({
        url: 'https://x.example/1',
        siteId: 'epoch',
        code: 'timeout',
        message: 'timed out',
        retryable: true,
        at: SEEN,
      });
      assert.equal('channelId' in recorded, false);
      assert.deepEqual(await store.failures.get('https://x.example/1'), recorded);

      const before = Date.now();
      const failed = await store.images.recordFailure('https://img.example/x.jpg', 'timeout', 'slow');
      const at = Date.parse(failed.lastAt);
      assert.ok(at >= before - 1000 && at <= Date.now() + 1000, failed.lastAt);
      assert.equal(failed.firstAt, failed.lastAt);
    });
  });
}
