// `npm run bench -- --e2e`: runs the end-to-end bench (e2e.ts) and prints its tables, ratios and the issue 16 targets.

import {
  type E2eCase,
  type E2eResult,
  type E2eRun,
  requireTime,
  runE2eSite,
  runStartup,
  type StartupResult,
  seedPython,
} from './e2e.ts';
import type { PageSize } from './site-pages.ts';

/** Issue 16's targets on a 2-core machine. */
export const E2E_TARGETS = {
  /** newsmirror run vs the seed-style baseline, wall time, at this many articles. */
  seedRatio: new Map([
    [240, 10],
    [2000, 20],
  ]),
  /** Start-up "within a few times" a bare node: read as at most this factor. */
  startupRatio: 3,
  /** Peak RSS, hotlinked / mirrored, at 10,000 articles. */
  peakRssMbAt10k: { hotlink: 250, mirror: 300 },
};

export interface E2eBenchOptions {
  articles: number[];
  pages: PageSize[];
  cases: E2eCase[];
  repeat: number;
  startupRepeat: number;
  /**
   * Where newsmirror's memory and time went (`--rss`): its runs use `--verbose` and each one's stage lines are
   * printed (RSS and peak RSS at the end of each step); start-up is not timed.
   */
  stages?: boolean;
  log: (line: string) => void;
}

export interface E2eReport {
  runs: E2eRun[];
  startup: StartupResult[];
  verdicts: string[];
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function printRun(run: E2eRun, log: (line: string) => void): void {
  const seed = run.results.find((result) => result.case === 'seed');
  const readability = run.results.find((result) => result.case === 'readability');
  log(`\nend to end, whole processes: ${run.articles} articles, ${run.pages} pages, 3 channels`);
  log(
    [
      'case'.padEnd(48),
      'seconds'.padStart(8),
      'art/s'.padStart(7),
      'CPU s'.padStart(7),
      'peak RSS MB'.padStart(12),
      'x seed'.padStart(7),
      'x readab.'.padStart(10),
    ].join(' '),
  );
  const times = (base: E2eResult | undefined, row: E2eResult) =>
    base ? fixed(base.seconds / row.seconds, 2) : '-';
  for (const row of run.results) {
    log(
      [
        row.label.padEnd(48),
        fixed(row.seconds, 2).padStart(8),
        fixed(row.articles / row.seconds).padStart(7),
        fixed(row.cpuSeconds, 2).padStart(7),
        fixed(row.peakRssMb, 0).padStart(12),
        times(seed, row).padStart(7),
        times(readability, row).padStart(10),
      ].join(' '),
    );
  }
}

/** newsmirror's own `stage` lines of one run (`--verbose`), as a table. */
function printStages(result: E2eResult, log: (line: string) => void): void {
  if (!result.stages?.length) return;
  log(`\n  where the time and memory went, ${result.label} (its --verbose stage lines):`);
  log(
    '  (steps: wall, CPU, RSS at the end, peak so far; parts: wall = time with one in flight, busy = summed)',
  );
  log(
    `  ${'stage'.padEnd(18)} ${'wall s'.padStart(8)} ${'CPU s'.padStart(8)} ${'busy s'.padStart(8)} ` +
      `${'RSS MB'.padStart(7)} ${'peak MB'.padStart(8)}  count`,
  );
  const seconds = (ms: number | undefined) => (ms === undefined ? '' : fixed(ms / 1000, 2));
  for (const { name, fields } of result.stages) {
    const { wall_ms, cpu_ms, busy_ms, active_ms, rss_mb, peak_rss_mb, ...counts } = fields;
    const count = Object.entries(counts)
      .map(([unit, n]) => `${n} ${unit}`)
      .join(', ');
    log(
      `  ${name.padEnd(18)} ${seconds(wall_ms ?? active_ms).padStart(8)} ${seconds(cpu_ms).padStart(8)} ` +
        `${seconds(busy_ms).padStart(8)} ${(rss_mb === undefined ? '' : String(rss_mb)).padStart(7)} ` +
        `${(peak_rss_mb === undefined ? '' : String(peak_rss_mb)).padStart(8)}  ${count}`,
    );
  }
}

export async function runE2eBench(options: E2eBenchOptions): Promise<E2eReport> {
  const { log } = options;
  requireTime();
  if (options.cases.includes('seed')) log(`seed-style baseline runs on ${seedPython()}`);
  const verdicts: string[] = [];
  const verdict = (met: boolean, text: string) => verdicts.push(`${met ? 'MET ' : 'MISS'} ${text}`);

  const startup = options.stages ? [] : await runStartup(options.startupRepeat);
  if (startup.length > 0) log('\nstart-up, whole processes (median of alternating runs):');
  const bare = startup[0];
  for (const row of startup) {
    log(
      `  ${row.label.padEnd(40)} ${fixed(row.seconds, 3).padStart(7)} s ${fixed(row.seconds / bare.seconds, 2).padStart(6)}x node ` +
        `peak RSS ${fixed(row.peakRssMb, 0)} MB`,
    );
  }
  for (const row of startup.slice(1)) {
    if (row.label.includes('--help')) continue;
    const ratio = row.seconds / bare.seconds;
    verdict(
      ratio <= E2E_TARGETS.startupRatio,
      `${row.label} within ${E2E_TARGETS.startupRatio}x node -e 0: ${fixed(ratio, 2)}x`,
    );
  }

  const runs: E2eRun[] = [];
  for (const pages of options.pages) {
    for (const articles of options.articles) {
      const run = await runE2eSite(pages, articles, options.cases, options.repeat, log, options.stages);
      runs.push(run);
      printRun(run, log);
      for (const result of run.results) printStages(result, log);
      const seed = run.results.find((result) => result.case === 'seed');
      const hotlink = run.results.find((result) => result.case === 'hotlink');
      const target = E2E_TARGETS.seedRatio.get(articles);
      if (seed && hotlink && target && pages === 'portal') {
        const ratio = seed.seconds / hotlink.seconds;
        verdict(
          ratio >= target,
          `newsmirror run >= ${target}x the seed-style baseline, ${articles} portal pages: ${fixed(ratio, 2)}x`,
        );
      }
      for (const result of run.results) {
        if (articles < 10_000 || (result.case !== 'hotlink' && result.case !== 'mirror')) continue;
        const limit = E2E_TARGETS.peakRssMbAt10k[result.case];
        verdict(
          result.peakRssMb < limit,
          `peak RSS, ${result.label}, ${articles} articles < ${limit} MB: ${fixed(result.peakRssMb, 0)} MB`,
        );
      }
    }
  }
  return { runs, startup, verdicts };
}
