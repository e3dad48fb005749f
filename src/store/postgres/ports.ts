// The queries of the PostgreSQL store, from its per-entity modules: SQLite's names, answering with Promises, so
// ../ports.ts makes the same ports of them.
import { pgArticleRefQueries } from './article-refs.ts';
import { pgArticleQueries } from './articles.ts';
import { pgChannelHealthQueries } from './channel-health.ts';
import { pgChannelQueries } from './channels.ts';
import { pgFailureQueries } from './failures.ts';
import { pgFetchCacheQueries } from './fetch-cache.ts';
import { pgImageQueries } from './images.ts';
import { pgSchemaVersionOf } from './migrations.ts';
import { pgRemoteQueries } from './remotes.ts';
import { pgRunQueries } from './runs.ts';
import type { Session } from './session.ts';
import { pgSourceSignalQueries } from './source-signals.ts';
import { pgViewQueries } from './views.ts';

export function pgQueriesOf(session: Session) {
  return {
    ...pgArticleQueries(session),
    ...pgChannelQueries(session),
    ...pgSourceSignalQueries(session),
    ...pgArticleRefQueries(session),
    ...pgFetchCacheQueries(session),
    ...pgFailureQueries(session),
    ...pgRunQueries(session),
    ...pgImageQueries(session),
    ...pgRemoteQueries(session),
    ...pgViewQueries(session),
    ...pgChannelHealthQueries(session),
    schemaVersion: () => pgSchemaVersionOf(session),
    /** Runs a statement of the store's own (transaction control) on the session. */
    exec: async (sql: string) => {
      await session.query(sql);
    },
  };
}

export type PgQueries = ReturnType<typeof pgQueriesOf>;
