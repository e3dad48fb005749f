import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { articleIdFromUrl, isSafeId, MAX_ID_BYTES, pagePath, safeId } from '../../src/internal/ids.ts';
import { normalizeArticleUrl } from '../../src/internal/url.ts';

const EPOCH_PATTERN = '/(n\\d+)\\.htm$';

/** Any UTF-16 string, lone surrogates included: ids come from hostile URLs. */
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({
    unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    maxLength: 60,
  }),
  fc.string({
    unit: fc.constantFrom('.', '/', '\\', '\0', 'a', '中', '_', '-', ' ', 'é', 'e\u0301', ':'),
    maxLength: 40,
  }),
  fc.constantFrom('con', 'CON.txt', 'aux', 'Nul', 'com1', 'lpt9.md', '..', '.', '...', '.git', 'a.'),
);

describe('safeId', () => {
  test('an id that is already safe is returned unchanged', () => {
    for (const id of ['n14097883', '2024-05-01_story', '中文标题', 'a.b', 'v1.2~3+4=5@6,7']) {
      assert.equal(safeId(id), id);
    }
  });

  test('hostile ids become safe, stable names with a hash', () => {
    const escaped = safeId('../../etc/passwd');
    assert.match(escaped, /^etc_passwd-[0-9a-f]{12}$/);
    assert.equal(safeId('../../etc/passwd'), escaped);
    assert.match(safeId('a/b'), /^a_b-[0-9a-f]{12}$/);
    assert.match(safeId('a\0b'), /^a_b-[0-9a-f]{12}$/);
    assert.match(safeId('.hidden'), /^hidden-[0-9a-f]{12}$/);
    assert.match(safeId('con'), /^_con-[0-9a-f]{12}$/);
    assert.match(safeId('LPT1.txt'), /^_LPT1.txt-[0-9a-f]{12}$/);
    assert.match(safeId(''), /^id-[0-9a-f]{12}$/);
    assert.notEqual(safeId('a/b'), safeId('a\\b'), 'ids that escape alike still differ');
  });

  test('long ids are cut to the byte limit on a character boundary', () => {
    const long = safeId('文'.repeat(200));
    assert.ok(Buffer.byteLength(long) <= MAX_ID_BYTES);
    assert.ok(long.startsWith('文文'));
    assert.ok(!long.includes('\uFFFD'));
  });

  test('property: output is safe, and safeId is idempotent on it', () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        const id = safeId(raw);
        assert.ok(isSafeId(id), JSON.stringify(id));
        assert.ok(!/[/\\\0\u0000-\u001f\u007f]/.test(id), JSON.stringify(id));
        assert.ok(!id.includes('..'));
        assert.ok(!id.startsWith('.'));
        assert.ok(id.length > 0);
        assert.ok(Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES);
        assert.equal(safeId(id), id);
      }),
      { numRuns: 5000 },
    );
  });

  test('property: different raw ids give different names', () => {
    fc.assert(
      fc.property(anyString, anyString, (a, b) => {
        if (a !== b) assert.notEqual(safeId(a), safeId(b));
      }),
      { numRuns: 5000 },
    );
  });

  test('injective over a large sample', () => {
    const sample = new Set(fc.sample(anyString, { numRuns: 20_000, seed: 42 }));
    const names = new Set([...sample].map(safeId));
    assert.equal(names.size, sample.size);
  });
});

