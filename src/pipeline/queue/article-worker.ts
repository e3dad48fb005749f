// The worker's side of the queue: takes article jobs from Redis, runs each (plain data in, plain data out) and
// leaves its result in Redis for the writer. A worker that dies mid-job stops renewing the job's lock; after
// queue.lockMs another worker's stall check puts the job back, and after queue.attempts tries in all it is failed.
import type { QueueConfig } from '../../config/options-queue.ts';
import { errorMessage } from '../../internal/errors.ts';
import { lazyRequire } from '../../internal/lazy-require.ts';
import type { Logger } from '../../internal/log.ts';
import type { ArticleJobInput, ArticleJobResult } from '../job/types.ts';
import { ARTICLE_JOB } from './article-queue.ts';
import { openRedis } from './connection.ts';

const bullmq = lazyRequire<typeof import('bullmq')>('bullmq');

export interface ArticleWorkerOptions {
  config: QueueConfig;
  /** Jobs run at once by this process. */
  concurrency: number;
  runJob(input: ArticleJobInput): Promise<ArticleJobResult>;
  log: Logger;
}

export interface ArticleWorker {
  /** Takes no new job, waits for the ones running to finish and hand in their results. */
  close(): Promise<void>;
}

export function startArticleWorker(options: ArticleWorkerOptions): ArticleWorker {
  const { config, log } = options;
  const connection = openRedis(config.url, 'worker');
  const { Worker } = bullmq();
  const worker = new Worker<ArticleJobInput, ArticleJobResult>(
    config.name,
    async (job) => {
      if (job.name !== ARTICLE_JOB) throw new Error(`queue: unknown job kind "${job.name}"`);
      return options.runJob(job.data);
    },
    {
      connection,
      concurrency: options.concurrency,
      lockDuration: config.lockMs,
      stalledInterval: config.lockMs,
      // A job found stalled (its worker died) goes back this many times; the next stall fails it.
      maxStalledCount: config.attempts - 1,
    },
  );
  let lastError = '';
  worker.on('error', (error) => {
    // Redis away: BullMQ retries on its own; said once per kind of error, not once per retry.
    if (errorMessage(error) === lastError) return;
    lastError = errorMessage(error);
    log.warn(`worker: queue error (retried): ${lastError}`);
  });
  worker.on('failed', (job, error) =>
    log.warn(`worker: job of ${job?.data.url ?? '?'} failed: ${errorMessage(error)}`),
  );
  return {
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
