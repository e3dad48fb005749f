// The distributed bench (issue 12): articles per second of one `newsmirror run` over the generated bench site,
// embedded (jobs in the run's process) beside the queue with 1 and 2 `newsmirror worker` processes (the built CLI),
// each case on a fresh mirror and SQLite store with one Redis for all; CPU is the run process's own (with its
// threads), which with the queue is the writer alone. Then a schedule of 1,000 channels (listings served by the
// bench site, ETags and all): the time of a nothing-new pass over all of them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient } from '../../src/pipeline/fetch/client.ts';
import { runMirror } from '../../src/pipeline/run.ts';
import type { RunSummary } from '../../src/pipeline/steps/summary.ts';
import { openStore } from '../../src/store/index.ts';
import { startWorker, stopWorker } from '../queue-workers.ts';
import { startRedisServer } from '../redis-server.ts';
import { benchConfigYaml, startBenchSite } from './site-generator.ts';

export interface DistributedOptions {
  articles: number;
  /** Jobs each worker runs at once. */
  concurrency: number;
  /** Channels of the nothing-new schedule. */
  channels: number;
  log: (line: string) => void;
}

async function timedRun(file: string): Promise<{ summary: RunSummary; seconds: number; cpuMs: number }> {
  const loaded = loadConfig(file);
  const store = await openStore(loaded);
  const http = createHttpClient(loaded.config.fetch);
  try {
    const cpu = process.cpuUsage();
    const at = performance.now();
    const summary = await runMirror({ loaded, store, http, log: silentLogger, push: false });
    const used = process.cpuUsage(cpu);
    return { summary, seconds: (performance.now() - at) / 1000, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    await http.close();
    await store.close();
  }
}

/** The bench config with `channels` listing channels, all reading the site's first listing (a query apart). */
function manyChannelsYaml(base: string, origin: string, channels: number): string {
  const lines = Array.from(
    { length: channels },
    (_, n) =>
      `      - { id: c${n}, title: c${n}, listing: { url: "${origin}/news/china.html?c=${n}", links: ".post-list .title a" }, limit: 20 }`,
  );
  const head = base.slice(0, base.indexOf('    channels:\n') + '    channels:\n'.length);
  return `${head}${lines.join('\n')}\n`;
}

export async function runDistributedBench(options: DistributedOptions): Promise<string[]> {
  const { articles, log } = options;
  const site = await startBenchSite({ articles });
  const redis = await startRedisServer();
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-bench-distributed-'));
  const rows: string[] = [
    '| case | articles | s | articles/s | run-process CPU per article |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  try {
    for (const workers of [0, 1, 2]) {
      const dir = join(work, `w${workers}`);
      const base = benchConfigYaml({
        origin: site.origin,
        mirrorDir: join(dir, 'mirror'),
        storePath: join(dir, 'store.sqlite'),
        images: 'mirror',
        links: 'mirror',
      });
      const queue = `queue: { url: "${redis.url}", name: bench${workers}, blobs: ${JSON.stringify(join(dir, 'blobs'))} }\n`;
      const file = join(work, `w${workers}.yaml`);
      writeFileSync(file, workers === 0 ? base : base + queue);
      const started = await Promise.all(
        Array.from({ length: workers }, () => startWorker(file, { concurrency: options.concurrency })),
      );
      try {
        const { summary, seconds, cpuMs } = await timedRun(file);
        const label = workers === 0 ? 'embedded' : `queue, ${workers} worker${workers > 1 ? 's' : ''}`;
        const row = `| ${label} | ${summary.new} (${summary.failed} failed) | ${seconds.toFixed(1)} | ${(summary.new / seconds).toFixed(1)} | ${(cpuMs / Math.max(summary.new, 1)).toFixed(1)} ms |`;
        rows.push(row);
        log(row);
      } finally {
        await Promise.all(started.map(stopWorker));
      }
    }

    const dir = join(work, 'schedule');
    const base = benchConfigYaml({
      origin: site.origin,
      mirrorDir: join(dir, 'mirror'),
      storePath: join(dir, 'store.sqlite'),
      images: 'hotlink',
      links: 'inert',
    });
    const file = join(work, 'schedule.yaml');
    writeFileSync(file, manyChannelsYaml(base, site.origin, options.channels));
    const first = await timedRun(file);
    const idle = await timedRun(file);
    const schedule = [
      `${options.channels} channels (one listing each, the same 20 articles): first pass ${first.seconds.toFixed(1)} s ` +
        `(${first.summary.new} new); nothing-new pass ${idle.seconds.toFixed(2)} s, ${idle.summary.new} new, ` +
        `run-process CPU ${(idle.cpuMs / 1000).toFixed(2)} s`,
    ];
    log(schedule[0]);
    return [...rows, '', ...schedule];
  } finally {
    await redis.stop();
    await site.close();
    rmSync(work, { recursive: true, force: true });
  }
}
