// deploy/: the systemd units pass `systemd-analyze verify` (with the command pointed at this clone's bin), and the
// Dockerfile is checked as far as this machine allows: with no Docker daemon it is read statically (every COPY
// source exists and reaches the build context, the runtime runs the built bin as a non-root user, its command line
// is one the CLI accepts); with a daemon the image is built and run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve('.');
const BIN = join(ROOT, 'bin/newsmirror.js');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The built CLI's exit code and stderr for `args` (run from a folder with no newsmirror.yaml). */
function cli(args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'newsmirror-deploy-'));
  try {
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
    return { code: result.status, stderr: result.stderr };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** A command line the CLI parses: with a config that does not exist it fails on the config (2), not on usage. */
function assertAcceptedCommand(args: string[]) {
  const result = cli(args);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /newsmirror\.yaml|no such file|ENOENT|not found/i, result.stderr);
  assert.doesNotMatch(result.stderr, /unknown (option|command)|error: /i, result.stderr);
}

/** Unit files as `Key=value` pairs per section. */
function unitKeys(text: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line.trim());
    if (header) section = header[1];
    const pair = /^(\w+)=(.*)$/.exec(line);
    if (!pair) continue;
    const key = `${section}.${pair[1]}`;
    keys.set(key, [...(keys.get(key) ?? []), pair[2]]);
  }
  return keys;
}

describe('systemd units', () => {
  const service = read('deploy/newsmirror.service');
  const timer = read('deploy/newsmirror.timer');

  test('systemd-analyze verify passes, with no unknown key', (t) => {
    if (spawnSync('systemd-analyze', ['--version']).status !== 0) {
      t.skip('systemd-analyze is not installed');
      return;
    }
    // verify also checks that ExecStart's program exists: point it at this clone's bin.
    const dir = mkdtempSync(join(tmpdir(), 'newsmirror-units-'));
    try {
      writeFileSync(join(dir, 'newsmirror.service'), service.replaceAll('/usr/local/bin/newsmirror', BIN));
      writeFileSync(join(dir, 'newsmirror.timer'), timer);
      const result = spawnSync(
        'systemd-analyze',
        ['verify', join(dir, 'newsmirror.service'), join(dir, 'newsmirror.timer')],
        { encoding: 'utf8' },
      );
      assert.equal(result.status, 0, result.stderr);
      // Unknown keys and bad values are only warnings to systemd, which then ignores them: none may be there.
      assert.equal(result.stderr.trim(), '', result.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the service runs `newsmirror run` hourly as its own user, hardened, with a stop timeout above 10 s', () => {
    const keys = unitKeys(service);
    const exec = keys.get('Service.ExecStart')?.[0].split(/\s+/) ?? [];
    assert.equal(exec[0], '/usr/local/bin/newsmirror');
    assert.equal(exec[1], 'run');
    assertAcceptedCommand(exec.slice(1).map((arg) => (arg.endsWith('.yaml') ? 'absent.yaml' : arg)));
    assert.equal(keys.get('Service.User')?.[0], 'newsmirror');
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
    ]) {
      assert.equal(keys.get(`Service.${key}`)?.[0], value, key);
    }
    // watch/run stop within 10 s of SIGTERM (test/cli/watch.test.ts); the timeout leaves margin above it.
    assert.ok(Number(keys.get('Service.TimeoutStopSec')?.[0]) >= 15);
    assert.equal(
      keys.get('Service.SuccessExitStatus')?.[0],
      '1',
      'a partial run (exit 1) is not a failed unit',
    );
    const timerKeys = unitKeys(timer);
    assert.equal(timerKeys.get('Timer.OnCalendar')?.[0], 'hourly');
    assert.equal(timerKeys.get('Timer.Unit')?.[0], 'newsmirror.service');
  });
});

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions per stage, continuation lines joined. */
function dockerStages(text: string): Array<{ name: string; instructions: Instruction[] }> {
  const joined = text.replace(/\\\n/g, ' ');
  const stages: Array<{ name: string; instructions: Instruction[] }> = [];
  for (const line of joined.split('\n')) {
    const match = /^(\w+)\s+(.*)$/.exec(line.trim());
    if (!match || line.trim().startsWith('#')) continue;
    const [, op, args] = match;
    if (op === 'FROM') stages.push({ name: / AS (\w+)/i.exec(args)?.[1] ?? '', instructions: [] });
    stages.at(-1)?.instructions.push({ op, args });
  }
  return stages;
}

