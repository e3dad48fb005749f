// Runs the git binary without a shell, in a clean environment, with a timeout that kills git and its helpers
// (ssh, remote-http, receive-pack) together, so a stalled remote can never hang a run.
import { spawn } from 'node:child_process';

/** Local commands (add, commit, status) on a large mirror stay well under this; it only catches a wedged git. */
export const LOCAL_GIT_TIMEOUT_MS = 10 * 60_000;

export interface GitRunOptions {
  cwd: string;
  timeoutMs?: number;
  /** Exit codes that are answers rather than failures (e.g. 1 for `diff --quiet`). */
  okCodes?: number[];
  input?: string;
}

export interface GitRunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class GitCommandError extends Error {
  readonly args: string[];
  readonly code: number | null;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Why it failed, without the command line: e.g. "exited 128: fatal: unable to connect ...". */
  readonly reason: string;
  constructor(
    args: string[],
    code: number | null,
    stderr: string,
    timedOut: boolean,
    cause?: unknown,
    timeoutMs?: number,
  ) {
    const why = timedOut
      ? `timed out after ${Math.round((timeoutMs ?? 0) / 1000)} s`
      : code === null
        ? `could not start (${cause instanceof Error ? cause.message : String(cause)})`
        : `exited ${code}`;
    const detail = summarizeStderr(redactCredentials(stderr));
    const reason = `${why}${detail ? `: ${detail}` : ''}`;
    super(`git ${redactArgs(args).join(' ')} ${reason}`, { cause });
    this.name = 'GitCommandError';
    this.args = args;
    this.code = code;
    this.stderr = redactCredentials(stderr);
    this.timedOut = timedOut;
    this.reason = reason;
  }
}

// Variables that would point git at another repository or identity than the one we mean (set inside git hooks,
// or by an operator's shell); we pass our own identity explicitly.
const INHERITED_GIT_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
  'GIT_NAMESPACE',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
];

function gitEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_GIT_VARIABLES) delete env[name];
  // Unattended: never wait for a password or a host-key answer; fail and let the next run retry.
  env.GIT_TERMINAL_PROMPT = '0';
  env.GCM_INTERACTIVE = 'never';
  if (!env.GIT_SSH_COMMAND && !env.GIT_SSH) env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  // Stable, parseable messages whatever the operator's locale.
  env.LC_ALL = 'C';
  env.LANG = 'C';
  return env;
}

// Settings that make commits independent of the operator's global git config.
const NEUTRAL_CONFIG = [
  '-c',
  'commit.gpgsign=false',
  '-c',
  'core.autocrlf=false',
  '-c',
  'core.safecrlf=false',
  '-c',
  'core.quotepath=false',
];

export function runGit(args: string[], options: GitRunOptions): Promise<GitRunResult> {
  const fullArgs = [...NEUTRAL_CONFIG, ...args];
  const okCodes = options.okCodes ?? [];
  const timeoutMs = options.timeoutMs ?? LOCAL_GIT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    // detached: git gets its own process group, so a timeout can kill its helpers too.
    const child = spawn('git', fullArgs, {
      cwd: options.cwd,
      env: gitEnvironment(),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new GitCommandError(args, null, stderr, false, error));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new GitCommandError(args, code, stderr, true, undefined, timeoutMs));
      else if (code === 0 || (code !== null && okCodes.includes(code))) resolve({ code, stdout, stderr });
      else reject(new GitCommandError(args, code, stderr, false));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Hide passwords and tokens in URLs (https://user:token@host) before they reach logs or reports. */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}

function redactArgs(args: string[]): string[] {
  return args.map((arg) => (arg.length > 200 ? `${arg.slice(0, 60)}…` : redactCredentials(arg)));
}

// From the first line that says what went wrong (fatal:, error:, a rejected ref) on; hints meant for people at
// a terminal are left out. Falls back to the last lines when git printed no such line.
function summarizeStderr(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('hint:'));
  const first = lines.findIndex((line) => /^(fatal|error|remote):|\[(remote )?rejected\]/.test(line));
  return (first >= 0 ? lines.slice(first, first + 4) : lines.slice(-4)).join(' | ');
}
