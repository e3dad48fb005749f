// Whether the mirror's working tree is there: a populated store with no mirror means someone deleted or moved it,
// and a run would then commit a mirror whose indexes point at pages that are gone.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * true when `dir` holds a git repository. Only .git is looked at: a first run killed before rendering anything
 * leaves a repository without pages, and the next run must complete it rather than ask for a rebuild.
 */
export function mirrorRepositoryExists(dir: string): boolean {
  return existsSync(join(dir, '.git'));
}
