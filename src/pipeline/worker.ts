// `newsmirror worker`: runs the per-article jobs the writers of `queue:` add, until stopped. It fetches and
// extracts as a run does (the same job, the same HTTP client, the same extraction threads), with per-host limits
// counted over every worker through Redis, and leaves images in the shared blob folder. It writes neither the store
// nor the mirror: it only reads the store, to skip images already mirrored.
import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.ts';
import { ConfigError } from '../internal/errors.ts';
import type { Logger } from '../internal/log.ts';
import type { Store } from '../store/index.ts';
import { createHttpClient } from './fetch/client.ts';
import { runArticleJob } from './job/article-job.ts';
import { createDiskBlobStore } from './job/disk-blobs.ts';
import { startArticleWorker } from './queue/article-worker.ts';
import { openRedis } from './queue/connection.ts';
import { createRedisHostLimits } from './queue/host-limits.ts';
import { jobPortsOf } from './steps/mirror-articles.ts';
import { withPageWorkers } from './steps/page-workers.ts';

/** Margin over an attempt's deadline before a host slot held by a dead worker is taken back. */
const LEASE_MARGIN_MS = 5000;

export interface WorkerOptions {
  loaded: LoadedConfig;
  store: Store;
  log: Logger;
  /** Jobs at once in this process (default fetch.concurrency). */
  concurrency?: number;
  /** Stop (SIGTERM): take no new job, finish the running ones, return. */
  signal: AbortSignal;
  /** Called once the worker takes jobs. */
  onReady?: () => void;
}

export async function runWorker(options: WorkerOptions): Promise<void> {
  const { loaded, store, log, signal } = options;
  const { config } = loaded;
  const queue = config.queue;
  if (!queue) {
    throw new ConfigError(
      `worker: ${loaded.file} has no queue: section (queue: { url: redis://host:port })`,
      {
        code: 'queue_missing',
        where: loaded.file,
        retryable: false,
      },
    );
  }
  const redis = openRedis(queue.url, 'worker');
  const fetch = config.fetch;
  const http = createHttpClient(fetch, {
    sites: config.sites,
    sharedHosts: createRedisHostLimits(redis, {
      prefix: queue.name,
      perHost: fetch.perHostConcurrency,
      intervalMs: queue.hostIntervalMs,
      leaseMs: fetch.connectTimeoutMs + fetch.headersTimeoutMs + fetch.bodyTimeoutMs + LEASE_MARGIN_MS,
    }),
  });
  const blobs = createDiskBlobStore(resolve(loaded.baseDir, queue.blobs));
  try {
    await withPageWorkers(config, log, async (workers) => {
      const shared = jobPortsOf(http, workers, store, blobs);
      const worker = startArticleWorker({
        config: queue,
        concurrency: options.concurrency ?? fetch.concurrency,
        log,
        // Each job its own image cache: a worker lives for days, and an image that failed may work next time.
        runJob: (input) => runArticleJob(input, { ...shared, tried: new Map() }),
      });
      try {
        log.info(`worker: taking jobs from ${queue.name}`);
        options.onReady?.();
        if (!signal.aborted)
          await new Promise((done) => signal.addEventListener('abort', done, { once: true }));
        log.info('worker: stopping: finishing the jobs in flight');
      } finally {
        await worker.close();
      }
    });
  } finally {
    await http.close();
    redis.disconnect();
  }
}
