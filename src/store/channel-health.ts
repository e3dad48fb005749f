// How each channel's listing, feed or sitemap has answered, as the last run left it: `newsmirror status`, the
// warning of a channel whose link count drops, and the webhook's "channel broke / recovered" read it.
import type { Database } from 'better-sqlite3';
import { orNull, withoutNulls } from './rows.ts';
import type { ChannelHealth } from './store.ts';

const COLUMNS = `channel_id AS channelId, site_id AS siteId, last_success_at AS lastSuccessAt,
  last_failure_at AS lastFailureAt, last_error AS lastError, consecutive_failures AS consecutiveFailures,
  recent_links AS recentLinks`;

export const channelHealthSql = {
  save: `INSERT INTO channel_health (channel_id, site_id, last_success_at, last_failure_at, last_error,
      consecutive_failures, recent_links)
    VALUES (@channelId, @siteId, @lastSuccessAt, @lastFailureAt, @lastError, @consecutiveFailures, @recentLinks)
    ON CONFLICT (channel_id) DO UPDATE SET site_id = excluded.site_id, last_success_at = excluded.last_success_at,
      last_failure_at = excluded.last_failure_at, last_error = excluded.last_error,
      consecutive_failures = excluded.consecutive_failures, recent_links = excluded.recent_links`,
  all: `SELECT ${COLUMNS} FROM channel_health ORDER BY channel_id`,
} as const;

/** A row as a record: `recentLinks` is kept as JSON text (a short list read and written whole). */
export function asChannelHealth(row: Record<string, unknown>): ChannelHealth {
  const health = withoutNulls<ChannelHealth & { recentLinks: unknown }>(row);
  const links = typeof health.recentLinks === 'string' ? JSON.parse(health.recentLinks) : health.recentLinks;
  return { ...health, consecutiveFailures: Number(health.consecutiveFailures), recentLinks: links ?? [] };
}

/** The values of a save, in both backends' order. */
export function channelHealthValues(health: ChannelHealth) {
  return {
    channelId: health.channelId,
    siteId: health.siteId,
    lastSuccessAt: orNull(health.lastSuccessAt),
    lastFailureAt: orNull(health.lastFailureAt),
    lastError: orNull(health.lastError),
    consecutiveFailures: health.consecutiveFailures,
    recentLinks: JSON.stringify(health.recentLinks),
  };
}

export function channelHealthQueries(db: Database) {
  const save = db.prepare(channelHealthSql.save);
  const all = db.prepare(channelHealthSql.all);
  return {
    saveChannelHealth(health: ChannelHealth): void {
      save.run(channelHealthValues(health));
    },
    allChannelHealth: (): ChannelHealth[] =>
      all.all().map((row) => asChannelHealth(row as Record<string, unknown>)),
  };
}
