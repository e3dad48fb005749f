// `queue:` — the per-article jobs on a Redis-backed queue (BullMQ), run by `newsmirror worker` processes on as many
// machines as there are, while `newsmirror run` stays the single writer. Without it, jobs run in the run's process.
import { z } from 'zod';

export const queueSchema = z
  .object({
    url: z
      .string()
      .regex(/^rediss?:\/\/[^/?#]/, 'a redis://host:port URL')
      .describe(
        'the Redis server the writer and the workers share, e.g. `redis://queue.example:6379` (a database ' +
          'number may follow: `redis://host:6379/2`); give a password as `redis://:PASSWORD@host:port`',
      ),
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ (at most 64)')
      .default('newsmirror')
      .describe('the queue: one per mirror (its writer removes finished jobs it does not know)'),
    blobs: z
      .string()
      .min(1)
      .default('.newsmirror/blobs')
      .describe(
        'the folder, shared by the writer and every worker (e.g. an NFS mount), where workers leave the images ' +
          'they downloaded, by content, for the writer to copy into the mirror; relative to the config file',
      ),
    attempts: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(3)
      .describe(
        'tries of one article job before it fails like any failed article (retried next run); a worker that ' +
          'dies during the job counts as a try',
      ),
    lockMs: z
      .number()
      .int()
      .min(500)
      .max(600_000)
      .default(30_000)
      .describe(
        'how long a job stays with a worker that stopped answering (killed, cut off) before another worker takes it',
      ),
    hostIntervalMs: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(0)
      .describe(
        'least time between two requests to one host, over every worker (with fetch.perHostConcurrency, which ' +
          'with a queue also counts over every worker)',
      ),
    unreachableMs: z
      .number()
      .int()
      .min(1000)
      .max(3_600_000)
      .default(60_000)
      .describe(
        'how long the writer waits for an unreachable Redis before the run fails (the articles not applied are ' +
          'planned again by the next run)',
      ),
  })
  .strict();

export type QueueConfig = z.infer<typeof queueSchema>;
