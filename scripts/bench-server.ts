// Load benchmark of the view counter (issue 6): `npm run bench:server -- [--seconds N] [--connections N] [--pages N]`.
// The server runs in a child process pinned to one core (taskset when available) so the load generator, autocannon
// in this process, never shares its event loop or its core. A bare node:http server answering the same GIF in the
// same way is measured first as the baseline: the gap is what hono, path checks and counting cost.
// Prints requests/s, p50/p99 latency and the child's peak RSS, then checks every answered view landed in SQLite.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COUNTER_HEADERS, PIXEL_GIF, startServer } from '../src/server/index.ts';
import { openSqliteStore } from '../src/store/index.ts';

const COUNTER_URL = 'https://counter.example.org/bench/{path}';
/** The target: at least this many requests per second on one core... */
const TARGET_REQUESTS_PER_SECOND = 5_000;
/** ...with the 99th percentile under this. */
const TARGET_P99_MS = 20;
/** Peak RSS is sampled this often while the load runs (the child's own maxRSS is reported too). */
const MEMORY_SAMPLE_MS = 500;
/** A short run first, so JIT warm-up is not in the measured figures. */
const WARMUP_SECONDS = 2;

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests?: Array<{ method: 'GET'; setupRequest: (request: { path: string }) => { path: string } }>;
}) => Promise<AutocannonResult>;
// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'memory'; rss: number; heapUsed: number; maxRssKb: number; cpuMicros: number }
  | { type: 'stopped'; maxRssKb: number; counted: number; dropped: number; flushed: number };

// --- child: the server under test ---------------------------------------------------------------------------------

async function runChild(mode: string, dir: string): Promise<void> {
  const send = (message: ChildMessage) => process.send?.(message);
  let stop: () => Promise<Omit<Extract<ChildMessage, { type: 'stopped' }>, 'type' | 'maxRssKb'>>;
  let port: number;
  if (mode === 'baseline') {
    const server = createServer((_request, response) => {
      response.writeHead(200, COUNTER_HEADERS);
      response.end(PIXEL_GIF);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    stop = async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      return { counted: 0, dropped: 0, flushed: 0 };
    };
  } else {
    const store = await openSqliteStore(join(dir, 'store.sqlite'));
    const server = await startServer({
      store,
      mirrorDir: join(dir, 'mirror'),
      mirrorTitle: 'bench',
      counterUrl: COUNTER_URL,
      port: 0,
      exposeMemory: true,
    });
    port = server.port;
    stop = async () => {
      await server.close();
      await store.close();
      return server.totals();
    };
  }
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'memory') {
      const usage = process.memoryUsage();
      const cpu = process.cpuUsage();
      send({
        type: 'memory',
        rss: usage.rss,
        heapUsed: usage.heapUsed,
        maxRssKb: process.resourceUsage().maxRSS,
        cpuMicros: cpu.user + cpu.system,
      });
    } else if (message.type === 'stop') {
      const totals = await stop();
      send({ type: 'stopped', maxRssKb: process.resourceUsage().maxRSS, ...totals });
      process.disconnect?.();
    }
  });
  send({ type: 'ready', port });
}

// --- parent: load and measure ----------------------------------------------------------------------------------------

function seedMirror(dir: string, pageCount: number): string[] {
  const paths: string[] = [];
  for (let i = 0; i < pageCount; i++) {
    const path = `pages/ch${i % 6}/n${100_000 + i}.md`;
    const file = join(dir, 'mirror', path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, `### Article ${i}\n\nBody.\n`);
    paths.push(path);
  }
  return paths;
}

