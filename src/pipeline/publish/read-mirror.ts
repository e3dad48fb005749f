// What a mirror's working tree and history say, read for `newsmirror recover`: its page files, the dates and
// channel memberships its indexes and feed list, and when git first and last saw each page.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import { mirrorPathOf } from '../../internal/paths.ts';
import { runGit } from './run-git.ts';

/** Every page file under `pages/`, as mirror-root paths with '/' separators, sorted. */
export function listPageFiles(mirrorDir: string): string[] {
  const root = join(mirrorDir, MIRROR_LAYOUT.pagesFolder);
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) =>
      posix.join(
        MIRROR_LAYOUT.pagesFolder,
        posix.relative(
          root.split('\\').join('/'),
          join(entry.parentPath ?? (entry as { path?: string }).path ?? root, entry.name)
            .split('\\')
            .join('/'),
        ),
      ),
    )
    .sort();
}

export interface PageHistory {
  /** Commit time of the oldest commit that has the page. */
  firstSeen: string;
  /** Commit time of the newest commit that changed it. */
  updatedAt: string;
}

/** When git first and last saw each page: one `git log` over `pages/`. Empty for a tree that is not a repository. */
export async function pageHistories(mirrorDir: string): Promise<Map<string, PageHistory>> {
  const histories = new Map<string, PageHistory>();
  if (!existsSync(join(mirrorDir, '.git'))) return histories;
  const { stdout } = await runGit(
    [
      '-c',
      'core.quotepath=off',
      'log',
      '--format=@@%cI',
      '--name-only',
      '--no-renames',
      '--',
      MIRROR_LAYOUT.pagesFolder,
    ],
    { cwd: mirrorDir, okCodes: [128] },
  );
  let time = '';
  for (const line of stdout.split('\n')) {
    if (line.startsWith('@@')) {
      time = new Date(line.slice(2)).toISOString();
      continue;
    }
    if (!line.endsWith('.md') || time === '') continue;
    // Newest commits come first: the first time seen is the last update, the last one the first sight.
    const known = histories.get(line);
    if (known) known.firstSeen = time;
    else histories.set(line, { firstSeen: time, updatedAt: time });
  }
  return histories;
}

/** Whether `dir` holds a mirror (a git repository or a pages folder). */
export function isMirror(dir: string): boolean {
  return existsSync(join(dir, '.git')) || existsSync(join(dir, MIRROR_LAYOUT.pagesFolder));
}

/** Whether `dir` holds pages (an archive repository of a year may not exist). */
export function hasPages(dir: string): boolean {
  return existsSync(join(dir, MIRROR_LAYOUT.pagesFolder));
}

/** A page's text as it is on disk. */
export function readPageText(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

/** Size of a mirrored file, or undefined when it is missing. */
export function fileSize(dir: string, path: string): number | undefined {
  try {
    return statSync(join(dir, path)).size;
  } catch {
    return undefined;
  }
}

/** A file's modification time: the history of a page git never committed. */
export function fileTime(mirrorDir: string, path: string): string {
  return statSync(join(mirrorDir, path)).mtime.toISOString();
}

export interface IndexListing {
  /** Page path -> the date the index shows for it (yyyy-mm-dd). */
  dates: Map<string, string>;
  /** Page path -> channels whose index lists it, in the order the indexes were read. */
  channels: Map<string, string[]>;
  /** `csvKey(channel, id)` -> its line in the channel's CSV (oldest first), to order pages of equal times. */
  order: Map<string, number>;
}

const INDEX_ROW = /^\| (\d{4}-\d{2}-\d{2}) \| .*\]\(([^)\s]+?)(?:\?[^)\s]*)?\) \|$/;

/** The dates and memberships the channel indexes and their archive pages list. */
export function readIndexes(mirrorDir: string, channelIds: string[]): IndexListing {
  const listing: IndexListing = { dates: new Map(), channels: new Map(), order: new Map() };
  for (const channelId of channelIds) {
    const files = [MIRROR_LAYOUT.channelIndex(channelId)];
    const archiveDir = join(mirrorDir, posix.dirname(MIRROR_LAYOUT.channelArchive(channelId, 1)));
    if (existsSync(archiveDir)) {
      for (const name of readdirSync(archiveDir)) {
        if (/^\d+\.md$/.test(name))
          files.push(posix.join(posix.dirname(MIRROR_LAYOUT.channelArchive(channelId, 1)), name));
      }
    }
    for (const file of files) {
      const text = readText(mirrorDir, file);
      if (text === undefined) continue;
      for (const line of text.split('\n')) {
        const row = INDEX_ROW.exec(line);
        if (!row) continue;
        const path = mirrorPathOf(file, row[2]);
        if (path === undefined) continue;
        if (!listing.dates.has(path)) listing.dates.set(path, row[1]);
        const channels = listing.channels.get(path) ?? [];
        if (!channels.includes(channelId)) channels.push(channelId);
        listing.channels.set(path, channels);
      }
    }
    const csv = readText(mirrorDir, MIRROR_LAYOUT.channelCsv(channelId));
    if (csv === undefined) continue;
    csv.split('\n').forEach((line, position) => {
      const id = line.split(',')[0];
      if (id) listing.order.set(csvKey(channelId, id), position);
    });
  }
  return listing;
}

export function csvKey(channelId: string, id: string): string {
  return `${channelId}\0${id}`;
}

export interface FeedDates {
  /** The publisher's time, when the article had one. */
  published?: string;
  /** The entry's time: the publisher's, else when the mirror found it. */
  updated: string;
}

/** Page path -> the full times the Atom feed gives for its newest entries (ids are `urn:newsmirror:<path>`). */
export function readFeed(mirrorDir: string): Map<string, FeedDates> {
  const dates = new Map<string, FeedDates>();
  const xml = readText(mirrorDir, MIRROR_LAYOUT.feed);
  if (xml === undefined) return dates;
  let parsed: { feed?: { entry?: unknown } };
  try {
    parsed = new XMLParser({ processEntities: false }).parse(xml);
  } catch {
    return dates;
  }
  const entries = parsed.feed?.entry;
  for (const entry of (Array.isArray(entries) ? entries : entries ? [entries] : []) as Array<
    Record<string, unknown>
  >) {
    const id = String(entry.id ?? '');
    if (!id.startsWith('urn:newsmirror:')) continue;
    const path = id
      .slice('urn:newsmirror:'.length)
      .split('/')
      .map((part) => safeDecodeComponent(part))
      .join('/');
    const updated = String(entry.updated ?? '');
    if (!updated) continue;
    dates.set(path, { updated, ...(entry.published ? { published: String(entry.published) } : {}) });
  }
  return dates;
}

function readText(mirrorDir: string, path: string): string | undefined {
  try {
    return readFileSync(join(mirrorDir, path), 'utf8');
  } catch {
    return undefined;
  }
}

function safeDecodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
