// A real Redis server for tests: Debian's `redis-server` on 127.0.0.1 at a free port, its data in a temp folder.
// Append-only file on (fsync always), so `restart()` is a Redis restart that keeps the queue, as a production
// server with persistence does; `restart({ wipe: true })` is one that lost it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './git.ts';

export interface RedisServer {
  port: number;
  /** redis://127.0.0.1:PORT */
  url: string;
  /** Stops the server (SIGKILL: no last save) and starts it again on the same port. */
  restart(options?: { wipe?: boolean; downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

const BINARY = process.env.REDIS_SERVER ?? 'redis-server';

/** Resolves once the server answers PING. */
async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited ${child.exitCode}: ${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING: ${output()}`);
}

export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-redis-'));
  let child: ChildProcess | undefined;
  let port = 0;
  const launch = async () => {
    const started = spawn(
      BINARY,
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(port),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--protected-mode',
        'no',
        '--daemonize',
        'no',
        '--logfile',
        '',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    started.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-2000)));
    started.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-2000)));
    started.once('error', (error) => (output += String(error)));
    child = started;
    await waitForPing(port, started, () =>
      output.includes('ENOENT')
        ? `${output} (install it: apt-get install redis-server; .ci/run does)`
        : output,
    );
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  try {
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await launch();
        break;
      } catch (error) {
        await kill();
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async restart(options = {}) {
      await kill();
      if (options.wipe) {
        for (const name of ['appendonlydir', 'appendonly.aof', 'dump.rdb']) {
          const path = join(dir, name);
          if (existsSync(path)) await rm(path, { recursive: true, force: true });
        }
      }
      if (options.downMs) await new Promise((resolve) => setTimeout(resolve, options.downMs));
      await launch();
    },
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
