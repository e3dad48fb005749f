import { readFileSync } from 'node:fs';

// Wall time, CPU time and peak RSS of the work between start and stop, in this process.

/** RSS sampling period: short enough to catch the peak of a page burst, long enough to cost nothing. */
const RSS_SAMPLE_MS = 50;

export interface Measured {
  seconds: number;
  /** CPU of this process and of the child processes it waited for (git), from /proc when there is one. */
  cpuSeconds: number;
  /** The larger of the sampled RSS and the peak RSS the kernel recorded for this program (start-up included). */
  peakRssMb: number;
}

export function startResourceMeter(): { stop(): Measured } {
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  const childrenAtStart = childrenCpuSeconds();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const cpu = process.cpuUsage(cpuAtStart);
      peak = Math.max(peak, process.memoryUsage.rss(), peakRssOfThisProgram());
      return {
        seconds: (performance.now() - startedAt) / 1000,
        cpuSeconds: (cpu.user + cpu.system) / 1e6 + (childrenCpuSeconds() - childrenAtStart),
        peakRssMb: peak / (1024 * 1024),
      };
    },
  };
}

/**
 * VmHWM of /proc/self/status: the peak RSS of this program's address space, from its start. Not the kernel's
 * ru_maxrss (process.resourceUsage().maxRSS): that survives exec, so it also counts the forked copy of the parent
 * (the bench process, which holds the generated site's pages) before this program replaced it. 0 without /proc.
 */
function peakRssOfThisProgram(): number {
  try {
    const kib = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kib ? Number(kib) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** cutime + cstime of /proc/self/stat: CPU of waited-for children (git runs as a child process). 0 elsewhere. */
function childrenCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; cutime and cstime are 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
