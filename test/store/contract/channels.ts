// Contract: which channels list which articles, what each page refers to, what listings said.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { article, SEEN } from '../helpers.ts';
import { isStoreError, type Subject } from './helpers.ts';

export function channelsContract(subject: Subject): void {
  describe('channels', () => {
    test('membership is idempotent; counts follow; the home channel comes first', async () => {
      const store = subject.store;
      await store.articles.save(article('n1', { homeChannel: 'world' }));
      assert.equal(
        await store.channels.addMembership('epoch', 'n1', 'china', '2026-01-01T00:00:00.000Z'),
        true,
      );
      assert.equal(
        await store.channels.addMembership('epoch', 'n1', 'world', '2026-01-02T00:00:00.000Z'),
        true,
      );
      assert.equal(
        await store.channels.addMembership('epoch', 'n1', 'china', '2026-01-03T00:00:00.000Z'),
        false,
      );
      assert.equal(
        await store.channels.addMembership('epoch', 'n1', 'world', '2026-01-03T00:00:00.000Z'),
        false,
      );
      assert.deepEqual(await store.channels.of('epoch', 'n1'), ['world', 'china']);
      assert.equal(await store.articles.count('china'), 1);
      assert.equal(await store.articles.count('world'), 1);
      assert.equal(await store.articles.count('nowhere'), 0);
      assert.equal((await store.channels.entries('china', { limit: 10 })).length, 1);
    });

    test('entries page newest first: by published time, undated or future-dated by first seen', async () => {
      const store = subject.store;
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
        await store.articles.save(record);
        await store.channels.addMembership('epoch', record.id, 'world', record.firstSeen);
      }
      // e and f both sort at day 6, 00:00Z: the tie goes to the one seen later (f was saved after e).
      const expected = ['f', 'e', 'c', 'a', 'd', 'b'];
      const all = await store.channels.entries('world', { limit: 100 });
      assert.deepEqual(
        all.map((entry) => entry.id),
        expected,
      );
      assert.deepEqual(
        (await store.articles.list()).map((a) => a.id),
        expected,
      );
      assert.deepEqual(
        (await store.articles.listNewest(3)).map((entry) => entry.id),
        expected.slice(0, 3),
      );

      const pages: string[] = [];
      for (let offset = 0; offset < records.length; offset += 4) {
        const page = await store.channels.entries('world', { limit: 4, offset });
        pages.push(...page.map((entry) => entry.id));
      }
      assert.deepEqual(pages, expected, 'pages join up without gaps or repeats');
      assert.deepEqual(
        (await store.articles.list({ channelId: 'world', limit: 2, offset: 2 })).map((a) => a.id),
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
      const store = subject.store;
      await store.articles.save(article('old', { published: '2026-01-01T00:00:00.000Z' }));
      await store.articles.save(article('new', { published: '2026-01-02T00:00:00.000Z' }));
      for (const id of ['old', 'new']) await store.channels.addMembership('epoch', id, 'china', SEEN);
      assert.deepEqual(
        (await store.channels.entries('china', { limit: 5 })).map((entry) => entry.id),
        ['new', 'old'],
      );
      await store.articles.save(
        article('old', { published: '2026-01-03T00:00:00.000Z', contentHash: 'fixed' }),
      );
      assert.deepEqual(
        (await store.channels.entries('china', { limit: 5 })).map((entry) => entry.id),
        ['old', 'new'],
      );
    });

    test('entries of a channel list the page in its home channel', async () => {
      const store = subject.store;
      await store.articles.save(article('n1', { homeChannel: 'world' }));
      await store.channels.addMembership('epoch', 'n1', 'china', SEEN);
      const [entry] = await store.channels.entries('china', { limit: 1 });
      assert.equal(entry.channelId, 'china');
      assert.equal(entry.homeChannel, 'world');
      assert.equal(entry.path, 'pages/world/n1.md');
    });

    test('entries without a limit give the whole channel', async () => {
      const store = subject.store;
      for (const id of ['n1', 'n2', 'n3']) {
        await store.articles.save(article(id));
        await store.channels.addMembership('epoch', id, 'world', SEEN);
      }
      assert.equal((await store.channels.entries('world', {})).length, 3);
      assert.deepEqual(await store.channels.entries('nowhere', {}), []);
      assert.deepEqual(await store.channels.of('epoch', 'nope'), []);
    });
  });

  describe('page references', () => {
    test('pages showing an image or linking to a URL are found; re-recording replaces the old ones', async () => {
      const store = subject.store;
      await store.articles.save(article('n1'));
      await store.articles.save(article('n2'));
      await store.pageRefs.save('epoch', 'n1', { images: ['https://x/a.jpg'], links: ['https://x/n9.htm'] });
      await store.pageRefs.save('epoch', 'n2', { images: ['https://x/a.jpg'], links: [] });
      const showing = await store.pageRefs.referencing('https://x/a.jpg', 'image');
      assert.deepEqual(showing.map((key) => key.id).sort(), ['n1', 'n2']);
      assert.deepEqual(await store.pageRefs.referencing('https://x/n9.htm', 'link'), [
        { siteId: 'epoch', id: 'n1' },
      ]);
      assert.deepEqual(await store.pageRefs.referencing('https://x/n9.htm', 'image'), [], 'kinds are apart');

      await store.pageRefs.save('epoch', 'n1', { images: [], links: ['https://x/n8.htm'] });
      assert.deepEqual(
        (await store.pageRefs.referencing('https://x/a.jpg', 'image')).map((key) => key.id),
        ['n2'],
      );
      assert.deepEqual(await store.pageRefs.referencing('https://x/n9.htm', 'link'), []);
      await assert.rejects(
        store.pageRefs.save('epoch', 'nope', { images: [], links: [] }),
        isStoreError('unknown_article'),
      );
    });

    test("an article's own references are read back; none recorded reads as empty lists", async () => {
      const store = subject.store;
      await store.articles.save(article('n1'));
      await store.articles.save(article('n2'));
      await store.pageRefs.save('epoch', 'n1', {
        images: ['https://x/a.jpg', 'https://x/b.jpg'],
        links: ['https://x/n9.htm'],
      });
      const refs = await store.pageRefs.of('epoch', 'n1');
      assert.deepEqual([...refs.images].sort(), ['https://x/a.jpg', 'https://x/b.jpg']);
      assert.deepEqual(refs.links, ['https://x/n9.htm']);
      assert.deepEqual(await store.pageRefs.of('epoch', 'n2'), { images: [], links: [] });
      assert.deepEqual(await store.pageRefs.of('epoch', 'nope'), { images: [], links: [] });
    });
  });

  describe('source signals', () => {
    test('source signals remember what a listing said', async () => {
      const store = subject.store;
      const url = 'https://news.example/gb/n1.htm';
      assert.equal(await store.signals.get(url), undefined);
      await store.signals.save(url, { title: 'Listed', published: '2026-01-01' });
      await store.signals.save(url, { title: 'Listed again' });
      assert.deepEqual(await store.signals.get(url), { title: 'Listed again' });
    });
  });
}
