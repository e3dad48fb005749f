// Articles and the URLs they are known under. Every lookup here goes through a primary key or an index:
// by (site_id, id), by URL (article_urls primary key), by page path, newest first (articles_newest).
import type { Database, Statement } from 'better-sqlite3';
import { StoreError } from './errors.ts';
import { orNull, withoutNulls } from './rows.ts';
import type {
  ArticleKey,
  ArticleRecord,
  ChannelEntry,
  ListArticlesOptions,
  RevisitQuery,
  SaveResult,
} from './store.ts';

// Rows read per step of `allArticles`: large enough that stepping costs little, small enough that a batch of
// articles with their extracted JSON (a few tens of KB each) stays a few MB.
const ALL_ARTICLES_BATCH = 200;

const ARTICLE_COLUMNS = `
  a.site_id AS siteId, a.id AS id, a.url AS url, a.canonical_url AS canonicalUrl, a.home_channel AS homeChannel,
  a.page_path AS pagePath, a.title AS title, a.author AS author, a.published AS published, a.lang AS lang,
  a.content_hash AS contentHash, a.extracted AS extracted, a.first_seen AS firstSeen, a.updated_at AS updatedAt,
  a.retracted_at AS retractedAt`;

/** The SQL of every query, exported so tests can check their query plans. */
export const articleSql = {
  get: `SELECT ${ARTICLE_COLUMNS} FROM articles a WHERE a.site_id = ? AND a.id = ?`,
  byUrl: `SELECT ${ARTICLE_COLUMNS} FROM article_urls u JOIN articles a ON a.key = u.article_key WHERE u.url = ?`,
  byPagePath: `SELECT ${ARTICLE_COLUMNS} FROM articles a WHERE a.page_path = ? LIMIT 1`,
  hasPage: `SELECT 1 FROM articles WHERE page_path = ? LIMIT 1`,
  pagePathForUrl: `SELECT a.page_path FROM article_urls u JOIN articles a ON a.key = u.article_key WHERE u.url = ?`,
  state: `SELECT key, content_hash AS contentHash, home_channel AS homeChannel, page_path AS pagePath,
      retracted_at AS retractedAt, first_seen AS firstSeen
    FROM articles WHERE site_id = ? AND id = ?`,
  pathOwner: `SELECT site_id AS siteId, id, key FROM articles WHERE page_path = ?`,
  keyOf: `SELECT key, sort_ms AS sortMs FROM articles WHERE site_id = ? AND id = ?`,
  insert: `INSERT INTO articles (site_id, id, url, canonical_url, home_channel, page_path, title, author, published,
      lang, content_hash, extracted, first_seen, updated_at, retracted_at, sort_ms, needs_render)
    VALUES (@siteId, @id, @url, @canonicalUrl, @homeChannel, @pagePath, @title, @author, @published,
      @lang, @contentHash, @extracted, @firstSeen, @updatedAt, @retractedAt, @sortMs, 1)`,
  update: `UPDATE articles SET url = @url, canonical_url = @canonicalUrl, home_channel = @homeChannel,
      page_path = @pagePath, title = @title, author = @author, published = @published, lang = @lang,
      content_hash = @contentHash, extracted = @extracted, updated_at = @updatedAt, retracted_at = @retractedAt,
      sort_ms = @sortMs, needs_render = 1
    WHERE key = @key`,
  updateMembershipOrder: `UPDATE memberships SET sort_ms = ? WHERE article_key = ?`,
  addUrl: `INSERT INTO article_urls (url, article_key) VALUES (?, ?)
    ON CONFLICT (url) DO UPDATE SET article_key = excluded.article_key WHERE article_key != excluded.article_key`,
  listNewest: `SELECT ${ARTICLE_COLUMNS} FROM articles a ORDER BY a.sort_ms DESC, a.key DESC LIMIT ? OFFSET ?`,
  listNewestOfChannel: `SELECT ${ARTICLE_COLUMNS} FROM memberships m JOIN articles a ON a.key = m.article_key
    WHERE m.channel_id = ? ORDER BY m.sort_ms DESC, m.article_key DESC LIMIT ? OFFSET ?`,
  listNewestEntries: `SELECT a.site_id AS siteId, a.id AS id, a.title AS title, a.page_path AS path,
      a.published AS published, a.first_seen AS firstSeen, a.home_channel AS channelId, a.home_channel AS homeChannel,
      a.retracted_at AS retractedAt
    FROM articles a ORDER BY a.sort_ms DESC, a.key DESC LIMIT ?`,
  markRendered: `UPDATE articles SET needs_render = 0 WHERE site_id = ? AND id = ? AND needs_render = 1`,
  // INDEXED BY: once statistics show many rows waiting (a first run), the planner would rather scan the table; the
  // partial index holds exactly the rows wanted, so reading it is never worse.
  unrendered: `SELECT site_id AS siteId, id FROM articles INDEXED BY articles_unrendered WHERE needs_render = 1
    ORDER BY key`,
  count: `SELECT n FROM counts WHERE scope = ?`,
  // A range of articles_newest: only the young articles are read.
  toRevisit: `SELECT ${ARTICLE_COLUMNS} FROM articles a
    WHERE a.sort_ms >= ? AND COALESCE(a.checked_at, a.updated_at) <= ? ORDER BY a.sort_ms DESC, a.key DESC LIMIT ?`,
  markChecked: `UPDATE articles SET checked_at = ? WHERE site_id = ? AND id = ?`,
  allAfter: `SELECT a.key AS key, ${ARTICLE_COLUMNS} FROM articles a WHERE a.key > ? ORDER BY a.key LIMIT ?`,
} as const;

