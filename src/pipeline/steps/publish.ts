// Step 6, publish: one commit for the run, then what the store may only learn once the pages are in git, then a
// push to every remote (a remote that fails is retried next run and loses nothing).
import type { Config } from '../../config/options.ts';
import type { Logger } from '../../internal/log.ts';
import type { StorePorts } from '../../store/index.ts';
import type { GitMirror, PushResult } from '../publish/git.ts';
import type { CacheValidators } from '../types.ts';
import type { Changes } from './changes.ts';

export interface CommitPlan {
  message: string;
  /** A killed run left work behind: commit the whole tree, whatever it left. */
  wholeTree: boolean;
  /** Files rendered this run (written or found unchanged); none means nothing changed. */
  renderedPaths: Set<string>;
}

/**
 * Commits the files the run wrote (images and rendered files), never stat-ing the rest of the mirror (about a second
 * at 100,000 pages); after an interrupted run, the whole tree. Null when nothing was rendered.
 */
export async function commitRun(git: GitMirror, changes: Changes, plan: CommitPlan): Promise<string | null> {
  if (plan.wholeTree) return git.commitAll(plan.message);
  if (plan.renderedPaths.size === 0) return null;
  // Unchanged files too: one left on disk by a killed process may never have been committed (git skips files whose
  // index entry still matches, so this costs a stat each).
  return git.commitPaths(plan.message, [...changes.assetPaths, ...plan.renderedPaths]);
}

/**
 * What the store learns only once the pages are safely in git: which pages are rendered (an interrupted run before
 * this point renders them again) and, unless the run was stopped, the channels' validators (a stopped run left
 * listed articles unstarted: without the validators the next run reads the listings again, where a 304 would hide
 * those articles until the listing changes).
 */
export async function confirmCommitted(
  store: Pick<StorePorts, 'articles' | 'fetchCache'>,
  changes: Changes,
  listingValidators: Map<string, CacheValidators> | undefined,
): Promise<void> {
  await store.articles.markRendered(changes.renderKeys);
  for (const [url, validators] of listingValidators ?? []) await store.fetchCache.save(url, validators);
}

export async function pushToRemotes(
  git: GitMirror,
  config: Config,
  remotes: StorePorts['remotes'],
  log: Logger,
  at: () => Date,
): Promise<PushResult[]> {
  if (config.mirror.remotes.length === 0) return [];
  const pushes = await git.pushAll(config.mirror.remotes);
  for (const push of pushes) {
    await remotes.recordPush(push.remote, {
      at: at().toISOString(),
      ok: push.ok,
      commit: push.commit,
      error: push.error,
    });
    if (!push.ok) log.warn(`push to ${push.remote} failed; the next run retries it: ${push.error}`);
  }
  return pushes;
}
