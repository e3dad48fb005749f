// A small pool of worker threads, each running one task at a time from a shared queue. It exists for two reasons:
// the per-page CPU work (parsing, extraction, rendering) then runs on the second core while the main thread fetches,
// reads and writes the store and writes files; and the garbage of parsing a 200 KB page lives in a worker's own
// capped heap instead of the main one.
//
// A worker that dies (out of memory on a huge page, a crash) fails only the task it was running, with a
// ThreadCrashedError, and is replaced on the next task.
import { Worker } from 'node:worker_threads';
import { ConfigError, ExtractError, FetchError, NewsmirrorError, PublishError } from './errors.ts';

export interface ThreadPoolOptions<Input = unknown> {
  /** Worker threads (at least 1). */
  size: number;
  /** The worker's module: a TypeScript or JavaScript file that calls serveThreadTasks(). */
  entry: URL;
  /** Old-generation heap limit of each worker: a task needing more fails instead of growing the process. */
  maxOldGenerationSizeMb: number;
  /** Told how long each task that succeeded ran on its worker (measured there, so queueing is not counted). */
  onTaskTime?: (input: Input, ms: number) => void;
}

export interface ThreadPool<Input, Output> {
  run(input: Input): Promise<Output>;
  /** Stops every worker; tasks still queued or running are rejected. */
  close(): Promise<void>;
}

/** A worker stopped while it held a task (`code` 'worker_out_of_memory' when its heap limit was reached). */
export class ThreadCrashedError extends NewsmirrorError {}

interface Task<Input, Output> {
  input: Input;
  resolve(value: Output): void;
  reject(error: unknown): void;
}

interface Slot<Input, Output> {
  worker: Worker;
  /** Resolves once the worker has loaded its module and can take tasks. */
  ready: Promise<void>;
  current?: Task<Input, Output>;
  /** The worker said it was ready: it loaded its module. */
  started: boolean;
  dead: boolean;
}

type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'done'; value: unknown; ms?: number }
  | { kind: 'failed'; error: SerializedError };

interface SerializedError {
  name: string;
  message: string;
  code?: string;
  where?: string;
  retryable?: boolean;
}

export function createThreadPool<Input, Output>(
  options: ThreadPoolOptions<Input>,
): ThreadPool<Input, Output> {
  const queue: Array<Task<Input, Output>> = [];
  const slots: Array<Slot<Input, Output>> = [];
  let closed = false;
  /** Set when a worker died before it could take a task: the module cannot load, so no worker ever will. */
  let broken: ThreadCrashedError | undefined;

  const finish = (slot: Slot<Input, Output>, settle: (task: Task<Input, Output>) => void): void => {
    const task = slot.current;
    slot.current = undefined;
    // An idle worker never keeps the process alive; a busy one is awaited through its task's promise.
    if (!slot.dead) slot.worker.unref();
    if (task) settle(task);
    dispatch();
  };

  const spawn = (): Slot<Input, Output> => {
    const worker = new Worker(bootstrapSource(options.entry), {
      eval: true,
      // The parent's flags (a profiler, --test) are not the worker's business; the bootstrap loads TypeScript.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb },
    });
    let markReady: () => void = () => {};
    const slot: Slot<Input, Output> = {
      worker,
      ready: new Promise<void>((resolve) => {
        markReady = resolve;
      }),
      started: false,
      dead: false,
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'ready') {
        slot.started = true;
        markReady();
      } else if (reply.kind === 'done') {
        finish(slot, (task) => {
          if (reply.ms !== undefined) options.onTaskTime?.(task.input, reply.ms);
          task.resolve(reply.value as Output);
        });
      } else {
        finish(slot, (task) => task.reject(deserializeError(reply.error)));
      }
    });
    const die = (error: unknown): void => {
      if (slot.dead) return;
      slot.dead = true;
      markReady();
      slots.splice(slots.indexOf(slot), 1);
      const outOfMemory = (error as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const crash = new ThreadCrashedError(
        outOfMemory
          ? `worker thread ran out of its ${options.maxOldGenerationSizeMb} MB heap`
          : `worker thread stopped: ${error instanceof Error ? error.message : String(error)}`,
        { code: outOfMemory ? 'worker_out_of_memory' : 'worker_crashed', retryable: true, cause: error },
      );
      if (!slot.started && !closed) {
        broken = crash;
        for (const waiting of queue.splice(0)) waiting.reject(crash);
      }
      finish(slot, (task) => task.reject(crash));
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`exit code ${code}`)));
    slots.push(slot);
    return slot;
  };

  const dispatch = (): void => {
    while (!closed && queue.length > 0) {
      let slot = slots.find((candidate) => !candidate.current && !candidate.dead);
      if (!slot && slots.length < options.size) slot = spawn();
      if (!slot) return;
      const task = queue.shift() as Task<Input, Output>;
      const chosen = slot;
      chosen.current = task;
      chosen.worker.ref();
      void chosen.ready.then(() => {
        if (chosen.dead || chosen.current !== task) return;
        try {
          chosen.worker.postMessage(task.input);
        } catch (error) {
          // An input that cannot be copied to a thread (a function, say) fails its task, not the pool.
          finish(chosen, (failed) => failed.reject(error));
        }
      });
    }
  };

  return {
    run(input) {
      if (closed) return Promise.reject(new Error('thread pool is closed'));
      if (broken) return Promise.reject(broken);
      return new Promise<Output>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      const stopped = new Error('thread pool closed');
      for (const task of queue.splice(0)) task.reject(stopped);
      await Promise.all(
        slots.splice(0).map((slot) => {
          slot.dead = true;
          slot.current?.reject(stopped);
          slot.current = undefined;
          return slot.worker.terminate();
        }),
      );
    },
  };
}

