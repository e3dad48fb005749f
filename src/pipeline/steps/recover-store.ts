// `newsmirror recover`: a lost or damaged store rebuilt from the mirror it kept, so the next run neither mirrors
// old articles again nor drops them from the indexes. Each page is read back (render/read-page.ts), its dates and
// channels come from the indexes and the feed, its first and last sight from git; mirrored images are recorded under
// the asset they are. Every recovered article is then rendered again and compared with its file: a page that would
// come out different is reported (and left as it is until a `rebuild`).
import { join, posix, relative } from 'node:path';
import type { LoadedConfig } from '../../config/load.ts';
import type { Config, SiteConfig } from '../../config/options.ts';
import { YEAR_PLACEHOLDER } from '../../config/options-retention.ts';
import { ConfigError } from '../../internal/errors.ts';
import type { Logger } from '../../internal/log.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import type { ArticleKey, ImageInput, Store } from '../../store/index.ts';
import { pageRefsOf } from '../job/article-job.ts';
import {
  csvKey,
  type FeedDates,
  fileSize,
  fileTime,
  hasPages,
  type IndexListing,
  isMirror,
  listPageFiles,
  type PageHistory,
  pageHistories,
  readFeed,
  readIndexes,
  readPageText,
} from '../publish/read-mirror.ts';
import { publicUrlOf } from '../render/paths.ts';
import { extractedFromPage } from '../render/read-body.ts';
import { PageFormatError, type PageReadBack, readPage } from '../render/read-page.ts';
import { ARCHIVE_REPO, forArchive, retains, sortTimeOf } from '../render/retention.ts';
import { renderArticlePage } from '../threads/article-page.ts';
import { articlePageInput } from './page-input.ts';

/**
 * Images that came back from the mirror have no publisher URL any more: they are recorded under this reserved
 * host (RFC 2606, never resolved) + their asset path, which no fetch is ever made for (they count as mirrored).
 */
export const RECOVERED_IMAGE_ORIGIN = 'https://recovered.newsmirror.invalid/';

export interface RecoverResult {
  /** Pages stored as articles. */
  recovered: number;
  /** Of those, pages that render back byte for byte; undefined with retention on (not checked). */
  identical?: number;
  /** Pages that a `rebuild` would write differently (first lines differ), with the first differing line. */
  differing: Array<{ path: string; line: number }>;
  /** Files under pages/ that could not be taken, and why. */
  skipped: Array<{ path: string; reason: string }>;
  images: number;
}

interface ReadArticle {
  /** The repository the page is in: the main mirror, or an archive (`mirror.archive`). */
  repoDir: string;
  path: string;
  site: SiteConfig;
  channelId: string;
  id: string;
  /** The page without its body (read again when the article is stored: a big mirror's bodies do not fit). */
  page: PageReadBack;
  /** Mirrored images the page shows (asset paths). */
  assets: string[];
  history: PageHistory;
}

