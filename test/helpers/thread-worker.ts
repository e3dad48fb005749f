// A worker entry for the thread-pool tests: echoes, throws, or allocates until its heap limit is reached.
import { threadId } from 'node:worker_threads';
import { ExtractError } from '../../src/internal/errors.ts';
import { serveThreadTasks } from '../../src/internal/thread-pool.ts';

export type TestTask =
  | { kind: 'echo'; value: unknown }
  | { kind: 'thread' }
  | { kind: 'throw-extract' }
  | { kind: 'throw-plain' }
  | { kind: 'exhaust-heap' };

const hoard: string[][] = [];

await serveThreadTasks((task: TestTask) => {
  if (task.kind === 'echo') return task.value;
  if (task.kind === 'thread') return threadId;
  if (task.kind === 'throw-extract') {
    throw new ExtractError('extract: no body in test page', {
      code: 'not_article',
      where: 'test',
      retryable: false,
    });
  }
  if (task.kind === 'throw-plain') throw new TypeError('plain failure');
  for (;;) hoard.push(Array.from({ length: 100_000 }, (_, n) => `${n}-${hoard.length}`));
});
