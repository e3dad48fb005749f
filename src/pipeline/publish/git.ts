// The mirror as a git repository: commit each run, push to every remote on its own, and put the repository
// right after a run was killed. Commits stay local until a push succeeds, so a failed push loses nothing.
import { mkdir, readdir, readFile, readlink, realpath, stat, unlink } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorMessage, PublishError } from '../../internal/errors.ts';
import { GitCommandError, redactCredentials, runGit } from './run-git.ts';
import { safeTarget } from './write-files.ts';

/** A first push of a large mirror over a slow link takes minutes; past this the remote is treated as down. */
export const PUSH_TIMEOUT_MS = 10 * 60_000;

/** Someone may push again while we merge; after this many merge-and-push rounds we report and retry next run. */
const MAX_MERGE_ROUNDS = 3;

/** Without /proc we cannot see who holds a git lock; one this old outlives any git command on a mirror. */
const STALE_GIT_LOCK_AGE_MS = 10 * 60_000;

const DEFAULT_AUTHOR_NAME = 'newsmirror';
const DEFAULT_AUTHOR_EMAIL = 'newsmirror@localhost';

/** Name of an existing remote (or a URL / path), or a name and URL to configure. */
export type RemoteSpec = string | { name: string; url: string };

export interface PushResult {
  /** The remote's name, or its URL with any credentials hidden. */
  remote: string;
  ok: boolean;
  /** The commit the remote's branch now points at (set when ok). */
  commit?: string;
  /** What failed, naming the remote. */
  error?: string;
  /** true when a later push may succeed without anyone changing the configuration. */
  retryable: boolean;
  /** true when the remote had moved ahead and its commits were merged into ours before pushing. */
  merged?: boolean;
}

export interface GitMirror {
  /** `git init -b <branch>` when missing; refuses a folder inside another repository's work tree unless ignored there. */
  ensureRepo(): Promise<void>;
  /**
   * Stages everything and commits; null when there was nothing to commit, else the new commit's sha. Stats every
   * file of the mirror: for after an interrupted run and for a rebuild; a run commits its own files with commitPaths.
   */
  commitAll(message: string): Promise<string | null>;
  /**
   * Stages exactly these mirror-relative paths (written, or deleted ones as removals) and commits; null when they
   * changed nothing. Costs what the paths cost, not what the mirror holds; nothing else in the tree is looked at.
   */
  commitPaths(message: string, paths: readonly string[]): Promise<string | null>;
  head(): Promise<string | null>;
  isClean(): Promise<boolean>;
  /** Removes stale git lock files (no git process working there) and aborts half-done merges or rebases. */
  recoverInterruptedState(): Promise<string[]>;
  /** Pushes the branch to each remote on its own; one failing never stops the others. */
  pushAll(remotes: RemoteSpec[]): Promise<PushResult[]>;
}

export interface GitMirrorOptions {
  branch: string;
  authorName?: string;
  authorEmail?: string;
  /** Per push or fetch (default 10 minutes). */
  pushTimeoutMs?: number;
  /** Allow creating the mirror inside another repository's work tree even where that repository does not ignore it. */
  allowInsideOtherRepo?: boolean;
}

