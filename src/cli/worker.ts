// `newsmirror worker -c FILE [--concurrency N]`: runs article jobs from the config's queue until SIGTERM or SIGINT,
// then finishes the jobs in flight and exits 0. The writer is `newsmirror run` with the same config (docs/scale.md).
import { loadConfig } from '../config/load.ts';
import { ConfigError } from '../internal/errors.ts';
import { createLogger } from '../internal/log.ts';
import { runWorker } from '../pipeline/worker.ts';
import { openStore } from '../store/index.ts';

export interface WorkerCommandOptions {
  config: string;
  concurrency?: string;
  logJson?: boolean;
  quiet?: boolean;
}

export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const loaded = loadConfig(options.config);
  const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency);
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256)
  ) {
    throw new ConfigError(
      `worker: --concurrency must be a whole number from 1 to 256, not "${options.concurrency}"`,
      {
        code: 'bad_option',
        retryable: false,
      },
    );
  }
  const log = createLogger({ level: options.quiet ? 'error' : 'info', json: options.logJson });
  const store = await openStore(loaded);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    await runWorker({ loaded, store, log, concurrency, signal: controller.signal });
    return 0;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    await store.close();
  }
}
