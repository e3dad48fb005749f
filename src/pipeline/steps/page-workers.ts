// The worker threads that do a run's CPU work (extraction, then page rendering), sized for the machine.
import { availableParallelism } from 'node:os';
import type { Config } from '../../config/options.ts';
import type { Logger } from '../../internal/log.ts';
import type { StageTimes } from '../../internal/stage-times.ts';
import { createPageWorkers, type PageWorkers } from '../threads/page-workers.ts';

/** One on two cores: a second costs ~70 MB and gains nothing measurable there (docs/benchmarks.md). */
const MAX_DEFAULT_WORKERS = 2;

/** Page worker threads: as configured, else one per spare core, at most MAX_DEFAULT_WORKERS. */
export function pageWorkersFor(config: Config): number {
  return config.workers ?? Math.min(MAX_DEFAULT_WORKERS, availableParallelism() - 1);
}

export function startPageWorkers(config: Config, log: Logger, times?: StageTimes): PageWorkers {
  return createPageWorkers({
    threads: pageWorkersFor(config),
    onFallback: (what, reason) => log.warn(`done on the main thread: ${what} (${reason})`),
    // Time on the worker thread: about its CPU, the task being synchronous work.
    onTaskTime:
      times &&
      ((kind, ms) =>
        kind === 'extract' ? times.add('extract', ms, 'pages') : times.add('transform+render', ms, 'pages')),
  });
}

/** Runs `work` with page workers, closing them however it ends; their task times go to `times`. */
export async function withPageWorkers<T>(
  config: Config,
  log: Logger,
  work: (workers: PageWorkers) => Promise<T>,
  times?: StageTimes,
): Promise<T> {
  const workers = startPageWorkers(config, log, times);
  try {
    return await work(workers);
  } finally {
    await workers.close();
  }
}
