// Turning request paths into files of the mirror without ever leaving it, and knowing which paths are pages (the
// counter counts only those).
import { opendir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { MIRROR_LAYOUT } from '../internal/mirror-layout.ts';
import type { StorePorts } from '../store/index.ts';

/** Mirror paths are short ('pages/<channel>/<id>.md'); 512 characters leaves room and bounds every key we keep. */
export const MAX_MIRROR_PATH_LENGTH = 512;

/**
 * Pages remembered in memory for the counter's fast path. A mirror of a few hundred channels holds well under this;
 * the cap bounds memory (about 100 bytes a path) if a mirror grows beyond it, and lookups then fall back to the store.
 */
const MAX_KNOWN_PAGES = 500_000;

/** Folders never scanned for pages: images and other binary assets hold no Markdown. */
const SKIPPED_FOLDERS = new Set<string>([MIRROR_LAYOUT.assetsFolder]);

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/**
 * The mirror-relative path named by a raw (percent-encoded) URL path such as '/pages/ch/n1.md', or undefined when it
 * could reach outside the mirror or into hidden files: no '..' or '.' segments, no empty segments, no segment starting
 * with '.' (.git holds the remotes' URLs), no NUL, control character or backslash, bounded length. '' is the root.
 */
export function mirrorPathOf(rawPath: string): string | undefined {
  if (rawPath.length > MAX_MIRROR_PATH_LENGTH * 3 || !rawPath.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath.slice(1));
  } catch {
    return undefined;
  }
  if (decoded.length > MAX_MIRROR_PATH_LENGTH || CONTROL_CHARACTERS.test(decoded)) return undefined;
  if (decoded === '') return '';
  const folder = decoded.endsWith('/');
  const segments = (folder ? decoded.slice(0, -1) : decoded).split('/');
  for (const segment of segments) {
    if (segment === '' || segment.startsWith('.')) return undefined;
  }
  return decoded;
}

/** Whether a mirror path names a Markdown page (the only files that carry the counter image). */
export function isPagePath(path: string): boolean {
  return path.endsWith('.md') && !path.endsWith('/');
}

/**
 * The absolute file for a mirror path, checked after following symbolic links so a link inside the mirror cannot
 * expose files outside it. Undefined when it does not exist or lies outside.
 */
export async function resolveInsideMirror(mirrorRoot: string, path: string): Promise<string | undefined> {
  try {
    const real = await realpath(join(mirrorRoot, path));
    return real === mirrorRoot || real.startsWith(mirrorRoot + sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pages of the mirror, for the counter: Markdown files found on disk (rescanned periodically, as runs add pages)
 * plus pages the store knows. `has` answers from memory; other Markdown paths cost one indexed store lookup, and a
 * hit is remembered until the next scan.
 */
export class PageIndex {
  readonly #mirrorDir: string;
  readonly #store: Pick<StorePorts, 'articles'> | undefined;
  #known = new Set<string>();
  #scanning: Promise<void> | undefined;

  constructor(mirrorDir: string, store?: Pick<StorePorts, 'articles'>) {
    this.#mirrorDir = mirrorDir;
    this.#store = store;
  }

  get size(): number {
    return this.#known.size;
  }

  /** Re-reads the mirror's Markdown files; a scan already running is shared. */
  refresh(): Promise<void> {
    this.#scanning ??= this.#scan().finally(() => {
      this.#scanning = undefined;
    });
    return this.#scanning;
  }

  /** Whether `path` is a page found by the last scan or a lookup since (the counter's fast path). */
  knows(path: string): boolean {
    return this.#known.has(path);
  }

  /** Whether `path` (mirror-relative, already checked by `mirrorPathOf`) is a page of the mirror. */
  async lookup(path: string): Promise<boolean> {
    if (this.#known.has(path)) return true;
    if (!isPagePath(path) || this.#store === undefined) return false;
    const stored = await this.#store.articles.hasPage(path);
    if (stored && this.#known.size < MAX_KNOWN_PAGES) this.#known.add(path);
    return stored;
  }

  async #scan(): Promise<void> {
    const found = new Set<string>();
    await this.#walk('', found);
    this.#known = found;
  }

  async #walk(folder: string, found: Set<string>): Promise<void> {
    let entries: Awaited<ReturnType<typeof opendir>>;
    try {
      entries = await opendir(join(this.#mirrorDir, folder));
    } catch {
      return; // A missing mirror (not yet run) has no pages.
    }
    for await (const entry of entries) {
      if (found.size >= MAX_KNOWN_PAGES) return;
      if (entry.name.startsWith('.')) continue;
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (folder === '' && SKIPPED_FOLDERS.has(entry.name)) continue;
        await this.#walk(path, found);
      } else if (entry.isFile() && isPagePath(path) && path.length <= MAX_MIRROR_PATH_LENGTH) {
        found.add(path);
      }
    }
  }
}
