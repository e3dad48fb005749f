// SQLite schema as an append-only list of migrations. Add new migrations at the end of the list; never edit or
// reorder one that has shipped. The schema version is the number of migrations applied, kept in
// `PRAGMA user_version`; each migration runs in its own transaction together with the version bump, so a crash
// leaves the file at the previous version, never half-migrated.
import type { Database } from 'better-sqlite3';
import { StoreError } from './errors.ts';

export interface Migration {
  /** What the migration does, for error messages. */
  name: string;
  /** SQL run as one script; or a function for data migrations that need code. */
  up: string | ((db: Database) => void);
}

export const migrations: readonly Migration[] = [
  {
    name: 'articles, their URLs and channel membership',
    // `key` gives memberships and URLs a small integer to point at. `sort_ms` is the time an index orders by
    // (published, capped at first seen; see articles.ts); it is copied into memberships so the newest entries of a
    // channel come straight off one index. `counts` holds per-channel and total counts, kept by triggers, so counting
    // never walks 100,000 rows. Page paths are unique: two articles on one path would overwrite each other's page.
    up: `
      CREATE TABLE articles (
        key INTEGER PRIMARY KEY,
        site_id TEXT NOT NULL,
        id TEXT NOT NULL,
        url TEXT NOT NULL,
        canonical_url TEXT,
        home_channel TEXT NOT NULL,
        page_path TEXT NOT NULL,
        title TEXT NOT NULL,
        author TEXT,
        published TEXT,
        lang TEXT,
        content_hash TEXT NOT NULL,
        extracted TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        retracted_at TEXT,
        sort_ms INTEGER NOT NULL,
        UNIQUE (site_id, id)
      );
      CREATE INDEX articles_newest ON articles (sort_ms DESC, key DESC);
      CREATE UNIQUE INDEX articles_by_page_path ON articles (page_path);

      CREATE TABLE article_urls (
        url TEXT PRIMARY KEY,
        article_key INTEGER NOT NULL REFERENCES articles (key) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE INDEX article_urls_by_article ON article_urls (article_key);

      CREATE TABLE memberships (
        article_key INTEGER NOT NULL REFERENCES articles (key) ON DELETE CASCADE,
        channel_id TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        sort_ms INTEGER NOT NULL,
        PRIMARY KEY (article_key, channel_id)
      ) WITHOUT ROWID;
      CREATE INDEX memberships_newest ON memberships (channel_id, sort_ms DESC, article_key DESC);

      CREATE TABLE counts (
        scope TEXT PRIMARY KEY, -- '' = all articles, otherwise a channel id
        n INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- Plain UPDATEs (the rows are made beforehand) cost about half of an upsert in a trigger.
      INSERT INTO counts (scope, n) VALUES ('', 0);
      CREATE TRIGGER articles_count_insert AFTER INSERT ON articles BEGIN
        UPDATE counts SET n = n + 1 WHERE scope = '';
      END;
      CREATE TRIGGER articles_count_delete AFTER DELETE ON articles BEGIN
        UPDATE counts SET n = n - 1 WHERE scope = '';
      END;
      CREATE TRIGGER memberships_count_insert AFTER INSERT ON memberships BEGIN
        INSERT OR IGNORE INTO counts (scope, n) VALUES (NEW.channel_id, 0);
        UPDATE counts SET n = n + 1 WHERE scope = NEW.channel_id;
      END;
      CREATE TRIGGER memberships_count_delete AFTER DELETE ON memberships BEGIN
        UPDATE counts SET n = n - 1 WHERE scope = OLD.channel_id;
      END;
    `,
  },
  {
    name: 'fetch cache and failures',
    up: `
      CREATE TABLE fetch_cache (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        content_hash TEXT,
        saved_at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE failures (
        url TEXT PRIMARY KEY,
        site_id TEXT NOT NULL,
        channel_id TEXT,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        retryable INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        first_at TEXT NOT NULL,
        last_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    name: 'runs',
    up: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'abandoned')),
        finished_at TEXT,
        new_count INTEGER,
        updated INTEGER,
        failed INTEGER,
        skipped INTEGER,
        git_commit TEXT,
        bytes INTEGER
      );
      CREATE INDEX runs_running ON runs (id) WHERE status = 'running';
    `,
  },
  {
    name: 'mirrored images and their failures',
    up: `
      CREATE TABLE images (
        src TEXT PRIMARY KEY,
        asset_path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        original_bytes INTEGER NOT NULL,
        width INTEGER,
        height INTEGER,
        content_type TEXT NOT NULL,
        saved_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX images_by_sha256 ON images (sha256);

      CREATE TABLE image_failures (
        src TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        first_at TEXT NOT NULL,
        last_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    name: 'git remotes',
    up: `
      CREATE TABLE remotes (
        remote TEXT PRIMARY KEY,
        last_attempt_at TEXT NOT NULL,
        ok INTEGER NOT NULL,
        git_commit TEXT,
        error TEXT,
        last_success_at TEXT,
        last_pushed_commit TEXT,
        consecutive_failures INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    name: 'page views per day',
    // Keyed by (path, day) for the upsert; the (day) index serves "since a day" reads without touching old days.
    up: `
      CREATE TABLE views (
        path TEXT NOT NULL,
        day TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (path, day)
      ) WITHOUT ROWID;
      CREATE INDEX views_by_day ON views (day, path, count);
    `,
  },
  {
    name: 'pages waiting for a render, and what listings said of each URL',
    // needs_render is 1 from a save that changed an article until its page is committed; the partial index holds
    // only those rows, so finding them after a killed run reads a handful of entries, not the whole table.
    up: `
      ALTER TABLE articles ADD COLUMN needs_render INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX articles_unrendered ON articles (key) WHERE needs_render = 1;

      CREATE TABLE source_signals (
        url TEXT PRIMARY KEY,
        title TEXT,
        published TEXT,
        seen_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    name: 'what each article page shows from elsewhere: its images and the links in its body',
    // Reverse lookups for re-rendering: when an image that failed is mirrored at last, or an article that other pages
    // link to is mirrored, the pages showing it are rendered again (a relative link instead of plain text).
    up: `
      CREATE TABLE article_refs (
        url TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('image', 'link')),
        article_key INTEGER NOT NULL REFERENCES articles (key) ON DELETE CASCADE,
        PRIMARY KEY (url, kind, article_key)
      ) WITHOUT ROWID;
      CREATE INDEX article_refs_by_article ON article_refs (article_key);
    `,
  },
  {
    name: 'when each article was last checked at its source',
    // The revisit window re-checks young articles (sort_ms within `revisit.days`) whose last check is older than
    // `revisit.every`; NULL means "checked when last saved" (updated_at). Read through articles_newest's range on
    // sort_ms, so the check walks only the young articles.
    up: `
      ALTER TABLE articles ADD COLUMN checked_at TEXT;
    `,
  },
  {
    name: 'the health of each channel',
    // One row per channel, rewritten whole each run; recent_links is a JSON list of at most ten counts.
    up: `
      CREATE TABLE channel_health (
        channel_id TEXT PRIMARY KEY,
        site_id TEXT NOT NULL,
        last_success_at TEXT,
        last_failure_at TEXT,
        last_error TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        recent_links TEXT NOT NULL DEFAULT '[]'
      ) WITHOUT ROWID;
    `,
  },
];

/** The schema version this code writes: the number of migrations it knows. */
export const latestSchemaVersion = migrations.length;

export function schemaVersionOf(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` up to `list.length`, one transaction per migration. Safe against another process migrating the same
 * file at once: each step takes the write lock, then re-reads the version. Returns the version reached.
 */
export function applyMigrations(db: Database, list: readonly Migration[] = migrations): number {
  for (;;) {
    db.exec('BEGIN IMMEDIATE');
    try {
      const version = schemaVersionOf(db);
      if (version > list.length) {
        throw new StoreError(
          `store: ${db.name} is at schema version ${version}, newer than this newsmirror knows (${list.length}); ` +
            'upgrade newsmirror to use it',
          { code: 'schema_too_new', where: db.name, retryable: false },
        );
      }
      if (version === list.length) {
        db.exec('COMMIT');
        return version;
      }
      const migration = list[version];
      try {
        if (typeof migration.up === 'string') db.exec(migration.up);
        else migration.up(db);
      } catch (error) {
        throw new StoreError(
          `store: migration ${version + 1} (${migration.name}) failed on ${db.name}: ${(error as Error).message}`,
          { code: 'migration_failed', where: db.name, retryable: false, cause: error },
        );
      }
      // user_version lives in the file header, which is written as part of this transaction.
      db.pragma(`user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}
