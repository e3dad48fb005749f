// The view counter: one view per request for a page, summed per UTC day in memory and written to the store in one
// transaction per flush. Only (page path, day, count) ever exists: nothing about who asked, or when within the day.
import { ConfigError } from '../internal/errors.ts';
import type { StorePorts, ViewCount } from '../store/index.ts';

/**
 * Distinct (page, day) pairs held between flushes. A mirror's pages viewed within 5 s rarely exceed a few thousand;
 * 20,000 keeps memory near 2 MB whatever a flood of distinct valid paths does, and views beyond it are dropped and
 * counted rather than held.
 */
export const DEFAULT_MAX_PENDING_PATHS = 20_000;

/** The counter's route: the path part of `mirror.counter` before and after `{path}`. */
export interface CounterRoute {
  /** e.g. '/epoch-news/' */
  prefix: string;
  /** e.g. '' or '.gif' */
  suffix: string;
}

/** Where `serve` answers the counter, from a template such as 'https://counter.example.org/epoch-news/{path}'. */
export function counterRouteOf(counterUrl: string): CounterRoute {
  const fail = (why: string) =>
    new ConfigError(`config: mirror.counter "${counterUrl}": ${why}`, {
      code: 'bad_counter_url',
      where: 'mirror.counter',
      retryable: false,
    });
  const match = /^https?:\/\/[^/?#]+(\/[^?#]*)$/.exec(counterUrl);
  if (!match) throw fail('{path} must be in the path of an http(s) URL, with no query string or fragment');
  const pathPart = match[1];
  const at = pathPart.indexOf('{path}');
  if (at === -1 || pathPart.indexOf('{path}', at + 1) !== -1)
    throw fail('the path must contain {path} exactly once');
  return { prefix: pathPart.slice(0, at), suffix: pathPart.slice(at + '{path}'.length) };
}

export interface FlushResult {
  /** Views written. */
  views: number;
  /** (page, day) rows written. */
  rows: number;
  /** Views dropped because the pending map was full, since the previous flush. */
  dropped: number;
}

/** 'YYYY-MM-DD' of a UTC time, recomputed only when the day changes (the counter asks on every request). */
class UtcDay {
  #day = '';
  #nextMidnight = 0;

  of(ms: number): string {
    if (ms >= this.#nextMidnight || ms < this.#nextMidnight - 86_400_000) {
      const date = new Date(ms);
      this.#day = date.toISOString().slice(0, 10);
      this.#nextMidnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
    }
    return this.#day;
  }
}

export class ViewCounter {
  readonly #store: Pick<StorePorts, 'views'>;
  readonly #maxPending: number;
  readonly #now: () => number;
  readonly #day = new UtcDay();
  /** Key: `${day}\n${path}`. */
  #pending = new Map<string, number>();
  #droppedSinceFlush = 0;
  #flushing: Promise<FlushResult> | undefined;
  /** Totals since the counter started, for /stats.json. */
  readonly totals = { counted: 0, dropped: 0, flushed: 0 };

  constructor(options: { store: Pick<StorePorts, 'views'>; maxPendingPaths?: number; now?: () => number }) {
    this.#store = options.store;
    this.#maxPending = options.maxPendingPaths ?? DEFAULT_MAX_PENDING_PATHS;
    this.#now = options.now ?? Date.now;
  }

  /** Distinct (page, day) pairs waiting for the next flush. */
  get pendingPaths(): number {
    return this.#pending.size;
  }

  /** Counts one view of `path` today (UTC). Returns false when it was dropped because too many pages are pending. */
  count(path: string): boolean {
    const key = `${this.#day.of(this.#now())}\n${path}`;
    const current = this.#pending.get(key);
    if (current !== undefined) {
      this.#pending.set(key, current + 1);
    } else if (this.#pending.size < this.#maxPending) {
      this.#pending.set(key, 1);
    } else {
      this.#droppedSinceFlush++;
      this.totals.dropped++;
      return false;
    }
    this.totals.counted++;
    return true;
  }

  /**
   * Writes the pending counts in one store transaction. A flush already running is shared. When the write fails
   * (e.g. the database is locked by a run for longer than its busy timeout) the counts go back to the pending map,
   * within its cap, for the next flush, and the error is thrown.
   */
  flush(): Promise<FlushResult> {
    this.#flushing ??= this.#flushOnce().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #flushOnce(): Promise<FlushResult> {
    const batch = this.#pending;
    const dropped = this.#droppedSinceFlush;
    this.#pending = new Map();
    this.#droppedSinceFlush = 0;
    if (batch.size === 0) return { views: 0, rows: 0, dropped };
    const rows: ViewCount[] = [];
    let views = 0;
    for (const [key, count] of batch) {
      const newline = key.indexOf('\n');
      rows.push({ day: key.slice(0, newline), path: key.slice(newline + 1), count });
      views += count;
    }
    try {
      await this.#store.views.add(rows);
    } catch (error) {
      this.#restore(batch);
      this.#droppedSinceFlush += dropped;
      throw error;
    }
    this.totals.flushed += views;
    return { views, rows: rows.length, dropped };
  }

  #restore(batch: Map<string, number>): void {
    for (const [key, count] of batch) {
      const current = this.#pending.get(key);
      if (current !== undefined) this.#pending.set(key, current + count);
      else if (this.#pending.size < this.#maxPending) this.#pending.set(key, count);
      else {
        this.#droppedSinceFlush += count;
        this.totals.dropped += count;
        this.totals.counted -= count;
      }
    }
  }
}
