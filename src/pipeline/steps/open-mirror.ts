// Before anything is written: the mirror's lock (one writer at a time), a git repository in a clean state, the
// private store kept out of git, what an interrupted process left behind cleared, generated files changed by hand
// put back. Every command that writes the mirror (run, rebuild) opens it here, so none can skip a step.
import { dirname } from 'node:path';
import type { LoadedConfig } from '../../config/load.ts';
import { PublishError } from '../../internal/errors.ts';
import type { Logger } from '../../internal/log.ts';
import type { ArticlesPort, RunRecord, RunsPort } from '../../store/index.ts';
import { excludeFromMirror } from '../publish/exclude.ts';
import { type GitMirror, openGitMirror } from '../publish/git.ts';
import { acquireMirrorLock } from '../publish/lock.ts';
import { mirrorRepositoryExists } from '../publish/presence.ts';
import { restoreEditedFiles } from '../publish/restore.ts';
import { removeTempFiles } from '../publish/write-files.ts';

export interface OpenMirror {
  git: GitMirror;
  /** Runs a killed process left 'running': their work is completed (and committed whole) by this one. */
  unfinishedRuns: RunRecord[];
  release(): Promise<void>;
}

export interface OpenMirrorOptions {
  /** Wait for another process's lock instead of failing at once. */
  wait?: boolean;
  /** Walk the whole tree for temp files even if no writer left its marker (before a commit of the whole tree). */
  sweepTempFiles?: boolean;
}

export async function openMirror(
  loaded: LoadedConfig,
  runs: RunsPort,
  log: Logger,
  options: OpenMirrorOptions = {},
): Promise<OpenMirror> {
  const { mirrorDir, config } = loaded;
  const release = await acquireMirrorLock(mirrorDir, { wait: options.wait });
  try {
    const git = openGitMirror(mirrorDir, {
      branch: config.mirror.branch,
      pushTimeoutMs: config.mirror.pushTimeoutMs,
    });
    await git.ensureRepo();
    // A store kept inside the mirror (e.g. `dir: .` in CI) holds private view counts: never commit it.
    await excludeFromMirror(mirrorDir, dirname(loaded.storePath));
    for (const fixed of await git.recoverInterruptedState()) log.warn(`recovered: ${fixed}`);
    const unfinishedRuns = await runs.unfinished();
    // Walks the tree only where a killed writer left its marker, or before the whole tree is committed.
    const always = options.sweepTempFiles === true || unfinishedRuns.length > 0;
    const removed = await removeTempFiles(mirrorDir, { always });
    if (removed > 0) log.warn(`removed ${removed} temporary file(s) left by an interrupted run`);
    // After a finished run the tree matches git: what differs now was changed by hand, and goes back.
    const restored = unfinishedRuns.length === 0 ? await restoreEditedFiles(mirrorDir) : [];
    if (restored.length > 0) {
      log.warn(
        `restored ${restored.length} generated file(s) changed by hand since the last commit (commit a change ` +
          `to keep it): ${restored.slice(0, 5).join(', ')}${restored.length > 5 ? ', …' : ''}`,
      );
    }
    return { git, unfinishedRuns, release };
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * Records this run as started, then closes the unfinished ones. In that order: a kill in between leaves an
 * unfinished run for the next one to see, which then commits the whole tree instead of only the files it writes.
 */
export async function startRunRecord(
  runs: RunsPort,
  open: OpenMirror,
  at: Date,
  log: Logger,
): Promise<number> {
  const runId = await runs.start(at.toISOString());
  for (const unfinished of open.unfinishedRuns) {
    log.warn(`run ${unfinished.id} did not finish; its work is completed by this run`);
    await runs.abandon(unfinished.id, at.toISOString());
  }
  return runId;
}

/**
 * A run over a store that holds articles needs the mirror they were written to: without it the run would commit
 * indexes whose pages are gone. Fails naming the fix (`rebuild` re-creates every page from the store).
 */
export async function requireMirrorPresent(loaded: LoadedConfig, articles: ArticlesPort): Promise<void> {
  if (mirrorRepositoryExists(loaded.mirrorDir)) return;
  const stored = await articles.count();
  if (stored === 0) return;
  throw new PublishError(
    `the mirror ${loaded.mirrorDir} is missing (no git repository there), but the store holds ${stored} article(s): ` +
      `run \`newsmirror rebuild -c ${loaded.file}\` to re-create it from the store, then run again`,
    { code: 'mirror_missing', where: loaded.mirrorDir, retryable: false },
  );
}
