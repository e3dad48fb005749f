// One benchmark case, run in a fresh child process by scripts/bench.ts so its CPU time and peak RSS are its own.
// Reads a JSON CaseInput from argv[2], prints one line `RESULT <json CaseResult>` on stdout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { extractArticle } from '../../src/pipeline/extract/index.ts';
import { createHttpClient } from '../../src/pipeline/fetch/client.ts';
import { runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore } from '../../src/store/index.ts';
import { readabilityExtract, runBaseline } from './baseline.ts';
import { startResourceMeter } from './meter.ts';
import { articleInfo, benchConfigYaml, renderArticlePage } from './site-generator.ts';

export type CaseInput =
  | {
      kind: 'ours';
      origin: string;
      articles: number;
      images: 'mirror' | 'hotlink';
      links: 'mirror' | 'inert';
      /** Extraction worker threads (default: the config's default). */
      workers?: number;
    }
  | { kind: 'baseline'; origin: string; articles: number }
  | { kind: 'extract'; origin: string; pages: number };

export interface CaseResult {
  kind: CaseInput['kind'];
  label: string;
  articles: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  failed?: number;
  /** Mirrored images: mean bytes per article as stored and as downloaded. */
  imageBytesPerArticle?: { mirrored: number; original: number; images: number };
  /** Extraction alone: pages per second of each extractor over the same pages. */
  extract?: { oursPagesPerSecond: number; readabilityPagesPerSecond: number; pages: number };
}

/** Pages extracted (and not timed) before timing, so the JIT has compiled both extractors. */
const EXTRACT_WARM_UP_PAGES = 20;
/** Timed passes over the pages, alternating extractors; the best pass counts (least disturbed by neighbours). */
const EXTRACT_PASSES = 2;

async function runOurs(input: Extract<CaseInput, { kind: 'ours' }>): Promise<CaseResult> {
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-bench-'));
  try {
    const loaded = parseConfigText(
      benchConfigYaml({
        origin: input.origin,
        mirrorDir: join(work, 'mirror'),
        storePath: join(work, 'store.sqlite'),
        images: input.images,
        links: input.links,
        workers: input.workers,
      }),
      'bench.yaml',
      work,
    );
    const store = await openSqliteStore(loaded.storePath);
    const http = createHttpClient(loaded.config.fetch);
    const meter = startResourceMeter();
    const summary = await runMirror({ loaded, store, http, log: silentLogger, push: false });
    const measured = meter.stop();
    let imageBytesPerArticle: CaseResult['imageBytesPerArticle'];
    if (input.images === 'mirror') {
      let mirrored = 0;
      let original = 0;
      let images = 0;
      for (let i = 0; i < input.articles; i++) {
        for (const path of articleInfo(i).images) {
          const image = await store.images.get(`${input.origin}${path}`);
          if (!image) continue;
          mirrored += image.bytes;
          original += image.originalBytes;
          images++;
        }
      }
      imageBytesPerArticle = {
        mirrored: mirrored / input.articles,
        original: original / input.articles,
        images: images / input.articles,
      };
    }
    await http.close();
    await store.close();
    return {
      kind: 'ours',
      label: `newsmirror, images ${input.images}, links ${input.links}`,
      articles: summary.new,
      failed: summary.failed,
      ...measured,
      imageBytesPerArticle,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function runBaselineCase(input: Extract<CaseInput, { kind: 'baseline' }>): Promise<CaseResult> {
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-bench-baseline-'));
  try {
    const meter = startResourceMeter();
    const outcome = await runBaseline({ origin: input.origin, outDir: work });
    const measured = meter.stop();
    return {
      kind: 'baseline',
      label: 'readability + linkedom + turndown',
      articles: outcome.written,
      failed: outcome.failed,
      ...measured,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runExtract(input: Extract<CaseInput, { kind: 'extract' }>): CaseResult {
  const pages = Array.from({ length: input.pages }, (_, i) => ({
    html: renderArticlePage(i, input.origin),
    url: `${input.origin}${articleInfo(i).path}`,
  }));
  const ours = () => {
    for (const page of pages) extractArticle(page.html, { url: page.url });
  };
  const theirs = () => {
    for (const page of pages) readabilityExtract(page.html, page.url);
  };
  for (const page of pages.slice(0, EXTRACT_WARM_UP_PAGES)) {
    extractArticle(page.html, { url: page.url });
    readabilityExtract(page.html, page.url);
  }
  const meter = startResourceMeter();
  let oursBest = Number.POSITIVE_INFINITY;
  let theirsBest = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < EXTRACT_PASSES; pass++) {
    let start = performance.now();
    ours();
    oursBest = Math.min(oursBest, performance.now() - start);
    start = performance.now();
    theirs();
    theirsBest = Math.min(theirsBest, performance.now() - start);
  }
  const measured = meter.stop();
  return {
    kind: 'extract',
    label: 'extraction alone',
    articles: pages.length,
    ...measured,
    extract: {
      pages: pages.length,
      oursPagesPerSecond: pages.length / (oursBest / 1000),
      readabilityPagesPerSecond: pages.length / (theirsBest / 1000),
    },
  };
}

export async function runCase(input: CaseInput): Promise<CaseResult> {
  if (input.kind === 'ours') return runOurs(input);
  if (input.kind === 'baseline') return runBaselineCase(input);
  return runExtract(input);
}

// Run directly (case.ts through tsx, or case.mjs as bundled by scripts/bench.ts), not imported.
if (/case\.m?[jt]s$/.test(process.argv[1] ?? '') && process.argv[2]) {
  const result = await runCase(JSON.parse(process.argv[2]) as CaseInput);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