function startChild(
  mode: string,
  dir: string,
  core: string | undefined,
): Promise<{ child: ChildProcess; port: number }> {
  const self = fileURLToPath(import.meta.url);
  const nodeArgs = ['--import', 'tsx', self, '--child', mode, '--dir', dir];
  const pin = core !== undefined && existsSync('/usr/bin/taskset');
  const child = spawn(
    pin ? 'taskset' : process.execPath,
    pin ? ['-c', core, process.execPath, ...nodeArgs] : nodeArgs,
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`bench: server child exited with ${code} before it was ready`)),
    );
    child.on('message', function onReady(message: ChildMessage) {
      if (message.type === 'ready') {
        child.off('message', onReady);
        child.removeAllListeners('exit');
        resolve({ child, port: message.port });
      }
    });
  });
}

function ask<T extends ChildMessage['type']>(
  child: ChildProcess,
  request: string,
  answer: T,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve) => {
    const listener = (message: ChildMessage) => {
      if (message.type === answer) {
        child.off('message', listener);
        resolve(message as Extract<ChildMessage, { type: T }>);
      }
    };
    child.on('message', listener);
    child.send({ type: request });
  });
}

async function load(
  child: ChildProcess,
  url: string,
  paths: string[],
  seconds: number,
  connections: number,
): Promise<{
  figures: Figures;
  peakRssBytes: number;
  idleRssBytes: number;
  cpuMicrosPerRequest: number;
  total2xx: number;
}> {
  // Round-robin over every page, shared by all connections, so the counts spread over the whole mirror.
  let next = 0;
  const requests = [
    {
      method: 'GET' as const,
      setupRequest: (request: { path: string }) => ({
        ...request,
        path: `/bench/${paths[next++ % paths.length]}`,
      }),
    },
  ];
  const idle = await ask(child, 'memory', 'memory');
  const warm = await autocannon({ url, connections, duration: WARMUP_SECONDS, requests });
  const before = await ask(child, 'memory', 'memory');
  let peakRssBytes = before.rss;
  const sampler = setInterval(() => {
    ask(child, 'memory', 'memory').then((memory) => {
      peakRssBytes = Math.max(peakRssBytes, memory.rss);
    });
  }, MEMORY_SAMPLE_MS);
  const result = await autocannon({ url, connections, duration: seconds, requests });
  clearInterval(sampler);
  const afterRun = await ask(child, 'memory', 'memory');
  peakRssBytes = Math.max(peakRssBytes, afterRun.rss);
  return {
    idleRssBytes: idle.rss,
    // CPU time the server spent per answered request: unlike requests/s, it hardly moves when other processes
    // compete for the core, so it says what one free core would sustain (1e6 / this).
    cpuMicrosPerRequest: (afterRun.cpuMicros - before.cpuMicros) / Math.max(1, result['2xx']),
    figures: {
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      ok: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    },
    peakRssBytes,
    total2xx: warm['2xx'] + result['2xx'],
  };
}