export function openGitMirror(dir: string, options: GitMirrorOptions): GitMirror {
  const root = resolve(dir);
  const branch = options.branch;
  if (!isValidBranchName(branch)) {
    throw new PublishError(`publish: ${JSON.stringify(branch)} is not a valid branch name`, {
      code: 'bad_branch',
      where: root,
      retryable: false,
    });
  }
  const identity = [
    '-c',
    `user.name=${options.authorName ?? DEFAULT_AUTHOR_NAME}`,
    '-c',
    `user.email=${options.authorEmail ?? DEFAULT_AUTHOR_EMAIL}`,
  ];
  const pushTimeoutMs = options.pushTimeoutMs ?? PUSH_TIMEOUT_MS;

  const git = async (args: string[], okCodes?: number[], timeoutMs?: number, input?: string) => {
    try {
      return await runGit(args, { cwd: root, okCodes, timeoutMs, input });
    } catch (error) {
      throw toPublishError(error, root);
    }
  };

  const head = async (): Promise<string | null> => {
    const result = await git(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], [1]);
    return result.code === 0 ? result.stdout.trim() : null;
  };

  const ensureRepo = async (): Promise<void> => {
    await mkdir(root, { recursive: true });
    const realRoot = await realpath(root);
    let topLevel: string | null = null;
    try {
      topLevel = (await runGit(['rev-parse', '--show-toplevel'], { cwd: root })).stdout.trim();
    } catch (error) {
      if (!(error instanceof GitCommandError) || !/not a git repository/i.test(error.stderr)) {
        throw toPublishError(error, root);
      }
    }
    const nested = topLevel !== null && (await realpath(topLevel)) !== realRoot;
    // A mirror inside another work tree is fine only where that repository ignores it (e.g. demo/out/);
    // otherwise the outer repository would pick up the mirror as an embedded repository.
    if (nested && !options.allowInsideOtherRepo) {
      const ignored = await git(['check-ignore', '-q', '.'], [1]);
      if (ignored.code !== 0) {
        throw new PublishError(
          `publish: mirror folder ${root} lies inside the git repository ${topLevel}, which does not ignore it; ` +
            `add it to that repository's .gitignore or choose a mirror folder outside it`,
          { code: 'inside_other_repo', where: root, retryable: false },
        );
      }
    }
    if (topLevel === null || nested) {
      await git(['init', '-q', '-b', branch]);
      return;
    }
    const symbolic = await git(['symbolic-ref', '-q', 'HEAD'], [1]);
    const current = symbolic.code === 0 ? symbolic.stdout.trim() : null;
    if (current === `refs/heads/${branch}`) return;
    if ((await head()) === null) {
      // Nothing committed yet: just point the unborn HEAD at our branch.
      await git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
      return;
    }
    throw new PublishError(
      `publish: mirror ${root} has ${current ? `branch ${current.replace('refs/heads/', '')}` : 'a detached HEAD'} ` +
        `checked out, not ${branch}; check out ${branch} there or change mirror.branch`,
      { code: 'wrong_branch', where: root, retryable: false },
    );
  };

  const commitAll = async (message: string): Promise<string | null> => {
    await git(['add', '-A']);
    return commitIndex(message);
  };

  const commitPaths = async (message: string, paths: readonly string[]): Promise<string | null> => {
    // The same checks as for writing: nothing outside the mirror, in .git, or named like our temp files.
    for (const path of paths) safeTarget(root, path);
    if (paths.length === 0) return null;
    // update-index rather than `git add -- <paths>`: the paths are taken literally (no pathspec globs), arrive on
    // stdin (no argv limit), and no folder is read for untracked files (`add` reads each named file's folder, 25,000
    // entries in a channel's). --remove stages a deleted path's removal; --replace settles a file/folder swap.
    const list = [...new Set(paths)].map((path) => `${path}\0`).join('');
    await git(
      ['update-index', '--add', '--remove', '--replace', '-z', '--stdin'],
      undefined,
      undefined,
      list,
    );
    return commitIndex(message);
  };

  // The index as it stands becomes the next commit. Plumbing rather than `git commit`, which first refreshes the
  // whole index (an lstat of every file of the mirror, ~0.1 s at 100,000 pages) although what we staged is fresh.
  // No hooks run: an unattended run must not stop on one an operator installed for hand commits.
  const commitIndex = async (message: string): Promise<string | null> => {
    const parent = await head();
    if (parent === null) {
      const staged = await git(['diff', '--cached', '--quiet'], [1]);
      if (staged.code === 0) return null;
    }
    const tree = (await git(['write-tree'])).stdout.trim();
    if (
      parent !== null &&
      tree === (await git(['rev-parse', '--verify', `${parent}^{tree}`])).stdout.trim()
    ) {
      return null;
    }
    const text = `${message.replace(/\s+$/, '')}\n`;
    const commit = (
      await git(
        [...identity, 'commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', '-'],
        undefined,
        undefined,
        text,
      )
    ).stdout.trim();
    // With the old value, a commit someone made meanwhile is never overwritten ('' = the branch must not exist yet).
    await git(['update-ref', '-m', `commit: ${text.split('\n')[0]}`, 'HEAD', commit, parent ?? '']);
    // As `git commit` does (unless maintenance.auto is off): pack loose objects once there are many. Like git commit,
    // a failure here does not undo or fail the commit that is already made; the next commit tries again.
    try {
      const auto = await git(['config', '--type=bool', '--get', 'maintenance.auto'], [1]);
      if (auto.stdout.trim() !== 'false') await git(['maintenance', 'run', '--auto', '--quiet']);
    } catch {
      // Packing is housekeeping: the mirror is complete without it.
    }
    return commit;
  };

  const isClean = async (): Promise<boolean> => {
    const status = await git(['status', '--porcelain', '-z', '--untracked-files=all']);
    return status.stdout.length === 0;
  };

  const recoverInterruptedState = async (): Promise<string[]> => {
    const fixed: string[] = [];
    const gitDir = join(root, '.git');
    const locks = await findGitLocks(gitDir);
    if (locks.length > 0) {
      const busy = await gitProcessWorkingIn(root);
      for (const lock of locks) {
        const stale = busy === false || (busy === null && (await olderThan(lock, STALE_GIT_LOCK_AGE_MS)));
        if (!stale) continue;
        await unlink(lock).catch(() => {});
        fixed.push(`removed stale ${relative(root, lock).split(sep).join('/')}`);
      }
    }
    const unfinished: Array<[string, string[], string]> = [
      ['MERGE_HEAD', ['merge', '--abort'], 'aborted an unfinished merge'],
      ['rebase-merge', ['rebase', '--abort'], 'aborted an unfinished rebase'],
      ['rebase-apply', ['rebase', '--abort'], 'aborted an unfinished rebase'],
      ['CHERRY_PICK_HEAD', ['cherry-pick', '--abort'], 'aborted an unfinished cherry-pick'],
      ['REVERT_HEAD', ['revert', '--abort'], 'aborted an unfinished revert'],
    ];
    for (const [marker, abort, what] of unfinished) {
      if (!(await exists(join(gitDir, marker)))) continue;
      await git(abort);
      fixed.push(what);
    }
    return fixed;
  };

  // Fetch the remote's branch and merge it into ours, keeping both histories; our generated files win conflicts.
  const mergeRemote = async (target: string): Promise<boolean> => {
    await git(['fetch', '-q', '--no-tags', '--', target, `refs/heads/${branch}`], undefined, pushTimeoutMs);
    const theirs = (await git(['rev-parse', '--verify', 'FETCH_HEAD^{commit}'])).stdout.trim();
    const contained = await git(['merge-base', '--is-ancestor', theirs, 'HEAD'], [1]);
    if (contained.code === 0) return false;
    const merge = await git(
      [
        ...identity,
        'merge',
        '-q',
        '--no-edit',
        '--no-verify',
        '--allow-unrelated-histories',
        '-X',
        'ours',
        '-m',
        `Merge ${redactCredentials(target)} ${branch} into ${branch}`,
        theirs,
      ],
      [1],
    );
    if (merge.code !== 0) await resolveConflictsAsOurs();
    return true;
  };

  // `-X ours` settles conflicting hunks but not e.g. a file one side deleted: take our side of each of those.
  const resolveConflictsAsOurs = async (): Promise<void> => {
    try {
      const unmerged = await git(['ls-files', '-u', '-z']);
      const ourStage = new Map<string, boolean>();
      for (const entry of unmerged.stdout.split('\0').filter(Boolean)) {
        const [meta, path] = entry.split('\t');
        const stage = meta.split(' ')[2];
        ourStage.set(path, (ourStage.get(path) ?? false) || stage === '2');
      }
      for (const [path, oursExists] of ourStage) {
        if (oursExists) {
          await git(['checkout', '--ours', '--', path]);
          await git(['add', '--', path]);
        } else {
          await git(['rm', '-q', '-f', '--ignore-unmatch', '--', path]);
        }
      }
      await git([...identity, 'commit', '-q', '--no-edit', '--no-verify']);
    } catch (error) {
      await git(['merge', '--abort'], [128]).catch(() => {});
      throw error;
    }
  };

  const resolveRemote = async (spec: RemoteSpec): Promise<{ label: string; target: string }> => {
    if (typeof spec === 'string') {
      if (spec.startsWith('-')) throw badRemote(spec, 'it starts with "-"');
      if (looksLikeUrl(spec)) return { label: redactCredentials(spec), target: spec };
      const known = await git(['remote', 'get-url', '--', spec], [2, 128]);
      if (known.code !== 0) {
        throw badRemote(
          spec,
          'no remote of that name in the mirror repository; add it, or give name and url',
        );
      }
      return { label: spec, target: spec };
    }
    const { name, url } = spec;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw badRemote(name, 'not a valid remote name');
    if (url.startsWith('-')) throw badRemote(name, 'its url starts with "-"');
    const known = await git(['remote', 'get-url', '--', name], [2, 128]);
    if (known.code !== 0) await git(['remote', 'add', '--', name, url]);
    else if (known.stdout.trim() !== url) await git(['remote', 'set-url', name, url]);
    return { label: name, target: name };
  };

  const pushOne = async (spec: RemoteSpec): Promise<PushResult> => {
    const fallbackLabel = typeof spec === 'string' ? redactCredentials(spec) : spec.name;
    let label = fallbackLabel;
    let merged = false;
    try {
      const resolved = await resolveRemote(spec);
      label = resolved.label;
      for (let round = 0; ; round++) {
        const commit = await head();
        if (commit === null) return { remote: label, ok: true, retryable: false };
        try {
          await git(
            ['push', '-q', '--', resolved.target, `${commit}:refs/heads/${branch}`],
            undefined,
            pushTimeoutMs,
          );
          return { remote: label, ok: true, commit, retryable: false, merged };
        } catch (error) {
          if (!isBehind(error) || round >= MAX_MERGE_ROUNDS) throw error;
        }
        if (await mergeRemote(resolved.target)) merged = true;
      }
    } catch (error) {
      return {
        remote: label,
        ok: false,
        retryable: isRetryable(error),
        error: describePushError(label, error),
        merged,
      };
    }
  };

  const pushAll = async (remotes: RemoteSpec[]): Promise<PushResult[]> => {
    const results: PushResult[] = [];
    // One after another: a merge changes our branch, and the next remote should get that merged commit.
    for (const spec of remotes) results.push(await pushOne(spec));
    return results;
  };

  return { ensureRepo, commitAll, commitPaths, head, isClean, recoverInterruptedState, pushAll };
}

