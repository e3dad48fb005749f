// The end-to-end bench (issue 16): whole processes timed from start-up to exit, as users run them, side by side in
// one run over the same generated site: `newsmirror run` (the built CLI, commit included), the seed-style Python
// script (seed_style.py: requests + BeautifulSoup, sequential, git commit at the end) and the Readability +
// Turndown baseline (readability-run.ts). Also the start-up of `--version`, `--help` and `extract` of one small
// page against a bare `node -e 0`. Wall time from here; CPU (children included: git, the page workers' threads)
// and peak RSS from /usr/bin/time, whose own child is the measured program (so its peak is that program's alone).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchConfigYaml, LISTING_CHANNELS, startBenchSite } from './site-generator.ts';
import { articleInfo, type PageSize, renderArticlePage } from './site-pages.ts';

/** `previous`: the hotlinked run of another build (BENCH_PREVIOUS_CLI), to time a change side by side. */
export type E2eCase = 'hotlink' | 'mirror' | 'previous' | 'seed' | 'readability';
export const E2E_CASES: readonly E2eCase[] = ['hotlink', 'mirror', 'seed', 'readability'];
/** The site: 3 listing channels, no feed. */
export const E2E_CHANNELS = 3;

const PACKAGE_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const TIME = '/usr/bin/time';
/** The built CLI; BENCH_CLI names another build's bin/newsmirror.js (to time two builds side by side). */
const CLI = process.env.BENCH_CLI ?? join(PACKAGE_ROOT, 'bin', 'newsmirror.js');
const SEED_SCRIPT = join(PACKAGE_ROOT, 'harness', 'bench', 'seed_style.py');