function line(name: string, run: Awaited<ReturnType<typeof load>>, maxRssKb: number): string {
  const figures = run.figures;
  const rate = Math.round(figures.requestsPerSecond).toLocaleString('en-US').padStart(8);
  return `${name.padEnd(22)} ${rate} req/s   p50 ${String(figures.p50).padStart(3)} ms   p99 ${String(figures.p99).padStart(3)} ms   CPU ${run.cpuMicrosPerRequest.toFixed(0).padStart(3)} µs/req (~${Math.round(1e6 / run.cpuMicrosPerRequest).toLocaleString('en-US')} req/s on a free core)   RSS idle ${mb(run.idleRssBytes)} / peak ${(maxRssKb / 1024).toFixed(0)} MB   (${figures.ok} ok, ${figures.non2xx} non-2xx, ${figures.errors} errors, ${figures.timeouts} timeouts)`;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/**
 * Pins this process (the load generator) to another core than the server's, when there is one: otherwise autocannon
 * and the server take turns on one core and the figures measure the scheduler.
 */
function pinLoadGenerator(serverCore: string): string {
  if (!existsSync('/usr/bin/taskset') || availableParallelism() < 2) return 'not pinned';
  const core = serverCore === '0' ? '1' : '0';
  const result = spawnSync('taskset', ['-a', '-p', '-c', core, String(process.pid)], { stdio: 'ignore' });
  return result.status === 0 ? `pinned to core ${core}` : 'not pinned';
}

async function runParent(options: { seconds: number; connections: number; pages: number; core: string }) {
  const loadGenerator = pinLoadGenerator(options.core);
  const dir = mkdtempSync(join(tmpdir(), 'newsmirror-bench-server-'));
  try {
    const paths = seedMirror(dir, options.pages);
    process.stdout.write(
      `bench:server: ${options.pages} pages, ${options.connections} connections, ${options.seconds} s (after ${WARMUP_SECONDS} s warm-up), server pinned to core ${options.core}, load generator ${loadGenerator}\n`,
    );

    const baseline = await startChild('baseline', dir, options.core);
    const base = await load(
      baseline.child,
      `http://127.0.0.1:${baseline.port}`,
      paths,
      options.seconds,
      options.connections,
    );
    const baseStopped = await ask(baseline.child, 'stop', 'stopped');
    process.stdout.write(`${line('baseline node:http', base, baseStopped.maxRssKb)}\n`);

    const ours = await startChild('serve', dir, options.core);
    const measured = await load(
      ours.child,
      `http://127.0.0.1:${ours.port}`,
      paths,
      options.seconds,
      options.connections,
    );
    const stopped = await ask(ours.child, 'stop', 'stopped');
    process.stdout.write(`${line('newsmirror serve', measured, stopped.maxRssKb)}\n`);
    process.stdout.write(
      `  RSS sampled under load: peak ${mb(measured.peakRssBytes)} MB; views counted ${stopped.counted}, dropped ${stopped.dropped}, flushed ${stopped.flushed}\n`,
    );

    // Every request was for a page: the views stored must be every view the server counted, none dropped, at least
    // the answers autocannon saw (it stops without reading the answers still in flight, at most one a connection
    // per run), and spread over every page.
    const store = await openSqliteStore(join(dir, 'store.sqlite'));
    const rows = await store.views.top({ sinceDay: '2000-01-01', limit: options.pages + 10 });
    await store.close();
    const stored = rows.reduce((sum, row) => sum + row.views, 0);
    const inFlight = stored - measured.total2xx;
    const countsOk =
      stored === stopped.counted &&
      stopped.dropped === 0 &&
      inFlight >= 0 &&
      inFlight <= 2 * options.connections &&
      rows.length === options.pages;
    process.stdout.write(
      `  counts in SQLite: ${stored} views over ${rows.length} pages; server counted ${stopped.counted}; autocannon read ${measured.total2xx} answers (+${inFlight} in flight at the stops) -> ${countsOk ? 'ok' : 'MISMATCH'}\n`,
    );
    const meetsTarget =
      measured.figures.requestsPerSecond >= TARGET_REQUESTS_PER_SECOND &&
      measured.figures.p99 < TARGET_P99_MS;
    process.stdout.write(
      `  target >= ${TARGET_REQUESTS_PER_SECOND} req/s with p99 < ${TARGET_P99_MS} ms: ${meetsTarget ? 'met' : 'NOT met'}\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        baseline: { ...base.figures, cpuMicrosPerRequest: Math.round(base.cpuMicrosPerRequest) },
        serve: {
          ...measured.figures,
          cpuMicrosPerRequest: Math.round(measured.cpuMicrosPerRequest),
          idleRssMb: Math.round(measured.idleRssBytes / 1024 / 1024),
          maxRssMb: Math.round(stopped.maxRssKb / 1024),
        },
        stored,
        answered: measured.total2xx,
      })}\n`,
    );
    return countsOk ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    dir: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    pages: { type: 'string', default: '300' },
    core: { type: 'string', default: '0' },
  },
});

if (values.child) {
  await runChild(values.child, values.dir ?? '');
} else {
  process.exitCode = await runParent({
    seconds: Number(values.seconds),
    connections: Number(values.connections),
    pages: Number(values.pages),
    core: values.core,
  });
}