function isBehind(error: unknown): boolean {
  const cause = error instanceof PublishError ? error.cause : undefined;
  const text = cause instanceof GitCommandError ? cause.stderr : '';
  return (
    /\[rejected\][^\n]*\((fetch first|non-fast-forward)\)/.test(text) ||
    /Updates were rejected because/.test(text)
  );
}

const NETWORK_FAILURE =
  /could not resolve host|connection refused|connection timed out|timed out|unable to connect|network is unreachable|no route to host|hung up|early eof|rpc failed|connection reset|unable to access|could not read from remote/i;
const NEEDS_A_HUMAN =
  /authentication failed|permission denied|could not read username|terminal prompts disabled|access denied|not exported|remote rejected|hook declined|protected branch|does not appear to be a git repository|repository not found|not a valid remote name|starts with "-"|no remote of that name/i;

function isRetryable(error: unknown): boolean {
  if (error instanceof PublishError && error.code === 'bad_remote') return false;
  const text = errorMessage(error);
  if (NEEDS_A_HUMAN.test(text)) return false;
  // Network failures and unknown push failures: the commits are local and the next run pushes again, so say a retry may help.
  return true;
}

function describePushError(label: string, error: unknown): string {
  const cause = error instanceof PublishError ? error.cause : undefined;
  if (cause instanceof GitCommandError) {
    const subcommand = cause.args.find(
      (arg, index) => !arg.startsWith('-') && cause.args[index - 1] !== '-c',
    );
    return `push to remote ${label} failed: git ${subcommand} ${cause.reason}`;
  }
  return `push to remote ${label} failed: ${errorMessage(error).replace(/^publish: /, '')}`;
}

