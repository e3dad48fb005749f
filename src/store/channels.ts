// Which channels list which articles. A channel's index reads its newest entries straight off
// memberships_newest (channel_id, sort_ms DESC, article_key DESC), then each article by its integer key.
import type { Database } from 'better-sqlite3';
import { unknownArticle } from './articles.ts';
import { withoutNulls } from './rows.ts';
import type { ChannelEntry, PageOptions } from './store.ts';

export const channelSql = {
  keyOf: `SELECT key, sort_ms AS sortMs FROM articles WHERE site_id = ? AND id = ?`,
  add: `INSERT INTO memberships (article_key, channel_id, seen_at, sort_ms) VALUES (?, ?, ?, ?)
    ON CONFLICT (article_key, channel_id) DO NOTHING`,
  channelsOf: `SELECT m.channel_id FROM articles a JOIN memberships m ON m.article_key = a.key
    WHERE a.site_id = ? AND a.id = ?
    ORDER BY m.channel_id = a.home_channel DESC, m.seen_at, m.channel_id`,
  entries: `SELECT a.site_id AS siteId, a.id AS id, a.title AS title, a.page_path AS path, a.published AS published,
      a.first_seen AS firstSeen, m.channel_id AS channelId, a.home_channel AS homeChannel,
      a.retracted_at AS retractedAt
    FROM memberships m JOIN articles a ON a.key = m.article_key
    WHERE m.channel_id = ? ORDER BY m.sort_ms DESC, m.article_key DESC LIMIT ? OFFSET ?`,
} as const;

export function channelQueries(db: Database) {
  const keyOf = db.prepare(channelSql.keyOf);
  const add = db.prepare(channelSql.add);
  const channelsOf = db.prepare(channelSql.channelsOf).pluck();
  const entries = db.prepare(channelSql.entries);

  return {
    addMembership(siteId: string, id: string, channelId: string, seenAt: string): boolean {
      const article = keyOf.get(siteId, id) as { key: number; sortMs: number } | undefined;
      if (article === undefined) throw unknownArticle(siteId, id, `add it to channel ${channelId}`);
      return add.run(article.key, channelId, seenAt, article.sortMs).changes === 1;
    },
    channelsOf: (siteId: string, id: string) => channelsOf.all(siteId, id) as string[],
    listChannelEntries: (channelId: string, page: PageOptions): ChannelEntry[] =>
      entries
        .all(channelId, page.limit ?? -1, page.offset ?? 0)
        .map((row) => withoutNulls<ChannelEntry>(row as Record<string, unknown>)),
  };
}
