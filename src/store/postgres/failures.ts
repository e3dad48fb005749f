// URLs that failed, counted per URL until they succeed, on PostgreSQL (see ../failures.ts). The upsert counts
// attempts in one statement, so two processes recording a failure of one URL at once both count.
import { orNull, withoutNulls } from '../rows.ts';
import type { FailureInput, FailureRecord, ListFailuresOptions } from '../store.ts';
import type { Session } from './session.ts';

const FAILURE_COLUMNS = `url, site_id AS "siteId", channel_id AS "channelId", code, message, retryable, attempts,
  first_at AS "firstAt", last_at AS "lastAt"`;

export const pgFailureSql = {
  record: `INSERT INTO failures AS f (url, site_id, channel_id, code, message, retryable, attempts, first_at, last_at)
      VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)
    ON CONFLICT (url) DO UPDATE SET site_id = excluded.site_id, channel_id = excluded.channel_id,
      code = excluded.code, message = excluded.message, retryable = excluded.retryable,
      attempts = f.attempts + 1, last_at = excluded.last_at
    RETURNING ${FAILURE_COLUMNS}`,
  clear: `DELETE FROM failures WHERE url = $1`,
  get: `SELECT ${FAILURE_COLUMNS} FROM failures WHERE url = $1`,
  list: `SELECT ${FAILURE_COLUMNS} FROM failures
    WHERE (NOT $1::boolean OR retryable) AND ($2::text IS NULL OR site_id = $2)
    ORDER BY first_at, url`,
} as const;

const asFailure = (row: Record<string, unknown>) => withoutNulls<FailureRecord>(row);

export function pgFailureQueries(session: Session) {
  return {
    recordFailure: async (input: FailureInput): Promise<FailureRecord> =>
      asFailure(
        (
          await session.query(pgFailureSql.record, [
            input.url,
            input.siteId,
            orNull(input.channelId),
            input.code,
            input.message,
            input.retryable,
            input.at,
          ])
        ).rows[0],
      ),
    async clearFailure(url: string): Promise<void> {
      await session.query(pgFailureSql.clear, [url]);
    },
    async failureFor(url: string): Promise<FailureRecord | undefined> {
      const row = (await session.query(pgFailureSql.get, [url])).rows[0];
      return row === undefined ? undefined : asFailure(row);
    },
    listFailures: async (options: ListFailuresOptions = {}): Promise<FailureRecord[]> =>
      (
        await session.query(pgFailureSql.list, [options.retryableOnly === true, orNull(options.siteId)])
      ).rows.map(asFailure),
  };
}
