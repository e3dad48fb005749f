// Where a run's time and memory went, for `newsmirror run --verbose`: each step of the run timed whole (wall, the
// process's CPU, its RSS and peak RSS at the end), and the parts that run side by side inside a step (fetch,
// extract, images, store, render, write): their time summed over items, and for those timed on this thread the wall
// time with at least one in flight. Cheap enough to be always on: a performance.now() per item, a cpuUsage() and a
// read of /proc/self/status per step, two numbers kept per item (160 KB at 10,000 articles).
import { readFileSync } from 'node:fs';
import type { Logger } from './log.ts';

export interface StageTimes {
  /** Runs one step of the run, timed whole; steps run one after another. */
  step<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Adds `ms` spent in part `name` by `count` items (`unit`: what they are), measured elsewhere (a worker). */
  add(name: string, ms: number, unit: string, count?: number): void;
  /** Adds `count` `unit`s of part `name` that ran on this thread from `startedAt` (performance.now()) until now. */
  span(name: string, unit: string, startedAt: number, count?: number): void;
  /** Awaits `work`, counting it as one `unit` of part `name`. */
  timed<T>(name: string, unit: string, work: () => Promise<T>): Promise<T>;
  /** One line per step and part, in the order they started, then the run's total. */
  lines(): StageLine[];
}

export type StageLine =
  | { name: string; kind: 'step'; wallMs: number; cpuMs: number; rssMb: number; peakRssMb: number }
  | {
      name: string;
      kind: 'part';
      /** Summed over items: more than the wall time when they overlap. */
      busyMs: number;
      /** Wall time with at least one item in flight (parts timed on this thread only). */
      activeMs?: number;
      unit: string;
      count: number;
    };

type PartEntry = Extract<StageLine, { kind: 'part' }> & { spans: number[] };

export function createStageTimes(): StageTimes {
  const startedAt = performance.now();
  const cpuAtStart = cpuMs();
  const entries = new Map<string, StageLine | PartEntry>();
  const part = (name: string, unit: string): PartEntry => {
    let entry = entries.get(name);
    if (entry?.kind !== 'part') {
      entry = { name, kind: 'part', busyMs: 0, unit, count: 0, spans: [] };
      entries.set(name, entry);
    }
    return entry as PartEntry;
  };
  const add = (name: string, ms: number, unit: string, count = 1) => {
    const entry = part(name, unit);
    entry.busyMs += ms;
    entry.count += count;
  };
  const span = (name: string, unit: string, from: number, count = 1) => {
    const to = performance.now();
    add(name, to - from, unit, count);
    part(name, unit).spans.push(from, to);
  };
  return {
    async step(name, work) {
      // Registered at the start, so the parts it runs are listed after it.
      const entry: StageLine = { name, kind: 'step', wallMs: 0, cpuMs: 0, rssMb: 0, peakRssMb: 0 };
      entries.set(name, entry);
      const wall = performance.now();
      const cpu = cpuMs();
      try {
        return await work();
      } finally {
        entry.wallMs += performance.now() - wall;
        entry.cpuMs += cpuMs() - cpu;
        entry.rssMb = process.memoryUsage.rss() / MB;
        entry.peakRssMb = peakRssMb();
      }
    },
    add,
    span,
    async timed(name, unit, work) {
      const started = performance.now();
      try {
        return await work();
      } finally {
        span(name, unit, started);
      }
    },
    lines() {
      const total: StageLine = {
        name: 'total',
        kind: 'step',
        wallMs: performance.now() - startedAt,
        cpuMs: cpuMs() - cpuAtStart,
        rssMb: process.memoryUsage.rss() / MB,
        peakRssMb: peakRssMb(),
      };
      const lines = [...entries.values()].map((entry): StageLine => {
        if (entry.kind === 'step') return entry;
        const { spans, ...line } = entry as PartEntry;
        return spans.length > 0 ? { ...line, activeMs: unionMs(spans) } : line;
      });
      return [...lines, total];
    },
  };
}

/** The length of the union of [from, to) intervals given as a flat list of pairs. */
function unionMs(spans: number[]): number {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < spans.length; i += 2) pairs.push([spans[i], spans[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = pairs[0];
  for (const [start, end] of pairs.slice(1)) {
    if (start > to) {
      total += to - from;
      from = start;
    }
    to = Math.max(to, end);
  }
  return total + (to - from);
}

/** The lines at debug level: `stage fetch busy_ms=8123 articles=240`, `stage mirror wall_ms=... cpu_ms=...`. */
export function logStageTimes(times: StageTimes, log: Logger): void {
  for (const line of times.lines()) {
    if (line.kind === 'step') {
      log.debug(`stage ${line.name}`, {
        wall_ms: Math.round(line.wallMs),
        cpu_ms: Math.round(line.cpuMs),
        rss_mb: Math.round(line.rssMb),
        peak_rss_mb: Math.round(line.peakRssMb),
      });
    } else {
      log.debug(`stage ${line.name}`, {
        busy_ms: Math.round(line.busyMs),
        active_ms: line.activeMs === undefined ? undefined : Math.round(line.activeMs),
        [line.unit]: line.count,
      });
    }
  }
}

const MB = 1024 * 1024;

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU of this process (every thread: the page workers too) plus that of the child processes it waited for (git),
 * which only Linux's /proc/self/stat tells (cutime + cstime, in clock ticks); elsewhere the process alone.
 */
function cpuMs(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; cutime and cstime are 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    // No /proc: the process's own CPU only.
  }
  return (own.user + own.system) / 1000 + children;
}

/**
 * The peak RSS of this program so far: VmHWM of /proc/self/status on Linux. Elsewhere the kernel's ru_maxrss,
 * which also counts the parent's pages a fork copied before exec (so it may be too high when a big process
 * started this one).
 */
function peakRssMb(): number {
  try {
    const kib = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kib) return Number(kib) / 1024;
  } catch {
    // No /proc: below.
  }
  return process.resourceUsage().maxRSS / 1024;
}
