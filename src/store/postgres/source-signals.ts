// What a channel's listing or feed said about each URL the last time, on PostgreSQL (see ../source-signals.ts).
import { orNull, withoutNulls } from '../rows.ts';
import type { SourceSignal } from '../store.ts';
import type { Session } from './session.ts';

export const pgSourceSignalSql = {
  get: `SELECT title, published FROM source_signals WHERE url = $1`,
  save: `INSERT INTO source_signals (url, title, published, seen_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (url) DO UPDATE SET title = excluded.title, published = excluded.published,
      seen_at = excluded.seen_at`,
} as const;

export function pgSourceSignalQueries(session: Session) {
  return {
    async getSourceSignal(url: string): Promise<SourceSignal | undefined> {
      const row = (await session.query(pgSourceSignalSql.get, [url])).rows[0];
      return row === undefined ? undefined : withoutNulls<SourceSignal>(row);
    },
    async saveSourceSignal(url: string, signal: SourceSignal): Promise<void> {
      await session.query(pgSourceSignalSql.save, [
        url,
        orNull(signal.title),
        orNull(signal.published),
        new Date().toISOString(),
      ]);
    },
  };
}
