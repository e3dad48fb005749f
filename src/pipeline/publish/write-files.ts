// Writes the mirror's files so that a kill at any moment leaves each file either old or new, never half-written:
// write a temp file beside the target, fsync it, rename it over the target (atomic on POSIX).
// While any write is under way, a marker in the mirror's .git folder says so: a killed writer leaves it behind, and
// only then does the next run walk the whole tree for leftover temp files.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  mkdir,
  open,
  readdir,
  readFile,
  realpath,
  rename,
  rmdir,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PublishError } from '../../internal/errors.ts';
import type { OutputFile } from '../types.ts';

/** Files written at once: enough to overlap fsyncs, few enough to stay far from the open-files limit. */
const WRITE_CONCURRENCY = 16;

/** `<name>.tmp-<pid>-<hex>`: only files matching this are ever removed as leftovers of a killed run. */
const TEMP_FILE_PATTERN = /\.tmp-\d+-[0-9a-f]{12}$/;

/**
 * In the mirror's .git folder while this process may have temp files in the mirror; left behind by a killed writer.
 * One name per mirror: the mirror lock keeps other processes out, so only this process's own writes overlap.
 */
export const WRITING_MARKER = 'newsmirror-writing';

export interface WriteSummary {
  written: number;
  unchanged: number;
  bytes: number;
  /** Paths whose content changed and was written, as given. */
  writtenPaths: string[];
}

export async function writeFilesAtomic(dir: string, files: OutputFile[]): Promise<WriteSummary> {
  const root = resolve(dir);
  // Check every path before writing any, so a bad one never leaves the mirror half-updated.
  const targets = files.map((file) => ({ target: safeTarget(root, file.path), file }));
  const seen = new Set<string>();
  for (const { target, file } of targets) {
    if (seen.has(target)) {
      throw new PublishError(`publish: the same file is written twice in one run: ${file.path}`, {
        code: 'duplicate_path',
        where: file.path,
        retryable: false,
      });
    }
    seen.add(target);
  }
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);
  if (targets.length === 0) return { written: 0, unchanged: 0, bytes: 0, writtenPaths: [] };
  await beginWriting(root);
  try {
    return await writeAll(realRoot, targets);
  } finally {
    await endWriting(root);
  }
}

async function writeAll(
  realRoot: string,
  targets: Array<{ target: string; file: OutputFile }>,
): Promise<WriteSummary> {
  const checkedDirs = new Map<string, Promise<void>>();
  const summary: WriteSummary = { written: 0, unchanged: 0, bytes: 0, writtenPaths: [] };
  const touchedDirs = new Set<string>();

  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    try {
      while (next < targets.length && !failed) {
        const { target, file } = targets[next++];
        const parent = dirname(target);
        let ready = checkedDirs.get(parent);
        if (!ready) {
          ready = prepareDir(realRoot, parent, file.path);
          checkedDirs.set(parent, ready);
        }
        await ready;
        const bytes = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
        if (await sameContent(target, bytes)) {
          summary.unchanged++;
          continue;
        }
        await writeAtomic(target, bytes, file.path);
        touchedDirs.add(parent);
        summary.written++;
        summary.bytes += bytes.byteLength;
        summary.writtenPaths.push(file.path);
      }
    } catch (error) {
      // The other workers take no further file.
      failed = true;
      throw error;
    }
  };
  // allSettled: after a failure the other workers finish the file in hand (renamed or its temp file removed)
  // before the marker may go.
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(WRITE_CONCURRENCY, targets.length) }, worker),
  );
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  // The renames themselves are durable only once their directories are synced.
  for (const parent of touchedDirs) await fsyncDir(parent);
  return summary;
}

// Writes in progress per mirror root in this process: the marker exists from the first one's start to the last
// one's end. Creating and removing it are chained, so a removal never overtakes a later creation.
const writers = new Map<string, { active: number; settled: Promise<void> }>();

async function beginWriting(root: string): Promise<void> {
  let state = writers.get(root);
  if (!state) {
    state = { active: 0, settled: Promise.resolve() };
    writers.set(root, state);
  }
  state.active++;
  if (state.active === 1) state.settled = state.settled.catch(() => {}).then(() => createMarker(root));
  try {
    await state.settled;
  } catch (error) {
    await endWriting(root);
    throw error;
  }
}

async function endWriting(root: string): Promise<void> {
  const state = writers.get(root);
  if (!state) return;
  state.active--;
  if (state.active > 0) return;
  state.settled = state.settled.catch(() => {}).then(() => removeMarker(root));
  await state.settled;
}

/** The marker's path, or null where the folder is no git repository of its own (then removeTempFiles always walks). */
async function markerPath(root: string): Promise<string | null> {
  const gitDir = join(root, '.git');
  const info = await stat(gitDir).catch(() => null);
  return info?.isDirectory() ? join(gitDir, WRITING_MARKER) : null;
}

async function createMarker(root: string): Promise<void> {
  const marker = await markerPath(root);
  if (marker === null) return;
  try {
    await writeFile(marker, `${process.pid} ${new Date().toISOString()}\n`);
  } catch (error) {
    throw new PublishError(`publish: cannot create ${marker}: ${(error as Error).message}`, {
      code: isErrno(error, 'ENOSPC') ? 'disk_full' : 'write_failed',
      where: marker,
      retryable: !isErrno(error, 'EACCES'),
      cause: error,
    });
  }
  // Durable before any temp file is: after a power cut, a temp file without its marker would never be found.
  await fsyncDir(dirname(marker));
}

