// Retention, the planning half (mirror.keep): which pages stay in the main mirror (each channel's newest `keep`), which
// pages on disk must leave it this run, and which pages must be rendered again because a page they link to moved.
// The split is a function of the store and the config alone, so `rebuild` makes the same one. The writing half
// (archive repositories, assets, git) is archive.ts.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config/options.ts';
import { type ArchiveConfig, YEAR_PLACEHOLDER } from '../../config/options-retention.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import type { ChannelEntry, StoredArticle, StorePorts } from '../../store/index.ts';
import { renderChannelCsv, renderChannelIndexes } from '../render/index.ts';
import {
  ARCHIVE_REPO,
  archiveKeyOf,
  archiveMirror,
  forArchive,
  hrefFrom,
  keepOf,
  MAIN_REPO,
  otherReposFooter,
  type Placement,
  repoOf,
  retains,
} from '../render/retention.ts';
import type { OutputFile } from '../types.ts';
import { addRender, type Changes } from './changes.ts';
import { channelTitleOf } from './page-input.ts';

/** Years an archive repository is looked for (publication years can be old; a stat each costs nothing). */
const OLDEST_YEAR = 1900;

type RetentionStore = Pick<StorePorts, 'articles' | 'channels' | 'pageRefs'>;

export interface Retention {
  placement: Placement;
  /** Articles whose page is in the main mirror's folder but no longer kept: they move to the archive now. */
  leaving: StoredArticle[];
}

/** The kept set and the pages leaving the main mirror; undefined when nothing is retained (no keep or archive). */
export async function planRetention(
  config: Config,
  mirrorDir: string,
  store: RetentionStore,
  changes?: Changes,
): Promise<Retention | undefined> {
  const archive = config.mirror.archive;
  if (!archive || !retains(config)) return undefined;
  const kept = new Set<string>();
  for (const channelId of channelIdsOf(config)) {
    const keep = keepOf(config, channelId);
    for (const entry of await store.channels.entries(channelId, keep === undefined ? {} : { limit: keep })) {
      kept.add(entry.path);
    }
  }
  const placement: Placement = { config, archive, kept };
  const onDisk = new Set(await pagesOnDisk(mirrorDir));
  const leaving: StoredArticle[] = [];
  for (const path of onDisk) {
    if (kept.has(path)) continue;
    const stored = await store.articles.getByPath(path);
    if (stored) leaving.push(stored);
  }
  if (changes) {
    for (const stored of leaving) {
      addRender(changes, stored);
      for (const channelId of await store.channels.of(stored.siteId, stored.id))
        changes.changedChannels.add(channelId);
      // Pages linking to it had a relative link into the main mirror: they now link to the archive.
      for (const url of [stored.url, stored.canonicalUrl]) {
        if (url === undefined) continue;
        for (const key of await store.pageRefs.referencing(url, 'link')) addRender(changes, key);
      }
    }
    // Kept but not here (a raised `keep`, an old article newly listed by another channel): rendered back in.
    for (const path of kept) {
      if (onDisk.has(path)) continue;
      const stored = await store.articles.getByPath(path);
      if (stored && addRender(changes, stored)) {
        for (const channelId of await store.channels.of(stored.siteId, stored.id))
          changes.changedChannels.add(channelId);
      }
    }
  }
  return { placement, leaving };
}

/** Whether a stored article's page is rendered into the main mirror (always, without retention). */
export function inMain(placement: Placement | undefined, stored: StoredArticle): boolean {
  return placement === undefined || placement.kept.has(stored.pagePath);
}

export function channelIdsOf(config: Config): string[] {
  return config.sites.flatMap((site) => site.channels.map((channel) => channel.id));
}

/** Page files (`.md`) under the main mirror's pages folder, as mirror-root paths. */
async function pagesOnDisk(mirrorDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(mirrorDir, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) found.push(path);
    }
  };
  await walk(MIRROR_LAYOUT.pagesFolder);
  return found;
}

/** Keys of the archive repositories that exist on disk (the main home page links them; `size` measures them). */
export function archiveKeysOnDisk(archive: ArchiveConfig, now: Date): string[] {
  const candidates = archive.dir.includes(YEAR_PLACEHOLDER)
    ? Array.from({ length: now.getUTCFullYear() + 2 - OLDEST_YEAR }, (_, i) => String(OLDEST_YEAR + i))
    : [ARCHIVE_REPO];
  return candidates.filter((key) => existsSync(join(forArchive(archive.dir, key), MIRROR_LAYOUT.home)));
}

/** Entries of one channel, split by the repository holding their page. */
export async function channelEntriesByRepo(
  placement: Placement,
  store: Pick<StorePorts, 'channels'>,
  channelId: string,
): Promise<Map<string, ChannelEntry[]>> {
  const byRepo = new Map<string, ChannelEntry[]>();
  for (const entry of await store.channels.entries(channelId, {})) {
    const repo = repoOf(placement, entry);
    const list = byRepo.get(repo) ?? [];
    byRepo.set(repo, list);
    list.push(entry);
  }
  return byRepo;
}

/**
 * A channel's index pages and CSV in repository `repo`: only the entries whose page is there (the others are in the
 * index of their own repository, linked from the footer). Entries link into other repositories by public URL.
 */
export function channelFilesIn(
  placement: Placement,
  repo: string,
  channelId: string,
  byRepo: Map<string, ChannelEntry[]>,
  now: Date,
  bundles?: Parameters<typeof renderChannelIndexes>[2]['bundles'],
): OutputFile[] {
  const config = placement.config;
  const mirror = repo === MAIN_REPO ? config.mirror : archiveMirror(placement, repo);
  const entries = (byRepo.get(repo) ?? []).map((entry) => ({
    ...entry,
    path: hrefFrom(placement, repo, entry),
  }));
  const channel = { id: channelId, title: channelTitleOf(config, channelId) };
  const files = renderChannelIndexes(channel, entries, { mirror, now, bundles });
  const newestPath = MIRROR_LAYOUT.channelIndex(channelId);
  const footer = otherReposFooter(placement, repo, [...byRepo.keys(), MAIN_REPO], newestPath);
  const withFooter = files.map((file) =>
    file.path === newestPath ? { ...file, content: `${String(file.content)}${footer}` } : file,
  );
  withFooter.push({ path: MIRROR_LAYOUT.channelCsv(channelId), content: renderChannelCsv(entries) });
  return withFooter;
}

/** Newest entries of the main home page and feed, linking to the archive for those moved there. */
export function placedEntries(placement: Placement, repo: string, entries: ChannelEntry[]): ChannelEntry[] {
  return entries.map((entry) => ({ ...entry, path: hrefFrom(placement, repo, entry) }));
}

/** The archive key of a stored article (its page's repository when not kept). */
export function archiveKeyOfStored(placement: Placement, stored: StoredArticle): string {
  return archiveKeyOf(placement.archive, stored);
}
