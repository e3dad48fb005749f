// Files that live inside the mirror's working tree but must never be committed (the SQLite store, when an operator
// keeps it there): listed in .git/info/exclude, which is local to this clone and never pushed.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Excludes `path` from git in the mirror `dir` when it lies inside it; idempotent. */
export async function excludeFromMirror(dir: string, path: string): Promise<boolean> {
  const inside = relative(dir, path);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep) || /^[A-Za-z]:/.test(inside))
    return false;
  const pattern = `/${inside.split(sep).join('/')}`;
  const file = join(dir, '.git', 'info', 'exclude');
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current.split('\n').includes(pattern)) return false;
  await mkdir(join(dir, '.git', 'info'), { recursive: true });
  await appendFile(file, `${current === '' || current.endsWith('\n') ? '' : '\n'}${pattern}\n`);
  return true;
}
