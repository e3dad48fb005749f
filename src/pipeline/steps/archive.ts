// Retention, the writing half: pages beyond `mirror.keep` are rendered into the archive repository of their year (or
// the one archive) with the images they show, its channel indexes and home page; the archive is committed; only then
// are the moved pages, and images no kept page shows, removed from the main mirror (whose commit follows), so a run
// killed midway leaves every page in at least one committed repository. Planning is retention.ts.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../internal/log.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import type { ArticleKey, ChannelEntry, StoredArticle } from '../../store/index.ts';
import { pageRefsOf } from '../job/article-job.ts';
import { type GitMirror, openGitMirror, type PushResult } from '../publish/git.ts';
import { removeFiles, removeTempFiles, writeFilesAtomic } from '../publish/write-files.ts';
import { renderFeed, renderHome, renderMirrorsList } from '../render/index.ts';
import {
  archiveKeyOf,
  archiveMirror,
  forArchive,
  MAIN_REPO,
  otherReposFooter,
  type Placement,
  sortTimeOf,
} from '../render/retention.ts';
import { renderSearchGuide } from '../render/search-guide.ts';
import type { ExtractedArticle, OutputFile } from '../types.ts';
import type { Changes } from './changes.ts';
import { articlePageInput, channelTitleOf } from './page-input.ts';
import type { RenderContext, RenderedFilesWriter } from './render-changes.ts';
import { renderedFilesWriter, renderPages } from './render-changes.ts';
import { channelEntriesByRepo, channelFilesIn, channelIdsOf, planRetention } from './retention.ts';
import { formatTime } from './summary.ts';

/** Files copied per batch into an archive (images are small; the batch bounds memory). */
const COPY_BATCH = 100;
/** Newest entries on an archive's home page and in its feed. */
const ARCHIVE_FEED_SIZE = 50;

export interface ArchiveRepo {
  key: string;
  dir: string;
  git: GitMirror;
  commit: string | null;
  pages: number;
}

export interface Retained {
  placement: Placement;
  archives: ArchiveRepo[];
  /** Main-mirror files removed: moved pages, their QR codes, images no kept page shows. */
  removed: string[];
}

/**
 * Moves what is beyond `keep` to the archive and returns where every page now lives, for the main render; undefined
 * when nothing is retained. `changes` 'everything' (rebuild) places every article and sweeps the main mirror whole.
 */
