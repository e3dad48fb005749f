// Articles and the URLs they are known under, on PostgreSQL. Same keys and indexes as the SQLite module
// (../articles.ts); a save locks the article's row (FOR UPDATE) so two processes saving it at once take turns.

import { revisitSince, sortTime, unknownArticle } from '../articles.ts';
import { StoreError } from '../errors.ts';
import { orNull, withoutNulls } from '../rows.ts';
import type {
  ArticleKey,
  ArticleRecord,
  ChannelEntry,
  ListArticlesOptions,
  RevisitQuery,
  SaveResult,
} from '../store.ts';
import type { Conn, Session } from './session.ts';

// Rows per step of `all()`, as SQLite reads them: a few MB of extracted JSON at most.
const ALL_ARTICLES_BATCH = 200;

const ARTICLE_COLUMNS = `
  a.site_id AS "siteId", a.id AS id, a.url AS url, a.canonical_url AS "canonicalUrl", a.home_channel AS "homeChannel",
  a.page_path AS "pagePath", a.title AS title, a.author AS author, a.published AS published, a.lang AS lang,
  a.content_hash AS "contentHash", a.extracted AS extracted, a.first_seen AS "firstSeen", a.updated_at AS "updatedAt",
  a.retracted_at AS "retractedAt"`;

export const pgArticleSql = {
  get: `SELECT ${ARTICLE_COLUMNS} FROM articles a WHERE a.site_id = $1 AND a.id = $2`,
  byUrl: `SELECT ${ARTICLE_COLUMNS} FROM article_urls u JOIN articles a ON a.key = u.article_key WHERE u.url = $1`,
  byPagePath: `SELECT ${ARTICLE_COLUMNS} FROM articles a WHERE a.page_path = $1 LIMIT 1`,
  hasPage: `SELECT 1 FROM articles WHERE page_path = $1 LIMIT 1`,
  pagePathForUrl: `SELECT a.page_path AS "pagePath" FROM article_urls u JOIN articles a ON a.key = u.article_key
    WHERE u.url = $1`,
  // The article itself and, when another one, the owner of the page path it is to be saved at: one round trip.
  stateAndOwner: `SELECT key, site_id AS "siteId", id, content_hash AS "contentHash", home_channel AS "homeChannel",
      page_path AS "pagePath", retracted_at AS "retractedAt", first_seen AS "firstSeen"
    FROM articles WHERE (site_id = $1 AND id = $2) OR page_path = $3 FOR UPDATE`,
  keyOf: `SELECT key FROM articles WHERE site_id = $1 AND id = $2`,
  // ON CONFLICT (any unique key): a concurrent save of the same new article makes this one an update, not an error.
  insert: `INSERT INTO articles (site_id, id, url, canonical_url, home_channel, page_path, title, author, published,
      lang, content_hash, extracted, first_seen, updated_at, retracted_at, sort_ms, needs_render)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, true)
    ON CONFLICT DO NOTHING RETURNING key`,
  update: `UPDATE articles SET url = $2, canonical_url = $3, home_channel = $4, page_path = $5, title = $6,
      author = $7, published = $8, lang = $9, content_hash = $10, extracted = $11, updated_at = $12,
      retracted_at = $13, sort_ms = $14, needs_render = true
    WHERE key = $1`,
  updateMembershipOrder: `UPDATE memberships SET sort_ms = $1 WHERE article_key = $2 AND sort_ms <> $1`,
  // DISTINCT: the fetched and canonical URL may be the same, and one upsert cannot touch a row twice.
  addUrls: `INSERT INTO article_urls AS u (url, article_key) SELECT DISTINCT v, $2::bigint FROM unnest($1::text[]) v
    ON CONFLICT (url) DO UPDATE SET article_key = excluded.article_key WHERE u.article_key <> excluded.article_key`,
  // LIMIT NULL is no limit.
  listNewest: `SELECT ${ARTICLE_COLUMNS} FROM articles a ORDER BY a.sort_ms DESC, a.key DESC LIMIT $1 OFFSET $2`,
  listNewestOfChannel: `SELECT ${ARTICLE_COLUMNS} FROM memberships m JOIN articles a ON a.key = m.article_key
    WHERE m.channel_id = $1 ORDER BY m.sort_ms DESC, m.article_key DESC LIMIT $2 OFFSET $3`,
  listNewestEntries: `SELECT a.site_id AS "siteId", a.id AS id, a.title AS title, a.page_path AS path,
      a.published AS published, a.first_seen AS "firstSeen", a.home_channel AS "channelId",
      a.home_channel AS "homeChannel", a.retracted_at AS "retractedAt"
    FROM articles a ORDER BY a.sort_ms DESC, a.key DESC LIMIT $1`,
  markRendered: `UPDATE articles a SET needs_render = false FROM unnest($1::text[], $2::text[]) AS k(site_id, id)
    WHERE a.site_id = k.site_id AND a.id = k.id AND a.needs_render`,
  unrendered: `SELECT site_id AS "siteId", id FROM articles WHERE needs_render ORDER BY key`,
  count: `SELECT n FROM counts WHERE scope = $1`,
  toRevisit: `SELECT ${ARTICLE_COLUMNS} FROM articles a
    WHERE a.sort_ms >= $1 AND COALESCE(a.checked_at, a.updated_at) <= $2 ORDER BY a.sort_ms DESC, a.key DESC LIMIT $3`,
  markChecked: `UPDATE articles SET checked_at = $1 WHERE site_id = $2 AND id = $3`,
  allAfter: `SELECT a.key AS key, ${ARTICLE_COLUMNS} FROM articles a WHERE a.key > $1 ORDER BY a.key LIMIT $2`,
} as const;

