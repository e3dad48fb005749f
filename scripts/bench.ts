// Speed benchmark (issue 7): newsmirror end to end over a generated news site on 127.0.0.1, side by side with a
// readability + turndown baseline in the same run; extraction alone; optionally the 100,000-article scale test.
//   npm run bench -- [--articles N] [--repeat N] [--extract-pages N] [--scale] [--scale-only]
//                    [--scale-articles N] [--cases hotlink,mirror,baseline,extract] [--workers N] [--json FILE]
//   npm run bench -- --e2e [--e2e-articles 240,2000] [--e2e-pages portal,small] [--repeat N]
//                    [--e2e-cases hotlink,seed,readability] [--startup-repeat N] [--rss] [--json FILE]
// --rss: newsmirror runs with --verbose and its stage lines (wall, CPU, RSS and peak RSS per step) are printed;
// start-up is not timed. The peak RSS figures:
//   npm run bench -- --e2e --rss --e2e-articles 10000 --e2e-pages portal --e2e-cases hotlink,mirror
//   npm run bench -- --distributed [--articles N] [--queue-concurrency N] [--schedule-channels N]
// --distributed (issue 12): embedded against the queue with 1 and 2 worker processes (Redis started here; the
// built CLI's workers), and a nothing-new pass over a schedule of 1,000 channels: harness/bench/distributed.ts.
// --e2e (issue 16) times whole processes instead (`newsmirror run` of the built CLI, the seed-style Python script,
// the Readability baseline, start-up): harness/bench/e2e.ts. It runs `npm run build` first.
// Each case runs in a fresh child process, so its CPU time and peak RSS are its own; the site is served from
// this process. With --repeat, every figure is the median of the repeats.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CaseInput, CaseResult } from '../harness/bench/case.ts';
import { runDistributedBench } from '../harness/bench/distributed.ts';
import type { E2eCase } from '../harness/bench/e2e.ts';
import { runE2eBench } from '../harness/bench/e2e-report.ts';
import { runScaleBench, type ScaleResult } from '../harness/bench/scale.ts';
import { DEFAULT_ARTICLES, startBenchSite } from '../harness/bench/site-generator.ts';
import type { PageSize } from '../harness/bench/site-pages.ts';
import { buildBundle, buildDist, PACKAGE_ROOT } from './build.js';

const { values: args } = parseArgs({
  options: {
    articles: { type: 'string', default: String(DEFAULT_ARTICLES) },
    repeat: { type: 'string', default: '1' },
    'extract-pages': { type: 'string', default: '100' },
    scale: { type: 'boolean', default: false },
    'scale-only': { type: 'boolean', default: false },
    'scale-articles': { type: 'string', default: '100000' },
    cases: { type: 'string', default: 'hotlink,mirror,baseline,extract' },
    /** Extraction worker threads for newsmirror's cases (default: the config's default). */
    workers: { type: 'string' },
    json: { type: 'string' },
    e2e: { type: 'boolean', default: false },
    distributed: { type: 'boolean', default: false },
    'queue-concurrency': { type: 'string', default: '8' },
    'schedule-channels': { type: 'string', default: '1000' },
    'e2e-articles': { type: 'string', default: '240,2000' },
    'e2e-pages': { type: 'string', default: 'portal,small' },
    'e2e-cases': { type: 'string', default: 'hotlink,seed,readability' },
    'startup-repeat': { type: 'string', default: '7' },
    rss: { type: 'boolean', default: false },
  },
});

const selectedCases = new Set(args.cases.split(','));
const workers = args.workers === undefined ? undefined : Number(args.workers);

/** Targets of issue 7 on a 2-core machine. */
const TARGETS = {
  hotlinkArticlesPerSecond: 50,
  mirrorArticlesPerSecond: 20,
  extractRatio: 3,
  peakRssMbAt10k: 300,
  nothingNewSeconds: 2,
};

/** "About what 50 articles cost": within this factor of the same run on a 1,000-article mirror. */
const SCALE_COST_RATIO = 1.5;

/**
 * Each case runs as plain JavaScript bundled from case.ts (and the page worker it starts), as `newsmirror` itself
 * runs (dist/, built by scripts/build.js): a TypeScript loader in the measured process would add its own memory and
 * start-up to every case, ours and the baseline's.
 */
let caseEntry: string | undefined;
async function bundledCaseEntry(): Promise<string> {
  if (!caseEntry) {
    // Inside the package, so the bundle's imports of dependencies resolve in node_modules.
    const outDir = join(PACKAGE_ROOT, 'node_modules', '.cache', 'newsmirror-bench', String(process.pid));
    await buildBundle(
      { case: 'harness/bench/case.ts', 'page-worker': 'src/pipeline/threads/page-worker.ts' },
      outDir,
    );
    caseEntry = join(outDir, 'case.mjs');
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  }
  return caseEntry;
}

