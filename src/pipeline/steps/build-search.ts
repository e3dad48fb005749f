// The static site's search (`newsmirror site`): every stored article's title, author and sanitised body (the same
// transform as its page) indexed into the site's `search/` folder, plus the search page and its script. Updated
// incrementally: an article whose stamp (content hash, last change) is the one the previous index recorded keeps
// its postings and is not transformed or tokenised again (render/search/build.ts says which files change); files
// whose bytes are unchanged are not rewritten, and shards the index no longer has are removed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedConfig } from '../../config/load.ts';
import type { Config } from '../../config/options.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import type { StorePorts } from '../../store/index.ts';
import { removeFiles, writeFilesAtomic } from '../publish/write-files.ts';
import { toPlainText } from '../render/index.ts';
import {
  type IndexDocument,
  type PreviousIndex,
  renderSearchPage,
  SEARCH_FOLDER,
  SEARCH_INDEX_VERSION,
  SEARCH_PAGE_PATH,
  SEARCH_SCRIPT,
  SEARCH_SCRIPT_PATH,
  type SearchIndexSummary,
  type SearchState,
  type Shard,
  shardPath,
  updateSearchIndex,
} from '../render/search/index.ts';
import { sitePathOf } from '../render/site/index.ts';
import { transformStoredArticle } from '../threads/article-page.ts';
import { channelTitleOf } from './page-input.ts';

export interface BuildSearchOptions {
  loaded: LoadedConfig;
  store: Pick<StorePorts, 'articles'>;
  /** The site's folder (as `buildSite` wrote it). */
  outDir: string;
}

export interface SearchBuildSummary extends SearchIndexSummary {
  /** Files whose bytes changed. */
  written: number;
  bytesWritten: number;
  /** Index shard files whose bytes changed. */
  shardsWritten: number;
  /** Bytes of the index files (meta, documents, shards). */
  indexBytes: number;
  /** Why every article was tokenised again, when it was (no previous index, another script, a new folding). */
  full?: string;
}

/** Beside the index, a dot file (as the site's stamp): what the next build compares against. Not read by the page. */
export const SEARCH_STATE_PATH = '.newsmirror-search.json';
/** Bump when what is indexed of an article changes (fields, transform): every article is tokenised again. */
const STATE_VERSION = 1;

export async function buildSearch(options: BuildSearchOptions): Promise<SearchBuildSummary> {
  const { config } = options.loaded;
  const previous = await readPrevious(options.outDir, config);
  let built = await indexArticles(options, previous.index);
  if (built.result === 'refold') built = await indexArticles(options, undefined);
  if (built.result === 'refold') throw new Error('search: a build without a previous index never refolds');
  const { files, kept, summary, state } = built.result;
  let indexBytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
  for (const path of kept) indexBytes += (await stat(join(options.outDir, path))).size;
  files.push(
    { path: SEARCH_SCRIPT_PATH, content: SEARCH_SCRIPT },
    {
      path: SEARCH_PAGE_PATH,
      content: renderSearchPage({
        siteTitle: config.mirror.title,
        lang: siteLanguage(config),
        script: config.mirror.script,
        homePath: MIRROR_LAYOUT.home,
        channels: config.sites.flatMap((site) =>
          site.channels.map((channel) => ({
            title: channel.title,
            indexPath: MIRROR_LAYOUT.channelIndex(channel.id),
          })),
        ),
      }),
    },
  );
  // The state goes first and comes back last: a build killed in between leaves none, and the next starts over.
  await removeFiles(options.outDir, [SEARCH_STATE_PATH]);
  const written = await writeFilesAtomic(options.outDir, files);
  await removeStale(options.outDir, new Set([...files.map((file) => file.path), ...kept]));
  await writeFilesAtomic(options.outDir, [
    {
      path: SEARCH_STATE_PATH,
      content: JSON.stringify({ ...state, stateVersion: STATE_VERSION, key: stateKey(config) }),
    },
  ]);
  const shardsWritten = written.writtenPaths.filter((path) =>
    path.startsWith(`${SEARCH_FOLDER}/index/`),
  ).length;
  return {
    ...summary,
    written: written.written,
    bytesWritten: written.bytes,
    shardsWritten,
    indexBytes,
    full: built.index ? undefined : previous.why || 'new characters fold an indexed one differently',
  };
}

