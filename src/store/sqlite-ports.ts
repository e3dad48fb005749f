// The queries of the SQLite store, from its per-entity modules; `ports.ts` turns them into the store's ports.
import type Database from 'better-sqlite3';
import { articleRefQueries } from './article-refs.ts';
import { articleQueries } from './articles.ts';
import { channelHealthQueries } from './channel-health.ts';
import { channelQueries } from './channels.ts';
import { failureQueries } from './failures.ts';
import { fetchCacheQueries } from './fetch-cache.ts';
import { imageQueries } from './images.ts';
import { remoteQueries } from './remotes.ts';
import { runQueries } from './runs.ts';
import { sourceSignalQueries } from './source-signals.ts';
import { viewQueries } from './views.ts';

export function queriesOf(db: Database.Database) {
  return {
    ...articleQueries(db),
    ...channelQueries(db),
    ...sourceSignalQueries(db),
    ...articleRefQueries(db),
    ...fetchCacheQueries(db),
    ...failureQueries(db),
    ...runQueries(db),
    ...imageQueries(db),
    ...remoteQueries(db),
    ...viewQueries(db),
    ...channelHealthQueries(db),
  };
}

export type Queries = ReturnType<typeof queriesOf>;
