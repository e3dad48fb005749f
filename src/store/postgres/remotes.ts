// The last push to each git remote, on PostgreSQL (see ../remotes.ts).
import { orNull, withoutNulls } from '../rows.ts';
import type { PushAttempt, PushState } from '../store.ts';
import type { Session } from './session.ts';

const PUSH_COLUMNS = `remote, last_attempt_at AS "lastAttemptAt", ok, git_commit AS "commit", error,
  last_success_at AS "lastSuccessAt", last_pushed_commit AS "lastPushedCommit",
  consecutive_failures AS "consecutiveFailures"`;

export const pgRemoteSql = {
  record: `INSERT INTO remotes AS r (remote, last_attempt_at, ok, git_commit, error, last_success_at,
      last_pushed_commit, consecutive_failures)
    VALUES ($1, $2, $3::boolean, $4, $5, CASE WHEN $3::boolean THEN $2 END, CASE WHEN $3::boolean THEN $4 END,
      CASE WHEN $3::boolean THEN 0 ELSE 1 END)
    ON CONFLICT (remote) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, ok = excluded.ok,
      git_commit = excluded.git_commit, error = excluded.error,
      last_success_at = CASE WHEN excluded.ok THEN excluded.last_attempt_at ELSE r.last_success_at END,
      last_pushed_commit = CASE WHEN excluded.ok THEN coalesce(excluded.git_commit, r.last_pushed_commit)
        ELSE r.last_pushed_commit END,
      consecutive_failures = CASE WHEN excluded.ok THEN 0 ELSE r.consecutive_failures + 1 END
    RETURNING ${PUSH_COLUMNS}`,
  get: `SELECT ${PUSH_COLUMNS} FROM remotes WHERE remote = $1`,
  all: `SELECT ${PUSH_COLUMNS} FROM remotes ORDER BY remote`,
} as const;

const asPushState = (row: Record<string, unknown>) => withoutNulls<PushState>(row);

export function pgRemoteQueries(session: Session) {
  return {
    recordPush: async (remote: string, attempt: PushAttempt) =>
      asPushState(
        (
          await session.query(pgRemoteSql.record, [
            remote,
            attempt.at,
            attempt.ok,
            orNull(attempt.commit),
            attempt.ok ? null : orNull(attempt.error),
          ])
        ).rows[0],
      ),
    async pushState(remote: string): Promise<PushState | undefined> {
      const row = (await session.query(pgRemoteSql.get, [remote])).rows[0];
      return row === undefined ? undefined : asPushState(row);
    },
    pushStates: async () => (await session.query(pgRemoteSql.all)).rows.map(asPushState),
  };
}