export interface ProcessFigures {
  seconds: number;
  /** User + system CPU of the process and the children it waited for. */
  cpuSeconds: number;
  peakRssMb: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one program under /usr/bin/time; with `profileDir`, a node program writes its CPU profiles there. */
export async function measureProcess(command: string, args: string[]): Promise<ProcessFigures> {
  const scratch = mkdtempSync(join(tmpdir(), 'newsmirror-e2e-time-'));
  const report = join(scratch, 'time.txt');
  try {
    const started = performance.now();
    const child = spawn(TIME, ['-f', '%U %S %M', '-o', report, command, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const seconds = (performance.now() - started) / 1000;
    // time writes "Command exited with non-zero status N" first when the program failed: the figures are last.
    const fields = readFileSync(report, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
    const [user, system, maxKb] = fields;
    if (fields.length !== 3 || fields.some(Number.isNaN)) {
      throw new Error(`e2e bench: ${TIME} gave no figures for ${command}: ${readFileSync(report, 'utf8')}`);
    }
    return { seconds, cpuSeconds: user + system, peakRssMb: maxKb / 1024, code, stdout, stderr };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A Python 3 with bs4 and requests: BENCH_PYTHON, Debian's /usr/bin/python3 (python3-bs4), or python3. */
export function seedPython(): string {
  const candidates = [process.env.BENCH_PYTHON, '/usr/bin/python3', 'python3'].filter(
    (candidate): candidate is string => Boolean(candidate),
  );
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['-c', 'import bs4, requests']).status === 0) return candidate;
  }
  throw new Error(
    'e2e bench: no python3 with bs4 and requests (apt-get install -y python3-bs4 python3-requests, or set BENCH_PYTHON)',
  );
}

export function requireTime(): void {
  if (!existsSync(TIME)) throw new Error(`e2e bench: ${TIME} is missing (apt-get install -y time)`);
}

/**
 * A harness script (harness/bench/<name>.ts) bundled to plain JavaScript in `outDir`, as newsmirror runs from dist/:
 * no TypeScript loader is timed. `outDir` must sit inside the package, so the packages left external resolve.
 */
export async function bundleBenchScript(name: string, outDir: string): Promise<string> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: { [name]: join(PACKAGE_ROOT, 'harness', 'bench', `${name}.ts`) },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return join(outDir, `${name}.mjs`);
}

let readabilityEntry: string | undefined;
/** readability-run.ts bundled, once per bench process. */
async function bundledReadability(): Promise<string> {
  if (!readabilityEntry) {
    const outDir = join(PACKAGE_ROOT, 'node_modules', '.cache', 'newsmirror-e2e', String(process.pid));
    readabilityEntry = await bundleBenchScript('readability-run', outDir);
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  }
  return readabilityEntry;
}

function previousCli(): string {
  const cli = process.env.BENCH_PREVIOUS_CLI;
  if (!cli)
    throw new Error(
      "e2e bench: the previous case needs BENCH_PREVIOUS_CLI (another build's bin/newsmirror.js)",
    );
  return cli;
}

/** `--cpu-prof` into BENCH_PROFILE_DIR when it is set (node programs only). */
function profileFlags(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export interface E2eResult extends ProcessFigures {
  case: E2eCase;
  label: string;
  articles: number;
  /** Articles the program reports written. */
  written: number;
  /** newsmirror's own summary line's run time (no start-up, no exit). */
  summarySeconds?: number;
  /** With `verbose`: newsmirror's `stage` lines (`run --verbose`), each as its name and figures. */
  stages?: Array<{ name: string; fields: Record<string, number> }>;
}

/** The `debug stage NAME key=value ...` lines of `newsmirror run --verbose`. */
export function parseStageLines(stderr: string): Array<{ name: string; fields: Record<string, number> }> {
  const stages: Array<{ name: string; fields: Record<string, number> }> = [];
  for (const line of stderr.split('\n')) {
    const match = /^debug stage (\S+)((?: \w+=\d+)*)$/.exec(line);
    if (!match) continue;
    const pairs = match[2]
      .trim()
      .split(' ')
      .map((pair) => pair.split('='));
    stages.push({ name: match[1], fields: Object.fromEntries(pairs.map(([k, v]) => [k, Number(v)])) });
  }
  return stages;
}

const LABELS: Record<E2eCase, string> = {
  hotlink: 'newsmirror run, images hotlink, links inert',
  mirror: 'newsmirror run, images mirror, links mirror',
  previous: 'the same, BENCH_PREVIOUS_CLI build',
  seed: 'seed-style Python (requests + bs4, sequential)',
  readability: 'readability + linkedom + turndown (node)',
};

/**
 * One whole process of `kind` over the site at `origin`, in a fresh folder; with `verbose`, newsmirror runs with
 * `--verbose` instead of `-q` and its stage lines come back with the figures.
 */
export async function runE2eCase(
  kind: E2eCase,
  origin: string,
  articles: number,
  verbose = false,
): Promise<E2eResult> {
  const work = mkdtempSync(join(tmpdir(), `newsmirror-e2e-${kind}-`));
  const channels = LISTING_CHANNELS.slice(0, E2E_CHANNELS);
  try {
    let figures: ProcessFigures;
    if (kind === 'hotlink' || kind === 'mirror' || kind === 'previous') {
      const config = join(work, 'newsmirror.yaml');
      writeFileSync(
        config,
        benchConfigYaml({
          origin,
          mirrorDir: join(work, 'mirror'),
          storePath: join(work, 'store.sqlite'),
          images: kind === 'mirror' ? 'mirror' : 'hotlink',
          links: kind === 'mirror' ? 'mirror' : 'inert',
          channels: E2E_CHANNELS,
          feed: false,
          // BENCH_WORKERS: the config's `workers` (page worker threads) instead of the machine's default.
          ...(process.env.BENCH_WORKERS ? { workers: Number(process.env.BENCH_WORKERS) } : {}),
        }),
      );
      figures = await measureProcess(process.execPath, [
        ...profileFlags(),
        kind === 'previous' ? previousCli() : CLI,
        'run',
        '-c',
        config,
        '--no-push',
        verbose ? '--verbose' : '-q',
      ]);
    } else if (kind === 'seed') {
      figures = await measureProcess(seedPython(), [SEED_SCRIPT, origin, join(work, 'out'), ...channels]);
    } else {
      figures = await measureProcess(process.execPath, [
        ...profileFlags(),
        await bundledReadability(),
        origin,
        work,
        ...channels,
      ]);
    }
    const written = Number(/(?:written|new) (\d+)/.exec(figures.stdout)?.[1] ?? Number.NaN);
    if (figures.code !== 0 || written !== articles) {
      throw new Error(
        `e2e bench: ${LABELS[kind]} exited with ${figures.code} having written ${written} of ${articles} ` +
          `articles; stdout: ${figures.stdout.slice(-500)} stderr: ${figures.stderr.slice(-1500)}`,
      );
    }
    const summary = /in ([\d.]+) s/.exec(figures.stdout)?.[1];
    return {
      ...figures,
      case: kind,
      label: LABELS[kind],
      articles,
      written,
      summarySeconds: summary ? Number(summary) : undefined,
      stages:
        verbose && kind !== 'seed' && kind !== 'readability' ? parseStageLines(figures.stderr) : undefined,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface StartupResult {
  label: string;
  seconds: number;
  peakRssMb: number;
}

/** Median of `repeat` runs each of bare node, `--version`, `--help` and `extract` of one small page. */
export async function runStartup(repeat: number): Promise<StartupResult[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'newsmirror-e2e-startup-'));
  try {
    const origin = 'http://127.0.0.1:8';
    const page = join(scratch, 'page.html');
    writeFileSync(page, renderArticlePage(1, origin, { pages: 'small', channels: E2E_CHANNELS }));
    const url = `${origin}${articleInfo(1, E2E_CHANNELS).path}`;
    const programs: Array<[string, string[]]> = [
      ['node -e 0', ['-e', '0']],
      ['newsmirror --version', [CLI, '--version']],
      ['newsmirror --help', [CLI, '--help']],
      ['newsmirror extract (one 13 KB page)', [CLI, 'extract', page, '--url', url, '--format', 'json']],
    ];
    const runs = programs.map((): ProcessFigures[] => []);
    // Alternating, so a burst of load on the shared machine hits every program alike.
    for (let round = 0; round < repeat; round++) {
      for (const [n, [, args]] of programs.entries()) {
        const figures = await measureProcess(process.execPath, args);
        if (figures.code !== 0)
          throw new Error(`e2e bench: node ${args.join(' ')} failed: ${figures.stderr}`);
        runs[n].push(figures);
      }
    }
    return programs.map(([label], n) => ({
      label,
      seconds: median(runs[n].map((run) => run.seconds)),
      peakRssMb: median(runs[n].map((run) => run.peakRssMb)),
    }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface E2eRun {
  pages: PageSize;
  articles: number;
  results: E2eResult[];
}

/** Every case over a site of `articles` pages of `pages` size, `repeat` rounds alternating; the median run each. */
export async function runE2eSite(
  pages: PageSize,
  articles: number,
  cases: readonly E2eCase[],
  repeat: number,
  log: (line: string) => void,
  verbose = false,
): Promise<E2eRun> {
  const site = await startBenchSite({ articles, shape: { pages, channels: E2E_CHANNELS } });
  try {
    const runs = cases.map((): E2eResult[] => []);
    for (let round = 0; round < repeat; round++) {
      for (const [n, kind] of cases.entries()) {
        const result = await runE2eCase(kind, site.origin, articles, verbose);
        runs[n].push(result);
        log(
          `  ${pages} pages, ${articles} articles, ${result.label}: ${result.seconds.toFixed(2)} s, ` +
            `CPU ${result.cpuSeconds.toFixed(2)} s, peak RSS ${result.peakRssMb.toFixed(0)} MB` +
            (result.summarySeconds === undefined ? '' : ` (its summary: ${result.summarySeconds} s)`),
        );
      }
    }
    const results = runs.map((all) => {
      const sorted = [...all].sort((a, b) => a.seconds - b.seconds);
      return sorted[Math.floor((sorted.length - 1) / 2)];
    });
    return { pages, articles, results };
  } finally {
    await site.close();
  }
}
