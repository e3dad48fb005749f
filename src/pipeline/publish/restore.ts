// Generated files changed or deleted by hand since the last commit are put back from git before a run. A run
// commits only the files it writes, so without this a page deleted by hand would stay missing on disk (and be
// committed as deleted by the next whole-tree commit), and an index edited by hand would go out with the next
// commit of that index. A change meant to stay is one someone commits; files newsmirror does not write (a config
// kept at the root of the repository, say) are never touched.
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import { runGit } from './run-git.ts';

/** What newsmirror writes: its folders and its files at the root. */
const GENERATED = [
  MIRROR_LAYOUT.pagesFolder,
  MIRROR_LAYOUT.indexesFolder,
  MIRROR_LAYOUT.assetsFolder,
  MIRROR_LAYOUT.bundlesFolder,
  MIRROR_LAYOUT.home,
  MIRROR_LAYOUT.feed,
  MIRROR_LAYOUT.mirrors,
  MIRROR_LAYOUT.searchGuide,
];

/**
 * Restores generated files whose working copy differs from git's index (edited or deleted); returns their paths.
 * Costs an lstat per tracked file (git compares against the stat data in its index); a file is read only when its
 * stat data changed.
 * Only after a run that finished: a killed run's files are its own unfinished work, which the next run completes.
 */
export async function restoreEditedFiles(mirrorDir: string): Promise<string[]> {
  const literal = GENERATED.map((path) => `:(literal)${path}`);
  // ls-files -m rather than diff-files: a file only touched (same content, new mtime) is not reported as changed.
  const changed = await runGit(['ls-files', '-m', '-z', '--', ...literal], { cwd: mirrorDir });
  const paths = [...new Set(changed.stdout.split('\0').filter(Boolean))];
  if (paths.length === 0) return [];
  await runGit(['checkout-index', '-f', '-z', '--stdin'], {
    cwd: mirrorDir,
    input: paths.map((path) => `${path}\0`).join(''),
  });
  return paths;
}
