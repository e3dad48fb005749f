// One run at a time per mirror: a lock file created with O_EXCL in the mirror's .git folder (never committed),
// holding who took it. A lock left by a killed run on this host is taken over without a human.
import { randomBytes } from 'node:crypto';
import { constants, readFileSync } from 'node:fs';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { PublishError } from '../../internal/errors.ts';

const LOCK_FILE_NAME = 'newsmirror.lock';

/** How often a waiting run looks again: cheap (one stat), and runs take minutes, so half a second is plenty. */
const LOCK_POLL_MS = 500;

/** Waiting longer than an hour means runs pile up behind a stuck one; an hourly schedule starts another anyway. */
const DEFAULT_LOCK_WAIT_MS = 60 * 60_000;

/** A lock file still empty after this long was left by a run killed between creating and writing it. */
const EMPTY_LOCK_GRACE_MS = 5_000;

/** The takeover guard is held for a few file operations; one older than this was left by a killed process. */
const TAKEOVER_GUARD_STALE_MS = 30_000;

export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO 8601 time the lock was taken. */
  startedAt: string;
  /** Random per acquisition, so a release never removes someone else's lock. */
  token: string;
  /** Linux boot id: a lock from before a reboot is stale whatever its pid. */
  bootId?: string;
  /** Linux start time of the process (clock ticks since boot), to tell a reused pid from the owner. */
  processStart?: string;
}

export interface LockOptions {
  /** Wait for the holder to finish instead of failing at once. */
  wait?: boolean;
  /** Longest wait when `wait` is true (default one hour); then PublishError 'locked'. */
  timeoutMs?: number;
  /** Where taking over a stale lock is reported; default one line on stderr. */
  log?: { warn(message: string, fields?: Record<string, unknown>): void };
}

// Locks this process holds, so a second acquire from the same process is refused rather than taken as stale.
const heldByThisProcess = new Set<string>();

