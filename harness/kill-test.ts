// Kill test: runs `newsmirror run` over a copy of the demo site in a child process, SIGKILLs it (with the git
// commands it started) at a random moment, runs again to completion and checks that the mirror, the store and
// the remote hold every article exactly once. New articles are fed to the site between cycles, so each killed
// run has fetching, writing, committing and pushing to do. Command line: scripts/kill-test.ts; test:
// test/e2e/crash.test.ts.
//
// The child (kill-test/child.ts) is a warmed-up CLI: it loads the built dist/cli.mjs, says "ready", and calls
// main(['run', '-c', FILE]) when told "go" (what bin/newsmirror.js does), so the random delay counts from the start
// of the run, not from module loading, and the next child warms up while the current one runs.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseConfigText } from '../src/config/load.ts';
import { silentLogger } from '../src/internal/log.ts';
import { createHttpClient } from '../src/pipeline/fetch/client.ts';
import { runMirror } from '../src/pipeline/run.ts';
import { openSqliteStore } from '../src/store/index.ts';
import { serveDemoSite } from './demo-site.ts';
import { type GitDaemon, makeBareRemote, startGitDaemon } from './git.ts';
import { checkInvariants, describeLeftovers, type ExpectedArticle } from './kill-test/checks.ts';
import { createFeeder } from './kill-test/feeder.ts';
import { seededRandom } from './random.ts';

const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const CHILD_ENTRY = fileURLToPath(new URL('./kill-test/child.ts', import.meta.url));

/** Articles added to the site before each killed run: enough work to kill it while fetching, few enough to stay fast. */
const NEW_ARTICLES_PER_CYCLE = 2;

/** Every this many cycles an added article's title and body change, so updates are killed too. */
const EDIT_EVERY_CYCLES = 7;

/** First guess of a run's length before one has been seen whole; the estimate then follows real runs. */
const INITIAL_RUN_ESTIMATE_MS = 3000;

/** Every this many cycles one run is left whole to measure how long a run takes now (machines and load vary). */
const CALIBRATE_EVERY_CYCLES = 10;

/** Children warming up at once: loading the TypeScript CLI takes seconds, overlapped with the cycles before. */
const WARM_CHILDREN = 2;

/** Part of the delays drawn log-uniformly, so the first milliseconds (lock, recovery, discovery) get kills too. */
const LOG_UNIFORM_SHARE = 0.3;

/** Cycles allowed per wanted kill: a run that finishes before its kill is a cycle without a kill. */
const MAX_CYCLES_PER_KILL = 3;

export interface KillTestOptions {
  kills: number;
  seed: number;
  /** One line per cycle. */
  log?: (line: string) => void;
}

export interface KillTestResult {
  seed: number;
  kills: number;
  /** Runs that finished before their kill (still followed by the checks). */
  finishedBeforeKill: number;
  cycles: number;
  articles: number;
  /** What each kill left behind, counted by the state found before recovery. */
  phases: Record<string, number>;
}

