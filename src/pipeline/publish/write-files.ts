// Writes the mirror's files so that a kill at any moment leaves each file either old or new, never half-written:
// write a temp file beside the target, fsync it, rename it over the target (atomic on POSIX).
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, realpath, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PublishError } from '../../internal/errors.ts';
import type { OutputFile } from '../types.ts';

/** Files written at once: enough to overlap fsyncs, few enough to stay far from the open-files limit. */
const WRITE_CONCURRENCY = 16;

/** `<name>.tmp-<pid>-<hex>`: only files matching this are ever removed as leftovers of a killed run. */
const TEMP_FILE_PATTERN = /\.tmp-\d+-[0-9a-f]{12}$/;

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
  const checkedDirs = new Map<string, Promise<void>>();
  const summary: WriteSummary = { written: 0, unchanged: 0, bytes: 0, writtenPaths: [] };
  const touchedDirs = new Set<string>();

  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < targets.length && !failed) {
      const { target, file } = targets[next++];
      const parent = dirname(target);
      let ready = checkedDirs.get(parent);
      if (!ready) {
        ready = prepareDir(realRoot, parent, file.path);
        checkedDirs.set(parent, ready);
      }
      try {
        await ready;
      } catch (error) {
        failed = true;
        throw error;
      }
      const bytes = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
      if (await sameContent(target, bytes)) {
        summary.unchanged++;
        continue;
      }
      try {
        await writeAtomic(target, bytes, file.path);
      } catch (error) {
        failed = true;
        throw error;
      }
      touchedDirs.add(parent);
      summary.written++;
      summary.bytes += bytes.byteLength;
      summary.writtenPaths.push(file.path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, targets.length) }, worker));
  // The renames themselves are durable only once their directories are synced.
  for (const parent of touchedDirs) await fsyncDir(parent);
  return summary;
}

/** Removes the temp files a killed run left behind (only our `.tmp-<pid>-<hex>` pattern); returns how many. */
export async function removeTempFiles(dir: string): Promise<number> {
  const root = resolve(dir);
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

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
