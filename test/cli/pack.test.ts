// The package as users get it: `npm pack` (which builds dist/), installed into an empty folder, runs on its own,
// with no src/, no tsx and no build step of its own.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startFixtureServer } from '../../harness/fixture-server.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const STEP_TIMEOUT_MS = 300_000;

/**
 * Under `npm test`, npm's own variables (npm_config_local_prefix above all) would point a nested npm at this
 * repository; only the user's cache, registry and network settings pass through.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(cache|registry|userconfig|cafile|strict_ssl|proxy|https_proxy|noproxy)$/i;
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || keep.test(key)),
  ) as NodeJS.ProcessEnv;
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: npmEnv(), timeout: STEP_TIMEOUT_MS });
  const how = result.status ?? result.signal ?? result.error;
  return { ...result, output: `${command} ${args.join(' ')}: ${how}\n${result.stdout}\n${result.stderr}` };
}

const ARTICLE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harbor bridge reopens | The Daily</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Harbor bridge reopens</h1>
<p>The Old Harbor Bridge opened to traffic again on Wednesday morning, ending a two-year closure that pushed
thousands of daily commuters onto a long detour through the industrial district.</p>
<p>City engineers replaced the steel deck, repainted the towers and installed new lighting along the pedestrian
walkway. The repair project finished three weeks ahead of the revised schedule.</p>
<p>Officials said a small ceremony is planned for the weekend, with guided walks across the new walkway.</p>
</article><footer>Copyright The Daily</footer></body></html>
`;

test('npm pack gives a package that installs into an empty folder and runs', {
  timeout: 900_000,
}, async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const tmp = mkdtempSync(join(tmpdir(), 'nm-pack-'));
  try {
    const pack = run('npm', ['pack', '--json', '--pack-destination', tmp], ROOT);
    assert.equal(pack.status, 0, pack.output);
    const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = packed.files.map((file) => file.path);
    for (const file of [
      'bin/newsmirror.js',
      'dist/cli.mjs',
      'dist/page-worker.mjs',
      'dist/types/index.d.ts',
    ]) {
      assert.ok(files.includes(file), `${file} is packed`);
    }
    assert.deepEqual(
      files.filter((file) => file.startsWith('src/') || file.includes('.tmp-')),
      [],
      'no sources or half-built files in the package',
    );

    const app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "private": true }\n');
    // No install scripts: better-sqlite3 would compile from source (minutes here, with no prebuilt binary to
    // download); its addon, built by this checkout's `npm ci` for the same Node, is copied in below instead.
    // The cache of `npm ci` has every dependency; the registry is asked only for what it lacks.
    const install = run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--ignore-scripts',
        join(tmp, packed.filename),
      ],
      app,
    );
    assert.equal(install.status, 0, install.output);
    assert.ok(!existsSync(join(app, 'node_modules', 'tsx')), 'tsx is not installed with the package');

    const bin = join(app, 'node_modules', '.bin', 'newsmirror');
    const versionRun = run(bin, ['--version'], app);
    assert.equal(versionRun.status, 0, versionRun.output);
    assert.equal(versionRun.stdout, `${version}\n`);

    writeFileSync(join(app, 'article.html'), ARTICLE);
    const extract = run(
      bin,
      ['extract', 'article.html', '--url', 'https://daily.example/world/bridge.html'],
      app,
    );
    assert.equal(extract.status, 0, extract.output);
    const article = JSON.parse(extract.stdout);
    assert.equal(article.title, 'Harbor bridge reopens');
    assert.match(article.text, /^The Old Harbor Bridge opened to traffic again/);
    assert.doesNotMatch(article.text, /Copyright|Home/);

    const api = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('newsmirror'); console.log(typeof m.extractArticle);",
      ],
      app,
    );
    assert.equal(api.status, 0, api.output);
    assert.equal(api.stdout, 'function\n');

    // A whole run from the installed package: listing, article, SQLite store, page worker, git commit.
    cpSync(
      join(ROOT, 'node_modules', 'better-sqlite3', 'build'),
      join(app, 'node_modules', 'better-sqlite3', 'build'),
      {
        recursive: true,
      },
    );
    const server = await startFixtureServer();
    try {
      server.route('/world/index.html', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<html><body><a class="story" href="/world/bridge.html">Harbor bridge reopens</a></body></html>',
        );
      });
      server.route('/world/bridge.html', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(ARTICLE);
      });
      writeFileSync(
        join(app, 'newsmirror.yaml'),
        `mirror:\n  dir: ./mirror\n  title: The Daily mirror\nfetch:\n  allowPrivateAddresses: true\nsites:\n` +
          `  - id: daily\n    name: The Daily\n    base: "${server.origin}/"\n    channels:\n` +
          `      - { id: world, title: World, listing: { url: "${server.origin}/world/index.html", links: "a.story" } }\n`,
      );
      const mirrored = await promisify(execFile)(bin, ['run', '-c', 'newsmirror.yaml', '--no-push'], {
        cwd: app,
        env: npmEnv(),
        timeout: STEP_TIMEOUT_MS,
      });
      assert.match(mirrored.stdout, /^new 1, updated 0, failed 0/);
      assert.deepEqual(readdirSync(join(app, 'mirror', 'pages', 'world')).sort(), ['bridge.md']);
      assert.match(
        readFileSync(join(app, 'mirror', 'pages', 'world', 'bridge.md'), 'utf8'),
        /^### Harbor bridge reopens/,
      );
    } finally {
      await server.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