interface ArticleState {
  key: number;
  siteId: string;
  id: string;
  contentHash: string;
  homeChannel: string;
  pagePath: string;
  retractedAt: string | null;
  firstSeen: string;
}

const asRecord = (row: Record<string, unknown> | undefined) =>
  row === undefined ? undefined : withoutNulls<ArticleRecord>(row);

function pathTaken(record: ArticleRecord, owner: ArticleState): StoreError {
  return new StoreError(
    `store: cannot save article ${record.siteId}/${record.id} at ${record.pagePath}: ` +
      `that page belongs to ${owner.siteId}/${owner.id}`,
    { code: 'page_path_taken', where: record.pagePath, retryable: false },
  );
}

/**
 * Writes in a fixed order, checking the page path before any write: in PostgreSQL a failed statement spoils the
 * rest of its transaction, so the expected refusal (`page_path_taken`) must come before one could fail.
 */
async function save(conn: Conn, record: ArticleRecord): Promise<SaveResult> {
  const { rows } = await conn.query<ArticleState>(pgArticleSql.stateAndOwner, [
    record.siteId,
    record.id,
    record.pagePath,
  ]);
  let existing = rows.find((row) => row.siteId === record.siteId && row.id === record.id);
  const owner = rows.find((row) => row !== existing);
  let result: SaveResult | undefined;
  let key: number | undefined;
  if (existing === undefined) {
    if (owner !== undefined) throw pathTaken(record, owner);
    const sortMs = sortTime(record.published, record.firstSeen);
    const inserted = await conn.query<{ key: number }>(pgArticleSql.insert, [
      record.siteId,
      record.id,
      record.url,
      orNull(record.canonicalUrl),
      record.homeChannel,
      record.pagePath,
      record.title,
      orNull(record.author),
      orNull(record.published),
      orNull(record.lang),
      record.contentHash,
      record.extracted,
      record.firstSeen,
      record.updatedAt,
      orNull(record.retractedAt),
      sortMs,
    ]);
    if (inserted.rows.length === 1) {
      key = inserted.rows[0].key;
      result = 'new';
    } else {
      // Another process stored it (or an article at its page) between our read and our insert: that row is
      // committed now, so lock it and update ours, or refuse the page. Any unique key, not only (site_id, id):
      // two inserts of one article can meet first on the page-path index.
      const again = await conn.query<ArticleState>(pgArticleSql.stateAndOwner, [
        record.siteId,
        record.id,
        record.pagePath,
      ]);
      existing = again.rows.find((row) => row.siteId === record.siteId && row.id === record.id);
      const taker = again.rows.find((row) => row !== existing);
      if (existing === undefined && taker !== undefined) throw pathTaken(record, taker);
      if (existing === undefined) throw unknownArticle(record.siteId, record.id, 'save it');
    }
  }
  if (result === undefined && existing !== undefined) {
    key = existing.key;
    const unchanged =
      existing.contentHash === record.contentHash &&
      existing.homeChannel === record.homeChannel &&
      existing.pagePath === record.pagePath &&
      existing.retractedAt === orNull(record.retractedAt);
    if (unchanged) {
      result = 'unchanged';
    } else {
      if (owner !== undefined && existing.pagePath !== record.pagePath) throw pathTaken(record, owner);
      const sortMs = sortTime(record.published, existing.firstSeen);
      await conn.query(pgArticleSql.update, [
        key,
        record.url,
        orNull(record.canonicalUrl),
        record.homeChannel,
        record.pagePath,
        record.title,
        orNull(record.author),
        orNull(record.published),
        orNull(record.lang),
        record.contentHash,
        record.extracted,
        record.updatedAt,
        orNull(record.retractedAt),
        sortMs,
      ]);
      await conn.query(pgArticleSql.updateMembershipOrder, [sortMs, key]);
      result = 'updated';
    }
  }
  const urls = record.canonicalUrl === undefined ? [record.url] : [record.url, record.canonicalUrl];
  await conn.query(pgArticleSql.addUrls, [urls, key]);
  return result as SaveResult;
}

