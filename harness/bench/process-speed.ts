// Extraction timed as users run it (issue 14, item 5): whole processes from start to exit over the same saved
// pages, `newsmirror extract FILE... --format text` against @mozilla/readability in a script of its own
// (readability-extract.ts), alternating, under /usr/bin/time. Wall seconds are what a user waits; CPU seconds say
// how much of the machine each took (newsmirror extracts on a thread per core but one; `--threads 2` beside it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBenchScript, measureProcess, type ProcessFigures, requireTime } from './e2e.ts';

const PACKAGE_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

export interface ProcessCase {
  label: string;
  /** Median wall seconds over the repeats, and that run's CPU seconds and peak RSS. */
  median: ProcessFigures;
  pagesPerSecond: number;
}

function median(runs: ProcessFigures[]): ProcessFigures {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
}

/** Each case `repeat` times, the cases alternating so a busy moment of the machine falls on all of them. */
export async function timeProcesses(
  pages: readonly { id: string; bytes: Uint8Array }[],
  repeat: number,
): Promise<ProcessCase[]> {
  requireTime();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-extract-processes-'));
  try {
    const files = pages.map((page) => {
      const file = join(scratch, `${page.id}.html`);
      writeFileSync(file, page.bytes);
      return file;
    });
    // Beside node_modules, so the bundle finds the packages it leaves external.
    const bundleDir = join(
      PACKAGE_ROOT,
      'node_modules',
      '.cache',
      'newsmirror-bench-extract',
      String(process.pid),
    );
    const readability = await bundleBenchScript('readability-extract', bundleDir);
    const cli = join(PACKAGE_ROOT, 'bin', 'newsmirror.js');
    const cases: Array<{ label: string; args: string[] }> = [
      { label: 'newsmirror extract --format text', args: [cli, 'extract', ...files, '--format', 'text'] },
      {
        label: 'newsmirror extract --format text --threads 2',
        args: [cli, 'extract', ...files, '--format', 'text', '--threads', '2'],
      },
      { label: '@mozilla/readability + linkedom, one script', args: [readability, ...files] },
    ];
    const runs = new Map<string, ProcessFigures[]>(cases.map((c) => [c.label, []]));
    for (let round = 0; round < repeat; round++) {
      for (const { label, args } of cases) {
        const figures = await measureProcess(process.execPath, args);
        if (figures.code !== 0 && !label.startsWith('newsmirror'))
          throw new Error(`bench: ${label} exited ${figures.code}: ${figures.stderr.slice(0, 300)}`);
        runs.get(label)?.push(figures);
      }
    }
    return cases.map(({ label }) => {
      const middle = median(runs.get(label) ?? []);
      return { label, median: middle, pagesPerSecond: pages.length / middle.seconds };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(join(PACKAGE_ROOT, 'node_modules', '.cache', 'newsmirror-bench-extract', String(process.pid)), {
      recursive: true,
      force: true,
    });
  }
}

/** The table, with each case's speed as a multiple of the last case's (Readability's). */
export function processTable(cases: ProcessCase[], repeat: number): string {
  const peer = cases.at(-1) as ProcessCase;
  const rows = cases.map(
    ({ label, median: m, pagesPerSecond }) =>
      `| ${label} | ${m.seconds.toFixed(2)} | ${m.cpuSeconds.toFixed(2)} | ${m.peakRssMb.toFixed(0)} | ` +
      `${pagesPerSecond.toFixed(1)} | ${(peer.median.seconds / m.seconds).toFixed(2)}x |`,
  );
  return [
    `  whole processes, start to exit (median wall of ${repeat}, alternating):`,
    '| process | seconds | CPU s | peak RSS MB | pages/s | x readability |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
