import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExtractError } from '../../src/internal/errors.ts';
import { createThreadPool, ThreadCrashedError } from '../../src/internal/thread-pool.ts';
import type { TestTask } from '../helpers/thread-worker.ts';

const entry = new URL('../helpers/thread-worker.ts', import.meta.url);

describe('thread pool', () => {
  test('runs tasks in workers and returns their values', async () => {
    const pool = createThreadPool<TestTask, unknown>({ size: 2, entry, maxOldGenerationSizeMb: 64 });
    try {
      const values = await Promise.all(
        Array.from({ length: 20 }, (_, n) => pool.run({ kind: 'echo', value: { n, text: `página ${n}` } })),
      );
      assert.deepEqual(
        values,
        Array.from({ length: 20 }, (_, n) => ({ n, text: `página ${n}` })),
      );
      const threads = new Set(
        await Promise.all(Array.from({ length: 8 }, () => pool.run({ kind: 'thread' }))),
      );
      assert.ok(!threads.has(0), 'tasks ran off the main thread');
      assert.ok(threads.size <= 2, 'no more workers than the pool size');
    } finally {
      await pool.close();
    }
  });

  test('errors come back as their own class with code, where and retryable', async () => {
    const pool = createThreadPool<TestTask, unknown>({ size: 1, entry, maxOldGenerationSizeMb: 64 });
    try {
      await assert.rejects(pool.run({ kind: 'throw-extract' }), (error: unknown) => {
        assert.ok(error instanceof ExtractError);
        assert.equal(error.code, 'not_article');
        assert.equal(error.where, 'test');
        assert.equal(error.retryable, false);
        return true;
      });
      await assert.rejects(pool.run({ kind: 'throw-plain' }), {
        name: 'TypeError',
        message: 'plain failure',
      });
      assert.equal(await pool.run({ kind: 'echo', value: 'still working' }), 'still working');
    } finally {
      await pool.close();
    }
  });

  test('an input that cannot be sent to a thread fails its task only', async () => {
    const pool = createThreadPool<TestTask | { kind: 'echo'; value: () => void }, unknown>({
      size: 1,
      entry,
      maxOldGenerationSizeMb: 64,
    });
    try {
      await assert.rejects(pool.run({ kind: 'echo', value: () => {} }), { name: 'DataCloneError' });
      assert.equal(await pool.run({ kind: 'echo', value: 'next' }), 'next');
    } finally {
      await pool.close();
    }
  });

  test('a worker out of heap fails only its task, and a new worker takes the next', async () => {
    const pool = createThreadPool<TestTask, unknown>({ size: 1, entry, maxOldGenerationSizeMb: 16 });
    try {
      const before = await pool.run({ kind: 'thread' });
      await assert.rejects(pool.run({ kind: 'exhaust-heap' }), (error: unknown) => {
        assert.ok(error instanceof ThreadCrashedError);
        assert.equal(error.code, 'worker_out_of_memory');
        assert.match(error.message, /16 MB/);
        return true;
      });
      const after = await pool.run({ kind: 'thread' });
      assert.notEqual(after, before, 'the task ran in a fresh worker');
      assert.equal(await pool.run({ kind: 'echo', value: 1 }), 1);
    } finally {
      await pool.close();
    }
  });

  test('a worker module that cannot load fails every task instead of hanging', async () => {
    const pool = createThreadPool<TestTask, unknown>({
      size: 1,
      entry: new URL('../helpers/broken-worker.ts', import.meta.url),
      maxOldGenerationSizeMb: 64,
    });
    try {
      const tasks = [pool.run({ kind: 'thread' }), pool.run({ kind: 'thread' })].map((task) =>
        task.then(
          () => 'resolved',
          (error: ThreadCrashedError) => `${error.name} ${error.code}`,
        ),
      );
      assert.deepEqual(await Promise.all(tasks), [
        'ThreadCrashedError worker_crashed',
        'ThreadCrashedError worker_crashed',
      ]);
      await assert.rejects(pool.run({ kind: 'thread' }), { code: 'worker_crashed' });
    } finally {
      await pool.close();
    }
  });

  test('close rejects queued tasks and lets the process exit', async () => {
    const pool = createThreadPool<TestTask, unknown>({ size: 1, entry, maxOldGenerationSizeMb: 64 });
    const queued = [pool.run({ kind: 'echo', value: 1 }), pool.run({ kind: 'echo', value: 2 })].map((task) =>
      task.then(
        () => 'resolved',
        (error: Error) => error.message,
      ),
    );
    await pool.close();
    assert.deepEqual(await Promise.all(queued), ['thread pool closed', 'thread pool closed']);
    await assert.rejects(pool.run({ kind: 'echo', value: 3 }), /closed/);
  });
});
