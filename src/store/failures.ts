// URLs that failed, counted per URL until they succeed, so the next run retries them and operators see since when.
import type { Database } from 'better-sqlite3';
import { orNull, withoutNulls } from './rows.ts';
import type { FailureInput, FailureRecord, ListFailuresOptions } from './store.ts';

const FAILURE_COLUMNS = `url, site_id AS siteId, channel_id AS channelId, code, message, retryable, attempts,
  first_at AS firstAt, last_at AS lastAt`;

export const failureSql = {
  record: `INSERT INTO failures (url, site_id, channel_id, code, message, retryable, attempts, first_at, last_at)
      VALUES (@url, @siteId, @channelId, @code, @message, @retryable, 1, @at, @at)
    ON CONFLICT (url) DO UPDATE SET site_id = excluded.site_id, channel_id = excluded.channel_id,
      code = excluded.code, message = excluded.message, retryable = excluded.retryable,
      attempts = attempts + 1, last_at = excluded.last_at
    RETURNING ${FAILURE_COLUMNS}`,
  clear: `DELETE FROM failures WHERE url = ?`,
  get: `SELECT ${FAILURE_COLUMNS} FROM failures WHERE url = ?`,
  list: `SELECT ${FAILURE_COLUMNS} FROM failures
    WHERE (@retryableOnly = 0 OR retryable = 1) AND (@siteId IS NULL OR site_id = @siteId)
    ORDER BY first_at, url`,
} as const;

function asFailure(row: unknown): FailureRecord {
  const record = withoutNulls<FailureRecord>(row as Record<string, unknown>);
  record.retryable = Boolean(record.retryable);
  return record;
}

export function failureQueries(db: Database) {
  const record = db.prepare(failureSql.record);
  const clear = db.prepare(failureSql.clear);
  const get = db.prepare(failureSql.get);
  const list = db.prepare(failureSql.list);
  return {
    recordFailure: (input: FailureInput): FailureRecord =>
      asFailure(
        record.get({ ...input, channelId: orNull(input.channelId), retryable: input.retryable ? 1 : 0 }),
      ),
    clearFailure(url: string): void {
      clear.run(url);
    },
    failureFor(url: string): FailureRecord | undefined {
      const row = get.get(url);
      return row === undefined ? undefined : asFailure(row);
    },
    listFailures: (options: ListFailuresOptions = {}): FailureRecord[] =>
      list
        .all({ retryableOnly: options.retryableOnly ? 1 : 0, siteId: orNull(options.siteId) })
        .map(asFailure),
  };
}
