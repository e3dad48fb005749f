import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { openMemoryStore, openSqliteStore, type Store, StoreError } from '../../src/store/index.ts';
import { article, SEEN, tempStorePath } from './helpers.ts';

function isStoreError(code: string) {
  return (error: unknown) => error instanceof StoreError && error.code === code;
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

  describe('articles', () => {
    test('saveArticle: new, then unchanged, then updated when the content hash changes', async () => {
      assert.equal(await store.saveArticle(article('n1')), 'new');
      assert.equal(
        await store.saveArticle(article('n1', { updatedAt: '2026-01-11T00:00:00.000Z' })),
        'unchanged',
      );
      assert.equal(
        (await store.getArticle('epoch', 'n1'))?.updatedAt,
        SEEN,
        'an unchanged save writes nothing',
      );

      const later = '2026-01-12T00:00:00.000Z';
      const changed = article('n1', {
        title: 'Corrected title',
        contentHash: 'hash-2',
        author: 'Li',
        firstSeen: later,
        updatedAt: later,
      });
      assert.equal(await store.saveArticle(changed), 'updated');
      const stored = await store.getArticle('epoch', 'n1');
      assert.deepEqual(stored, { ...changed, firstSeen: SEEN }, 'every field rewritten but firstSeen');
      assert.equal(await store.countArticles(), 1);
    });

    test('a retraction or a move to another page is an update', async () => {
      await store.saveArticle(article('n1'));
      assert.equal(
        await store.saveArticle(article('n1', { retractedAt: '2026-02-01T00:00:00.000Z' })),
        'updated',
      );
      assert.equal((await store.getArticle('epoch', 'n1'))?.retractedAt, '2026-02-01T00:00:00.000Z');
      assert.equal(
        await store.saveArticle(article('n1', { pagePath: 'pages/world/2026-01/n1.md' })),
        'updated',
      );
      assert.equal(await store.hasPage('pages/world/2026-01/n1.md'), true);
      assert.equal(await store.hasPage('pages/world/n1.md'), false);
    });

    test('the same article from two URLs and two channels is one row, found by every URL', async () => {
      const fetched = 'https://news.example/gb/n1.htm';
      const canonical = 'https://www.news.example/gb/n1.htm';
      const listed = 'https://m.news.example/gb/n1.htm';
      await store.saveArticle(article('n1', { url: fetched, canonicalUrl: canonical }));
      await store.addArticleUrl(listed, 'epoch', 'n1');
      // Fetched again through the listing URL of another channel: still the same (siteId, id).
      assert.equal(
        await store.saveArticle(article('n1', { url: listed, canonicalUrl: canonical })),
        'unchanged',
      );
      assert.equal(await store.addMembership('epoch', 'n1', 'world', SEEN), true);
      assert.equal(await store.addMembership('epoch', 'n1', 'china', SEEN), true);

      assert.equal(await store.countArticles(), 1);
      for (const url of [fetched, canonical, listed]) {
        assert.equal((await store.getArticleByUrl(url))?.id, 'n1', url);
        assert.equal(await store.pagePathForUrl(url), 'pages/world/n1.md', url);
      }
      assert.equal(await store.getArticleByUrl('https://news.example/gb/n2.htm'), undefined);
      assert.equal(await store.pagePathForUrl('https://elsewhere.example/'), undefined);
      assert.equal((await store.getArticleByPath('pages/world/n1.md'))?.id, 'n1');
      assert.deepEqual(
        (await store.listArticles({ channelId: 'china' })).map((a) => a.id),
        ['n1'],
      );
    });

    test('a page path belongs to one article', async () => {
      await store.saveArticle(article('n1'));
      await assert.rejects(
        store.saveArticle(article('n2', { pagePath: 'pages/world/n1.md' })),
        (error: unknown) => {
          assert.ok(isStoreError('page_path_taken')(error));
          assert.match(
            (error as Error).message,
            /n2 at pages\/world\/n1\.md: that page belongs to epoch\/n1/,
          );
          return true;
        },
      );
      assert.equal(await store.getArticle('epoch', 'n2'), undefined);
      assert.equal(await store.countArticles(), 1);
    });

    test('URLs and memberships of an unknown article are refused, not invented', async () => {
      await assert.rejects(
        store.addArticleUrl('https://x.example/', 'epoch', 'nope'),
        isStoreError('unknown_article'),
      );
      await assert.rejects(store.addMembership('epoch', 'nope', 'world', SEEN), (error: unknown) => {
        assert.ok(isStoreError('unknown_article')(error));
        assert.equal((error as StoreError).retryable, false);
        assert.match((error as Error).message, /epoch\/nope is not stored/);
        return true;
      });
    });

    test('a URL moves to the article it was last given for', async () => {
      await store.saveArticle(article('n1'));
      await store.saveArticle(article('n2'));
      await store.addArticleUrl('https://news.example/latest', 'epoch', 'n1');
      await store.addArticleUrl('https://news.example/latest', 'epoch', 'n2');
      assert.equal((await store.getArticleByUrl('https://news.example/latest'))?.id, 'n2');
    });

    test('new and updated articles wait for a render until marked', async () => {
      await store.saveArticle(article('n1'));
      await store.saveArticle(article('n2'));
      assert.deepEqual(await store.listUnrendered(), [
        { siteId: 'epoch', id: 'n1' },
        { siteId: 'epoch', id: 'n2' },
      ]);
      await store.markRendered([
        { siteId: 'epoch', id: 'n1' },
        { siteId: 'epoch', id: 'n2' },
      ]);
      assert.deepEqual(await store.listUnrendered(), []);
      await store.saveArticle(article('n1'));
      assert.deepEqual(await store.listUnrendered(), [], 'an unchanged save needs no render');
      await store.saveArticle(article('n1', { contentHash: 'other' }));
      assert.deepEqual(await store.listUnrendered(), [{ siteId: 'epoch', id: 'n1' }]);
    });

    test('source signals remember what a listing said', async () => {
      const url = 'https://news.example/gb/n1.htm';
      assert.equal(await store.getSourceSignal(url), undefined);
      await store.saveSourceSignal(url, { title: 'Listed', published: '2026-01-01' });
      await store.saveSourceSignal(url, { title: 'Listed again' });
      assert.deepEqual(await store.getSourceSignal(url), { title: 'Listed again' });
    });

    test('allArticles reads every article in first-seen order, across batches', async () => {
      const total = 450; // more than two batches of the iterator
      await store.transaction(async () => {
        for (let i = 0; i < total; i++) await store.saveArticle(article(`n${i}`));
      });
      const ids: string[] = [];
      for await (const record of store.allArticles()) ids.push(record.id);
      assert.equal(ids.length, total);
      assert.deepEqual(
        ids,
        Array.from({ length: total }, (_, i) => `n${i}`),
      );
    });
  });

  describe('channels', () => {
    test('membership is idempotent; counts follow; the home channel comes first', async () => {
      await store.saveArticle(article('n1', { homeChannel: 'world' }));
      assert.equal(await store.addMembership('epoch', 'n1', 'china', '2026-01-01T00:00:00.000Z'), true);
      assert.equal(await store.addMembership('epoch', 'n1', 'world', '2026-01-02T00:00:00.000Z'), true);
      assert.equal(await store.addMembership('epoch', 'n1', 'china', '2026-01-03T00:00:00.000Z'), false);
      assert.equal(await store.addMembership('epoch', 'n1', 'world', '2026-01-03T00:00:00.000Z'), false);
      assert.deepEqual(await store.channelsOf('epoch', 'n1'), ['world', 'china']);
      assert.equal(await store.countArticles('china'), 1);
      assert.equal(await store.countArticles('world'), 1);
      assert.equal(await store.countArticles('nowhere'), 0);
      assert.equal((await store.listChannelEntries('china', { limit: 10 })).length, 1);
    });

    test('entries page newest first: by published time, undated or future-dated by first seen', async () => {
      const day = (n: number) => `2026-01-${String(n).padStart(2, '0')}T00:00:00.000Z`;
      const records = [
        article('a', { published: day(3), firstSeen: day(3) }),
        article('b', { published: day(1), firstSeen: day(5) }), // published long before it was seen
        article('c', { firstSeen: day(4) }), // no date from the publisher
        article('d', { published: '2099-01-01T00:00:00.000Z', firstSeen: day(2) }), // wrong clock: seen on day 2
        article('e', { published: '2026-01-06T08:00:00+08:00', firstSeen: day(7) }), // 00:00Z on day 6
        article('f', { published: 'not a date', firstSeen: day(6) }),
      ];
      for (const record of records) {
        await store.saveArticle(record);
        await store.addMembership('epoch', record.id, 'world', record.firstSeen);
      }
      // e and f both sort at day 6, 00:00Z: the tie goes to the one seen later (f was saved after e).
      const expected = ['f', 'e', 'c', 'a', 'd', 'b'];
      const all = await store.listChannelEntries('world', { limit: 100 });
      assert.deepEqual(
        all.map((entry) => entry.id),
        expected,
      );
      assert.deepEqual(
        (await store.listArticles()).map((a) => a.id),
        expected,
      );
      assert.deepEqual(
        (await store.listNewest(3)).map((entry) => entry.id),
        expected.slice(0, 3),
      );

      const pages: string[] = [];
      for (let offset = 0; offset < records.length; offset += 4) {
        const page = await store.listChannelEntries('world', { limit: 4, offset });
        pages.push(...page.map((entry) => entry.id));
      }
      assert.deepEqual(pages, expected, 'pages join up without gaps or repeats');
      assert.deepEqual(
        (await store.listArticles({ channelId: 'world', limit: 2, offset: 2 })).map((a) => a.id),
        ['c', 'a'],
      );

      const first = all.find((entry) => entry.id === 'e');
      assert.deepEqual(first, {
        siteId: 'epoch',
        id: 'e',
        title: 'Title e',
        path: 'pages/world/e.md',
        published: '2026-01-06T08:00:00+08:00',
        firstSeen: day(7),
        channelId: 'world',
        homeChannel: 'world',
      });
    });

    test('an update that corrects the date moves the article in every channel it is listed in', async () => {
      await store.saveArticle(article('old', { published: '2026-01-01T00:00:00.000Z' }));
      await store.saveArticle(article('new', { published: '2026-01-02T00:00:00.000Z' }));
      for (const id of ['old', 'new']) await store.addMembership('epoch', id, 'china', SEEN);
      assert.deepEqual(
        (await store.listChannelEntries('china', { limit: 5 })).map((entry) => entry.id),
        ['new', 'old'],
      );
      await store.saveArticle(
        article('old', { published: '2026-01-03T00:00:00.000Z', contentHash: 'fixed' }),
      );
      assert.deepEqual(
        (await store.listChannelEntries('china', { limit: 5 })).map((entry) => entry.id),
        ['old', 'new'],
      );
    });

    test('entries of a channel list the page in its home channel', async () => {
      await store.saveArticle(article('n1', { homeChannel: 'world' }));
      await store.addMembership('epoch', 'n1', 'china', SEEN);
      const [entry] = await store.listChannelEntries('china', { limit: 1 });
      assert.equal(entry.channelId, 'china');
      assert.equal(entry.homeChannel, 'world');
      assert.equal(entry.path, 'pages/world/n1.md');
    });
  });

  describe('fetch cache', () => {
    test('validators are saved, replaced and read back by URL', async () => {
      const url = 'https://news.example/gb/list.htm';
      assert.equal(await store.getValidators(url), undefined);
      await store.saveValidators(url, { etag: '"v1"', lastModified: 'Tue, 06 Jan 2026 00:00:00 GMT' });
      assert.deepEqual(await store.getValidators(url), {
        etag: '"v1"',
        lastModified: 'Tue, 06 Jan 2026 00:00:00 GMT',
      });
      await store.saveValidators(url, { etag: '"v2"', contentHash: 'abc' });
      assert.deepEqual(await store.getValidators(url), { etag: '"v2"', contentHash: 'abc' });
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
      assert.equal((await store.recordFailure(failure('2026-01-01T00:00:00.000Z'))).attempts, 1);
      assert.equal((await store.recordFailure(failure('2026-01-02T00:00:00.000Z'))).attempts, 2);
      const third = await store.recordFailure(failure('2026-01-03T00:00:00.000Z', 'http_404', false));
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
      assert.deepEqual(await store.failureFor('https://news.example/gb/n9.htm'), third);
    });

    test('listing filters retryable ones and by site; clearing forgets', async () => {
      await store.recordFailure({ ...failure('2026-01-01T00:00:00.000Z'), url: 'https://a.example/1' });
      await store.recordFailure({
        ...failure('2026-01-02T00:00:00.000Z', 'not_article', false),
        url: 'https://a.example/2',
      });
      await store.recordFailure({
        ...failure('2026-01-03T00:00:00.000Z'),
        url: 'https://b.example/3',
        siteId: 'b',
      });
      assert.deepEqual(
        (await store.listFailures()).map((f) => f.url),
        ['https://a.example/1', 'https://a.example/2', 'https://b.example/3'],
      );
      assert.deepEqual(
        (await store.listFailures({ retryableOnly: true })).map((f) => f.url),
        ['https://a.example/1', 'https://b.example/3'],
      );
      assert.deepEqual(
        (await store.listFailures({ siteId: 'b' })).map((f) => f.url),
        ['https://b.example/3'],
      );
      await store.clearFailure('https://a.example/1');
      assert.equal(await store.failureFor('https://a.example/1'), undefined);
      assert.equal((await store.recordFailure(failure('2026-01-05T00:00:00.000Z'))).attempts, 1);
    });
  });

  describe('runs', () => {
    test('a run killed midway stays visible until it is dealt with', async () => {
      const killed = await store.startRun('2026-01-01T00:00:00.000Z');
      assert.deepEqual(await store.unfinishedRuns(), [
        { id: killed, startedAt: '2026-01-01T00:00:00.000Z', status: 'running' },
      ]);
      await store.abandonRun(killed, '2026-01-01T01:00:00.000Z');
      assert.deepEqual(await store.unfinishedRuns(), []);

      const run = await store.startRun('2026-01-01T01:00:00.000Z');
      const summary = {
        finishedAt: '2026-01-01T01:00:09.000Z',
        newCount: 3,
        updated: 1,
        failed: 2,
        skipped: 0,
        commit: 'abc123',
        bytes: 4096,
      };
      await store.finishRun(run, summary);
      const [last, previous] = await store.lastRuns(5);
      assert.deepEqual(last, {
        id: run,
        startedAt: '2026-01-01T01:00:00.000Z',
        status: 'finished',
        ...summary,
      });
      assert.equal(previous.status, 'abandoned');
      assert.equal((await store.lastRuns(1)).length, 1);
      await assert.rejects(store.finishRun(run + 100, summary), isStoreError('unknown_run'));
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
      assert.equal(await store.getImage(image.src), undefined);
      const first = await store.recordImageFailure(
        image.src,
        'timeout',
        'image timed out',
        '2026-01-01T00:00:00.000Z',
      );
      assert.equal(first.attempts, 1);
      const second = await store.recordImageFailure(
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
      assert.deepEqual(await store.listFailedImages(), [second]);

      await store.saveImage(image);
      assert.deepEqual(await store.getImage(image.src), image);
      assert.deepEqual(await store.listFailedImages(), []);
      const { width: _w, height: _h, ...unsized } = image;
      await store.saveImage({ ...unsized, src: 'https://img.example/copy.jpg' });
      const copy = await store.getImage('https://img.example/copy.jpg');
      assert.equal(copy?.width, undefined);
      assert.ok(copy?.savedAt, 'savedAt defaults to now');
      assert.equal((await store.getImageBySha256('abcdef'))?.assetPath, image.assetPath);
    });
  });

  describe('remotes', () => {
    test('push state keeps the last success through failures', async () => {
      assert.equal(await store.pushState('origin'), undefined);
      await store.recordPush('origin', { at: '2026-01-01T00:00:00.000Z', ok: true, commit: 'c1' });
      await store.recordPush('origin', {
        at: '2026-01-02T00:00:00.000Z',
        ok: false,
        commit: 'c2',
        error: 'refused',
      });
      const down = await store.recordPush('origin', {
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
      const up = await store.recordPush('origin', { at: '2026-01-04T00:00:00.000Z', ok: true, commit: 'c3' });
      assert.equal(up.consecutiveFailures, 0);
      assert.equal(up.error, undefined);
      assert.equal(up.lastPushedCommit, 'c3');
      await store.recordPush('backup', { at: '2026-01-04T00:00:00.000Z', ok: true, commit: 'c3' });
      assert.deepEqual(
        (await store.pushStates()).map((state) => state.remote),
        ['backup', 'origin'],
      );
      assert.deepEqual(await store.pushState('origin'), up);
    });
  });

  describe('views', () => {
    test('counts add up per path and day; top pages and views per day', async () => {
      await store.saveArticle(article('n1', { homeChannel: 'world' }));
      await store.saveArticle(article('n2', { homeChannel: 'china' }));
      await store.addViews([
        { path: 'pages/world/n1.md', day: '2026-01-01', count: 5 },
        { path: 'pages/china/n2.md', day: '2026-01-01', count: 2 },
        { path: 'pages/china/n2.md', day: '2026-01-02', count: 3 },
        { path: 'README.md', day: '2026-01-02', count: 1 },
      ]);
      await store.addViews([
        { path: 'pages/china/n2.md', day: '2026-01-02', count: 4 },
        { path: 'pages/china/n2.md', day: '2026-01-02', count: 1 },
      ]);

      assert.deepEqual(await store.topPages({ sinceDay: '2026-01-01', limit: 10 }), [
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
        (await store.topPages({ sinceDay: '2026-01-02', limit: 10 })).map((page) => [page.path, page.views]),
        [
          ['pages/china/n2.md', 8],
          ['README.md', 1],
        ],
      );
      assert.deepEqual(
        (await store.topPages({ sinceDay: '2026-01-01', limit: 10, channelId: 'world' })).map(
          (page) => page.path,
        ),
        ['pages/world/n1.md'],
      );
      assert.deepEqual((await store.topPages({ sinceDay: '2026-01-01', limit: 1 })).length, 1);
      assert.deepEqual(await store.viewsPerDay({ sinceDay: '2025-12-01' }), [
        { day: '2026-01-01', views: 7 },
        { day: '2026-01-02', views: 9 },
      ]);
    });

    test('a bad row rejects the whole batch', async () => {
      await assert.rejects(
        store.addViews([
          { path: 'pages/world/n1.md', day: '2026-01-01', count: 1 },
          { path: 'pages/world/n1.md', day: '1 Jan 2026', count: 1 },
        ]),
        isStoreError('bad_day'),
      );
      await assert.rejects(
        store.addViews([{ path: 'pages/world/n1.md', day: '2026-01-01', count: -1 }]),
        isStoreError('bad_count'),
      );
      assert.deepEqual(await store.viewsPerDay({ sinceDay: '2026-01-01' }), []);
    });
  });

  describe('transactions', () => {
    test('writes inside commit together, or not at all when the function throws', async () => {
      await store.transaction(async () => {
        await store.saveArticle(article('n1'));
        await store.addMembership('epoch', 'n1', 'world', SEEN);
      });
      await assert.rejects(
        store.transaction(async () => {
          await store.saveArticle(article('n2'));
          await store.addMembership('epoch', 'n2', 'world', SEEN);
          await store.recordFailure({
            url: 'https://x.example/',
            siteId: 'epoch',
            code: 'x',
            message: 'x',
            retryable: true,
            at: SEEN,
          });
          throw new Error('render failed');
        }),
        /render failed/,
      );
      assert.equal(await store.getArticle('epoch', 'n2'), undefined);
      assert.equal(await store.countArticles('world'), 1);
      assert.equal(await store.countArticles(), 1);
      assert.deepEqual(await store.listFailures(), []);
    });

    test('calls from outside wait for the transaction, and see its result', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const order: string[] = [];
      const transaction = store.transaction(async () => {
        await store.saveArticle(article('n1'));
        order.push('saved');
        await gate;
        order.push('committing');
      });
      const outside = store.getArticle('epoch', 'n1').then((found) => {
        order.push('outside read');
        return found;
      });
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(order, ['saved'], 'the outside read waits while the transaction is open');
      release();
      await transaction;
      assert.equal((await outside)?.id, 'n1');
      assert.deepEqual(order, ['saved', 'committing', 'outside read']);
    });

    test('a second transaction waits for the first', async () => {
      const order: string[] = [];
      const first = store.transaction(async () => {
        order.push('first begins');
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push('first ends');
      });
      const second = store.transaction(async () => {
        order.push('second');
      });
      await Promise.all([first, second]);
      assert.deepEqual(order, ['first begins', 'first ends', 'second']);
    });

    test('a nested transaction that fails undoes only its own writes', async () => {
      await store.transaction(async () => {
        await store.saveArticle(article('outer'));
        await assert.rejects(
          store.transaction(async () => {
            await store.saveArticle(article('inner'));
            throw new Error('inner failed');
          }),
          /inner failed/,
        );
        const kept = await store.transaction(async () => store.saveArticle(article('inner-ok')));
        assert.equal(kept, 'new');
      });
      assert.ok(await store.getArticle('epoch', 'outer'));
      assert.equal(await store.getArticle('epoch', 'inner'), undefined);
      assert.ok(await store.getArticle('epoch', 'inner-ok'));
    });
  });

  test('two stores on one file see each other (a run and serve)', async () => {
    const other = await openSqliteStore(path);
    try {
      await store.saveArticle(article('n1'));
      assert.equal((await other.getArticle('epoch', 'n1'))?.title, 'Title n1');
      await other.addViews([{ path: 'pages/world/n1.md', day: '2026-01-01', count: 1 }]);
      assert.deepEqual(await store.viewsPerDay({ sinceDay: '2026-01-01' }), [
        { day: '2026-01-01', views: 1 },
      ]);
    } finally {
      await other.close();
    }
  });

  test('calls after close fail clearly', async () => {
    const closing = await openSqliteStore(path);
    await closing.close();
    await assert.rejects(closing.getArticle('epoch', 'n1'), (error: unknown) => {
      assert.ok(isStoreError('store_closed')(error));
      assert.match((error as Error).message, /after close/);
      return true;
    });
    await closing.close(); // closing twice is harmless
  });
});

describe('in-memory store', () => {
  test('works and is private to its opener', async () => {
    const first = await openMemoryStore();
    const second = await openSqliteStore(':memory:');
    await first.saveArticle(article('n1'));
    assert.equal(await first.countArticles(), 1);
    assert.equal(await second.countArticles(), 0);
    await first.close();
    await second.close();
  });

  test('a file that cannot be opened gives an error naming it', async () => {
    const { path, cleanup } = tempStorePath();
    try {
      // The folder exists as a directory where the file should be.
      const { mkdirSync } = await import('node:fs');
      mkdirSync(path, { recursive: true });
      await assert.rejects(openSqliteStore(path), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.ok(error.message.includes(path));
        return true;
      });
    } finally {
      cleanup();
    }
  });
});