describe('articleIdFromUrl', () => {
  test("group 1 of the site's pattern", () => {
    assert.equal(
      articleIdFromUrl('https://www.epochtimes.com/gb/24/5/1/n14097883.htm', EPOCH_PATTERN),
      'n14097883',
    );
  });

  test('null when the pattern does not match: not an article URL', () => {
    assert.equal(articleIdFromUrl('https://www.epochtimes.com/gb/ncid1078159.htm', EPOCH_PATTERN), null);
    assert.equal(articleIdFromUrl('https://www.epochtimes.com/gb/', EPOCH_PATTERN), null);
  });

  test('share variants with a kept query still match a $-anchored pattern', () => {
    const url = normalizeArticleUrl('https://www.epochtimes.com/gb/n1.htm?from=timeline&utm_source=x');
    assert.equal(articleIdFromUrl(url!, EPOCH_PATTERN), 'n1');
  });

  test('a pattern without a group uses the whole match; captured ids are made safe', () => {
    assert.equal(articleIdFromUrl('https://a.example/story/123', '\\d+$'), '123');
    const id = articleIdFromUrl('https://a.example/p/..%2F..%2Fetc', '/p/(.+)$');
    assert.ok(id !== null && isSafeId(id) && !id.includes('/'));
  });

  test('without a pattern: last path segment without extension, as the original', () => {
    assert.equal(articleIdFromUrl('https://www.epochtimes.com/gb/24/5/1/n14097883.htm'), 'n14097883');
    assert.equal(articleIdFromUrl('https://a.example/news/2024/some-story/'), 'some-story');
    assert.equal(articleIdFromUrl('https://a.example/%E4%B8%AD%E6%96%87.html'), '中文');
  });

  test('without a pattern: a query or an empty path adds or becomes a short hash', () => {
    const one = articleIdFromUrl('https://a.example/article.php?id=1');
    const two = articleIdFromUrl('https://a.example/article.php?id=2');
    assert.match(one!, /^article-[0-9a-f]{12}$/);
    assert.notEqual(one, two);
    assert.match(articleIdFromUrl('https://a.example/')!, /^u-[0-9a-f]{12}$/);
    assert.notEqual(articleIdFromUrl('https://a.example/'), articleIdFromUrl('https://b.example/'));
    assert.equal(articleIdFromUrl('not a url'), null);
  });
});

describe('pagePath', () => {
  test('flat and month-sharded layouts', () => {
    assert.equal(pagePath('ncid1078159', 'n14097883'), 'pages/ncid1078159/n14097883.md');
    assert.equal(
      pagePath('ncid1078159', 'n14097883', { shardByMonth: true, published: '2024-05-01T23:00:00-05:00' }),
      'pages/ncid1078159/2024-05/n14097883.md',
    );
    assert.equal(pagePath('c', 'n1', { shardByMonth: true }), 'pages/c/undated/n1.md');
    assert.equal(pagePath('c', 'n1', { shardByMonth: true, published: 'garbage' }), 'pages/c/undated/n1.md');
    assert.equal(pagePath('c', 'n1', { shardByMonth: false, published: '2024-05-01' }), 'pages/c/n1.md');
  });

  test('property: the path never escapes pages/', () => {
    fc.assert(
      fc.property(
        anyString,
        anyString,
        fc.boolean(),
        fc.option(anyString, { nil: undefined }),
        (channel, id, shard, published) => {
          const path = pagePath(channel, id, { shardByMonth: shard, published });
          assert.ok(path.startsWith('pages/'), path);
          assert.ok(path.endsWith('.md'));
          assert.equal(posix.normalize(path), path);
          const segments = path.split('/');
          assert.equal(segments.length, shard ? 4 : 3);
          assert.ok(
            segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..'),
            path,
          );
          assert.ok(!path.includes('\\') && !path.includes('\0'));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('property: URL -> id -> path is stable and stays inside pages/', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (raw) => {
        const url = normalizeArticleUrl(raw);
        assert.notEqual(url, null);
        const id = articleIdFromUrl(url!);
        assert.notEqual(id, null);
        assert.ok(isSafeId(id!));
        assert.equal(articleIdFromUrl(normalizeArticleUrl(url!)!), id, 'same URL, same id');
        assert.match(pagePath('channel', id!), /^pages\/channel\/[^/]+\.md$/);
      }),
      { numRuns: 2000 },
    );
  });
});
