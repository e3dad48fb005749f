// Real git remotes for tests: bare repositories reached by path, and `git daemon` on 127.0.0.1 with push enabled.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** How long a started git daemon may take to accept connections before the test fails. */
const DAEMON_START_TIMEOUT_MS = 10_000;

// Tests must not pick up a repository or identity from the environment they run in (e.g. inside a git hook).
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  for (const name of [
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_OBJECT_DIRECTORY',
    'GIT_COMMON_DIR',
  ]) {
    delete env[name];
  }
  return env;
}

/** Runs git in `cwd` and returns stdout; throws with git's stderr on failure. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const identity = ['-c', 'user.name=test', '-c', 'user.email=test@localhost', '-c', 'commit.gpgsign=false'];
  try {
    const { stdout } = await execFileAsync('git', [...identity, ...args], { cwd, env: cleanEnv() });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`git ${args.join(' ')} in ${cwd} failed: ${stderr.trim() || (error as Error).message}`);
  }
}

export interface BareRemote {
  /** Folder of the bare repository. */
  path: string;
  /** What to give git as the remote's URL (here the path itself). */
  url: string;
  cleanup(): Promise<void>;
}

/** A new empty bare repository in a temp folder, default branch `branch`. */
export async function makeBareRemote(branch = 'main'): Promise<BareRemote> {
  const parent = await mkdtemp(join(tmpdir(), 'newsmirror-remote-'));
  const path = join(parent, 'remote.git');
  await execFileAsync('git', ['init', '-q', '--bare', '-b', branch, path], { env: cleanEnv() });
  return { path, url: path, cleanup: () => rm(parent, { recursive: true, force: true }) };
}

export interface GitDaemon {
  port: number;
  /** git:// URL of a repository folder directly under the daemon's base dir, e.g. url('mirror.git'). */
  url(repoName: string): string;
  stop(): Promise<void>;
}

/** Serves every repository under `baseDir` over git:// on 127.0.0.1, with push (receive-pack) enabled. */
export async function startGitDaemon(baseDir: string, port?: number): Promise<GitDaemon> {
  const chosenPort = port ?? (await freePort());
  const child = spawn(
    'git',
    [
      'daemon',
      '--reuseaddr',
      `--base-path=${baseDir}`,
      '--export-all',
      '--enable=receive-pack',
      '--informative-errors',
      '--listen=127.0.0.1',
      `--port=${chosenPort}`,
      baseDir,
    ],
    // Own process group: stop() ends the daemon and the per-connection children it forked.
    { env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + DAEMON_START_TIMEOUT_MS;
  while (!(await accepts(chosenPort))) {
    if (exited || Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`git daemon did not start on 127.0.0.1:${chosenPort}: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return {
    port: chosenPort,
    url: (repoName) => `git://127.0.0.1:${chosenPort}/${repoName}`,
    stop: () => stopProcess(child),
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on right now (e.g. for a remote that is down). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface LoggedCommit {
  sha: string;
  parents: string[];
  subject: string;
}

/** Commits reachable from `ref` (default HEAD), newest first; works on bare repositories too. */
export async function gitLog(dir: string, ref = 'HEAD'): Promise<LoggedCommit[]> {
  const out = await git(dir, ['log', '--format=%H%x09%P%x09%s', ref, '--']);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha, parents, subject] = line.split('\t');
      return { sha, parents: parents ? parents.split(' ') : [], subject };
    });
}

/** A file's content at `ref` (default main) of a repository (bare or not); null when it is not there. */
export async function readRemoteFile(bareRepo: string, path: string, ref = 'main'): Promise<string | null> {
  try {
    return await git(bareRepo, ['show', `${ref}:${path}`]);
  } catch {
    return null;
  }
}

/** true when `sha` is reachable from `ref` in the repository. */
export async function isReachable(repo: string, sha: string, ref = 'main'): Promise<boolean> {
  try {
    await git(repo, ['merge-base', '--is-ancestor', sha, ref]);
    return true;
  } catch {
    return false;
  }
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
  await exited;
}
