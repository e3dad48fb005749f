// Which channels list which articles, on PostgreSQL: a channel's index reads its newest entries straight off
// memberships_newest (channel_id, sort_ms DESC, article_key DESC), as in SQLite (../channels.ts).
import { unknownArticle } from '../articles.ts';
import { withoutNulls } from '../rows.ts';
import type { ChannelEntry, PageOptions } from '../store.ts';
import type { Session } from './session.ts';

export const pgChannelSql = {
  // One statement: the article's key and order are read and the membership added together. No row back means
  // the article is not stored; `added` false means the membership was already there.
  add: `WITH article AS (SELECT key, sort_ms FROM articles WHERE site_id = $1 AND id = $2),
      inserted AS (
        INSERT INTO memberships (article_key, channel_id, seen_at, sort_ms)
        SELECT key, $3, $4, sort_ms FROM article
        ON CONFLICT (article_key, channel_id) DO NOTHING RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM inserted) AS added FROM article`,
  channelsOf: `SELECT m.channel_id AS "channelId" FROM articles a JOIN memberships m ON m.article_key = a.key
    WHERE a.site_id = $1 AND a.id = $2
    ORDER BY (m.channel_id = a.home_channel) DESC, m.seen_at, m.channel_id`,
  entries: `SELECT a.site_id AS "siteId", a.id AS id, a.title AS title, a.page_path AS path,
      a.published AS published, a.first_seen AS "firstSeen", m.channel_id AS "channelId",
      a.home_channel AS "homeChannel", a.retracted_at AS "retractedAt"
    FROM memberships m JOIN articles a ON a.key = m.article_key
    WHERE m.channel_id = $1 ORDER BY m.sort_ms DESC, m.article_key DESC LIMIT $2 OFFSET $3`,
} as const;

export function pgChannelQueries(session: Session) {
  return {
    async addMembership(siteId: string, id: string, channelId: string, seenAt: string): Promise<boolean> {
      const { rows } = await session.query<{ added: boolean }>(pgChannelSql.add, [
        siteId,
        id,
        channelId,
        seenAt,
      ]);
      if (rows.length === 0) throw unknownArticle(siteId, id, `add it to channel ${channelId}`);
      return rows[0].added;
    },
    channelsOf: async (siteId: string, id: string) =>
      (await session.query<{ channelId: string }>(pgChannelSql.channelsOf, [siteId, id])).rows.map(
        (row) => row.channelId,
      ),
    listChannelEntries: async (channelId: string, page: PageOptions): Promise<ChannelEntry[]> =>
      (await session.query(pgChannelSql.entries, [channelId, page.limit ?? null, page.offset ?? 0])).rows.map(
        (row) => withoutNulls<ChannelEntry>(row),
      ),
  };
}
