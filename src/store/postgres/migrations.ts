// PostgreSQL schema as an append-only list of migrations, apart from SQLite's (the SQL differs; the tables and
// what they mean are the same). Add new migrations at the end; never edit or reorder one that has shipped. Applied
// versions are rows of `schema_migrations`; each migration runs in its own transaction with its row. Opening takes
// an advisory lock for the whole sequence, so two processes opening a new database at once do not both migrate it.
//
// Text columns are COLLATE "C": orderings (failures by time then URL, remotes by name, ties by path) compare
// bytes, as SQLite's BINARY does, whatever collation the operator's database was created with.
import { StoreError } from '../errors.ts';
import type { Conn } from './session.ts';

export interface PgMigration {
  name: string;
  up: string;
}

const T = 'text COLLATE "C"';

export const pgMigrations: readonly PgMigration[] = [
  {
    name: 'articles, their URLs, channel membership and counts',
    // Same design as SQLite's: `key` for memberships and URLs to point at, `sort_ms` (published capped at first
    // seen) copied into memberships so a channel's newest come off one index, `counts` kept by triggers so counting
    // is one row read. needs_render marks a page saved but not yet committed; the partial index holds only those.
    up: `
      CREATE TABLE articles (
        key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        site_id ${T} NOT NULL,
        id ${T} NOT NULL,
        url ${T} NOT NULL,
        canonical_url ${T},
        home_channel ${T} NOT NULL,
        page_path ${T} NOT NULL,
        title text NOT NULL,
        author text,
        published text,
        lang text,
        content_hash text NOT NULL,
        extracted text NOT NULL,
        first_seen text NOT NULL,
        updated_at text NOT NULL,
        retracted_at text,
        sort_ms bigint NOT NULL,
        needs_render boolean NOT NULL DEFAULT false,
        UNIQUE (site_id, id)
      );
      CREATE INDEX articles_newest ON articles (sort_ms DESC, key DESC);
      CREATE UNIQUE INDEX articles_by_page_path ON articles (page_path);
      CREATE INDEX articles_unrendered ON articles (key) WHERE needs_render;

      CREATE TABLE article_urls (
        url ${T} PRIMARY KEY,
        article_key bigint NOT NULL REFERENCES articles (key) ON DELETE CASCADE
      );
      CREATE INDEX article_urls_by_article ON article_urls (article_key);

      CREATE TABLE memberships (
        article_key bigint NOT NULL REFERENCES articles (key) ON DELETE CASCADE,
        channel_id ${T} NOT NULL,
        seen_at ${T} NOT NULL,
        sort_ms bigint NOT NULL,
        PRIMARY KEY (article_key, channel_id)
      );
      CREATE INDEX memberships_newest ON memberships (channel_id, sort_ms DESC, article_key DESC);

      CREATE TABLE counts (
        scope ${T} PRIMARY KEY, -- '' = all articles, otherwise a channel id
        n bigint NOT NULL
      );
      INSERT INTO counts (scope, n) VALUES ('', 0);

      CREATE FUNCTION articles_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE counts SET n = n + 1 WHERE scope = '';
        ELSE
          UPDATE counts SET n = n - 1 WHERE scope = '';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER articles_count AFTER INSERT OR DELETE ON articles
        FOR EACH ROW EXECUTE FUNCTION articles_count();

      CREATE FUNCTION memberships_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO counts AS c (scope, n) VALUES (NEW.channel_id, 1)
            ON CONFLICT (scope) DO UPDATE SET n = c.n + 1;
        ELSE
          UPDATE counts SET n = n - 1 WHERE scope = OLD.channel_id;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER memberships_count AFTER INSERT OR DELETE ON memberships
        FOR EACH ROW EXECUTE FUNCTION memberships_count();

      CREATE TABLE article_refs (
        url ${T} NOT NULL,
        kind ${T} NOT NULL CHECK (kind IN ('image', 'link')),
        article_key bigint NOT NULL REFERENCES articles (key) ON DELETE CASCADE,
        PRIMARY KEY (url, kind, article_key)
      );
      CREATE INDEX article_refs_by_article ON article_refs (article_key);

      CREATE TABLE source_signals (
        url ${T} PRIMARY KEY,
        title text,
        published text,
        seen_at text NOT NULL
      );
    `,
  },
  {
    name: 'fetch cache, failures and runs',
    up: `
      CREATE TABLE fetch_cache (
        url ${T} PRIMARY KEY,
        etag text,
        last_modified text,
        content_hash text,
        saved_at text NOT NULL
      );

      CREATE TABLE failures (
        url ${T} PRIMARY KEY,
        site_id ${T} NOT NULL,
        channel_id ${T},
        code text NOT NULL,
        message text NOT NULL,
        retryable boolean NOT NULL,
        attempts integer NOT NULL,
        first_at ${T} NOT NULL,
        last_at text NOT NULL
      );

      CREATE TABLE runs (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        started_at text NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'finished', 'abandoned')),
        finished_at text,
        new_count integer,
        updated integer,
        failed integer,
        skipped integer,
        git_commit text,
        bytes bigint
      );
      CREATE INDEX runs_running ON runs (id) WHERE status = 'running';
    `,
  },
  {
    name: 'mirrored images and their failures, git remotes',
    up: `
      CREATE TABLE images (
        src ${T} PRIMARY KEY,
        asset_path text NOT NULL,
        sha256 ${T} NOT NULL,
        bytes bigint NOT NULL,
        original_bytes bigint NOT NULL,
        width integer,
        height integer,
        content_type text NOT NULL,
        saved_at text NOT NULL
      );
      CREATE INDEX images_by_sha256 ON images (sha256);

      CREATE TABLE image_failures (
        src ${T} PRIMARY KEY,
        code text NOT NULL,
        message text NOT NULL,
        attempts integer NOT NULL,
        first_at ${T} NOT NULL,
        last_at text NOT NULL
      );

      CREATE TABLE remotes (
        remote ${T} PRIMARY KEY,
        last_attempt_at text NOT NULL,
        ok boolean NOT NULL,
        git_commit text,
        error text,
        last_success_at text,
        last_pushed_commit text,
        consecutive_failures integer NOT NULL
      );
    `,
  },
  {
    name: 'page views per day',
    up: `
      CREATE TABLE views (
        path ${T} NOT NULL,
        day ${T} NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (path, day)
      );
      CREATE INDEX views_by_day ON views (day, path, count);
    `,
  },
  {
    name: 'when each article was last checked at its source',
    // As SQLite's: NULL means "checked when last saved" (updated_at); read through articles_newest's sort_ms range.
    up: `
      ALTER TABLE articles ADD COLUMN checked_at ${T};
    `,
  },
  {
    name: 'the health of each channel',
    // As SQLite's: one row per channel, rewritten whole each run; recent_links is a JSON list of counts.
    up: `
      CREATE TABLE channel_health (
        channel_id ${T} PRIMARY KEY,
        site_id ${T} NOT NULL,
        last_success_at ${T},
        last_failure_at ${T},
        last_error text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        recent_links text NOT NULL DEFAULT '[]'
      );
    `,
  },
];

