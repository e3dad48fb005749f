// The static search index is updated incrementally: a build after a few new articles tokenises only those (the
// others' postings come from the previous index's files) and rewrites only the small second segment, and finds what
// a build from scratch finds; a merge (segment 1 grown, or an article changed) tokenises nothing old and, with
// nothing changed, gives a build from scratch's bytes; another script, or a build killed before its state was
// written, starts over.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type LoadedConfig, parseConfigText } from '../../../src/config/load.ts';
import {
  postingsOf,
  searchTokens,
  shardPath,
  updateSearchIndex,
} from '../../../src/pipeline/render/search/index.ts';
import { buildSearch, SEARCH_STATE_PATH } from '../../../src/pipeline/steps/build-search.ts';
import { openMemoryStore, type Store } from '../../../src/store/index.ts';

const CONFIG = (script: string) => `mirror:
  title: 镜像
  dir: mirror
  script: ${script}
sites:
  - id: s
    name: S
    base: https://news.example.org/
    channels:
      - { id: world, title: 国际, feed: https://news.example.org/feed.xml }
`;

const SENTENCES = [
  '日内瓦会议讨论了人权问题。',
  '臺北市議員選舉競爭激烈。',
  '记者协会表示新闻自由受到压力。',
  'The committee met in Geneva on Tuesday.',
  '香港經濟數據顯示增長放緩。',
];

async function save(store: Store, id: string, title: string, text: string, hash = id): Promise<void> {
  const body = {
    type: 'root',
    children: [{ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: text }] }],
  };
  const at = new Date(Date.UTC(2024, 0, 1) + Number(id.slice(1)) * 3_600_000).toISOString();
  await store.articles.save({
    siteId: 's',
    id,
    url: `https://news.example.org/${id}.html`,
    homeChannel: 'world',
    pagePath: `pages/world/${id}.md`,
    title,
    contentHash: hash,
    extracted: JSON.stringify({ title, body, method: 'rules', ruleMisses: [] }),
    firstSeen: at,
    updatedAt: at,
  });
}

/** What the page's script does, on the files: titles of the documents holding every token of the query. */
function find(dir: string, query: string): string[] {
  const read = (path: string) => JSON.parse(readFileSync(join(dir, path), 'utf8'));
  const meta = read('search/meta.json');
  const segments: Array<Map<string, number[]>> = meta.segments.map((segment: { shards: number }, n: number) =>
    postingsOf(Array.from({ length: segment.shards }, (_, shard) => read(shardPath(n, shard)))),
  );
  const lists = searchTokens(query, new Map(Object.entries(meta.variants))).map((token) =>
    segments.flatMap((postings) => postings.get(token) ?? []),
  );
  const hits = lists.reduce((a, b) => a.filter((doc) => b.includes(doc)));
  const docs: string[][] = Array.from({ length: Math.ceil(meta.documents / meta.chunk) }, (_, n) =>
    read(`search/docs/${n}.json`),
  ).flat();
  return hits.map((doc) => docs[doc][0]).sort();
}

const QUERIES = ['日内瓦', '日內瓦', 'geneva', '编号7号', '新疆', '选举', '經濟', 'tuesday'];

function searchFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of ['search', 'search/docs', 'search/index']) {
    for (const name of readdirSync(join(dir, folder))) {
      if (name.endsWith('.json'))
        files.set(`${folder}/${name}`, readFileSync(join(dir, folder, name), 'utf8'));
    }
  }
  return files;
}

