// Contract: the channel health port (what `status`, the link-drop warning and the webhook read).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Subject } from './helpers.ts';

export function channelHealthContract(subject: Subject): void {
  describe('channel health', () => {
    test('a save replaces the channel whole; all() lists every channel by id, absent fields left out', async () => {
      const store = subject.store;
      assert.deepEqual(await store.channelHealth.all(), []);
      await store.channelHealth.save({
        channelId: 'world',
        siteId: 'epoch',
        lastSuccessAt: '2026-01-06T10:00:00.000Z',
        consecutiveFailures: 0,
        recentLinks: [40, 38, 41],
      });
      await store.channelHealth.save({
        channelId: 'china',
        siteId: 'epoch',
        lastFailureAt: '2026-01-06T10:00:00.000Z',
        lastError: 'listing https://news.example/c: answered 503',
        consecutiveFailures: 2,
        recentLinks: [],
      });
      await store.channelHealth.save({
        channelId: 'world',
        siteId: 'epoch',
        lastSuccessAt: '2026-01-06T10:00:00.000Z',
        lastFailureAt: '2026-01-06T11:00:00.000Z',
        lastError: 'timeout',
        consecutiveFailures: 1,
        recentLinks: [40, 38, 41],
      });
      assert.deepEqual(await store.channelHealth.all(), [
        {
          channelId: 'china',
          siteId: 'epoch',
          lastFailureAt: '2026-01-06T10:00:00.000Z',
          lastError: 'listing https://news.example/c: answered 503',
          consecutiveFailures: 2,
          recentLinks: [],
        },
        {
          channelId: 'world',
          siteId: 'epoch',
          lastSuccessAt: '2026-01-06T10:00:00.000Z',
          lastFailureAt: '2026-01-06T11:00:00.000Z',
          lastError: 'timeout',
          consecutiveFailures: 1,
          recentLinks: [40, 38, 41],
        },
      ]);
    });

    test('a save inside a transaction that fails is not kept', async () => {
      const store = subject.store;
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.channelHealth.save({
            channelId: 'x',
            siteId: 's',
            consecutiveFailures: 0,
            recentLinks: [1],
          });
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      assert.deepEqual(await store.channelHealth.all(), []);
    });
  });
}
