// Politeness over every worker: per host, at most `perHost` requests at once and at least `intervalMs` between two
// starts, counted in Redis, and a pause (Retry-After) every worker honours. A slot is a lease that expires, so a
// worker killed while it held one gives it back after `leaseMs` at worst.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedHostLimits } from '../fetch/shared-hosts.ts';

// KEYS: slots (zset token -> expiry ms), pause (string, PX), next (string: earliest next start, ms).
// ARGV: token, perHost, leaseMs, intervalMs. Returns 0 when the slot is taken, else how long to wait (ms).
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return paused end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 25 end
local interval = tonumber(ARGV[4])
if interval > 0 then
  local nextStart = tonumber(redis.call('GET', KEYS[3]) or '0')
  if nextStart > now then return nextStart - now end
  redis.call('SET', KEYS[3], now + interval, 'PX', interval + 1000)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + 1000)
return 0
`;

// Only lengthens a pause: a shorter Retry-After from another worker does not cut one short.
const PAUSE = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 0
`;

export interface RedisHostLimitsOptions {
  /** Key prefix: the queue's name, so two mirrors' workers count apart. */
  prefix: string;
  perHost: number;
  intervalMs: number;
  /** Longest a request may hold a slot (the client's attempt deadline, plus margin). */
  leaseMs: number;
}

export function createRedisHostLimits(redis: Redis, options: RedisHostLimitsOptions): SharedHostLimits {
  const keys = (host: string) => {
    const base = `${options.prefix}:host:${host}`;
    return [`${base}:slots`, `${base}:pause`, `${base}:next`];
  };
  return {
    async acquire(host) {
      const token = randomBytes(8).toString('hex');
      const [slots, pause, next] = keys(host);
      for (;;) {
        const wait = Number(
          await redis.eval(
            ACQUIRE,
            3,
            slots,
            pause,
            next,
            token,
            options.perHost,
            options.leaseMs,
            options.intervalMs,
          ),
        );
        if (wait <= 0) break;
        // A little jitter, so waiting workers do not all ask again at the same moment.
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1000) + Math.random() * 20));
      }
      return async () => {
        await redis.zrem(slots, token);
      };
    },
    async pause(host, ms) {
      await redis.eval(PAUSE, 1, keys(host)[1], Math.ceil(ms));
    },
  };
}
