// When to try a request again and how long to wait first.

/** Longest wait between two attempts, whatever the attempt number: a run should not stall on one URL. */
const MAX_BACKOFF_MS = 30_000;

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so hosts that failed together
 * are not retried in lockstep. attempt 1 waits about baseMs, attempt 2 about 2*baseMs, ...
 */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP dates name a weekday and month; Date.parse alone would read '-5' as the year -5.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Statuses where the same request may succeed later: overload, rate limiting, server faults. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Time a fetch may still spend on the network: its attempts and backoffs, not its waits for a slot. */
export interface Budget {
  totalMs: number;
  left(): number;
  spend<T>(work: () => Promise<T>): Promise<T>;
}

export function createBudget(totalMs: number): Budget {
  let spentMs = 0;
  return {
    totalMs,
    left: () => totalMs - spentMs,
    async spend(work) {
      const start = performance.now();
      try {
        return await work();
      } finally {
        spentMs += performance.now() - start;
      }
    },
  };
}