/**
 * The time an article sorts by, in ms: when it was published, or when we first saw it if the publisher gave no
 * usable time or one after that (a wrong clock or time zone must not pin an article to the top of every index).
 */
export function sortTime(published: string | undefined, firstSeen: string): number {
  const seenMs = Date.parse(firstSeen);
  if (!Number.isFinite(seenMs)) {
    throw new StoreError(`store: firstSeen "${firstSeen}" is not an ISO 8601 time`, {
      code: 'bad_time',
      retryable: false,
    });
  }
  const publishedMs = published === undefined ? Number.NaN : Date.parse(published);
  return Number.isFinite(publishedMs) && publishedMs <= seenMs ? publishedMs : seenMs;
}

/** The sort time (ms) from which articles are revisited. */
export function revisitSince(options: RevisitQuery): number {
  const since = Date.parse(options.since);
  if (!Number.isFinite(since)) {
    throw new StoreError(`store: revisit since "${options.since}" is not an ISO 8601 time`, {
      code: 'bad_time',
      retryable: false,
    });
  }
  return since;
}

interface ArticleState {
  key: number;
  contentHash: string;
  homeChannel: string;
  pagePath: string;
  retractedAt: string | null;
  firstSeen: string;
}

export function unknownArticle(siteId: string, id: string, doing: string): StoreError {
  return new StoreError(`store: cannot ${doing}: article ${siteId}/${id} is not stored (save it first)`, {
    code: 'unknown_article',
    where: `${siteId}/${id}`,
    retryable: false,
  });
}