/**
 * The worker's first script: loads tsx (so the entry may be TypeScript, as everywhere in this package) unless the
 * entry is JavaScript, then the entry module.
 */
function bootstrapSource(entry: URL): string {
  const loadEntry = `import(${JSON.stringify(entry.href)})`;
  if (!/\.[cm]?ts$/.test(entry.pathname)) return `${loadEntry};`;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return ${loadEntry}; });`;
}

/**
 * Called once by a worker's entry module: answers each task with `handle`'s result. Errors travel as their name,
 * message, code, where and retryable, and come back as a NewsmirrorError of the same name where known.
 */
export async function serveThreadTasks<Input, Output>(
  handle: (input: Input) => Output | Promise<Output>,
): Promise<void> {
  const { parentPort } = await import('node:worker_threads');
  if (!parentPort) throw new Error('serveThreadTasks must run inside a worker thread');
  const port = parentPort;
  port.on('message', async (input: Input) => {
    const started = performance.now();
    try {
      const value = await handle(input);
      port.postMessage({ kind: 'done', value, ms: performance.now() - started } satisfies WorkerReply);
    } catch (error) {
      port.postMessage({ kind: 'failed', error: serializeError(error) } satisfies WorkerReply);
    }
  });
  port.postMessage({ kind: 'ready' } satisfies WorkerReply);
}

function serializeError(error: unknown): SerializedError {
  if (error instanceof NewsmirrorError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      where: error.where,
      retryable: error.retryable,
    };
  }
  return {
    name: error instanceof Error ? error.name : 'Error',
    message: String((error as Error)?.message ?? error),
  };
}

/** Error classes a worker may throw, so they arrive as themselves (`instanceof ExtractError` keeps working). */
const ERROR_CLASSES = new Map<string, typeof NewsmirrorError>(
  [NewsmirrorError, FetchError, ExtractError, PublishError, ConfigError, ThreadCrashedError].map(
    (errorClass) => [errorClass.name, errorClass],
  ),
);

function deserializeError(error: SerializedError): Error {
  if (error.code !== undefined) {
    const ErrorClass = ERROR_CLASSES.get(error.name) ?? NewsmirrorError;
    return new ErrorClass(error.message, {
      code: error.code,
      where: error.where,
      retryable: error.retryable ?? true,
    });
  }
  const plain = new Error(error.message);
  plain.name = error.name;
  return plain;
}