describe('Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');
  const stages = dockerStages(dockerfile);
  const [build, runtime] = stages;
  // .dockerignore is an allow-list: `*` then `!path` for what the build may see.
  const allowed = read('.dockerignore')
    .split('\n')
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).replace(/\/$/, ''));

  test('two stages; every COPY of the build context exists and is not ignored', () => {
    assert.deepEqual(
      stages.map((stage) => stage.name),
      ['build', 'runtime'],
    );
    const copies = build.instructions.filter((i) => i.op === 'COPY').map((i) => i.args.split(/\s+/));
    assert.ok(copies.length > 0);
    for (const parts of copies) {
      for (const source of parts.slice(0, -1)) {
        assert.ok(existsSync(join(ROOT, source)), `COPY ${source}: no such file in the repository`);
        assert.ok(
          allowed.some((path) => source === path || source.startsWith(`${path}/`)),
          `COPY ${source}: excluded by .dockerignore`,
        );
      }
    }
    // Everything the build's sources import at build time is in the context.
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'scripts', 'bin']) {
      assert.ok(allowed.includes(needed), `.dockerignore lets ${needed} through`);
    }
  });

  test('the build uses npm ci and the build script; the runtime copies dist, the bin and production modules', () => {
    const runs = build.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    assert.ok(runs.some((run) => /npm ci\b/.test(run)));
    assert.ok(runs.some((run) => /npm run build/.test(run) && /npm prune --omit=dev/.test(run)));
    const fromBuild = runtime.instructions
      .filter((i) => i.op === 'COPY' && i.args.startsWith('--from=build'))
      .map((i) => i.args.split(/\s+/).slice(1));
    const copied = new Map(fromBuild.map(([source, target]) => [source, target]));
    // /src is the build stage's WORKDIR: dist/ and node_modules/ are made there, the rest copied in.
    for (const source of ['/src/dist', '/src/node_modules', '/src/bin/newsmirror.js', '/src/package.json']) {
      assert.ok(copied.has(source), `runtime copies ${source}`);
    }
    assert.ok(build.instructions.some((i) => i.op === 'WORKDIR' && i.args === '/src'));
  });

  test('the runtime runs the built bin as a non-root user, with a command the CLI accepts', () => {
    const user = runtime.instructions.find((i) => i.op === 'USER')?.args;
    assert.ok(user && user !== 'root' && user !== '0', `USER ${user}`);
    const entrypoint = JSON.parse(runtime.instructions.find((i) => i.op === 'ENTRYPOINT')?.args ?? '[]');
    const cmd = JSON.parse(runtime.instructions.find((i) => i.op === 'CMD')?.args ?? '[]') as string[];
    assert.deepEqual(entrypoint.slice(-2), ['node', '/app/bin/newsmirror.js']);
    assert.ok(
      runtime.instructions.some((i) => i.op === 'COPY' && /\/src\/dist \.\/dist$/.test(i.args)) &&
        runtime.instructions.some((i) => i.op === 'WORKDIR' && i.args === '/app'),
      'dist/ lands beside bin/ in /app, where bin/newsmirror.js looks for it',
    );
    assert.match(read('bin/newsmirror.js'), /\.\.\/dist\/cli\.mjs/);
    assert.equal(cmd[0], 'watch');
    assertAcceptedCommand(cmd.map((arg) => (arg.endsWith('.yaml') ? 'absent.yaml' : arg)));
    assert.equal(
      runtime.instructions.filter((i) => i.op === 'RUN' && /apt-get install/.test(i.args)).length,
      1,
    );
    assert.match(dockerfile, /apt-get install[^\n]*\bgit\b/);
  });

  test('with a Docker daemon: the image builds and runs --version', (t) => {
    if (spawnSync('docker', ['info'], { encoding: 'utf8' }).status !== 0) {
      t.skip('no Docker daemon on this machine: the Dockerfile was checked statically above');
      return;
    }
    const tag = `newsmirror-test:${process.pid}`;
    const built = spawnSync('docker', ['build', '-f', 'deploy/Dockerfile', '-t', tag, '.'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(built.status, 0, built.stderr);
    try {
      const version = spawnSync('docker', ['run', '--rm', tag, '--version'], { encoding: 'utf8' });
      assert.equal(version.stdout.trim(), JSON.parse(read('package.json')).version, version.stderr);
    } finally {
      spawnSync('docker', ['rmi', '-f', tag]);
    }
  });
});
