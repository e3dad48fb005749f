// Validators for conditional GET by URL, on PostgreSQL (see ../fetch-cache.ts).
import { orNull, withoutNulls } from '../rows.ts';
import type { FetchValidators } from '../store.ts';
import type { Session } from './session.ts';

export const pgFetchCacheSql = {
  get: `SELECT etag, last_modified AS "lastModified", content_hash AS "contentHash" FROM fetch_cache WHERE url = $1`,
  save: `INSERT INTO fetch_cache (url, etag, last_modified, content_hash, saved_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
      content_hash = excluded.content_hash, saved_at = excluded.saved_at`,
} as const;

export function pgFetchCacheQueries(session: Session) {
  return {
    async getValidators(url: string): Promise<FetchValidators | undefined> {
      const row = (await session.query(pgFetchCacheSql.get, [url])).rows[0];
      return row === undefined ? undefined : withoutNulls<FetchValidators>(row);
    },
    async saveValidators(url: string, validators: FetchValidators): Promise<void> {
      const { etag, lastModified, contentHash } = validators;
      await session.query(pgFetchCacheSql.save, [
        url,
        orNull(etag),
        orNull(lastModified),
        orNull(contentHash),
        new Date().toISOString(),
      ]);
    },
  };
}