async function removeMarker(root: string): Promise<void> {
  const marker = await markerPath(root);
  // A marker that cannot be removed costs the next run one walk of the tree, nothing more.
  if (marker !== null) await unlink(marker).catch(() => {});
}

/**
 * Removes the temp files a killed run left behind (only our `.tmp-<pid>-<hex>` pattern); returns how many. In a
 * git mirror the tree is walked only when a writer left its marker (or with `always`, e.g. after an interrupted
 * run of an older version, which wrote no marker); elsewhere it is always walked.
 */
export async function removeTempFiles(dir: string, options: { always?: boolean } = {}): Promise<number> {
  const root = resolve(dir);
  const marker = await markerPath(root);
  const marked = marker !== null && (await exists(marker));
  if (marker !== null && !marked && !options.always) return 0;
  let removed = 0;
  const walk = async (folder: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (folder === root && entry.name === '.git') continue;
        await walk(path);
      } else if (TEMP_FILE_PATTERN.test(entry.name)) {
        await unlink(path).catch((error) => {
          if (!isErrno(error, 'ENOENT')) throw error;
        });
        removed++;
      }
    }
  };
  await walk(root);
  // Our own writes still under way keep their marker; otherwise every leftover is gone now.
  if (marked && !(writers.get(root)?.active ?? 0)) await unlink(marker).catch(() => {});
  return removed;
}

/** Deletes files of the mirror (missing ones are fine) and the folders they leave empty. */
export async function removeFiles(dir: string, paths: string[]): Promise<void> {
  const root = resolve(dir);
  const targets = paths.map((path) => safeTarget(root, path));
  const realRoot = await realpath(root).catch(() => root);
  for (const target of targets) {
    const parent = dirname(target);
    const realParent = await realpath(parent).catch(() => null);
    if (realParent === null) continue;
    if (!isInside(realRoot, realParent))
      throw unsafePath(relative(root, target), 'its folder leads outside the mirror');
    await unlink(target).catch((error) => {
      if (!isErrno(error, 'ENOENT')) throw error;
    });
    // Git does not track folders; drop ones we emptied so the tree matches what a clone would show.
    let folder = parent;
    while (folder !== root && isInside(root, folder)) {
      try {
        await rmdir(folder);
      } catch {
        break;
      }
      folder = dirname(folder);
    }
  }
}

/** Checks a mirror-relative path and returns its absolute target; throws PublishError 'unsafe_path'. */
export function safeTarget(root: string, path: string): string {
  if (typeof path !== 'string' || path.length === 0) throw unsafePath(String(path), 'it is empty');
  if (path.includes('\0')) throw unsafePath(path, 'it contains a NUL byte');
  if (path.includes('\\')) throw unsafePath(path, 'it contains a backslash');
  if (isAbsolute(path) || /^[a-z]:/i.test(path)) throw unsafePath(path, 'it is absolute');
  const segments = path.split('/');
  if (segments.some((segment) => segment === '..')) throw unsafePath(path, "it contains '..'");
  if (segments.some((segment) => segment === '' || segment === '.')) {
    throw unsafePath(path, 'it has an empty or "." segment');
  }
  if (segments[0].toLowerCase() === '.git') throw unsafePath(path, "it points into git's own folder");
  if (TEMP_FILE_PATTERN.test(path)) throw unsafePath(path, 'its name looks like a temp file');
  const target = resolve(root, path);
  if (!isInside(root, target) || target === root) throw unsafePath(path, 'it would escape the mirror');
  return target;
}

function unsafePath(path: string, why: string): PublishError {
  return new PublishError(`publish: refusing to write ${JSON.stringify(path)}: ${why}`, {
    code: 'unsafe_path',
    where: path,
    retryable: false,
  });
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

// mkdir -p, then make sure no symlink inside the mirror points the folder elsewhere.
async function prepareDir(realRoot: string, parent: string, path: string): Promise<void> {
  try {
    await mkdir(parent, { recursive: true });
  } catch (error) {
    throw new PublishError(`publish: cannot create folder for ${path}: ${(error as Error).message}`, {
      code: 'write_failed',
      where: path,
      retryable: !isErrno(error, 'ENOTDIR') && !isErrno(error, 'EEXIST'),
      cause: error,
    });
  }
  const realParent = await realpath(parent);
  if (!isInside(realRoot, realParent))
    throw unsafePath(path, 'its folder leads outside the mirror (symlink)');
}

async function sameContent(target: string, bytes: Uint8Array): Promise<boolean> {
  try {
    const info = await stat(target);
    if (!info.isFile() || info.size !== bytes.byteLength) return false;
    return Buffer.from(bytes).equals(await readFile(target));
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return false;
    throw error;
  }
}

async function writeAtomic(target: string, bytes: Uint8Array, path: string): Promise<void> {
  const temp = `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    // A full disk or a busy file system may clear up; a folder where a file should be will not.
    const retryable = !isErrno(error, 'EISDIR') && !isErrno(error, 'ENOTDIR') && !isErrno(error, 'EACCES');
    throw new PublishError(`publish: writing ${path} failed: ${(error as Error).message}`, {
      code: isErrno(error, 'ENOSPC') ? 'disk_full' : 'write_failed',
      where: path,
      retryable,
      cause: error,
    });
  }
}

async function fsyncDir(folder: string): Promise<void> {
  try {
    const handle = await open(folder, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on folders; the data itself is already synced.
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