/** Every stored article in first-seen order (a new article gets the next number, so older ones keep theirs). */
async function indexArticles(options: BuildSearchOptions, previous: Previous | undefined) {
  const { config } = options.loaded;
  const docs: IndexDocument[] = [];
  for await (const stored of options.store.articles.all()) {
    const key = `${stored.siteId}/${stored.id}`;
    const stamp = createHash('sha256')
      .update(JSON.stringify([stored.contentHash, stored.updatedAt]))
      .digest('hex')
      .slice(0, 16);
    const doc = {
      key,
      stamp,
      href: sitePathOf(stored.pagePath),
      channel: channelTitleOf(config, stored.homeChannel),
      day: dayOf(stored.published, stored.firstSeen),
    };
    const before = previous?.docs.get(key);
    if (before && before.stamp === stamp) {
      docs.push({ ...doc, title: before.title, previous: before.number });
      continue;
    }
    const { extracted, transformed } = transformStoredArticle({
      id: stored.id,
      siteId: stored.siteId,
      url: stored.url,
      pagePath: stored.pagePath,
      extractedJson: stored.extracted,
      channels: [stored.homeChannel],
      channelTitle: '',
      mirror: config.mirror,
      // Only the text is indexed: where links and images point does not matter here.
      linkTargets: [],
      assets: [],
    });
    const text = [
      transformed.title,
      extracted.author ?? '',
      transformed.caption ?? '',
      toPlainText(transformed.body),
    ];
    docs.push({ ...doc, title: transformed.title, text: text.join('\n') });
  }
  return { index: previous, result: updateSearchIndex(docs, previous) };
}

interface Previous extends PreviousIndex {
  docs: Map<string, { number: number; stamp: string; title: string }>;
}

/** What the last build left, or why it cannot be used (then every article is tokenised). */
async function readPrevious(outDir: string, config: Config): Promise<{ index?: Previous; why: string }> {
  const read = async (path: string) => JSON.parse(await readFile(join(outDir, path), 'utf8'));
  let state: SearchState & { stateVersion?: number; key?: string };
  try {
    state = await read(SEARCH_STATE_PATH);
  } catch {
    return { why: 'no previous index' };
  }
  if (
    state.stateVersion !== STATE_VERSION ||
    state.version !== SEARCH_INDEX_VERSION ||
    state.key !== stateKey(config)
  ) {
    return { why: 'the previous index was made by another version or with another script' };
  }
  try {
    const meta = await read(`${SEARCH_FOLDER}/meta.json`);
    if (meta.documents !== state.docs.length) return { why: 'the previous index does not match its state' };
    const docs = new Map<string, { number: number; stamp: string; title: string }>();
    for (let start = 0; start < state.docs.length; start += meta.chunk) {
      const chunk: string[][] = await read(`${SEARCH_FOLDER}/docs/${start / meta.chunk}.json`);
      chunk.forEach((row, offset) => {
        const [key, stamp] = state.docs[start + offset];
        docs.set(key, { number: start + offset, stamp, title: row[0] });
      });
    }
    const segments: Array<{ start: number; shards: number }> = meta.segments;
    // Read when the build needs them (segment 0 only to merge); checked here, so a missing one means a full build.
    for (const [segment, { shards }] of segments.entries()) {
      for (let n = 0; n < shards; n++) await access(join(outDir, shardPath(segment, n)));
    }
    const shardsOf = (segment: number): Shard[] =>
      Array.from({ length: segments[segment].shards }, (_, n) =>
        JSON.parse(readFileSync(join(outDir, shardPath(segment, n)), 'utf8')),
      );
    const index: Previous = {
      documents: meta.documents,
      segments,
      shardsOf,
      variants: meta.variants,
      chars: [...state.chars],
      docs,
    };
    return { index, why: '' };
  } catch {
    return { why: 'the previous index is incomplete' };
  }
}

/** What every indexed text depends on beyond the article: the script it is converted to. */
function stateKey(config: Config): string {
  return JSON.stringify([config.mirror.script]);
}

/** Chunk and shard files of an earlier index that this one no longer has. */
async function removeStale(outDir: string, current: Set<string>): Promise<void> {
  const stale: string[] = [];
  for (const folder of ['docs', 'index']) {
    const names = await readdir(join(outDir, SEARCH_FOLDER, folder)).catch(() => [] as string[]);
    for (const name of names) {
      const path = `${SEARCH_FOLDER}/${folder}/${name}`;
      if (/^[\d-]+\.json$/.test(name) && !current.has(path)) stale.push(path);
    }
  }
  if (stale.length > 0) await removeFiles(outDir, stale);
}

function dayOf(published: string | undefined, firstSeen: string): string {
  const seen = Date.parse(firstSeen);
  const at = published ? Date.parse(published) : Number.NaN;
  return new Date(Number.isFinite(at) && at <= seen ? at : seen).toISOString().slice(0, 10);
}

function siteLanguage(config: Config): string | undefined {
  const langs = [...new Set(config.sites.map((site) => site.lang).filter(Boolean))];
  if (langs.length !== 1 || !langs[0]) return undefined;
  if (config.mirror.script === 'original' || !/^zh\b/i.test(langs[0])) return langs[0];
  return config.mirror.script === 'traditional' ? 'zh-Hant' : 'zh-Hans';
}