export async function moveToArchive(
  context: RenderContext,
  changes: Changes | 'everything',
  now: Date,
  output: RenderedFilesWriter,
): Promise<Retained | undefined> {
  const { config, mirrorDir, store, log } = context;
  const everything = changes === 'everything';
  const retention = await planRetention(config, mirrorDir, store, everything ? undefined : changes);
  if (!retention) return undefined;
  const { placement } = retention;

  // Which articles' pages are (re)written into which archive.
  const bound = new Map<string, ArticleKey[]>();
  const place = (stored: StoredArticle) => {
    if (placement.kept.has(stored.pagePath)) return;
    const key = archiveKeyOf(placement.archive, stored);
    const list = bound.get(key) ?? [];
    bound.set(key, list);
    list.push({ siteId: stored.siteId, id: stored.id });
  };
  if (everything) {
    for await (const stored of store.articles.all()) place(stored);
  } else {
    for (const key of changes.renderKeys) {
      const stored = await store.articles.get(key.siteId, key.id);
      if (stored) place(stored);
    }
  }

  const archives: ArchiveRepo[] = [];
  const shownAssets = new Set<string>();
  if (bound.size > 0) {
    const byChannel = new Map<string, Map<string, ChannelEntry[]>>();
    for (const channelId of channelIdsOf(config)) {
      byChannel.set(channelId, await channelEntriesByRepo(placement, store, channelId));
    }
    const allKeys = new Set([...byChannel.values()].flatMap((byRepo) => [...byRepo.keys()]));
    for (const [key, keys] of [...bound].sort(([a], [b]) => a.localeCompare(b))) {
      const dir = forArchive(placement.archive.dir, key);
      const git = await openArchive(dir, config.mirror.branch, everything, log);
      const out = renderedFilesWriter(dir);
      const assets = new Set<string>();
      async function* articles() {
        for (const articleKey of keys) {
          const stored = await store.articles.get(articleKey.siteId, articleKey.id);
          if (stored) yield stored;
        }
      }
      const { pages } = await renderPages(articles(), context, out, async (stored) => {
        const input = await articlePageInput(stored, config, store, { placement, repo: key });
        for (const [, assetPath] of input.assets) assets.add(assetPath);
        return input;
      });
      for (const path of assets) shownAssets.add(path);
      const copied = await copyAssets(
        dir,
        [mirrorDir, ...otherArchiveDirs(placement, allKeys, key)],
        assets,
        log,
      );
      await out.write(archiveIndexFiles(placement, key, byChannel, allKeys, now));
      const message = `归档于: ${formatTime(now)}\n\n${pages} pages`;
      const commit = everything
        ? await git.commitAll(message)
        : await git.commitPaths(message, [...out.paths, ...copied]);
      archives.push({ key, dir, git, commit, pages });
      log.info(`archive ${key}: ${pages} pages written`, { dir, commit: commit ?? undefined });
    }
  }

  // Only now, with the archives committed: the main mirror lets go of what moved.
  const removed: string[] = [];
  for (const stored of retention.leaving)
    removed.push(stored.pagePath, MIRROR_LAYOUT.qrCode(stored.pagePath));
  const candidates = everything ? await assetsOnDisk(mirrorDir) : shownAssets;
  if (candidates.size > 0) {
    const keptAssets = await assetsOfKept(context, placement);
    for (const path of candidates) if (!keptAssets.has(path)) removed.push(path);
  }
  await removeFiles(mirrorDir, removed);
  for (const path of removed) output.paths.add(path);
  if (retention.leaving.length > 0) log.info(`${retention.leaving.length} pages moved to the archive`);
  return { placement, archives, removed };
}

/** Pushes every archive committed this run to its remotes (`{year}` filled), each on its own. */
export async function pushArchives(retained: Retained | undefined, log: Logger): Promise<PushResult[]> {
  const results: PushResult[] = [];
  if (!retained) return results;
  for (const archive of retained.archives) {
    const remotes = retained.placement.archive.remotes.map((remote) =>
      typeof remote === 'string'
        ? forArchive(remote, archive.key)
        : { name: remote.name, url: forArchive(remote.url, archive.key) },
    );
    if (remotes.length === 0) continue;
    for (const push of await archive.git.pushAll(remotes)) {
      results.push(push);
      if (!push.ok)
        log.warn(
          `push of archive ${archive.key} to ${push.remote} failed; the next run retries it: ${push.error}`,
        );
    }
  }
  return results;
}

async function openArchive(dir: string, branch: string, sweep: boolean, log: Logger): Promise<GitMirror> {
  const git = openGitMirror(dir, { branch });
  await git.ensureRepo();
  for (const fixed of await git.recoverInterruptedState()) log.warn(`archive ${dir}: recovered: ${fixed}`);
  const removed = await removeTempFiles(dir, { always: sweep });
  if (removed > 0)
    log.warn(`archive ${dir}: removed ${removed} temporary file(s) left by an interrupted run`);
  return git;
}

function otherArchiveDirs(placement: Placement, keys: Set<string>, key: string): string[] {
  return [...keys]
    .filter((k) => k !== key && k !== MAIN_REPO)
    .map((k) => forArchive(placement.archive.dir, k));
}

/**
 * Copies the images archived pages show into the archive (same content-addressed paths), from the main mirror or
 * another archive that has them; the paths copied. An image found nowhere is logged: its page shows the alt text's
 * broken image until the image is mirrored again.
 */
