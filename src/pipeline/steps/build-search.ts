// The static site's search (`newsmirror site`): every stored article's title, author and sanitised body (the same
// transform as its page) indexed into the site's `search/` folder, plus the search page and its script. Rebuilt
// whole at each site build, which takes seconds for tens of thousands of articles; files whose bytes are unchanged
// are not rewritten, and shards an earlier, larger index left are removed.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedConfig } from '../../config/load.ts';
import type { Config } from '../../config/options.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import type { StorePorts } from '../../store/index.ts';
import { removeFiles, writeFilesAtomic } from '../publish/write-files.ts';
import { toPlainText } from '../render/index.ts';
import {
  renderSearchIndex,
  renderSearchPage,
  SEARCH_FOLDER,
  SEARCH_PAGE_PATH,
  SEARCH_SCRIPT,
  SEARCH_SCRIPT_PATH,
  type SearchDocument,
  type SearchIndexSummary,
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
  /** Bytes of the index files (meta, documents, shards). */
  indexBytes: number;
}

export async function buildSearch(options: BuildSearchOptions): Promise<SearchBuildSummary> {
  const { config } = options.loaded;
  const docs: SearchDocument[] = [];
  // First-seen order: a new article gets the next number, so older documents keep theirs.
  for await (const stored of options.store.articles.all()) {
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
    docs.push({
      title: transformed.title,
      href: sitePathOf(stored.pagePath),
      channel: channelTitleOf(config, stored.homeChannel),
      day: dayOf(stored.published, stored.firstSeen),
      text: text.join('\n'),
    });
  }
  const { files, summary } = renderSearchIndex(docs);
  const indexBytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
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
  const written = await writeFilesAtomic(options.outDir, files);
  await removeStale(options.outDir, new Set(files.map((file) => file.path)));
  return { ...summary, written: written.written, bytesWritten: written.bytes, indexBytes };
}

/** Chunk and shard files of an earlier index that this one no longer has. */
async function removeStale(outDir: string, current: Set<string>): Promise<void> {
  const stale: string[] = [];
  for (const folder of ['docs', 'index']) {
    const names = await readdir(join(outDir, SEARCH_FOLDER, folder)).catch(() => [] as string[]);
    for (const name of names) {
      const path = `${SEARCH_FOLDER}/${folder}/${name}`;
      if (/^\d+\.json$/.test(name) && !current.has(path)) stale.push(path);
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
