// The last push to each git remote, so a remote that was down is pushed again by the next run.
import type { Database } from 'better-sqlite3';
import { orNull, withoutNulls } from './rows.ts';
import type { PushAttempt, PushState } from './store.ts';

const PUSH_COLUMNS = `remote, last_attempt_at AS lastAttemptAt, ok, git_commit AS "commit", error,
  last_success_at AS lastSuccessAt, last_pushed_commit AS lastPushedCommit,
  consecutive_failures AS consecutiveFailures`;

export const remoteSql = {
  record: `INSERT INTO remotes (remote, last_attempt_at, ok, git_commit, error, last_success_at, last_pushed_commit,
      consecutive_failures)
    VALUES (@remote, @at, @ok, @commit, @error, CASE WHEN @ok THEN @at END, CASE WHEN @ok THEN @commit END,
      CASE WHEN @ok THEN 0 ELSE 1 END)
    ON CONFLICT (remote) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, ok = excluded.ok,
      git_commit = excluded.git_commit, error = excluded.error,
      last_success_at = CASE WHEN excluded.ok THEN excluded.last_attempt_at ELSE last_success_at END,
      last_pushed_commit = CASE WHEN excluded.ok THEN coalesce(excluded.git_commit, last_pushed_commit)
        ELSE last_pushed_commit END,
      consecutive_failures = CASE WHEN excluded.ok THEN 0 ELSE consecutive_failures + 1 END
    RETURNING ${PUSH_COLUMNS}`,
  get: `SELECT ${PUSH_COLUMNS} FROM remotes WHERE remote = ?`,
  all: `SELECT ${PUSH_COLUMNS} FROM remotes ORDER BY remote`,
} as const;

function asPushState(row: unknown): PushState {
  const state = withoutNulls<PushState>(row as Record<string, unknown>);
  state.ok = Boolean(state.ok);
  return state;
}

export function remoteQueries(db: Database) {
  const record = db.prepare(remoteSql.record);
  const get = db.prepare(remoteSql.get);
  const all = db.prepare(remoteSql.all);
  return {
    recordPush: (remote: string, attempt: PushAttempt) =>
      asPushState(
        record.get({
          remote,
          at: attempt.at,
          ok: attempt.ok ? 1 : 0,
          commit: orNull(attempt.commit),
          error: attempt.ok ? null : orNull(attempt.error),
        }),
      ),
    pushState(remote: string): PushState | undefined {
      const row = get.get(remote);
      return row === undefined ? undefined : asPushState(row);
    },
    pushStates: () => all.all().map(asPushState),
  };
}