export async function acquireMirrorLock(
  dir: string,
  options: LockOptions = {},
): Promise<() => Promise<void>> {
  const lockPath = await lockPathFor(dir);
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_LOCK_WAIT_MS);
  const log = options.log ?? { warn: (message: string) => process.stderr.write(`warn  ${message}\n`) };

  for (;;) {
    const owner = newOwner();
    if (await tryCreate(lockPath, owner)) {
      heldByThisProcess.add(lockPath);
      return releaser(lockPath, owner.token);
    }
    const current = await readLock(lockPath);
    if (current === 'missing') continue;
    const staleReason = await whyStale(lockPath, current);
    if (staleReason) {
      if (await removeIfUnchanged(lockPath, current.raw)) {
        log.warn(`publish: took over a stale mirror lock (${staleReason})`, {
          lock: lockPath,
          previous: current.owner ?? current.raw,
        });
      }
      continue;
    }
    if (!options.wait || Date.now() >= deadline)
      throw lockedError(dir, lockPath, current.owner, options.wait);
    await sleep(Math.min(LOCK_POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

/** Who holds the mirror's lock now, or null when nobody does. */
export async function readMirrorLock(dir: string): Promise<LockOwner | null> {
  const current = await readLock(await lockPathFor(dir));
  return current === 'missing' ? null : (current.owner ?? null);
}

async function lockPathFor(dir: string): Promise<string> {
  const gitDir = join(resolve(dir), '.git');
  try {
    const info = await stat(gitDir);
    // A linked worktree or submodule has a `.git` file naming its real git folder.
    if (info.isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(await readFile(gitDir, 'utf8'));
      if (pointer) return join(resolve(dir, pointer[1].trim()), LOCK_FILE_NAME);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // Before the first run the repository does not exist yet; `git init` accepts the folder we make here.
    await mkdir(gitDir, { recursive: true });
  }
  return join(gitDir, LOCK_FILE_NAME);
}

function newOwner(): LockOwner {
  return {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
    bootId: readBootId(),
    processStart: readProcessStart(process.pid),
  };
}

async function tryCreate(lockPath: string, owner: LockOwner): Promise<boolean> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await open(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new PublishError(
      `publish: cannot create the mirror lock ${lockPath}: ${(error as Error).message}`,
      {
        code: 'lock_failed',
        where: lockPath,
        retryable: false,
        cause: error,
      },
    );
  }
  try {
    await handle.writeFile(`${JSON.stringify(owner)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

type LockState = 'missing' | { raw: string; owner?: LockOwner; mtimeMs: number };

async function readLock(lockPath: string): Promise<LockState> {
  try {
    const [raw, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    return { raw, owner: parseOwner(raw), mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (
      typeof value.pid === 'number' &&
      typeof value.hostname === 'string' &&
      typeof value.token === 'string'
    ) {
      return value as LockOwner;
    }
  } catch {
    // Half-written by a run killed right after creating it.
  }
  return undefined;
}

/** Why the lock can be taken over, or null when its holder may still be running. */
async function whyStale(lockPath: string, state: Exclude<LockState, 'missing'>): Promise<string | null> {
  const { owner } = state;
  if (!owner) {
    return Date.now() - state.mtimeMs > EMPTY_LOCK_GRACE_MS ? 'lock file is empty or unreadable' : null;
  }
  // Another host's process cannot be checked from here; only a human may decide it is dead.
  if (owner.hostname !== hostname()) return null;
  const bootId = readBootId();
  if (owner.bootId && bootId && owner.bootId !== bootId)
    return `pid ${owner.pid} ran before this machine rebooted`;
  if (owner.pid === process.pid) {
    return heldByThisProcess.has(lockPath)
      ? null
      : `pid ${owner.pid} is this process, which does not hold it`;
  }
  if (!isAlive(owner.pid)) return `pid ${owner.pid} on ${owner.hostname} is no longer running`;
  const start = readProcessStart(owner.pid);
  if (owner.processStart && start && owner.processStart !== start) {
    return `pid ${owner.pid} now belongs to another process`;
  }
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Only one process at a time may remove a stale lock, or two could each remove the other's fresh one.
async function removeIfUnchanged(lockPath: string, staleRaw: string): Promise<boolean> {
  const guard = `${lockPath}.takeover`;
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await open(guard, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const info = await stat(guard).catch(() => null);
    if (info && Date.now() - info.mtimeMs > TAKEOVER_GUARD_STALE_MS) await unlink(guard).catch(() => {});
    else await sleep(LOCK_POLL_MS / 10);
    return false;
  }
  try {
    await handle.close();
    const now = await readLock(lockPath);
    if (now === 'missing' || now.raw !== staleRaw) return false;
    await unlink(lockPath);
    return true;
  } finally {
    await unlink(guard).catch(() => {});
  }
}

function releaser(lockPath: string, token: string): () => Promise<void> {
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    heldByThisProcess.delete(lockPath);
    const current = await readLock(lockPath);
    // Only remove our own lock: if it was (wrongly) taken over, the new holder keeps theirs.
    if (current !== 'missing' && current.owner?.token === token) await unlink(lockPath).catch(() => {});
  };
}

function lockedError(
  dir: string,
  lockPath: string,
  owner: LockOwner | undefined,
  waited?: boolean,
): PublishError {
  const who = owner
    ? `pid ${owner.pid} on ${owner.hostname} since ${owner.startedAt}`
    : 'a run that is still writing its lock file';
  const advice = waited
    ? 'gave up waiting for it'
    : 'wait for it to finish (or use --wait); if that process is gone, delete the lock file';
  return new PublishError(`publish: mirror ${dir} is locked by another newsmirror run (${who}); ${advice}`, {
    code: 'locked',
    where: lockPath,
    retryable: true,
  });
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function readProcessStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at the last ')'; starttime is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