export const latestPgSchemaVersion = pgMigrations.length;

// pg_advisory_lock key: any constant that other software sharing the database is unlikely to use ('nmstore').
const MIGRATION_LOCK = 0x6e6d73746f7265n;

export async function pgSchemaVersionOf(conn: Conn): Promise<number> {
  const { rows } = await conn.query<{ version: number | null }>(
    'SELECT max(version)::integer AS version FROM schema_migrations',
  );
  return rows[0]?.version ?? 0;
}

/**
 * Brings the database up to `list.length` on `conn` (a connection of its own: the advisory lock is per session),
 * one transaction per migration. Returns the version reached.
 */
export async function applyPgMigrations(
  conn: Conn,
  where: string,
  list: readonly PgMigration[] = pgMigrations,
): Promise<number> {
  // Waits for another process migrating this database however long it takes: a lock timeout here would fail an
  // open that is merely slow.
  await conn.query("SET lock_timeout = '0'");
  await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
  try {
    // Under the lock: CREATE TABLE IF NOT EXISTS from two sessions at once can still collide in the catalog.
    await conn.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at text NOT NULL
    )`);
    for (;;) {
      const version = await pgSchemaVersionOf(conn);
      if (version > list.length) {
        throw new StoreError(
          `store: ${where} is at schema version ${version}, newer than this newsmirror knows (${list.length}); ` +
            'upgrade newsmirror to use it',
          { code: 'schema_too_new', where, retryable: false },
        );
      }
      if (version === list.length) return version;
      const migration = list[version];
      await conn.query('BEGIN');
      try {
        await conn.query(migration.up);
        await conn.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          version + 1,
          migration.name,
          new Date().toISOString(),
        ]);
        await conn.query('COMMIT');
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => {});
        throw new StoreError(
          `store: migration ${version + 1} (${migration.name}) failed on ${where}: ${(error as Error).message}`,
          { code: 'migration_failed', where, retryable: false, cause: error },
        );
      }
    }
  } finally {
    await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]).catch(() => {});
    await conn.query('RESET lock_timeout').catch(() => {});
  }
}
