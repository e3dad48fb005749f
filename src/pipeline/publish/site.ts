// Writes the static HTML site of a mirror: every Markdown file rendered to HTML at the same relative place, every
// other file (images, QR codes, feed, CSV) copied, plus the stylesheet. Incremental: a file whose output is newer
// than its source is left alone, unless the renderer or the options changed since the last build (a stamp file
// records them). Files an earlier build wrote whose source is gone are removed; nothing else in the folder is.
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { PublishError } from '../../internal/errors.ts';
import type { OutputFile } from '../types.ts';
import { removeFiles, writeFilesAtomic } from './write-files.ts';

/** Records what the last build wrote and with which renderer (a dot file: no static host serves it as a page). */
const STAMP_PATH = '.newsmirror-site.json';

/** Files held in memory before they are written: bounded memory on a mirror of 100,000 pages. */
const WRITE_BATCH_FILES = 500;

/** `<name>.tmp-<pid>-<hex>`: temp files of an interrupted mirror write, never part of the site. */
const TEMP_FILE_PATTERN = /\.tmp-\d+-[0-9a-f]{12}$/;

export interface SiteWriteOptions {
  mirrorDir: string;
  outDir: string;
  /** Site path of a mirror file (e.g. `pages/a/b.md` -> `pages/a/b.html`; other files keep theirs). */
  targetOf: (mirrorPath: string) => string;
  /** Whether a mirror file is a page to render (Markdown) rather than a file to copy. */
  isPage: (mirrorPath: string) => boolean;
  /** The HTML of one page. */
  renderPage: (mirrorPath: string, markdown: string) => string;
  /** Mirror files the site leaves out (their place is taken by a file of the site's own). */
  skip?: (mirrorPath: string) => boolean;
  /** Files of the site that have no source in the mirror (the stylesheet). Always checked, cheap. */
  extraFiles: OutputFile[];
  /** Changes whenever every page must be rendered again (renderer version, options that show in every page). */
  buildKey: string;
  /** Render and copy everything, whatever the timestamps say. */
  force?: boolean;
}

export interface SiteBuildSummary {
  outDir: string;
  /** Pages in the mirror (Markdown files: articles, indexes, home, list of mirrors). */
  pages: number;
  /** Pages rendered this time (the rest were up to date). */
  rendered: number;
  /** Other files copied this time (images, QR codes, feed, CSV). */
  copied: number;
  /** Files left alone because their output was newer than their source. */
  upToDate: number;
  /** Files whose bytes changed on disk (a rendered or copied file equal to the old one is not rewritten). */
  written: number;
  bytesWritten: number;
  /** Files of an earlier build whose source is gone. */
  removed: number;
  /** Mirror files left out because another file maps to the same site path (e.g. README.md and index.md). */
  conflicts: string[];
}

interface Stamp {
  buildKey: string;
  files: string[];
}

/** The default output folder: beside the mirror, named after it, so sister mirrors in one folder never collide. */
export function defaultSiteDir(mirrorDir: string): string {
  return `${resolve(mirrorDir)}-site`;
}

export async function writeSite(options: SiteWriteOptions): Promise<SiteBuildSummary> {
  const mirrorDir = resolve(options.mirrorDir);
  const outDir = resolve(options.outDir);
  checkFolders(mirrorDir, outDir);
  const sources = await listMirrorFiles(mirrorDir);
  const previous = await readStamp(outDir);
  const trustTimes = !options.force && previous?.buildKey === options.buildKey;

  const summary: SiteBuildSummary = {
    outDir,
    pages: 0,
    rendered: 0,
    copied: 0,
    upToDate: 0,
    written: 0,
    bytesWritten: 0,
    removed: 0,
    conflicts: [],
  };
  const owners = new Map<string, string>(options.extraFiles.map((file) => [file.path, file.path]));
  let batch: OutputFile[] = [...options.extraFiles];
  const flush = async () => {
    const result = await writeFilesAtomic(outDir, batch);
    summary.written += result.written;
    summary.bytesWritten += result.bytes;
    batch = [];
  };

  for (const source of sources) {
    if (options.skip?.(source)) continue;
    const page = options.isPage(source);
    const target = options.targetOf(source);
    if (owners.has(target)) {
      summary.conflicts.push(source);
      continue;
    }
    owners.set(target, source);
    if (page) summary.pages++;
    if (trustTimes && (await isUpToDate(join(mirrorDir, source), join(outDir, target)))) {
      summary.upToDate++;
      continue;
    }
    const bytes = await readFile(join(mirrorDir, source));
    if (page) {
      batch.push({ path: target, content: options.renderPage(source, bytes.toString('utf8')) });
      summary.rendered++;
    } else {
      batch.push({ path: target, content: bytes });
      summary.copied++;
    }
    if (batch.length >= WRITE_BATCH_FILES) await flush();
  }
  await flush();

  const files = [...owners.keys()].sort();
  if (previous) {
    const current = new Set(files);
    const stale = previous.files.filter((file) => !current.has(file));
    if (stale.length > 0) await removeFiles(outDir, stale);
    summary.removed = stale.length;
  }
  const stamp: Stamp = { buildKey: options.buildKey, files };
  await writeFilesAtomic(outDir, [{ path: STAMP_PATH, content: `${JSON.stringify(stamp)}\n` }]);
  return summary;
}

function checkFolders(mirrorDir: string, outDir: string): void {
  const inside = (outer: string, inner: string) => inner === outer || inner.startsWith(outer + sep);
  if (inside(mirrorDir, outDir) || inside(outDir, mirrorDir)) {
    throw new PublishError(
      `site: the output folder ${outDir} and the mirror ${mirrorDir} must not contain each other ` +
        '(the site would be committed into the mirror, or overwrite it); choose another --out',
      { code: 'unsafe_path', where: outDir, retryable: false },
    );
  }
}

/** Every regular file of the mirror, '/'-separated and sorted; dot files (.git) and temp files left out. */
async function listMirrorFiles(mirrorDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      throw new PublishError(`site: cannot read the mirror folder ${folder}: ${(error as Error).message}`, {
        code: 'read_failed',
        where: folder,
        retryable: false,
        cause: error,
      });
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || TEMP_FILE_PATTERN.test(entry.name)) continue;
      const path = join(folder, entry.name);
      // Symlinks are not followed: a mirror has none, and one could lead outside it.
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) found.push(relative(mirrorDir, path).split(sep).join('/'));
    }
  };
  await walk(mirrorDir);
  return found.sort();
}

async function isUpToDate(source: string, target: string): Promise<boolean> {
  try {
    const [from, to] = await Promise.all([stat(source), stat(target)]);
    // Strictly newer: a source rewritten within the same clock tick as the last build is rendered again.
    return to.isFile() && to.mtimeMs > from.mtimeMs;
  } catch {
    return false;
  }
}

async function readStamp(outDir: string): Promise<Stamp | undefined> {
  try {
    const stamp = JSON.parse(await readFile(join(outDir, STAMP_PATH), 'utf8')) as Partial<Stamp>;
    if (typeof stamp.buildKey !== 'string' || !Array.isArray(stamp.files)) return undefined;
    return { buildKey: stamp.buildKey, files: stamp.files.map(String) };
  } catch {
    return undefined;
  }
}