export async function recoverStore(options: {
  loaded: LoadedConfig;
  store: Store;
  log: Logger;
}): Promise<RecoverResult> {
  const { loaded, store, log } = options;
  const { config, mirrorDir } = loaded;
  const held = await store.articles.count();
  if (held > 0) {
    throw new ConfigError(
      `recover: the store at ${loaded.storePath} already holds ${held} articles; recover fills an empty store ` +
        'only (move the store aside first, with its -wal and -shm files)',
      { code: 'store_not_empty', where: loaded.storePath, retryable: false },
    );
  }
  if (!isMirror(mirrorDir)) {
    throw new ConfigError(`recover: no mirror at ${mirrorDir} (mirror.dir): nothing to recover from`, {
      code: 'no_mirror',
      where: mirrorDir,
      retryable: false,
    });
  }
  const skipped: RecoverResult['skipped'] = [];
  const channelIds = config.sites.flatMap((site) => site.channels.map((channel) => channel.id));
  const read: ReadArticle[] = [];
  const indexes: IndexListing = { dates: new Map(), channels: new Map(), order: new Map() };
  const feed = new Map<string, FeedDates>();
  const publicPages = new Map<string, string>();
  for (const repo of mirrorRepos(config, mirrorDir)) {
    const histories = await pageHistories(repo.dir);
    for (const path of listPageFiles(repo.dir)) {
      const found = readArticleFile(config, repo.dir, path, histories);
      if ('reason' in found) {
        skipped.push({ path: relative(mirrorDir, join(repo.dir, path)), reason: found.reason });
        log.warn(`recover: ${path} in ${repo.dir} skipped: ${found.reason}`);
        continue;
      }
      read.push(found);
      // Pages in another repository are linked by their public URL.
      if (repo.publicUrl) publicPages.set(publicUrlOf(repo.publicUrl, path), found.page.url);
    }
    const listing = readIndexes(repo.dir, channelIds);
    for (const [path, date] of listing.dates) indexes.dates.set(path, date);
    for (const [path, channels] of listing.channels) indexes.channels.set(path, channels);
    for (const [key, position] of listing.order) indexes.order.set(key, position);
    for (const [path, dates] of readFeed(repo.dir)) feed.set(path, dates);
  }

  const urlOfPath = new Map(read.map((article) => [article.path, article.page.url]));
  const images = await recordImages(read, store, skipped);
  const dated = read.map((article) => ({
    article,
    ...datesOf(article, feed.get(article.path), indexes.dates.get(article.path)),
    order: indexes.order.get(csvKey(article.channelId, article.id)) ?? Number.MAX_SAFE_INTEGER,
  }));
  // Saved in the order the indexes sort by (then the CSV's, oldest first): the store breaks ties between equal
  // times by insertion order, so the indexes list equal days as before.
  dated.sort(
    (a, b) =>
      sortTimeOf(a.published, a.firstSeen) - sortTimeOf(b.published, b.firstSeen) ||
      a.order - b.order ||
      a.article.path.localeCompare(b.article.path),
  );
  const keys: ArticleKey[] = [];
  for (const { article, published, firstSeen } of dated) {
    const { history, site, id, path } = article;
    const page = readPageOf(config, article.repoDir, path, site, id);
    const extracted = extractedFromPage(
      page,
      path,
      published,
      (mirrorPath) => {
        if (mirrorPath.startsWith(`${MIRROR_LAYOUT.assetsFolder}/`))
          return RECOVERED_IMAGE_ORIGIN + mirrorPath;
        return undefined;
      },
      (mirrorPath) => urlOfPath.get(mirrorPath),
      (publicUrl) => publicPages.get(publicUrl),
    );
    const channels = [
      article.channelId,
      ...(indexes.channels.get(path) ?? []).filter((channel) => channel !== article.channelId),
    ];
    await store.transaction(async (tx) => {
      await tx.articles.save({
        siteId: site.id,
        id,
        url: page.url,
        canonicalUrl: extracted.canonicalUrl,
        homeChannel: article.channelId,
        pagePath: path,
        title: extracted.title,
        published,
        lang: extracted.lang,
        contentHash: 'recovered',
        extracted: JSON.stringify(extracted),
        firstSeen,
        updatedAt: history.updatedAt,
        ...(page.retracted ? { retractedAt: `${page.retracted.date}T00:00:00.000Z` } : {}),
      });
      await tx.articles.addUrl(page.url, site.id, id);
      await tx.pageRefs.save(site.id, id, pageRefsOf(extracted));
      for (const channelId of channels) await tx.channels.addMembership(site.id, id, channelId, firstSeen);
    });
    keys.push({ siteId: site.id, id });
  }
  // The pages are in the mirror already: the next run must not write them again.
  await store.articles.markRendered(keys);
  log.info(`recover: ${keys.length} articles stored from ${mirrorDir}`);

  // With retention, a page renders against where every page it links lives (rebuild works that out); only
  // without it is the check the same render a rebuild makes.
  const differing: RecoverResult['differing'] = [];
  const checked = !retains(config);
  if (checked) {
    for await (const stored of store.articles.all()) {
      const files = await renderArticlePage(await articlePageInput(stored, config, store));
      const rendered = String(files[0].content);
      const onDisk = readPageText(mirrorDir, stored.pagePath);
      if (rendered !== onDisk)
        differing.push({ path: stored.pagePath, line: firstDifferentLine(rendered, onDisk) });
    }
  }
  for (const { path, line } of differing.slice(0, 20)) {
    log.warn(`recover: ${path} would render differently from line ${line} on a rebuild; kept as it is`);
  }
  return {
    recovered: keys.length,
    identical: checked ? keys.length - differing.length : undefined,
    differing,
    skipped,
    images,
  };
}

interface MirrorRepo {
  dir: string;
  publicUrl?: string;
}

/** The main mirror, then every archive repository that exists (`mirror.archive`, one per year with `{year}`). */
function mirrorRepos(config: Config, mirrorDir: string): MirrorRepo[] {
  const repos: MirrorRepo[] = [{ dir: mirrorDir, publicUrl: config.mirror.publicUrl }];
  const archive = config.mirror.archive;
  if (!archive) return repos;
  const keys = archive.dir.includes(YEAR_PLACEHOLDER)
    ? Array.from({ length: new Date().getUTCFullYear() + 2 - 1970 }, (_, index) => String(1970 + index))
    : [ARCHIVE_REPO];
  for (const key of keys) {
    const dir = forArchive(archive.dir, key);
    if (hasPages(dir)) {
      repos.push({ dir, publicUrl: forArchive(archive.publicUrl, key) });
    }
  }
  return repos;
}

/**
 * When the article was published and first seen, from what the mirror shows. The feed gives both in full for its
 * newest entries (its time is the publisher's when it has one, else the first sight); the index only the day it
 * sorts by, which is the first sight's day when the article had no date: only another day says it had one.
 */