export function pgArticleQueries(session: Session) {
  const one = async (sql: string, values: unknown[]) => (await session.query(sql, values)).rows[0];
  const many = async (sql: string, values: unknown[]) => (await session.query(sql, values)).rows;

  return {
    getArticle: async (siteId: string, id: string) => asRecord(await one(pgArticleSql.get, [siteId, id])),
    getArticleByUrl: async (url: string) => asRecord(await one(pgArticleSql.byUrl, [url])),
    getArticleByPath: async (pagePath: string) => asRecord(await one(pgArticleSql.byPagePath, [pagePath])),
    hasPage: async (pagePath: string) => (await one(pgArticleSql.hasPage, [pagePath])) !== undefined,
    pagePathForUrl: async (url: string) =>
      (await one(pgArticleSql.pagePathForUrl, [url]))?.pagePath as string | undefined,
    // Validated before the transaction begins: a bad time fails without a round trip.
    saveArticle: (record: ArticleRecord) => {
      sortTime(record.published, record.firstSeen);
      return session.atomic((conn) => save(conn, record));
    },

    async addArticleUrl(url: string, siteId: string, id: string): Promise<void> {
      const found = await one(pgArticleSql.keyOf, [siteId, id]);
      if (found === undefined) throw unknownArticle(siteId, id, `add URL ${url}`);
      await session.query(pgArticleSql.addUrls, [[url], found.key]);
    },

    async listArticles(options: ListArticlesOptions = {}): Promise<ArticleRecord[]> {
      const limit = options.limit ?? null;
      const offset = options.offset ?? 0;
      const rows =
        options.channelId === undefined
          ? await many(pgArticleSql.listNewest, [limit, offset])
          : await many(pgArticleSql.listNewestOfChannel, [options.channelId, limit, offset]);
      return rows.map((row) => asRecord(row)!);
    },

    listNewest: async (limit: number) =>
      (await many(pgArticleSql.listNewestEntries, [limit])).map((row) => withoutNulls<ChannelEntry>(row)),

    async markRendered(keys: ArticleKey[]): Promise<void> {
      if (keys.length === 0) return;
      await session.query(pgArticleSql.markRendered, [keys.map((k) => k.siteId), keys.map((k) => k.id)]);
    },
    listUnrendered: async () => (await many(pgArticleSql.unrendered, [])) as unknown as ArticleKey[],
    listToRevisit: async (options: RevisitQuery) =>
      (await many(pgArticleSql.toRevisit, [revisitSince(options), options.checkedBefore, options.limit])).map(
        (row) => asRecord(row)!,
      ),
    async markChecked(siteId: string, id: string, at: string): Promise<void> {
      await session.query(pgArticleSql.markChecked, [at, siteId, id]);
    },

    countArticles: async (channelId?: string) =>
      ((await one(pgArticleSql.count, [channelId ?? '']))?.n as number | undefined) ?? 0,

    /** One batch of `all()`: articles with a key above `afterKey`, and the key to continue from. */
    async articlesAfter(afterKey: number): Promise<{ records: ArticleRecord[]; lastKey: number }> {
      const rows = (await many(pgArticleSql.allAfter, [afterKey, ALL_ARTICLES_BATCH])) as Array<{
        key: number;
      }>;
      const records = rows.map(({ key: _key, ...rest }) => asRecord(rest)!);
      return { records, lastKey: rows.length === 0 ? afterKey : rows[rows.length - 1].key };
    },
  };
}