export function articleQueries(db: Database) {
  const statement = Object.fromEntries(
    Object.entries(articleSql).map(([name, sql]) => [name, db.prepare(sql)]),
  ) as Record<keyof typeof articleSql, Statement>;
  const asRecord = (row: unknown) =>
    row === undefined ? undefined : withoutNulls<ArticleRecord>(row as Record<string, unknown>);

  function addUrl(url: string, key: number): void {
    statement.addUrl.run(url, key);
  }

  /** Runs the first write of a save; a page path owned by another article fails it before anything is written. */
  function writeChecked<T>(write: () => T, values: { siteId: string; id: string; pagePath: string }): T {
    try {
      return write();
    } catch (error) {
      const owner = statement.pathOwner.get(values.pagePath) as { siteId: string; id: string } | undefined;
      if (owner === undefined || (owner.siteId === values.siteId && owner.id === values.id)) throw error;
      throw new StoreError(
        `store: cannot save article ${values.siteId}/${values.id} at ${values.pagePath}: ` +
          `that page belongs to ${owner.siteId}/${owner.id}`,
        { code: 'page_path_taken', where: values.pagePath, retryable: false, cause: error },
      );
    }
  }

  // Writes in a fixed order: the article row (the only write that can fail on bad data), then its URLs.
  function save(record: ArticleRecord): SaveResult {
    const existing = statement.state.get(record.siteId, record.id) as ArticleState | undefined;
    const firstSeen = existing?.firstSeen ?? record.firstSeen;
    const values = {
      siteId: record.siteId,
      id: record.id,
      url: record.url,
      canonicalUrl: orNull(record.canonicalUrl),
      homeChannel: record.homeChannel,
      pagePath: record.pagePath,
      title: record.title,
      author: orNull(record.author),
      published: orNull(record.published),
      lang: orNull(record.lang),
      contentHash: record.contentHash,
      extracted: record.extracted,
      firstSeen,
      updatedAt: record.updatedAt,
      retractedAt: orNull(record.retractedAt),
      sortMs: sortTime(record.published, firstSeen),
    };
    let result: SaveResult;
    let key: number;
    if (existing === undefined) {
      key = Number(writeChecked(() => statement.insert.run(values), values).lastInsertRowid);
      result = 'new';
    } else {
      key = existing.key;
      const unchanged =
        existing.contentHash === values.contentHash &&
        existing.homeChannel === values.homeChannel &&
        existing.pagePath === values.pagePath &&
        existing.retractedAt === values.retractedAt;
      if (unchanged) {
        result = 'unchanged';
      } else {
        writeChecked(() => statement.update.run({ ...values, key }), values);
        statement.updateMembershipOrder.run(values.sortMs, key);
        result = 'updated';
      }
    }
    addUrl(record.url, key);
    if (record.canonicalUrl !== undefined) addUrl(record.canonicalUrl, key);
    return result;
  }
  const saveInTransaction = db.transaction(save);
  const markAllRendered = db.transaction((keys: ArticleKey[]) => {
    for (const key of keys) statement.markRendered.run(key.siteId, key.id);
  });

  return {
    getArticle: (siteId: string, id: string) => asRecord(statement.get.get(siteId, id)),
    getArticleByUrl: (url: string) => asRecord(statement.byUrl.get(url)),
    getArticleByPath: (pagePath: string) => asRecord(statement.byPagePath.get(pagePath)),
    hasPage: (pagePath: string) => statement.hasPage.get(pagePath) !== undefined,
    pagePathForUrl: (url: string) => statement.pagePathForUrl.pluck().get(url) as string | undefined,
    // Inside an open transaction the save needs no savepoint of its own (a third of its cost): a failing first write
    // leaves nothing behind, and a later failure (I/O) fails the enclosing transaction.
    saveArticle: (record: ArticleRecord) => (db.inTransaction ? save(record) : saveInTransaction(record)),

    addArticleUrl(url: string, siteId: string, id: string): void {
      const found = statement.keyOf.get(siteId, id) as { key: number } | undefined;
      if (found === undefined) throw unknownArticle(siteId, id, `add URL ${url}`);
      addUrl(url, found.key);
    },

    listArticles(options: ListArticlesOptions = {}): ArticleRecord[] {
      const limit = options.limit ?? -1; // SQLite reads a negative LIMIT as "no limit"
      const offset = options.offset ?? 0;
      const rows =
        options.channelId === undefined
          ? statement.listNewest.all(limit, offset)
          : statement.listNewestOfChannel.all(options.channelId, limit, offset);
      return rows.map((row) => asRecord(row)!);
    },

    listNewest: (limit: number) =>
      statement.listNewestEntries
        .all(limit)
        .map((row) => withoutNulls<ChannelEntry>(row as Record<string, unknown>)),

    markRendered: (keys: ArticleKey[]) => markAllRendered(keys),
    listUnrendered: () => statement.unrendered.all() as ArticleKey[],
    listToRevisit: (options: RevisitQuery) =>
      statement.toRevisit
        .all(revisitSince(options), options.checkedBefore, options.limit)
        .map((row) => asRecord(row)!),
    markChecked(siteId: string, id: string, at: string): void {
      statement.markChecked.run(at, siteId, id);
    },

    countArticles: (channelId?: string) =>
      (statement.count.pluck().get(channelId ?? '') as number | undefined) ?? 0,

    /** One batch of `allArticles`: articles with a key above `afterKey`, and the key to continue from. */
    articlesAfter(afterKey: number): { records: ArticleRecord[]; lastKey: number } {
      const rows = statement.allAfter.all(afterKey, ALL_ARTICLES_BATCH) as Array<{ key: number }>;
      const records = rows.map(({ key: _key, ...rest }) => asRecord(rest)!);
      return { records, lastKey: rows.length === 0 ? afterKey : rows[rows.length - 1].key };
    },
  };
}