function datesOf(
  article: ReadArticle,
  listed: FeedDates | undefined,
  indexDate: string | undefined,
): { published?: string; firstSeen: string } {
  const { history } = article;
  if (listed?.published) {
    return { published: inOffsetOfDay(listed.published, indexDate), firstSeen: history.firstSeen };
  }
  if (listed) return { firstSeen: new Date(listed.updated).toISOString() };
  if (indexDate !== undefined && indexDate !== history.firstSeen.slice(0, 10)) {
    return { published: indexDate, firstSeen: history.firstSeen };
  }
  return { firstSeen: history.firstSeen };
}

/**
 * The feed's instant written with a UTC offset that gives the day the index shows: indexes show the publisher's
 * day as written (+08:00 in Beijing), the feed the instant in UTC. The smallest offset that does is taken; the
 * instant, which the feed and the order use, is the same whatever the offset.
 */
export function inOffsetOfDay(instant: string, day: string | undefined): string {
  const time = Date.parse(instant);
  if (Number.isNaN(time)) return instant;
  const utc = new Date(time).toISOString();
  if (day === undefined || utc.slice(0, 10) === day) return utc;
  for (const hours of [
    1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8, 9, -9, 10, -10, 11, -11, 12, -12, 13, 14,
  ]) {
    const local = new Date(time + hours * 3_600_000).toISOString();
    if (local.slice(0, 10) !== day) continue;
    const sign = hours < 0 ? '-' : '+';
    return `${local.slice(0, 19)}${sign}${String(Math.abs(hours)).padStart(2, '0')}:00`;
  }
  return utc;
}

/** One page file read back, or why it cannot be an article of this config. */
function readArticleFile(
  config: Config,
  mirrorDir: string,
  path: string,
  histories: Map<string, PageHistory>,
): ReadArticle | { reason: string } {
  const [, channelId, ...rest] = path.split('/');
  const id = posix.basename(rest.at(-1) ?? '', '.md');
  const site = config.sites.find((candidate) =>
    candidate.channels.some((channel) => channel.id === channelId),
  );
  if (!site) return { reason: `no channel ${channelId} in the config` };
  const shard = rest.length === 2 ? rest[0] : undefined;
  if (rest.length > 2 || (shard !== undefined && !/^(\d{4}-\d{2}|undated)$/.test(shard)))
    return { reason: 'not where a page goes (pages/<channel>/[<yyyy-mm>/]<id>.md)' };
  let page: PageReadBack;
  try {
    page = readPageOf(config, mirrorDir, path, site, id);
  } catch (error) {
    if (error instanceof PageFormatError) return { reason: `not a page newsmirror wrote: ${error.message}` };
    return { reason: `unreadable: ${(error as Error).message}` };
  }
  const history = histories.get(path) ?? {
    firstSeen: fileTime(mirrorDir, path),
    updatedAt: fileTime(mirrorDir, path),
  };
  const assets = [...`${page.leadImage?.src ?? ''}\n${page.bodyMarkdown}`.matchAll(ASSET_REFERENCE)].map(
    (match) => match[1],
  );
  return {
    repoDir: mirrorDir,
    path,
    site,
    channelId,
    id,
    page: { ...page, bodyMarkdown: '' },
    history,
    assets,
  };
}

/** Mirrored images as pages reference them (relative paths ending in `assets/xx/<sha256>.<ext>`). */
const ASSET_REFERENCE = new RegExp(
  `(?:^|/)(${MIRROR_LAYOUT.assetsFolder}/[0-9a-f]{2}/[0-9a-f]{64}\\.[a-z0-9]+)`,
  'g',
);

/** A page file read back with its site's labels; throws PageFormatError for a file newsmirror did not write. */
function readPageOf(
  config: Config,
  repoDir: string,
  path: string,
  site: SiteConfig,
  id: string,
): PageReadBack {
  return readPage(readPageText(repoDir, path), {
    mirror: config.mirror,
    pagePath: path,
    id,
    siteLabels: site.labels,
    siteLang: site.lang,
  });
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
};

/** Every asset the read pages show, recorded as a mirrored image; a missing file is reported, not recorded. */
async function recordImages(
  read: ReadArticle[],
  store: Store,
  skipped: RecoverResult['skipped'],
): Promise<number> {
  // Asset path -> the repository holding it (an archived page's images moved with it).
  const assets = new Map<string, string>();
  for (const { assets: shown, repoDir } of read) {
    for (const assetPath of shown) if (!assets.has(assetPath)) assets.set(assetPath, repoDir);
  }
  let recorded = 0;
  for (const [assetPath, repoDir] of assets) {
    const bytes = fileSize(repoDir, assetPath);
    if (bytes === undefined) {
      skipped.push({ path: assetPath, reason: 'an image a page shows is missing from the mirror' });
      continue;
    }
    const sha256 = posix.basename(assetPath).split('.')[0];
    const ext = posix.extname(assetPath).slice(1);
    const image: ImageInput = {
      src: RECOVERED_IMAGE_ORIGIN + assetPath,
      assetPath,
      sha256,
      bytes,
      originalBytes: bytes,
      contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
    };
    await store.images.save(image);
    recorded++;
  }
  return recorded;
}

function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  for (let line = 0; line < Math.max(left.length, right.length); line++) {
    if (left[line] !== right[line]) return line + 1;
  }
  return 0;
}