export async function runKillTest(options: KillTestOptions): Promise<KillTestResult> {
  const random = seededRandom(options.seed);
  const log = options.log ?? (() => {});
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-kill-'));
  const site = await serveDemoSite({ copy: true });
  const remote = await makeBareRemote();
  const remoteBase = resolve(remote.path, '..');
  let daemon: GitDaemon | undefined;
  const children = new Set<ChildProcess>();
  try {
    daemon = await startGitDaemon(remoteBase);
    const configFile = join(work, 'newsmirror.yaml');
    writeFileSync(
      configFile,
      site.configText
        .replace('dir: ./out/mirror', `dir: ${join(work, 'mirror')}`)
        .replace('url: ./out/remote.git', `url: ${daemon.url('remote.git')}`)
        .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`)
        .replace(
          'allowPrivateAddresses: true',
          'allowPrivateAddresses: true\n  retries: 1\n  headersTimeoutMs: 5000\n  bodyTimeoutMs: 5000',
        ),
    );
    const loaded = parseConfigText(readFileSync(configFile, 'utf8'), configFile, work);
    const expected = new Map<string, ExpectedArticle>(
      site.manifest.articles.map((article) => [
        article.id,
        { id: article.id, homeChannel: article.homeChannel, channels: article.channels },
      ]),
    );
    const feeder = createFeeder(site, random);

    const result: KillTestResult = {
      seed: options.seed,
      kills: 0,
      finishedBeforeKill: 0,
      cycles: 0,
      articles: 0,
      phases: {},
    };
    let runEstimateMs = INITIAL_RUN_ESTIMATE_MS;
    const warm = Array.from({ length: WARM_CHILDREN }, () => startChild(configFile, children));
    while (result.kills < options.kills && result.cycles < options.kills * MAX_CYCLES_PER_KILL) {
      result.cycles++;
      // The first cycle kills the big first run (every demo article); later ones add a few articles each.
      if (result.cycles > 1) {
        for (const added of feeder.add(NEW_ARTICLES_PER_CYCLE)) expected.set(added.id, added);
        if (result.cycles % EDIT_EVERY_CYCLES === 0) feeder.editOne();
      }
      const child = await warm.shift()!.ready;
      warm.push(startChild(configFile, children));
      // Cycle 2 (the first with a run of the usual size) and every CALIBRATE_EVERY_CYCLES-th run whole.
      const calibrating = result.cycles % CALIBRATE_EVERY_CYCLES === 2;
      const delayMs = calibrating ? Number.POSITIVE_INFINITY : drawDelay(random, runEstimateMs);
      const started = Date.now();
      child.stdin?.write('go\n');
      const exit = await killAfter(child, delayMs);
      children.delete(child);
      let phase: string;
      if (exit.killed) {
        result.kills++;
        phase = await describeLeftovers(loaded.mirrorDir, remote.path, loaded.storePath, expected);
        result.phases[phase] = (result.phases[phase] ?? 0) + 1;
      } else {
        result.finishedBeforeKill++;
        const took = Date.now() - started;
        runEstimateMs = calibrating ? took : Math.max(200, Math.round((runEstimateMs + took) / 2));
        phase = `finished (exit ${exit.code}) in ${took} ms`;
      }

      // The recovering run: in this process, to completion, as the next cron run would be.
      const store = await openSqliteStore(loaded.storePath);
      const http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 10 });
      try {
        // Waits out the grace of a lock file the kill left empty (killed between creating and writing it), as the
        // next cron run, an hour later, would find it stale at once.
        const summary = await runMirror({ loaded, store, http, log: silentLogger, waitForLock: true });
        if (summary.failures.length > 0) {
          throw new Error(
            `recovering run had failures: ${summary.failures.map((f) => `${f.url}: ${f.message}`).join('; ')}`,
          );
        }
        const failedPush = summary.pushes.find((push) => !push.ok);
        if (failedPush) throw new Error(`recovering run could not push: ${failedPush.error}`);
      } finally {
        await http.close();
        await store.close();
      }
      await checkInvariants(loaded.mirrorDir, remote.path, loaded.storePath, expected);
      log(
        `cycle ${result.cycles}: ${calibrating ? 'whole run' : `kill after ${delayMs} ms`} -> ${phase}; recovered, ${expected.size} articles ok`,
      );
    }
    result.articles = expected.size;
    for (const spare of warm) (await spare.ready.catch(() => undefined))?.kill('SIGKILL');
    return result;
  } finally {
    for (const child of children) killGroup(child);
    await daemon?.stop();
    await site.server.close();
    await remote.cleanup();
    rmSync(work, { recursive: true, force: true });
    rmSync(resolve(site.root, '..'), { recursive: true, force: true });
  }
}

/** Part of the delays drawn near the end of a run, where writing, committing and pushing happen in little time. */
const TAIL_SHARE = 0.3;

function drawDelay(random: () => number, estimateMs: number): number {
  const low = 2;
  const high = Math.max(low + 1, estimateMs * 1.1);
  const draw = random();
  if (draw < LOG_UNIFORM_SHARE) return Math.round(low * (high / low) ** random());
  if (draw < LOG_UNIFORM_SHARE + TAIL_SHARE) return Math.round(estimateMs * (0.6 + 0.5 * random()));
  return Math.round(low + random() * (high - low));
}

// ---------------------------------------------------------------------------------------------------------------
// the child

function startChild(configFile: string, children: Set<ChildProcess>): { ready: Promise<ChildProcess> } {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin/run-ts.js'), CHILD_ENTRY, configFile],
    // Its own process group: the kill takes the git commands it is running with it, like a machine going down.
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );
  children.add(child);
  let output = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output = (output + chunk).slice(-4000);
  });
  const ready = new Promise<ChildProcess>((resolveReady, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line === 'ready') resolveReady(child);
    });
    child.once('exit', (code) =>
      reject(new Error(`kill-test child exited (${code}) before it was ready: ${output.trim()}`)),
    );
  });
  ready.catch(() => {}); // reported when awaited
  return { ready };
}

async function killAfter(
  child: ChildProcess,
  delayMs: number,
): Promise<{ killed: boolean; code: number | null }> {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      done({ code: child.exitCode, signal: child.signalCode });
    } else child.once('exit', (code, signal) => done({ code, signal }));
  });
  const timer = Number.isFinite(delayMs) ? setTimeout(() => killGroup(child), delayMs) : undefined;
  const { code, signal } = await exited;
  clearTimeout(timer);
  // The group may still hold a git command if the run finished just as the kill came; make sure none is left.
  killGroup(child);
  return { killed: signal === 'SIGKILL', code };
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
}
