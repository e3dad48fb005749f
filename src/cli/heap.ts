// The main thread's heap, sized for a long run rather than for V8's default of a short-lived page.
import { setFlagsFromString } from 'node:v8';

/**
 * Old-generation growth between full collections, in percent of what was live after the last one. On a machine
 * with gigabytes of RAM V8 lets the old generation grow to up to 4x its live data before collecting it; over a run
 * of thousands of pages the main thread's heap then swells with garbage (~40 MB live, collected at ~170 MB while
 * rendering 10,000 pages). At 1.5x a full collection comes every few seconds, each tens of milliseconds, mostly on
 * V8's helper threads. The page workers' capped heaps already grow by less than 1.5x.
 */
export const HEAP_GROWING_PERCENT = 50;

/** Process-wide V8 flag: set by the long-running commands (`run`, `watch`), never by the library. */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
