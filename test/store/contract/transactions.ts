// Contract: `transaction(fn)` and `close()`. Orderings are checked with explicit signals and short waits, not with
// a number of event-loop turns, so a backend that talks to a server passes as well as SQLite.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { StorePorts } from '../../../src/store/index.ts';
import { article, SEEN } from '../helpers.ts';
import { isStoreError, type Subject } from './helpers.ts';

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

const failure = {
  url: 'https://x.example/',
  siteId: 'epoch',
  code: 'x',
  message: 'x',
  retryable: true,
  at: SEEN,
};

export function transactionsContract(subject: Subject): void {
  describe('transactions', () => {
    test('writes through tx commit together and the value of fn is returned', async () => {
      const store = subject.store;
      const result = await store.transaction(async (tx) => {
        await tx.articles.save(article('n1'));
        await tx.channels.addMembership('epoch', 'n1', 'world', SEEN);
        await tx.fetchCache.save('https://news.example/', { etag: '"1"' });
        assert.equal((await tx.articles.get('epoch', 'n1'))?.id, 'n1', 'tx reads its own writes');
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal((await store.articles.get('epoch', 'n1'))?.id, 'n1');
      assert.deepEqual(await store.channels.of('epoch', 'n1'), ['world']);
      assert.deepEqual(await store.fetchCache.get('https://news.example/'), { etag: '"1"' });
      assert.equal(await store.transaction(() => 42), 42, 'fn may return a plain value');
    });

    test('nothing of a transaction stays when fn throws, and its error comes out as it was', async () => {
      const store = subject.store;
      await store.transaction(async (tx) => {
        await tx.articles.save(article('n1'));
        await tx.channels.addMembership('epoch', 'n1', 'world', SEEN);
      });
      const boom = new Error('render failed');
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.articles.save(article('n2'));
          await tx.channels.addMembership('epoch', 'n2', 'world', SEEN);
          await tx.articles.save(article('n1', { contentHash: 'changed' }));
          await tx.failures.record(failure);
          await tx.views.add([{ path: 'pages/world/n2.md', day: '2026-01-01', count: 1 }]);
          await tx.runs.start(SEEN);
          throw boom;
        }),
        (error: unknown) => error === boom,
      );
      assert.equal(await store.articles.get('epoch', 'n2'), undefined);
      assert.equal((await store.articles.get('epoch', 'n1'))?.contentHash, 'hash-n1');
      assert.equal(await store.articles.count('world'), 1);
      assert.equal(await store.articles.count(), 1);
      assert.deepEqual(await store.failures.list(), []);
      assert.deepEqual(await store.views.perDay({ sinceDay: '2000-01-01' }), []);
      assert.deepEqual(await store.runs.last(5), []);
    });

    test('calls from outside never see uncommitted writes, and see them after the commit', async () => {
      // Whether an outside call waits for the transaction (SQLite) or runs beside it on another connection
      // (PostgreSQL) is the backend's business: either way it must not see what is not committed.
      const store = subject.store;
      const saved = signal();
      const gate = signal();
      // Until the gate opens, fn has not returned, so nothing can be committed yet.
      let gateOpen = false;
      const transaction = store.transaction(async (tx) => {
        await tx.articles.save(article('n1'));
        saved.resolve();
        await gate.promise;
      });
      await saved.promise;
      const outside = store.articles.get('epoch', 'n1').then((found) => ({ found, early: !gateOpen }));
      const outsideCount = store.articles.count().then((n) => ({ n, early: !gateOpen }));
      await delay(20);
      gateOpen = true;
      gate.resolve();
      await transaction;
      const read = await outside;
      if (read.early)
        assert.equal(read.found, undefined, 'a read answered during the transaction sees nothing');
      const counted = await outsideCount;
      if (counted.early) assert.equal(counted.n, 0, 'nor does the counter');
      assert.equal((await store.articles.get('epoch', 'n1'))?.id, 'n1', 'seen once committed');
      assert.equal(await store.articles.count(), 1);
    });

    test('an outside write made meanwhile lands after a transaction that rolls back', async () => {
      const store = subject.store;
      const saved = signal();
      const gate = signal();
      const transaction = store.transaction(async (tx) => {
        await tx.articles.save(article('inside'));
        saved.resolve();
        await gate.promise;
        throw new Error('abandoned');
      });
      await saved.promise;
      const outside = store.articles.save(article('outside'));
      gate.resolve();
      await assert.rejects(transaction, /abandoned/);
      assert.equal(await outside, 'new');
      assert.equal(await store.articles.get('epoch', 'inside'), undefined);
      assert.equal((await store.articles.get('epoch', 'outside'))?.id, 'outside');
    });

    test('a second transaction waits for the first', async () => {
      const store = subject.store;
      const order: string[] = [];
      const first = store.transaction(async (tx) => {
        order.push('first begins');
        await delay(5);
        await tx.articles.save(article('n1'));
        order.push('first ends');
      });
      const second = store.transaction(async (tx) => {
        order.push('second');
        return tx.articles.get('epoch', 'n1');
      });
      const [, seen] = await Promise.all([first, second]);
      assert.deepEqual(order, ['first begins', 'first ends', 'second']);
      assert.equal(seen?.id, 'n1', 'the second sees what the first committed');
    });

    test('a nested transaction is a savepoint: its failure undoes only its own writes', async () => {
      const store = subject.store;
      await store.transaction(async (tx) => {
        await tx.articles.save(article('outer'));
        await assert.rejects(
          store.transaction(async (inner) => {
            await inner.articles.save(article('inner'));
            throw new Error('inner failed');
          }),
          /inner failed/,
        );
        assert.equal(await tx.articles.get('epoch', 'inner'), undefined, 'undone at once');
        const kept = await store.transaction(async (inner) => inner.articles.save(article('inner-ok')));
        assert.equal(kept, 'new');
        assert.ok(await tx.articles.get('epoch', 'outer'), 'the outer write survives the inner failure');
      });
      assert.ok(await store.articles.get('epoch', 'outer'));
      assert.equal(await store.articles.get('epoch', 'inner'), undefined);
      assert.ok(await store.articles.get('epoch', 'inner-ok'));
    });

    test('a nested transaction that succeeded is undone with the outer one', async () => {
      const store = subject.store;
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.articles.save(article('outer'));
          await store.transaction(async (inner) => inner.articles.save(article('inner')));
          throw new Error('outer failed');
        }),
        /outer failed/,
      );
      assert.equal(await store.articles.get('epoch', 'outer'), undefined);
      assert.equal(await store.articles.get('epoch', 'inner'), undefined);
      assert.equal(await store.articles.count(), 0);
    });

    test('the ports of a transaction that has ended refuse to work', async () => {
      const store = subject.store;
      let leaked: StorePorts | undefined;
      await store.transaction((tx) => {
        leaked = tx;
      });
      assert.ok(leaked);
      await assert.rejects(leaked.articles.save(article('late')), isStoreError('store_transaction_ended'));
      await assert.rejects(leaked.views.top({ sinceDay: '2000-01-01', limit: 1 }), (error: unknown) => {
        assert.ok(isStoreError('store_transaction_ended')(error));
        return true;
      });
      assert.equal(await store.articles.get('epoch', 'late'), undefined);
    });
  });

  describe('close', () => {
    test('close waits for a running transaction to commit; later calls fail as store_closed', async () => {
      const store = await subject.open();
      const begun = signal();
      const gate = signal();
      const transaction = store.transaction(async (tx) => {
        await tx.articles.save(article('n1'));
        begun.resolve();
        await gate.promise;
        return tx.articles.save(article('n2'));
      });
      await begun.promise;
      let closed = false;
      const closing = store.close().then(() => {
        closed = true;
      });
      await delay(20);
      assert.equal(closed, false, 'close waits while the transaction is open');
      gate.resolve();
      assert.equal(await transaction, 'new', 'the transaction finishes its work');
      await closing;
      await assert.rejects(store.articles.get('epoch', 'n1'), (error: unknown) => {
        assert.ok(isStoreError('store_closed')(error));
        assert.equal((error as { retryable?: boolean }).retryable, false);
        return true;
      });
      await assert.rejects(
        store.transaction(() => undefined),
        isStoreError('store_closed'),
      );
      await store.close(); // closing twice is harmless
    });
  });
}