export async function runCaseInChild(input: CaseInput): Promise<CaseResult> {
  const entry = await bundledCaseEntry();
  return new Promise((resolve, reject) => {
    // With BENCH_PROFILE_DIR set, each case writes a CPU profile of its main thread there (open it in DevTools).
    const profile = process.env.BENCH_PROFILE_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
      : [];
    const child = spawn(process.execPath, [...profile, entry, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((candidate) => candidate.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('RESULT '.length)) as CaseResult);
      else reject(new Error(`bench case ${input.kind} exited with ${code}; output: ${out.slice(-2000)}`));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of each numeric figure over repeats of one case. */
function medianResult(results: CaseResult[]): CaseResult {
  const pickMedian = (get: (result: CaseResult) => number | undefined) =>
    median(results.map(get).filter((value): value is number => value !== undefined));
  const first = results[0];
  return {
    ...first,
    seconds: pickMedian((r) => r.seconds),
    cpuSeconds: pickMedian((r) => r.cpuSeconds),
    peakRssMb: pickMedian((r) => r.peakRssMb),
    extract: first.extract && {
      pages: first.extract.pages,
      oursPagesPerSecond: pickMedian((r) => r.extract?.oursPagesPerSecond),
      readabilityPagesPerSecond: pickMedian((r) => r.extract?.readabilityPagesPerSecond),
    },
  };
}

export function machineDescription(): string {
  const cpuModel =
    /model name\s*:\s*(.+)/.exec(safeRead('/proc/cpuinfo'))?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} CPUs (${cpuModel}), Node ${process.version}, ${process.platform}`;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function printEndToEnd(rows: CaseResult[]): void {
  const baseline = rows.find((row) => row.kind === 'baseline');
  const baseRate = baseline ? baseline.articles / baseline.seconds : undefined;
  const baseCpu = baseline ? baseline.cpuSeconds / baseline.articles : undefined;
  console.log('\nend to end (one run over a fresh mirror):');
  console.log(
    [
      'case'.padEnd(40),
      'articles'.padStart(8),
      'seconds'.padStart(8),
      'art/s'.padStart(8),
      'CPU ms/art'.padStart(11),
      'peak RSS MB'.padStart(12),
      'x baseline art/s'.padStart(17),
      'x baseline CPU'.padStart(15),
    ].join(' '),
  );
  for (const row of rows) {
    const rate = row.articles / row.seconds;
    const cpu = row.cpuSeconds / row.articles;
    console.log(
      [
        row.label.padEnd(40),
        String(row.articles).padStart(8),
        fixed(row.seconds, 2).padStart(8),
        fixed(rate).padStart(8),
        fixed(cpu * 1000).padStart(11),
        fixed(row.peakRssMb, 0).padStart(12),
        (baseRate ? fixed(rate / baseRate, 2) : '-').padStart(17),
        // How many times less CPU per article than the baseline.
        (baseCpu ? fixed(baseCpu / cpu, 2) : '-').padStart(15),
      ].join(' '),
    );
    if (row.failed) console.log(`  (${row.failed} failed)`);
  }
}

async function main(): Promise<void> {
  const articles = Number(args.articles);
  const repeat = Math.max(1, Number(args.repeat));
  console.log(`newsmirror bench on ${machineDescription()}`);
  const report: Record<string, unknown> = { machine: machineDescription(), articles, repeat };
  const verdicts: string[] = [];
  const verdict = (met: boolean, text: string) => verdicts.push(`${met ? 'MET ' : 'MISS'} ${text}`);

  if (args.distributed) {
    // The workers are the built CLI, as operators run them.
    await buildDist();
    const rows = await runDistributedBench({
      articles: args.articles === String(DEFAULT_ARTICLES) ? 200 : articles,
      concurrency: Number(args['queue-concurrency']),
      channels: Number(args['schedule-channels']),
      log: console.log,
    });
    report.distributed = rows;
  } else if (args.e2e) {
    // The measured CLI is the built one, as users run it: built from this tree now.
    await buildDist();
    const e2e = await runE2eBench({
      articles: args['e2e-articles'].split(',').map(Number),
      pages: args['e2e-pages'].split(',') as PageSize[],
      cases: args['e2e-cases'].split(',') as E2eCase[],
      repeat,
      startupRepeat: Number(args['startup-repeat']),
      stages: args.rss,
      log: console.log,
    });
    report.e2e = e2e;
    verdicts.push(...e2e.verdicts);
  } else if (!args['scale-only']) {
    const site = await startBenchSite({ articles });
    console.log(`generated site: ${articles} articles at ${site.origin}`);
    try {
      const allCases: Array<[string, CaseInput]> = [
        [
          'hotlink',
          { kind: 'ours', origin: site.origin, articles, images: 'hotlink', links: 'inert', workers },
        ],
        [
          'mirror',
          { kind: 'ours', origin: site.origin, articles, images: 'mirror', links: 'mirror', workers },
        ],
        ['baseline', { kind: 'baseline', origin: site.origin, articles }],
        [
          'extract',
          { kind: 'extract', origin: site.origin, pages: Math.min(articles, Number(args['extract-pages'])) },
        ],
      ];
      const cases = allCases.filter(([name]) => selectedCases.has(name)).map(([, input]) => input);
      const results: CaseResult[][] = cases.map(() => []);
      for (let round = 0; round < repeat; round++) {
        for (const [n, input] of cases.entries()) {
          const result = await runCaseInChild(input);
          results[n].push(result);
          console.log(
            `  ${result.label}: ${fixed(result.seconds, 2)} s, CPU ${fixed(result.cpuSeconds, 2)} s, ` +
              `peak RSS ${fixed(result.peakRssMb, 0)} MB`,
          );
        }
      }
      const medians = results.map(medianResult);
      const endToEnd = medians.filter((row) => row.kind !== 'extract');
      printEndToEnd(endToEnd);
      const hotlink = endToEnd.find((row) => row.kind === 'ours' && row.label.includes('hotlink'));
      const mirror = endToEnd.find((row) => row.kind === 'ours' && row.label.includes('images mirror'));
      if (hotlink) {
        verdict(
          hotlink.articles / hotlink.seconds >= TARGETS.hotlinkArticlesPerSecond,
          `hotlinked >= ${TARGETS.hotlinkArticlesPerSecond} articles/s: ${fixed(hotlink.articles / hotlink.seconds)}`,
        );
      }
      if (mirror) {
        verdict(
          mirror.articles / mirror.seconds >= TARGETS.mirrorArticlesPerSecond,
          `mirrored >= ${TARGETS.mirrorArticlesPerSecond} articles/s: ${fixed(mirror.articles / mirror.seconds)}`,
        );
        if (articles >= 10_000) {
          verdict(
            mirror.peakRssMb < TARGETS.peakRssMbAt10k,
            `peak RSS mirroring ${articles} articles < ${TARGETS.peakRssMbAt10k} MB: ${fixed(mirror.peakRssMb, 0)} MB`,
          );
        } else {
          console.log(
            `(peak RSS target is for 10,000 articles: npm run bench -- --articles 10000 --cases mirror; ` +
              `here ${fixed(mirror.peakRssMb, 0)} MB)`,
          );
        }
      }
      const images = mirror?.imageBytesPerArticle;
      if (images) {
        console.log(
          `\nimages mirrored: ${fixed(images.images, 2)} per article, ${fixed(images.mirrored / 1024)} KB stored vs ` +
            `${fixed(images.original / 1024)} KB downloaded per article (${fixed((100 * images.mirrored) / images.original, 0)}%)`,
        );
      }
      const extract = medians.find((row) => row.kind === 'extract')?.extract;
      if (extract) {
        const ratio = extract.oursPagesPerSecond / extract.readabilityPagesPerSecond;
        console.log(
          `\nextraction alone over ${extract.pages} pages: extractArticle ${fixed(extract.oursPagesPerSecond)} pages/s, ` +
            `readability on linkedom ${fixed(extract.readabilityPagesPerSecond)} pages/s, ratio ${fixed(ratio, 2)}`,
        );
        verdict(
          ratio >= TARGETS.extractRatio,
          `extraction >= ${TARGETS.extractRatio}x readability: ${fixed(ratio, 2)}x`,
        );
      }
      report.cases = medians;
      report.served = site.served;
    } finally {
      await site.close();
    }
  }

  if (args.scale || args['scale-only']) {
    const scale: ScaleResult = await runScaleBench({
      articles: Number(args['scale-articles']),
      log: console.log,
    });
    report.scale = scale;
    verdict(
      scale.nothingNew.seconds < TARGETS.nothingNewSeconds,
      `nothing-new run over ${scale.articles} articles < ${TARGETS.nothingNewSeconds} s: ${fixed(scale.nothingNew.seconds, 2)} s`,
    );
    const ratio = scale.fiftyNew.cpuSeconds / scale.fiftyIntoSmall.cpuSeconds;
    console.log(
      `  50 new articles over ${scale.articles}: ${fixed(scale.fiftyNew.seconds, 2)} s (CPU ${fixed(scale.fiftyNew.cpuSeconds, 2)} s); ` +
        `the same 50 over 1,000: ${fixed(scale.fiftyIntoSmall.seconds, 2)} s (CPU ${fixed(scale.fiftyIntoSmall.cpuSeconds, 2)} s)`,
    );
    verdict(
      ratio < SCALE_COST_RATIO,
      `50 new over ${scale.articles} cost < ${SCALE_COST_RATIO}x the same over 1,000 (CPU): ${fixed(ratio, 2)}x`,
    );
  }

  console.log('\ntargets:');
  for (const line of verdicts) console.log(`  ${line}`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
}

await main();
