// A store the size the original mirror reached (100,000+ articles) must answer the hot paths through indexes.
// Checked with EXPLAIN QUERY PLAN, not with timings: machines are noisy, plans are not.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { articleSql } from '../../src/store/articles.ts';
import { channelSql } from '../../src/store/channels.ts';
import { failureSql } from '../../src/store/failures.ts';
import { fetchCacheSql } from '../../src/store/fetch-cache.ts';
import { imageSql } from '../../src/store/images.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';
import { remoteSql } from '../../src/store/remotes.ts';
import { sourceSignalSql } from '../../src/store/source-signals.ts';
import { viewSql } from '../../src/store/views.ts';
import { article, tempStorePath } from './helpers.ts';

const ARTICLES = 100_000;
const CHANNELS = 10;
const FEATURED_EVERY = 3; // every third article is also listed in 'featured'
const BIG_TABLES = ['articles', 'article_urls', 'memberships', 'fetch_cache', 'views', 'images', 'failures'];
const MINUTE = 60_000;
const START = Date.UTC(2024, 0, 1);

const channelOf = (i: number) => `c${i % CHANNELS}`;
// Published times go up with i, except that every 7th article's publisher gave no date.
const publishedOf = (i: number) => (i % 7 === 0 ? undefined : new Date(START + i * MINUTE).toISOString());
const FIRST_SEEN = '2026-01-01T00:00:00.000Z';

/** Binds a dummy value to every parameter: plans depend on the shape of the query, not on the values. */
function planOf(db: Database.Database, sql: string): string[] {
  const named = [...new Set(sql.match(/@\w+/g) ?? [])];
  const args =
    named.length > 0
      ? [Object.fromEntries(named.map((name) => [name.slice(1), 1]))]
      : Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 1);
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>;
  return rows.map((row) => row.detail);
}

/** Lines of a plan that read a whole big table: "SCAN articles", "SCAN a" (an alias), with or without an index. */
function fullScans(plan: string[], aliases: Record<string, string> = {}): string[] {
  return plan.filter((line) => {
    const match = /^SCAN (\w+)/.exec(line);
    if (!match) return false;
    const table = aliases[match[1]] ?? match[1];
    return BIG_TABLES.includes(table);
  });
}

// Hot-path queries: each must seek through a key or an index, never scan a big table.
const LOOKUPS: Record<string, string> = {
  'article by (site, id)': articleSql.get,
  'article by URL': articleSql.byUrl,
  'article by page path': articleSql.byPagePath,
  'page exists': articleSql.hasPage,
  'page path of a URL (link policy)': articleSql.pagePathForUrl,
  'state before a save': articleSql.state,
  'owner of a page path': articleSql.pathOwner,
  'article key': articleSql.keyOf,
  'membership order on update': articleSql.updateMembershipOrder,
  'newest of a channel (full records)': articleSql.listNewestOfChannel,
  'count of a channel': articleSql.count,
  'next batch of allArticles': articleSql.allAfter,
  'mark rendered': articleSql.markRendered,
  'channels of an article': channelSql.channelsOf,
  'channel index page': channelSql.entries,
  'key for a membership': channelSql.keyOf,
  'validators by URL': fetchCacheSql.get,
  'failure by URL': failureSql.get,
  'image by source': imageSql.get,
  'image by content': imageSql.bySha256,
  'push state': remoteSql.get,
  'source signal': sourceSignalSql.get,
  'views per day': viewSql.perDay,
  'top pages': viewSql.top,
};

// Walks SQLite calls "SCAN … USING INDEX" that still cost only what they return: listing the newest of everything
// reads articles_newest in order and stops after LIMIT rows (no sort of the whole table follows); the partial index
// articles_unrendered holds only the articles waiting for a render.
const INDEX_WALKS: Record<string, { sql: string; plan: string[] }> = {
  'newest articles (full records)': {
    sql: articleSql.listNewest,
    plan: ['SCAN a USING INDEX articles_newest'],
  },
  'newest articles (index entries)': {
    sql: articleSql.listNewestEntries,
    plan: ['SCAN a USING INDEX articles_newest'],
  },
  'articles waiting for a render': {
    sql: articleSql.unrendered,
    plan: ['SCAN articles USING INDEX articles_unrendered'],
  },
};

