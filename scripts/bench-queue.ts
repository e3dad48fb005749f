// Articles per second of one `newsmirror run` over the generated bench site: embedded (jobs in the run's process)
// beside the queue with 1 and 2 `newsmirror worker` processes (the built CLI; `npm run build` first), each case on
// a fresh mirror and SQLite store, one Redis (harness/redis-server.ts) for all. CPU is the run process's own (with
// its threads): with the queue that is the writer alone.
//   node bin/run-ts.js scripts/bench-queue.ts [--articles N] [--concurrency N]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchConfigYaml, startBenchSite } from '../harness/bench/site-generator.ts';
import { startWorker, stopWorker } from '../harness/queue-workers.ts';
import { startRedisServer } from '../harness/redis-server.ts';
import { loadConfig } from '../src/config/load.ts';
import { silentLogger } from '../src/internal/log.ts';
import { createHttpClient } from '../src/pipeline/fetch/client.ts';
import { runMirror } from '../src/pipeline/run.ts';
import { openStore } from '../src/store/index.ts';

const { values } = parseArgs({
  options: { articles: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '8' } },
});
const articles = Number(values.articles);
const site = await startBenchSite({ articles });
const redis = await startRedisServer();
const work = mkdtempSync(join(tmpdir(), 'newsmirror-bench-queue-'));
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
    const loaded = loadConfig(file);
    const started = await Promise.all(
      Array.from({ length: workers }, () => startWorker(file, { concurrency: Number(values.concurrency) })),
    );
    const store = await openStore(loaded);
    const http = createHttpClient(loaded.config.fetch);
    const cpu = process.cpuUsage();
    const at = performance.now();
    const summary = await runMirror({ loaded, store, http, log: silentLogger, push: false });
    const seconds = (performance.now() - at) / 1000;
    const used = process.cpuUsage(cpu);
    await http.close();
    await store.close();
    await Promise.all(started.map(stopWorker));
    const writerCpuMs = (used.user + used.system) / 1000 / Math.max(summary.new, 1);
    const label = workers === 0 ? 'embedded       ' : `queue, ${workers} worker${workers > 1 ? 's' : ' '}`;
    console.log(
      `${label}: ${summary.new} new, ${summary.failed} failed in ${seconds.toFixed(1)} s = ` +
        `${(summary.new / seconds).toFixed(1)} articles/s; run-process CPU ${writerCpuMs.toFixed(1)} ms/article`,
    );
  }
} finally {
  await redis.stop();
  await site.close();
  rmSync(work, { recursive: true, force: true });
}