async function copyAssets(
  dir: string,
  sources: string[],
  assets: Set<string>,
  log: Logger,
): Promise<string[]> {
  const copied: string[] = [];
  let batch: OutputFile[] = [];
  for (const path of assets) {
    if (existsSync(join(dir, path))) continue;
    const source = sources.find((root) => existsSync(join(root, path)));
    if (source === undefined) {
      log.warn(`archive ${dir}: image ${path} is in no repository; its pages show it missing`);
      continue;
    }
    batch.push({ path, content: await readFile(join(source, path)) });
    copied.push(path);
    if (batch.length >= COPY_BATCH) {
      await writeFilesAtomic(dir, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await writeFilesAtomic(dir, batch);
  return copied;
}

/** An archive's channel indexes, CSVs, home page, feed, list of copies and search guide. */
function archiveIndexFiles(
  placement: Placement,
  key: string,
  byChannel: Map<string, Map<string, ChannelEntry[]>>,
  allKeys: Set<string>,
  now: Date,
): OutputFile[] {
  const { config } = placement;
  const mirror = archiveMirror(placement, key);
  const files: OutputFile[] = [];
  const channels: Array<{ id: string; title: string; count: number }> = [];
  const newest = new Map<string, ChannelEntry>();
  for (const [channelId, byRepo] of byChannel) {
    const entries = byRepo.get(key) ?? [];
    if (entries.length === 0) continue;
    channels.push({ id: channelId, title: channelTitleOf(config, channelId), count: entries.length });
    files.push(...channelFilesIn(placement, key, channelId, byRepo, now));
    for (const entry of entries.slice(0, ARCHIVE_FEED_SIZE)) newest.set(entry.path, entry);
  }
  const newestFirst = [...newest.values()]
    .sort((a, b) => sortTimeOf(b.published, b.firstSeen) - sortTimeOf(a.published, a.firstSeen))
    .slice(0, ARCHIVE_FEED_SIZE)
    .map((entry) => ({ ...entry, channelId: entry.homeChannel }));
  const footer = otherReposFooter(placement, key, allKeys, MIRROR_LAYOUT.home);
  files.push({ path: MIRROR_LAYOUT.home, content: renderHome(mirror, channels, newestFirst, now) + footer });
  files.push({ path: MIRROR_LAYOUT.feed, content: renderFeed(mirror, newestFirst, now) });
  files.push({ path: MIRROR_LAYOUT.mirrors, content: renderMirrorsList(mirror) });
  files.push({ path: MIRROR_LAYOUT.searchGuide, content: renderSearchGuide(mirror, channels) });
  return files;
}

/** Images shown by the pages kept in the main mirror. */
async function assetsOfKept(context: RenderContext, placement: Placement): Promise<Set<string>> {
  const { store } = context;
  const shown = new Set<string>();
  if (context.config.mirror.images !== 'mirror') return shown;
  for (const path of placement.kept) {
    const stored = await store.articles.getByPath(path);
    if (!stored) continue;
    let { images } = await store.pageRefs.of(stored.siteId, stored.id);
    if (images.length === 0) images = pageRefsOf(JSON.parse(stored.extracted) as ExtractedArticle).images;
    for (const src of images) {
      const image = await store.images.get(src);
      if (image) shown.add(image.assetPath);
    }
  }
  return shown;
}

/** Every file under the main mirror's assets folder (rebuild sweeps the ones no kept page shows). */
async function assetsOnDisk(mirrorDir: string): Promise<Set<string>> {
  const found = new Set<string>();
  const root = MIRROR_LAYOUT.assetsFolder;
  for (const folder of await readdir(join(mirrorDir, root), { withFileTypes: true }).catch(() => [])) {
    if (!folder.isDirectory()) continue;
    for (const file of await readdir(join(mirrorDir, root, folder.name), { withFileTypes: true })) {
      if (file.isFile()) found.add(`${root}/${folder.name}/${file.name}`);
    }
  }
  return found;
}