describe(`a store of ${ARTICLES.toLocaleString('en')} articles`, () => {
  let path: string;
  let cleanup: () => void;
  let store: Store;

  before(async () => {
    ({ path, cleanup } = tempStorePath());
    store = await openSqliteStore(path);
    // One transaction around the whole load; each call runs prepared statements.
    await store.transaction(async (tx) => {
      for (let i = 0; i < ARTICLES; i++) {
        const id = `n${i}`;
        const homeChannel = channelOf(i);
        await tx.articles.save(
          article(id, {
            homeChannel,
            pagePath: `pages/${homeChannel}/${id}.md`,
            published: publishedOf(i),
            canonicalUrl: i % 10 === 0 ? `https://www.news.example/gb/${id}.htm` : undefined,
            firstSeen: FIRST_SEEN,
            updatedAt: FIRST_SEEN,
            extracted: '{}',
          }),
        );
        await tx.channels.addMembership('epoch', id, homeChannel, FIRST_SEEN);
        if (i % FEATURED_EVERY === 0) await tx.channels.addMembership('epoch', id, 'featured', FIRST_SEEN);
      }
    });
  });
  after(async () => {
    await store.close();
    cleanup();
  });

  test('answers the newest 30 of a channel, and lookups by URL', async () => {
    assert.equal(await store.articles.count(), ARTICLES);
    assert.equal(await store.articles.count('c3'), ARTICLES / CHANNELS);
    assert.equal(await store.articles.count('featured'), Math.ceil(ARTICLES / FEATURED_EVERY));

    // Expected: dated articles of c3 by published time, newest first; undated ones sort at first seen (2026),
    // after every dated one (2024), so they come first, the latest saved first.
    const c3 = Array.from({ length: ARTICLES }, (_, i) => i).filter((i) => channelOf(i) === 'c3');
    const undated = c3.filter((i) => publishedOf(i) === undefined).reverse();
    const dated = c3.filter((i) => publishedOf(i) !== undefined).reverse();
    const expected = [...undated, ...dated].slice(0, 30).map((i) => `n${i}`);
    const page = await store.channels.entries('c3', { limit: 30 });
    assert.deepEqual(
      page.map((entry) => entry.id),
      expected,
    );
    const second = await store.channels.entries('c3', { limit: 30, offset: 30 });
    assert.deepEqual(
      second.map((entry) => entry.id),
      [...undated, ...dated].slice(30, 60).map((i) => `n${i}`),
    );

    for (const i of [0, 1, 4_321, 77_777, ARTICLES - 1]) {
      const found = await store.articles.getByUrl(`https://news.example/gb/n${i}.htm`);
      assert.equal(found?.id, `n${i}`);
      assert.equal(found?.pagePath, `pages/${channelOf(i)}/n${i}.md`);
    }
    assert.equal((await store.articles.getByUrl('https://www.news.example/gb/n77770.htm'))?.id, 'n77770');
    assert.equal(await store.articles.pagePathForUrl('https://news.example/gb/n100000.htm'), undefined);
  });

  test('hot-path queries seek through indexes, before and after the planner has statistics', async () => {
    for (const stage of ['no statistics', 'with statistics (ANALYZE)']) {
      if (stage !== 'no statistics') {
        const writer = new Database(path);
        writer.exec('ANALYZE');
        writer.close();
      }
      const db = new Database(path, { readonly: true });
      try {
        for (const [name, sql] of Object.entries(LOOKUPS)) {
          const plan = planOf(db, sql);
          assert.deepEqual(
            fullScans(plan, { a: 'articles', m: 'memberships', u: 'article_urls' }),
            [],
            `${stage}: ${name}: ${plan.join(' | ')}`,
          );
        }
        for (const name of ['newest of a channel (full records)', 'channel index page']) {
          const plan = planOf(db, LOOKUPS[name]);
          assert.ok(!plan.some((line) => line.includes('TEMP B-TREE')), `${stage}: ${name} sorts: ${plan}`);
          assert.ok(
            plan.some((line) => line.includes('memberships_newest')),
            `${stage}: ${name}: ${plan}`,
          );
        }
        for (const [name, walk] of Object.entries(INDEX_WALKS)) {
          assert.deepEqual(planOf(db, walk.sql), walk.plan, `${stage}: ${name}`);
        }
      } finally {
        db.close();
      }
    }
  });
});
