// How big the mirror has grown: files and bytes per top-level folder of the working tree, and the git history's
// size. A report for operators (the original reached 106,362 pages); never on a run's hot path.
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface MirrorSize {
  /** Top-level folder ('pages', 'assets', 'indexes', or '.' for files at the root) -> files and bytes. */
  parts: Record<string, { files: number; bytes: number }>;
  files: number;
  bytes: number;
  /** Size of .git on disk (packed and loose objects), when it is a git repository. */
  historyBytes?: number;
  commits?: number;
}

export async function measureMirror(dir: string): Promise<MirrorSize> {
  const size: MirrorSize = { parts: {}, files: 0, bytes: 0 };
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    const part = entry.isDirectory() ? entry.name : '.';
    size.parts[part] ??= { files: 0, bytes: 0 };
    const totals = size.parts[part];
    const add = (bytes: number) => {
      totals.files++;
      totals.bytes += bytes;
      size.files++;
      size.bytes += bytes;
    };
    if (entry.isDirectory()) await walk(join(dir, entry.name), add);
    else if (entry.isFile()) add((await stat(join(dir, entry.name))).size);
  }
  try {
    const { stdout } = await execFileAsync('git', ['count-objects', '-v'], { cwd: dir });
    const field = (name: string) => Number(stdout.match(new RegExp(`^${name}: (\\d+)$`, 'm'))?.[1] ?? 0);
    const count = await execFileAsync('git', ['rev-list', '--count', 'HEAD'], { cwd: dir });
    size.historyBytes = (field('size') + field('size-pack')) * 1024;
    size.commits = Number(count.stdout.trim());
  } catch {
    // not a repository yet, or no commit: the tree figures stand alone
  }
  return size;
}

async function walk(dir: string, add: (bytes: number) => void): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, add);
    else if (entry.isFile()) add((await stat(path)).size);
  }
}
