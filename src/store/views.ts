// Page views per (path, day), as the counter of `serve` flushes them. Nothing about readers is stored: only the
// page and the day.
import type { Database } from 'better-sqlite3';
import { StoreError } from './errors.ts';
import { orNull, withoutNulls } from './rows.ts';
import type { DayViews, TopPage, TopPagesOptions, ViewCount } from './store.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const viewSql = {
  add: `INSERT INTO views (path, day, count) VALUES (?, ?, ?)
    ON CONFLICT (path, day) DO UPDATE SET count = count + excluded.count`,
  // INDEXED BY: left to itself the planner walks the whole table in path order to save a sort; the range of days
  // asked for is a small part of a table that grows by a row per page and day.
  top: `WITH totals AS (
      SELECT path, SUM(count) AS views FROM views INDEXED BY views_by_day WHERE day >= @sinceDay GROUP BY path)
    SELECT t.path AS path, t.views AS views, a.site_id AS siteId, a.id AS id, a.title AS title,
      a.home_channel AS channelId
    FROM totals t LEFT JOIN articles a ON a.page_path = t.path
    WHERE @channelId IS NULL OR a.home_channel = @channelId
    ORDER BY t.views DESC, t.path LIMIT @limit`,
  perDay: `SELECT day, SUM(count) AS views FROM views WHERE day >= ? GROUP BY day ORDER BY day`,
} as const;

function checkDay(day: string, what: string): void {
  if (!DAY.test(day)) {
    throw new StoreError(`store: ${what}: day "${day}" is not YYYY-MM-DD`, {
      code: 'bad_day',
      retryable: false,
    });
  }
}

export function viewQueries(db: Database) {
  const add = db.prepare(viewSql.add);
  const top = db.prepare(viewSql.top);
  const perDay = db.prepare(viewSql.perDay);

  const addViews = db.transaction((rows: ViewCount[]) => {
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
      add.run(row.path, row.day, row.count);
    }
  });

  return {
    addViews: (rows: ViewCount[]) => addViews(rows),
    topPages(options: TopPagesOptions): TopPage[] {
      checkDay(options.sinceDay, 'top pages');
      return top
        .all({ sinceDay: options.sinceDay, limit: options.limit, channelId: orNull(options.channelId) })
        .map((row) => withoutNulls<TopPage>(row as Record<string, unknown>));
    },
    viewsPerDay(options: { sinceDay: string }): DayViews[] {
      checkDay(options.sinceDay, 'views per day');
      return perDay.all(options.sinceDay) as DayViews[];
    },
  };
}
