// Contract: the articles port.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoreError } from '../../../src/store/index.ts';
import { article, SEEN } from '../helpers.ts';
import { isStoreError, type Subject } from './helpers.ts';

export function articlesContract(subject: Subject): void {
  describe('articles', () => {
    test('save: new, then unchanged, then updated when the content hash changes', async () => {
      const store = subject.store;
      assert.equal(await store.articles.save(article('n1')), 'new');
      assert.equal(
        await store.articles.save(article('n1', { updatedAt: '2026-01-11T00:00:00.000Z' })),
        'unchanged',
      );
      assert.equal(
        (await store.articles.get('epoch', 'n1'))?.updatedAt,
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
      assert.equal(await store.articles.save(changed), 'updated');
      const stored = await store.articles.get('epoch', 'n1');
      assert.deepEqual(stored, { ...changed, firstSeen: SEEN }, 'every field rewritten but firstSeen');
      assert.equal(await store.articles.count(), 1);
    });

    test('a retraction or a move to another page is an update', async () => {
      const store = subject.store;
      await store.articles.save(article('n1'));
      assert.equal(
        await store.articles.save(article('n1', { retractedAt: '2026-02-01T00:00:00.000Z' })),
        'updated',
      );
      assert.equal((await store.articles.get('epoch', 'n1'))?.retractedAt, '2026-02-01T00:00:00.000Z');
      assert.equal(
        await store.articles.save(article('n1', { pagePath: 'pages/world/2026-01/n1.md' })),
        'updated',
      );
      assert.equal(await store.articles.hasPage('pages/world/2026-01/n1.md'), true);
      assert.equal(await store.articles.hasPage('pages/world/n1.md'), false);
    });

    test('the same article from two URLs and two channels is one row, found by every URL', async () => {
      const store = subject.store;
      const fetched = 'https://news.example/gb/n1.htm';
      const canonical = 'https://www.news.example/gb/n1.htm';
      const listed = 'https://m.news.example/gb/n1.htm';
      await store.articles.save(article('n1', { url: fetched, canonicalUrl: canonical }));
      await store.articles.addUrl(listed, 'epoch', 'n1');
      // Fetched again through the listing URL of another channel: still the same (siteId, id).
      assert.equal(
        await store.articles.save(article('n1', { url: listed, canonicalUrl: canonical })),
        'unchanged',
      );
      assert.equal(await store.channels.addMembership('epoch', 'n1', 'world', SEEN), true);
      assert.equal(await store.channels.addMembership('epoch', 'n1', 'china', SEEN), true);

      assert.equal(await store.articles.count(), 1);
      for (const url of [fetched, canonical, listed]) {
        assert.equal((await store.articles.getByUrl(url))?.id, 'n1', url);
        assert.equal(await store.articles.pagePathForUrl(url), 'pages/world/n1.md', url);
      }
      assert.equal(await store.articles.getByUrl('https://news.example/gb/n2.htm'), undefined);
      assert.equal(await store.articles.pagePathForUrl('https://elsewhere.example/'), undefined);
      assert.equal((await store.articles.getByPath('pages/world/n1.md'))?.id, 'n1');
      assert.deepEqual(
        (await store.articles.list({ channelId: 'china' })).map((a) => a.id),
        ['n1'],
      );
    });

    test('a page path belongs to one article', async () => {
      const store = subject.store;
      await store.articles.save(article('n1'));
      await assert.rejects(
        store.articles.save(article('n2', { pagePath: 'pages/world/n1.md' })),
        (error: unknown) => {
          assert.ok(isStoreError('page_path_taken')(error));
          assert.match(
            (error as Error).message,
            /n2 at pages\/world\/n1\.md: that page belongs to epoch\/n1/,
          );
          return true;
        },
      );
      assert.equal(await store.articles.get('epoch', 'n2'), undefined);
      assert.equal(await store.articles.count(), 1);
    });

    test('URLs and memberships of an unknown article are refused, not invented', async () => {
      const store = subject.store;
      await assert.rejects(
        store.articles.addUrl('https://x.example/', 'epoch', 'nope'),
        isStoreError('unknown_article'),
      );
      await assert.rejects(store.channels.addMembership('epoch', 'nope', 'world', SEEN), (error: unknown) => {
        assert.ok(isStoreError('unknown_article')(error));
        assert.equal((error as StoreError).retryable, false);
        assert.match((error as Error).message, /epoch\/nope is not stored/);
        return true;
      });
    });

    test('a URL moves to the article it was last given for', async () => {
      const store = subject.store;
      await store.articles.save(article('n1'));
      await store.articles.save(article('n2'));
      await store.articles.addUrl('https://news.example/latest', 'epoch', 'n1');
      await store.articles.addUrl('https://news.example/latest', 'epoch', 'n2');
      assert.equal((await store.articles.getByUrl('https://news.example/latest'))?.id, 'n2');
    });

    test('new and updated articles wait for a render until marked', async () => {
      const store = subject.store;
      await store.articles.save(article('n1'));
      await store.articles.save(article('n2'));
      assert.deepEqual(await store.articles.listUnrendered(), [
        { siteId: 'epoch', id: 'n1' },
        { siteId: 'epoch', id: 'n2' },
      ]);
      await store.articles.markRendered([
        { siteId: 'epoch', id: 'n1' },
        { siteId: 'epoch', id: 'n2' },
      ]);
      assert.deepEqual(await store.articles.listUnrendered(), []);
      await store.articles.save(article('n1'));
      assert.deepEqual(await store.articles.listUnrendered(), [], 'an unchanged save needs no render');
      await store.articles.save(article('n1', { contentHash: 'other' }));
      assert.deepEqual(await store.articles.listUnrendered(), [{ siteId: 'epoch', id: 'n1' }]);
    });

    test('all reads every article in first-seen order, across batches', async () => {
      const store = subject.store;
      const total = 450; // more than two batches of the SQLite iterator; any backend must page without gaps
      await store.transaction(async (tx) => {
        for (let i = 0; i < total; i++) await tx.articles.save(article(`n${i}`));
      });
      const ids: string[] = [];
      for await (const record of store.articles.all()) ids.push(record.id);
      assert.equal(ids.length, total);
      assert.deepEqual(
        ids,
        Array.from({ length: total }, (_, i) => `n${i}`),
      );
    });

    test('all yields nothing from an empty store', async () => {
      const records: unknown[] = [];
      for await (const record of subject.store.articles.all()) records.push(record);
      assert.deepEqual(records, []);
    });

    test('optional fields absent on save read back absent, not null', async () => {
      const store = subject.store;
      const full = article('n1', {
        canonicalUrl: 'https://www.news.example/gb/n1.htm',
        author: 'Li',
        published: '2026-01-09T00:00:00.000Z',
        lang: 'zh-Hans',
      });
      await store.articles.save(full);
      await store.articles.save(article('n2'));
      assert.deepEqual(await store.articles.get('epoch', 'n1'), full);
      const bare = await store.articles.get('epoch', 'n2');
      assert.deepEqual(bare, article('n2'));
      for (const field of ['canonicalUrl', 'author', 'published', 'lang', 'retractedAt'] as const) {
        assert.equal(field in (bare ?? {}), false, field);
      }
      assert.equal(await store.articles.get('other-site', 'n1'), undefined, 'the key is (siteId, id)');
    });

    test('list pages with an offset and no limit, and counts an empty channel as 0', async () => {
      const store = subject.store;
      const day = (n: number) => `2026-01-0${n}T00:00:00.000Z`;
      for (let n = 1; n <= 5; n++) await store.articles.save(article(`a${n}`, { published: day(n) }));
      assert.deepEqual(
        (await store.articles.list({ offset: 3 })).map((a) => a.id),
        ['a2', 'a1'],
      );
      assert.deepEqual(
        (await store.articles.list({ limit: 2 })).map((a) => a.id),
        ['a5', 'a4'],
      );
      assert.deepEqual(await store.articles.list({ channelId: 'world' }), [], 'listed in no channel yet');
      assert.equal(await store.articles.count('world'), 0);
      assert.equal(await store.articles.count(), 5);
    });

    test('listNewest gives index entries whose channel is the home channel', async () => {
      const store = subject.store;
      await store.articles.save(
        article('n1', { homeChannel: 'china', published: '2026-01-01T00:00:00.000Z' }),
      );
      await store.articles.save(article('n2', { published: '2026-01-02T00:00:00.000Z' }));
      await store.channels.addMembership('epoch', 'n1', 'world', SEEN);
      assert.deepEqual(await store.articles.listNewest(5), [
        {
          siteId: 'epoch',
          id: 'n2',
          title: 'Title n2',
          path: 'pages/world/n2.md',
          published: '2026-01-02T00:00:00.000Z',
          firstSeen: SEEN,
          channelId: 'world',
          homeChannel: 'world',
        },
        {
          siteId: 'epoch',
          id: 'n1',
          title: 'Title n1',
          path: 'pages/china/n1.md',
          published: '2026-01-01T00:00:00.000Z',
          firstSeen: SEEN,
          channelId: 'china',
          homeChannel: 'china',
        },
      ]);
      assert.equal((await store.articles.listNewest(1)).length, 1);
    });

    test('listToRevisit: young articles not checked since a time, newest first; markChecked moves them out', async () => {
      const store = subject.store;
      // SEEN is 2026-01-10T08:00Z: n-old was published long before, n-young and n-undated sort at or near SEEN.
      await store.articles.save(article('n-old', { published: '2025-12-01T00:00:00.000Z' }));
      await store.articles.save(article('n-young', { published: '2026-01-09T00:00:00.000Z' }));
      await store.articles.save(article('n-undated'));
      const ids = async (checkedBefore: string, limit = 10) =>
        (await store.articles.listToRevisit({ since: '2026-01-07T00:00:00.000Z', checkedBefore, limit })).map(
          (record) => record.id,
        );
      // Never checked: the last save (updatedAt = SEEN) counts as the check.
      assert.deepEqual(await ids('2026-01-10T07:00:00.000Z'), [], 'saved after checkedBefore: not due');
      assert.deepEqual(await ids('2026-01-10T09:00:00.000Z'), ['n-undated', 'n-young']);
      assert.deepEqual(await ids('2026-01-10T09:00:00.000Z', 1), ['n-undated']);
      await store.articles.markChecked('epoch', 'n-undated', '2026-01-10T12:00:00.000Z');
      assert.deepEqual(await ids('2026-01-10T09:00:00.000Z'), ['n-young']);
      assert.deepEqual(await ids('2026-01-10T13:00:00.000Z'), ['n-undated', 'n-young']);
      const record = (
        await store.articles.listToRevisit({
          since: '2026-01-07T00:00:00.000Z',
          checkedBefore: '2026-01-10T13:00:00.000Z',
          limit: 1,
        })
      )[0];
      assert.deepEqual(record, await store.articles.get('epoch', 'n-undated'), 'whole records');
      // Checking an article that is not stored is a no-op, not an error (it may have gone meanwhile).
      await store.articles.markChecked('epoch', 'nope', '2026-01-10T12:00:00.000Z');
    });
  });
}
