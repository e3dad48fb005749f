// Static site + search index: size per 1,000 articles and build times, first and incremental (issue 15).
//   node bin/run-ts.js scripts/bench-search.ts [--articles 1000] [--new 10] [--lang zh|en]
// Articles are stored in a SQLite store and written as Markdown pages into a mirror folder (in os.tmpdir()); then
// `newsmirror site`'s two steps run (buildSite, buildSearch) three times: from scratch, after `--new` more
// articles (the incremental build), and with nothing new. Times are wall clock (CPU time of the process beside
// the total, which a busy machine inflates less). Chinese texts are the real ones of
// ../shared/bench-data/zh-content/cleaned when present (read, never copied), recombined paragraph by paragraph with a
// seeded random; otherwise, and for --lang en, sentences of a 12-word vocabulary (timings only: such an index is
// far smaller than a real one).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { seededRandom } from '../harness/random.ts';
import { parseConfigText } from '../src/config/load.ts';
import { buildSearch } from '../src/pipeline/steps/build-search.ts';
import { buildSite } from '../src/pipeline/steps/build-site.ts';
import { openSqliteStore, type Store } from '../src/store/index.ts';

const { values: args } = parseArgs({
  options: {
    articles: { type: 'string', default: '1000' },
    new: { type: 'string', default: '10' },
    lang: { type: 'string', default: 'zh' },
  },
});
const ARTICLES = Number(args.articles);
const NEW = Number(args.new);
const random = seededRandom(15);
const ZH_TEXTS = '../shared/bench-data/zh-content/cleaned';

function paragraphPool(): string[] {
  if (args.lang === 'zh' && existsSync(ZH_TEXTS)) {
    return readdirSync(ZH_TEXTS).flatMap((name) =>
      readFileSync(join(ZH_TEXTS, name), 'utf8')
        .split(/\n\s*\n/)
        .map((paragraph) => paragraph.replace(/\s+/g, ''))
        .filter((paragraph) => paragraph.length > 20),
    );
  }
  const words =
    'election court minister protest economy trade report police village river school hospital'.split(' ');
  return Array.from({ length: 400 }, () =>
    Array.from({ length: 60 }, () => words[Math.floor(random() * words.length)]).join(' '),
  );
}

const pool = paragraphPool();
/** About 4,300 characters, as the texts of zh-content average. */
function articleText(): string {
  const parts: string[] = [];
  for (let length = 0; length < 4300; ) {
    const paragraph = pool[Math.floor(random() * pool.length)];
    parts.push(paragraph);
    length += paragraph.length;
  }
  return parts.join('\n\n');
}

async function addArticles(store: Store, mirrorDir: string, from: number, count: number): Promise<void> {
  for (let n = from; n < from + count; n++) {
    const text = articleText();
    const title = `${text.slice(0, 16)} ${n}`;
    const pagePath = `pages/world/a${n}.md`;
    const paragraphs = text.split('\n\n').map((value) => ({
      type: 'element',
      tagName: 'p',
      properties: {},
      children: [{ type: 'text', value }],
    }));
    const at = new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString();
    await store.articles.save({
      siteId: 's',
      id: `a${n}`,
      url: `https://news.example.org/a${n}.html`,
      homeChannel: 'world',
      pagePath,
      title,
      contentHash: `a${n}`,
      extracted: JSON.stringify({
        title,
        body: { type: 'root', children: paragraphs },
        method: 'rules',
        ruleMisses: [],
      }),
      firstSeen: at,
      updatedAt: at,
    });
    writeFileSync(join(mirrorDir, pagePath), `### ${title}\n\n${text}\n`);
  }
  writeFileSync(join(mirrorDir, 'README.md'), `### bench\n\n${from + count} articles\n`);
}

function folderBytes(dir: string): { bytes: number; gzipped: number; files: number } {
  let bytes = 0;
  let gzipped = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const content = readFileSync(join(entry.parentPath, entry.name));
    bytes += content.length;
    gzipped += gzipSync(content).length;
    files++;
  }
  return { bytes, gzipped, files };
}

const work = mkdtempSync(join(tmpdir(), 'newsmirror-bench-search-'));
try {
  const mirrorDir = join(work, 'mirror');
  mkdirSync(join(mirrorDir, 'pages', 'world'), { recursive: true });
  const config = `mirror:\n  title: bench\n  dir: mirror\nsites:\n  - { id: s, name: S, base: "https://news.example.org/", lang: ${args.lang === 'zh' ? 'zh-CN' : 'en'}, channels: [{ id: world, title: World, feed: "https://news.example.org/feed.xml" }] }\n`;
  const loaded = parseConfigText(config, join(work, 'newsmirror.yaml'), work);
  const store = await openSqliteStore(join(work, 'store.sqlite'));
  const out = join(work, 'site');
  const build = async (label: string) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const site = await buildSite({ loaded, out, store });
    const siteMs = performance.now() - started;
    const search = await buildSearch({ loaded, store, outDir: out });
    const totalMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.log(
      `${label.padEnd(12)} site ${(siteMs / 1000).toFixed(2)} s (${site.rendered} pages rendered), ` +
        `search ${((totalMs - siteMs) / 1000).toFixed(2)} s (${search.reindexed} of ${search.documents} ` +
        `articles tokenised, ${search.shardsWritten} of ${search.shards} shards rewritten), ` +
        `total ${(totalMs / 1000).toFixed(2)} s (CPU ${cpuSeconds.toFixed(2)} s)`,
    );
    return search;
  };
  await addArticles(store, mirrorDir, 0, ARTICLES);
  console.log(`${ARTICLES} articles (${args.lang}, ${pool.length} paragraphs to draw from), then ${NEW} new`);
  const first = await build('first');
  const index = folderBytes(join(out, 'search'));
  const per = 1000 / ARTICLES;
  console.log(
    `index: ${(index.bytes / 1e6).toFixed(2)} MB in ${index.files} files (${(index.gzipped / 1e6).toFixed(2)} MB ` +
      `gzipped), ${first.tokens} tokens; per 1,000 articles ${((index.bytes * per) / 1e6).toFixed(2)} MB ` +
      `(${((index.gzipped * per) / 1e6).toFixed(2)} MB gzipped)`,
  );
  await addArticles(store, mirrorDir, ARTICLES, NEW);
  await build('incremental');
  await build('nothing new');
  await store.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
