// The writer's side of the queue: one BullMQ job per planned article, run by `newsmirror worker` processes; each
// result is taken from Redis as it is ready, applied by the caller (the single writer), then removed. A job's id
// is its run and URL, so adding it again (after Redis lost it) is a no-op when it is still there.
import { createHash } from 'node:crypto';
import type { Job } from 'bullmq';
import type { QueueConfig } from '../../config/options-queue.ts';
import { errorMessage } from '../../internal/errors.ts';
import { lazyRequire } from '../../internal/lazy-require.ts';
import type { Logger } from '../../internal/log.ts';
import type { ArticleJobInput, ArticleJobResult } from '../job/types.ts';
import { describeRedis, openRedis, QueueError } from './connection.ts';

/** The BullMQ job name of an article job (one kind of job per queue). */
export const ARTICLE_JOB = 'article';

/** Finished jobs taken per poll of Redis. */
const BATCH = 200;

const bullmq = lazyRequire<typeof import('bullmq')>('bullmq');
/** Wait between polls when nothing finished: short against a run's seconds, long against a Redis round trip. */
const IDLE_POLL_MS = 100;
/** How often the jobs still expected are looked up, to add again the ones Redis lost (a restart without data). */
const RECONCILE_MS = 3000;
/** One call to Redis longer than this counts as Redis being away. */
const CALL_TIMEOUT_MS = 5000;

