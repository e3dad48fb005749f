// Validators for conditional GET (ETag, Last-Modified) and the hash of the body they came with, by URL.
import type { Database } from 'better-sqlite3';
import { orNull, withoutNulls } from './rows.ts';
import type { FetchValidators } from './store.ts';

export const fetchCacheSql = {
  get: `SELECT etag, last_modified AS lastModified, content_hash AS contentHash FROM fetch_cache WHERE url = ?`,
  save: `INSERT INTO fetch_cache (url, etag, last_modified, content_hash, saved_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
      content_hash = excluded.content_hash, saved_at = excluded.saved_at`,
} as const;

export function fetchCacheQueries(db: Database) {
  const get = db.prepare(fetchCacheSql.get);
  const save = db.prepare(fetchCacheSql.save);
  return {
    getValidators(url: string): FetchValidators | undefined {
      const row = get.get(url) as Record<string, unknown> | undefined;
      return row === undefined ? undefined : withoutNulls<FetchValidators>(row);
    },
    saveValidators(url: string, validators: FetchValidators): void {
      const { etag, lastModified, contentHash } = validators;
      save.run(url, orNull(etag), orNull(lastModified), orNull(contentHash), new Date().toISOString());
    },
  };
}
