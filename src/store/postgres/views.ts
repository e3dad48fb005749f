// Page views per (path, day), on PostgreSQL (see ../views.ts). A batch is checked whole before anything is
// written, then added in one statement: atomic, and concurrent batches from several processes add up.
import { StoreError } from '../errors.ts';
import { orNull, withoutNulls } from '../rows.ts';
import type { DayViews, TopPage, TopPagesOptions, ViewCount } from '../store.ts';
import type { Session } from './session.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const pgViewSql = {
  // GROUP BY: one upsert cannot touch a row twice, and a batch may repeat (path, day). ORDER BY: concurrent
  // batches lock rows in the same order, so they queue instead of deadlocking.
  add: `INSERT INTO views AS v (path, day, count)
    SELECT path, day, sum(count)::bigint FROM unnest($1::text[], $2::text[], $3::bigint[]) AS r(path, day, count)
    GROUP BY path, day ORDER BY path, day
    ON CONFLICT (path, day) DO UPDATE SET count = v.count + excluded.count`,
  top: `WITH totals AS (
      SELECT path, sum(count)::bigint AS views FROM views WHERE day >= $1 GROUP BY path)
    SELECT t.path AS path, t.views AS views, a.site_id AS "siteId", a.id AS id, a.title AS title,
      a.home_channel AS "channelId"
    FROM totals t LEFT JOIN articles a ON a.page_path = t.path
    WHERE $2::text IS NULL OR a.home_channel = $2
    ORDER BY t.views DESC, t.path LIMIT $3`,
  perDay: `SELECT day, sum(count)::bigint AS views FROM views WHERE day >= $1 GROUP BY day ORDER BY day`,
} as const;

function checkDay(day: string, what: string): void {
  if (!DAY.test(day)) {
    throw new StoreError(`store: ${what}: day "${day}" is not YYYY-MM-DD`, {
      code: 'bad_day',
      retryable: false,
    });
  }
}

export function pgViewQueries(session: Session) {
  return {
    async addViews(rows: ViewCount[]): Promise<void> {
      for (const row of rows) {
        checkDay(row.day, `add views of ${row.path}`);
        if (!Number.isSafeInteger(row.count) || row.count < 0) {
          throw new StoreError(
            `store: add views of ${row.path}: count ${row.count} is not a whole number >= 0`,
            {
              code: 'bad_count',
              retryable: false,
            },
          );
        }
      }
      if (rows.length === 0) return;
      await session.query(pgViewSql.add, [
        rows.map((r) => r.path),
        rows.map((r) => r.day),
        rows.map((r) => r.count),
      ]);
    },
    async topPages(options: TopPagesOptions): Promise<TopPage[]> {
      checkDay(options.sinceDay, 'top pages');
      const { rows } = await session.query(pgViewSql.top, [
        options.sinceDay,
        orNull(options.channelId),
        options.limit,
      ]);
      return rows.map((row) => withoutNulls<TopPage>(row));
    },
    async viewsPerDay(options: { sinceDay: string }): Promise<DayViews[]> {
      checkDay(options.sinceDay, 'views per day');
      return (await session.query<DayViews>(pgViewSql.perDay, [options.sinceDay])).rows;
    },
  };
}