describe('incremental search index', () => {
  let store: Store;
  let loaded: LoadedConfig;
  let out: string;
  before(async () => {
    store = await openMemoryStore();
    loaded = parseConfigText(CONFIG('original'), 'newsmirror.yaml', tmpdir());
    out = mkdtempSync(join(tmpdir(), 'newsmirror-search-incr-'));
    for (let n = 0; n < 40; n++) {
      await save(store, `a${n}`, `旧文章 ${n}`, `${SENTENCES[n % SENTENCES.length]} 编号${n}号`);
    }
  });
  after(async () => {
    await store.close();
    rmSync(out, { recursive: true, force: true });
  });

  test('after 3 new articles, only those are tokenised and only the second segment is written', async (t) => {
    const site = join(out, 'site');
    const first = await buildSearch({ loaded, store, outDir: site });
    assert.equal(first.reindexed, 40);
    assert.equal(first.full, 'no previous index');
    assert.equal(first.segments, 1);
    const segment0 = readFileSync(join(site, shardPath(0, 0)));
    await save(store, 'a40', '新文章 甲', '聯合國在日內瓦召開緊急會議。');
    await save(store, 'a41', '新文章 乙', 'Geneva talks resumed on Wednesday.');
    await save(store, 'a42', '新文章 丙', '新疆的人权状况引起关注。');
    const second = await buildSearch({ loaded, store, outDir: site });
    assert.equal(second.documents, 43);
    assert.equal(second.reindexed, 3, 'only the new articles are tokenised');
    assert.equal(second.full, undefined);
    assert.equal(second.segments, 2);
    assert.equal(second.shardsWritten, 1, "segment 1's one shard");
    assert.deepEqual(readFileSync(join(site, shardPath(0, 0))), segment0, 'segment 0 is left as it was');
    t.diagnostic(
      `second build: ${second.reindexed} of ${second.documents} articles tokenised, ` +
        `${second.shardsWritten} of ${second.shards} shards rewritten`,
    );

    const scratch = await buildSearch({ loaded, store, outDir: join(out, 'scratch') });
    assert.equal(scratch.reindexed, 43);
    for (const query of QUERIES)
      assert.deepEqual(find(site, query), find(join(out, 'scratch'), query), query);
    assert.deepEqual(
      find(site, '日内瓦'),
      [...[0, 5, 10, 15, 20, 25, 30, 35].map((n) => `旧文章 ${n}`), '新文章 甲'].sort(),
    );
    assert.deepEqual(
      find(site, 'geneva'),
      ['新文章 乙', ...[3, 8, 13, 18, 23, 28, 33, 38].map((n) => `旧文章 ${n}`)].sort(),
    );
    assert.deepEqual(find(site, '编号7号'), ['旧文章 7']);
    assert.deepEqual(find(site, '新疆'), ['新文章 丙']);
  });

  test('nothing new: nothing tokenised, no shard rewritten', async () => {
    const build = await buildSearch({ loaded, store, outDir: join(out, 'site') });
    assert.equal(build.reindexed, 0);
    assert.equal(build.shardsWritten, 0);
    assert.equal(build.written, 0);
  });

  test('segment 1 grown past its bound merges into one, tokenising only the new: the bytes of a build from scratch', async () => {
    for (let n = 43; n < 253; n++) await save(store, `a${n}`, `批量文章 ${n}`, `批量内容 序号${n}号`);
    const merged = await buildSearch({ loaded, store, outDir: join(out, 'site') });
    assert.equal(merged.reindexed, 210);
    assert.equal(merged.segments, 1);
    assert.ok(!existsSync(join(out, 'site', shardPath(1, 0))), "segment 1's shards are removed");
    await buildSearch({ loaded, store, outDir: join(out, 'scratch2') });
    assert.deepEqual(searchFiles(join(out, 'site')), searchFiles(join(out, 'scratch2')));
  });

  test('a changed article is tokenised again (a merge): its new words are found, its old ones are not', async () => {
    await save(store, 'a253', '新文章 丁', '最新的文章。');
    assert.equal((await buildSearch({ loaded, store, outDir: join(out, 'site') })).segments, 2);
    await save(store, 'a7', '旧文章 7', '改写后的内容提到了西藏。', 'a7-v2');
    const build = await buildSearch({ loaded, store, outDir: join(out, 'site') });
    assert.equal(build.reindexed, 1);
    assert.equal(build.segments, 1);
    assert.deepEqual(find(join(out, 'site'), '西藏'), ['旧文章 7']);
    assert.deepEqual(find(join(out, 'site'), '编号7号'), []);
    assert.deepEqual(find(join(out, 'site'), '编号8号'), ['旧文章 8']);
    assert.deepEqual(find(join(out, 'site'), '最新'), ['新文章 丁']);
  });

  test('another script, or a build killed before it wrote its state, tokenises everything again', async () => {
    const traditional = parseConfigText(CONFIG('traditional'), 'newsmirror.yaml', tmpdir());
    const converted = await buildSearch({ loaded: traditional, store, outDir: join(out, 'site') });
    assert.equal(converted.reindexed, 254);
    assert.match(converted.full ?? '', /another script/);
    unlinkSync(join(out, 'site', SEARCH_STATE_PATH));
    const again = await buildSearch({ loaded: traditional, store, outDir: join(out, 'site') });
    assert.equal(again.reindexed, 254);
  });

  test('a new character that folds an indexed one differently makes the build refold', () => {
    const doc = { key: 'k', stamp: 's', title: 't', href: 'h', channel: 'c', day: '2024-01-01' };
    const docs = [
      { ...doc, previous: 0 },
      { ...doc, key: 'n', text: '后来' },
    ];
    const previousWith = (token: string, variants: Record<string, string>) => ({
      documents: 1,
      segments: [{ start: 0, shards: 1 }],
      shardsOf: () => [{ [token]: [0] }],
      variants,
      chars: ['後'],
    });
    // The previous index held 後 as itself; with 后 in the corpus the table folds 後 to 后.
    assert.equal(updateSearchIndex(docs, previousWith('後', {})), 'refold');
    assert.notEqual(updateSearchIndex(docs, previousWith('后', { 後: '后' })), 'refold');
  });
});
