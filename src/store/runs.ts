// One row per run. A run starts as 'running'; a row still 'running' when the next run starts was killed midway.
import type { Database } from 'better-sqlite3';
import { StoreError } from './errors.ts';
import { orNull, withoutNulls } from './rows.ts';
import type { RunRecord, RunSummary } from './store.ts';

const RUN_COLUMNS = `id, started_at AS startedAt, status, finished_at AS finishedAt, new_count AS newCount, updated,
  failed, skipped, git_commit AS "commit", bytes`;

export const runSql = {
  start: `INSERT INTO runs (started_at, status) VALUES (?, 'running')`,
  finish: `UPDATE runs SET status = 'finished', finished_at = @finishedAt, new_count = @newCount,
      updated = @updated, failed = @failed, skipped = @skipped, git_commit = @commit, bytes = @bytes
    WHERE id = @id`,
  abandon: `UPDATE runs SET status = 'abandoned', finished_at = ? WHERE id = ? AND status = 'running'`,
  last: `SELECT ${RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT ?`,
  unfinished: `SELECT ${RUN_COLUMNS} FROM runs WHERE status = 'running' ORDER BY id`,
} as const;

const asRun = (row: unknown) => withoutNulls<RunRecord>(row as Record<string, unknown>);

export function runQueries(db: Database) {
  const start = db.prepare(runSql.start);
  const finish = db.prepare(runSql.finish);
  const abandon = db.prepare(runSql.abandon);
  const last = db.prepare(runSql.last);
  const unfinished = db.prepare(runSql.unfinished);
  return {
    startRun: (at: string) => Number(start.run(at).lastInsertRowid),
    finishRun(runId: number, summary: RunSummary): void {
      const changed = finish.run({ ...summary, commit: orNull(summary.commit), id: runId }).changes;
      if (changed === 0) {
        throw new StoreError(`store: cannot finish run ${runId}: no such run`, {
          code: 'unknown_run',
          where: `run ${runId}`,
          retryable: false,
        });
      }
    },
    abandonRun(runId: number, at: string): void {
      abandon.run(at, runId);
    },
    lastRuns: (count: number) => last.all(count).map(asRun),
    unfinishedRuns: () => unfinished.all().map(asRun),
  };
}
