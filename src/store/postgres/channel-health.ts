// How each channel has answered, on PostgreSQL (see ../channel-health.ts).
import { asChannelHealth, channelHealthValues } from '../channel-health.ts';
import type { ChannelHealth } from '../store.ts';
import type { Session } from './session.ts';

export const pgChannelHealthSql = {
  save: `INSERT INTO channel_health AS h (channel_id, site_id, last_success_at, last_failure_at, last_error,
      consecutive_failures, recent_links)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (channel_id) DO UPDATE SET site_id = excluded.site_id, last_success_at = excluded.last_success_at,
      last_failure_at = excluded.last_failure_at, last_error = excluded.last_error,
      consecutive_failures = excluded.consecutive_failures, recent_links = excluded.recent_links`,
  all: `SELECT channel_id AS "channelId", site_id AS "siteId", last_success_at AS "lastSuccessAt",
      last_failure_at AS "lastFailureAt", last_error AS "lastError", consecutive_failures AS "consecutiveFailures",
      recent_links AS "recentLinks"
    FROM channel_health ORDER BY channel_id`,
} as const;

export function pgChannelHealthQueries(session: Session) {
  return {
    async saveChannelHealth(health: ChannelHealth): Promise<void> {
      const v = channelHealthValues(health);
      await session.query(pgChannelHealthSql.save, [
        v.channelId,
        v.siteId,
        v.lastSuccessAt,
        v.lastFailureAt,
        v.lastError,
        v.consecutiveFailures,
        v.recentLinks,
      ]);
    },
    allChannelHealth: async (): Promise<ChannelHealth[]> =>
      (await session.query(pgChannelHealthSql.all)).rows.map(asChannelHealth),
  };
}
