// A real PostgreSQL server for tests: initdb into a temp folder, then pg_ctl on 127.0.0.1 at a free port, with
// Debian's `postgresql` package binaries. Trust auth on loopback for one superuser; fsync off (a test server's data
// is thrown away). initdb refuses to run as root, so as root the server runs as the `postgres` user.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The superuser of the test cluster; no password (trust on 127.0.0.1 only). */
export const POSTGRES_TEST_USER = 'newsmirror';

const DEBIAN_ROOT = '/usr/lib/postgresql';

export interface PostgresServer {
  host: string;
  port: number;
  /** URL of database `name` on this server. */
  url(name: string): string;
  /** Creates a new empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server, keeping its data: clients see it go away, as in a restart. */
  pause(): Promise<void>;
  /** Starts a paused server again, on the same port. */
  resume(): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/** The folder holding initdb and pg_ctl: $POSTGRES_BIN, or the newest Debian install. Throws when there is none. */
export function findPostgresBin(): string {
  const candidates: string[] = [];
  if (process.env.POSTGRES_BIN) candidates.push(process.env.POSTGRES_BIN);
  if (existsSync(DEBIAN_ROOT)) {
    const versions = readdirSync(DEBIAN_ROOT)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(DEBIAN_ROOT, version, 'bin')));
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (found === undefined) {
    throw new Error(
      `PostgreSQL server binaries not found (initdb and pg_ctl under ${DEBIAN_ROOT}/*/bin or $POSTGRES_BIN): ` +
        'install them, e.g. `apt-get install postgresql` (.ci/run does)',
    );
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error()),
      );
    });
  });
}

interface Runner {
  /** Runs a server binary (as `postgres` when we are root); rejects with its output when it fails. */
  run(bin: string, args: string[]): Promise<void>;
  prepare(dir: string): Promise<void>;
}

function runner(binDir: string): Runner {
  const root = process.getuid?.() === 0;
  return {
    async prepare(dir) {
      if (!root) return;
      const { uid, gid } = postgresUser();
      await chown(dir, uid, gid);
    },
    run: (bin, args) =>
      new Promise((resolve, reject) => {
        const command = root ? 'runuser' : join(binDir, bin);
        const argv = root ? ['-u', 'postgres', '--', join(binDir, bin), ...args] : args;
        const child = spawn(command, argv, {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, LC_ALL: 'C' },
        });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('error', reject);
        // 'exit', not 'close': the server pg_ctl starts may keep the pipes open.
        child.on('exit', (code) =>
          code === 0
            ? resolve()
            : reject(new Error(`${bin} ${args.join(' ')} exited ${code}: ${output.trim()}`)),
        );
      }),
  };
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (line === undefined)
    throw new Error('running as root, and there is no `postgres` user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Starts a fresh PostgreSQL server; stop it with `stop()`. */
export async function startPostgresServer(): Promise<PostgresServer> {
  const binDir = findPostgresBin();
  const { run, prepare } = runner(binDir);
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-pg-'));
  await prepare(root);
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  const host = '127.0.0.1';
  try {
    await run('initdb', [
      '-D',
      data,
      '-U',
      POSTGRES_TEST_USER,
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-locale',
      '-N',
    ]);
    const start = (port: number) =>
      run('pg_ctl', [
        '-D',
        data,
        '-l',
        log,
        '-o',
        `-h ${host} -p ${port} -k ${root} -F -c max_connections=200`,
        '-w',
        '-t',
        '30',
        'start',
      ]).catch((error: Error) => {
        const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
        throw new Error(`${error.message}\n${serverLog}`);
      });
    let port = 0;
    // A free port can be taken between our probe and the server's bind: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await start(port);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    let running = true;
    const url = (name: string) => `postgres://${POSTGRES_TEST_USER}@${host}:${port}/${name}`;
    let databases = 0;
    return {
      host,
      port,
      url,
      async createDatabase(name = `test_${process.pid}_${++databases}`) {
        const admin = new pg.Client({ connectionString: url('postgres') });
        await admin.connect();
        try {
          await admin.query(`CREATE DATABASE "${name}"`);
        } finally {
          await admin.end();
        }
        return url(name);
      },
      async pause() {
        await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
        running = false;
      },
      async resume() {
        await start(port);
        running = true;
      },
      async stop() {
        try {
          if (running) await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
          running = false;
        } finally {
          await rm(root, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
