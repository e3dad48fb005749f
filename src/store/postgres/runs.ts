// One row per run, on PostgreSQL (see ../runs.ts): 'running' until finished or abandoned.
import { StoreError } from '../errors.ts';
import { orNull, withoutNulls } from '../rows.ts';
import type { RunRecord, RunSummary } from '../store.ts';
import type { Session } from './session.ts';

const RUN_COLUMNS = `id, started_at AS "startedAt", status, finished_at AS "finishedAt", new_count AS "newCount",
  updated, failed, skipped, git_commit AS "commit", bytes`;

export const pgRunSql = {
  start: `INSERT INTO runs (started_at, status) VALUES ($1, 'running') RETURNING id`,
  finish: `UPDATE runs SET status = 'finished', finished_at = $2, new_count = $3, updated = $4, failed = $5,
      skipped = $6, git_commit = $7, bytes = $8
    WHERE id = $1`,
  abandon: `UPDATE runs SET status = 'abandoned', finished_at = $2 WHERE id = $1 AND status = 'running'`,
  last: `SELECT ${RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT $1`,
  unfinished: `SELECT ${RUN_COLUMNS} FROM runs WHERE status = 'running' ORDER BY id`,
} as const;

const asRun = (row: Record<string, unknown>) => withoutNulls<RunRecord>(row);

export function pgRunQueries(session: Session) {
  return {
    startRun: async (at: string) => (await session.query<{ id: number }>(pgRunSql.start, [at])).rows[0].id,
    async finishRun(runId: number, summary: RunSummary): Promise<void> {
      const { rowCount } = await session.query(pgRunSql.finish, [
        runId,
        summary.finishedAt,
        summary.newCount,
        summary.updated,
        summary.failed,
        summary.skipped,
        orNull(summary.commit),
        summary.bytes,
      ]);
      if (rowCount === 0) {
        throw new StoreError(`store: cannot finish run ${runId}: no such run`, {
          code: 'unknown_run',
          where: `run ${runId}`,
          retryable: false,
        });
      }
    },
    async abandonRun(runId: number, at: string): Promise<void> {
      await session.query(pgRunSql.abandon, [runId, at]);
    },
    lastRuns: async (count: number) => (await session.query(pgRunSql.last, [count])).rows.map(asRun),
    unfinishedRuns: async () => (await session.query(pgRunSql.unfinished)).rows.map(asRun),
  };
}
