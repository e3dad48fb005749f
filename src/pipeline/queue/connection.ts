// Redis connections of the queue, from `queue.url`. Two kinds, as BullMQ wants them: a worker's blocks and retries
// its commands forever (a worker outlives a Redis restart), the writer's fails a command at once while Redis is
// away, so the run can tell how long it has been away and give up clearly (queue.unreachableMs).
import type { Redis, RedisOptions } from 'ioredis';
import { NewsmirrorError } from '../../internal/errors.ts';
import { lazyRequire } from '../../internal/lazy-require.ts';

const ioredis = lazyRequire<typeof import('ioredis')>('ioredis');

/** The queue (Redis) failed or was away too long; retryable: the next run plans the articles not applied again. */
export class QueueError extends NewsmirrorError {}

/** ioredis options for `url` (redis:// or rediss://, optional :password@ and /db). */
export function redisOptionsOf(url: string, kind: 'worker' | 'writer'): RedisOptions {
  const parsed = new URL(url);
  const options: RedisOptions = {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    // Reconnects soon after a restart, then every second at most.
    retryStrategy: (times) => Math.min(times * 100, 1000),
    maxRetriesPerRequest: null,
    enableOfflineQueue: kind === 'worker',
  };
  return options;
}

export function openRedis(url: string, kind: 'worker' | 'writer'): Redis {
  const { Redis } = ioredis();
  const redis = new Redis(redisOptionsOf(url, kind));
  // Connection errors come back on each command (or, for a worker, are retried); an unhandled 'error' event
  // would otherwise crash the process.
  redis.on('error', () => undefined);
  return redis;
}

/** The URL without its password, for messages. */
export function describeRedis(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.href;
}