function badRemote(name: string, why: string): PublishError {
  return new PublishError(`publish: remote ${JSON.stringify(redactCredentials(name))}: ${why}`, {
    code: 'bad_remote',
    where: redactCredentials(name),
    retryable: false,
  });
}

function looksLikeUrl(spec: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) ||
    /^[^/:]+@[^/:]+:/.test(spec) ||
    isAbsolute(spec) ||
    spec.startsWith('.')
  );
}

function isValidBranchName(name: string): boolean {
  return (
    /^[A-Za-z0-9._/-]+$/.test(name) &&
    !name.startsWith('-') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.lock') &&
    !name.includes('..') &&
    !name.includes('//')
  );
}

function toPublishError(error: unknown, root: string): PublishError {
  if (error instanceof PublishError) return error;
  const message = errorMessage(error);
  const detail = error instanceof GitCommandError ? error.stderr : message;
  const locked = /Unable to create '[^']*\.lock': File exists/i.test(detail);
  return new PublishError(`publish: ${message}`, {
    code: locked
      ? 'git_locked'
      : error instanceof GitCommandError && error.timedOut
        ? 'git_timeout'
        : 'git_failed',
    where: root,
    // A held lock or a timeout may clear; most other local git failures need a look.
    retryable:
      locked || (error instanceof GitCommandError && error.timedOut) || NETWORK_FAILURE.test(message),
    cause: error,
  });
}

// Lock files git leaves when killed mid-write: the index, HEAD and friends, and any ref.
async function findGitLocks(gitDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of [
    'index.lock',
    'HEAD.lock',
    'ORIG_HEAD.lock',
    'config.lock',
    'packed-refs.lock',
    'shallow.lock',
  ]) {
    if (await exists(join(gitDir, name))) found.push(join(gitDir, name));
  }
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.lock')) found.push(path);
    }
  };
  await walk(join(gitDir, 'refs'));
  return found;
}

/** true/false when /proc can tell whether a git process has its working folder in the mirror; null when not. */
async function gitProcessWorkingIn(root: string): Promise<boolean | null> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const realRoot = await realpath(root);
  for (const pid of pids) {
    try {
      const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
      if (!comm.startsWith('git')) continue;
      const cwd = await readlink(`/proc/${pid}/cwd`);
      if (cwd === realRoot || cwd.startsWith(realRoot + sep)) return true;
    } catch {
      // Gone meanwhile, or another user's process.
    }
  }
  return false;
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs > ms;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