export interface ArticleQueue {
  /**
   * Runs a job per input on the workers and hands each result to `apply` as it arrives (in any order); resolves once
   * every job's result is applied. `signal` drops the jobs no worker took yet (they go to the next run).
   */
  run(
    runId: number,
    inputs: ArticleJobInput[],
    apply: (result: ArticleJobResult) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<void>;
  close(): Promise<void>;
}

/** A job's id: the run and a hash of the URL (BullMQ ids may not hold ':'). */
export function articleJobId(runId: number, url: string): string {
  return `run${runId}-${createHash('sha256').update(url).digest('hex').slice(0, 32)}`;
}

/** A job the workers gave up on (its tries ran out, or it kept killing its worker): a failed article. */
function failedResult(job: Job<ArticleJobInput>, url: string): ArticleJobResult {
  // A job whose workers died is failed, without running, by the worker that takes it after its last stall: its
  // tries are its stalls. Otherwise they are its attempts, and the stalls before them.
  const stalled = /stalled/.test(job.failedReason ?? '');
  const stalls = job.stalledCounter ?? 0;
  const attempts = Math.max(stalled ? stalls : job.attemptsMade + stalls, 1);
  const reason = stalled
    ? 'each worker that took it stopped answering (killed, or out of memory?)'
    : job.failedReason || 'no reason given';
  return {
    kind: 'failed',
    url,
    failure: {
      code: 'job_failed',
      message: `queue: the job of ${url} failed on the workers after ${attempts} tries: ${reason}`,
      retryable: true,
    },
  };
}

export function openArticleQueue(config: QueueConfig, log: Logger): ArticleQueue {
  const connection = openRedis(config.url, 'writer');
  const { Queue } = bullmq();
  const queue = new Queue<ArticleJobInput, ArticleJobResult>(config.name, { connection });
  queue.on('error', () => undefined);
  const where = describeRedis(config.url);

  /** Runs one Redis call with a deadline, so a call lost in a disconnect counts as Redis being away. */
  async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`${what} took over ${CALL_TIMEOUT_MS} ms`)),
            CALL_TIMEOUT_MS,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async run(runId, inputs, apply, signal) {
      const expected = new Map<string, ArticleJobInput>();
      for (const input of inputs) expected.set(articleJobId(runId, input.url), input);
      const jobOf = (id: string, input: ArticleJobInput) => ({
        name: ARTICLE_JOB,
        data: input,
        opts: {
          jobId: id,
          attempts: config.attempts,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      });
      let awaySince: number | undefined;
      /** Runs `step`; a Redis failure is waited out up to queue.unreachableMs, then fails the run. */
      const persist = async (what: string, step: () => Promise<void>): Promise<boolean> => {
        try {
          await call(what, step);
          if (awaySince !== undefined) log.info(`queue: ${where} is back`);
          awaySince = undefined;
          return true;
        } catch (error) {
          if (error instanceof QueueError) throw error;
          const now = Date.now();
          if (awaySince === undefined) {
            awaySince = now;
            log.warn(`queue: ${where} failed (${errorMessage(error)}); waiting for it`);
          }
          if (now - awaySince > config.unreachableMs) {
            throw new QueueError(
              `queue: Redis at ${where} unreachable for ${Math.round((now - awaySince) / 1000)} s ` +
                `(${errorMessage(error)}); ${expected.size} articles were not applied: the next run plans them again`,
              { code: 'queue_unreachable', where, retryable: true, cause: error },
            );
          }
          await sleep(IDLE_POLL_MS * 5);
          return false;
        }
      };

      // Leftovers of a writer that died (one writer per mirror: they are no one else's): the jobs no worker took
      // are dropped here, as they would only delay this run's; the results it never took, as they are met below.
      while (!(await persist('clearing old jobs', () => queue.drain(true).then(() => undefined)))) {}
      const entries = [...expected];
      for (let start = 0; start < entries.length; ) {
        const chunk = entries.slice(start, start + 500);
        if (
          await persist(
            'adding jobs',
            async () => void (await queue.addBulk(chunk.map(([id, input]) => jobOf(id, input)))),
          )
        )
          start += chunk.length;
      }
      log.info(`queue: ${entries.length} article jobs added to ${config.name} on ${where}`);

      let reconciledAt = Date.now();
      let dropped = false;
      while (expected.size > 0) {
        if (signal?.aborted && !dropped) {
          // Jobs still waiting are removed; the ones a worker holds cannot be, and are waited for.
          dropped = await persist('dropping waiting jobs', async () => {
            for (const id of expected.keys()) {
              if ((await queue.getJobState(id)) === 'waiting' && (await queue.remove(id)) === 1)
                expected.delete(id);
            }
          });
          continue;
        }
        let finished: { job: Job<ArticleJobInput, ArticleJobResult>; ok: boolean }[] = [];
        await persist('taking results', async () => {
          const completed = await queue.getCompleted(0, BATCH - 1);
          const failed = await queue.getFailed(0, BATCH - 1);
          finished = [
            ...completed.map((job) => ({ job, ok: true })),
            ...failed.map((job) => ({ job, ok: false })),
          ] as typeof finished;
        });
        for (const { job, ok } of finished) {
          const id = job.id ?? '';
          const input = expected.get(id);
          if (input) {
            // Applied before it is removed: a writer that fails or is killed in between leaves it to be dropped
            // by the next run, which plans the article again (nothing is lost, and applying twice is safe). An
            // error of the writer (the store) is not Redis's: it fails the run.
            await apply(ok ? job.returnvalue : failedResult(job, input.url));
            expected.delete(id);
          }
          await persist('removing a result', () => job.remove());
        }
        if (Date.now() - reconciledAt > RECONCILE_MS) {
          await persist('looking up jobs', async () => {
            // Jobs Redis no longer knows (restarted without its data) are added again, under the same ids.
            const ids = [...expected.keys()];
            for (let start = 0; start < ids.length; start += 200) {
              const chunk = ids.slice(start, start + 200);
              const states = await Promise.all(chunk.map((id) => queue.getJobState(id)));
              const lost = chunk.filter((_, index) => states[index] === 'unknown');
              if (lost.length === 0) continue;
              log.warn(
                `queue: Redis lost ${lost.length} jobs (restarted without its data?); adding them again`,
              );
              await queue.addBulk(lost.map((id) => jobOf(id, expected.get(id) as ArticleJobInput)));
            }
          });
          reconciledAt = Date.now();
        }
        const taken = finished.length;
        if (taken === 0 && expected.size > 0) await sleep(IDLE_POLL_MS);
      }
    },
    async close() {
      await queue.close().catch(() => undefined);
      connection.disconnect();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
