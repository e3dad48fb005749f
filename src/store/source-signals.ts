// What a channel's listing or feed said about each URL (title, date) the last time, so a change there can send
// the pipeline to fetch a known article again without fetching every known article every run.
import type { Database } from 'better-sqlite3';
import { orNull, withoutNulls } from './rows.ts';
import type { SourceSignal } from './store.ts';

export const sourceSignalSql = {
  get: `SELECT title, published FROM source_signals WHERE url = ?`,
  save: `INSERT INTO source_signals (url, title, published, seen_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (url) DO UPDATE SET title = excluded.title, published = excluded.published,
      seen_at = excluded.seen_at`,
} as const;

export function sourceSignalQueries(db: Database) {
  const get = db.prepare(sourceSignalSql.get);
  const save = db.prepare(sourceSignalSql.save);
  return {
    getSourceSignal(url: string): SourceSignal | undefined {
      const row = get.get(url) as Record<string, unknown> | undefined;
      return row === undefined ? undefined : withoutNulls<SourceSignal>(row);
    },
    saveSourceSignal(url: string, signal: SourceSignal): void {
      save.run(url, orNull(signal.title), orNull(signal.published), new Date().toISOString());
    },
  };
}
