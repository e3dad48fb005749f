// The behaviour every store backend must have, as node:test suites. A backend's test file calls
// `describeStore(name, open)` with a function giving a fresh, empty store; each test gets its own and closes it.
// Only what `src/store/store.ts` promises belongs here: backend details (files, locks, migrations) stay in the
// backend's own tests.
import { afterEach, beforeEach, describe } from 'node:test';
import type { Store } from '../../src/store/index.ts';
import { articlesContract } from './contract/articles.ts';
import { channelHealthContract } from './contract/channel-health.ts';
import { channelsContract } from './contract/channels.ts';
import type { Subject } from './contract/helpers.ts';
import { recordsContract } from './contract/records.ts';
import { transactionsContract } from './contract/transactions.ts';

export type { Subject } from './contract/helpers.ts';

export function describeStore(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store | undefined;
    const subject: Subject = {
      get store() {
        if (store === undefined) throw new Error('the store is opened before each test');
        return store;
      },
      open,
    };
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });
    articlesContract(subject);
    channelsContract(subject);
    channelHealthContract(subject);
    recordsContract(subject);
    transactionsContract(subject);
  });
}
