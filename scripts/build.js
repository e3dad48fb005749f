#!/usr/bin/env node
// `npm run build` (also `prepare`, so `npm ci` and `npm pack` build): bundles our own code in src/ with esbuild into
// plain ES modules under dist/, so `newsmirror` runs with no TypeScript loader (tsx keeps ~50 MB in each thread).
// The small pure-JavaScript dependencies on every command's path (the unified, hast and mdast packages, htmlparser2,
// css-select, commander ...) are bundled in: Node resolved, read and compiled them as some 200 separate modules, a
// third of `extract`'s start-up. The rest stay imports of node_modules (KEPT_EXTERNAL says which and why). `--types` also writes the public API's declarations to dist/types/
// (tsc, several seconds: only for packing).
//
// Entries have fixed names (dist/cli.mjs, dist/index.mjs, dist/page-worker.mjs); shared code goes to chunks named by
// a hash of their content. The build is written to a temp dir and renamed into dist/ file by file, chunks first:
// dist/ always holds a complete build, and a running process (`newsmirror watch`) that starts a page worker later
// finds dist/page-worker.mjs and every chunk it imports. Our code imports its own modules dynamically only as a
// command starts (cli/main.ts picks the command's module; `extract` loads the HTTP client for URL inputs), so a
// long-running process has loaded all of its own chunks early and those of an older build can go.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST_DIR = join(PACKAGE_ROOT, 'dist');
const TYPES = 'types';
const TEMP_PREFIX = '.tmp-';

/** The CLI, the public API and the page worker, whose file the thread pool starts by name (page-workers.ts). */
const PACKAGE_ENTRIES = {
  cli: 'src/cli/main.ts',
  index: 'src/index.ts',
  'page-worker': 'src/pipeline/threads/page-worker.ts',
};

/**
 * Dependencies left as imports of node_modules: native addons (better-sqlite3, sharp), packages that load files,
 * workers or WebAssembly of their own at run time (bullmq's Lua scripts, pino's transports, recheck, opencc-js's
 * dictionaries), build tools, and the large ones only some commands load (HTTP client, config schema, store,
 * queue, feed, archive, server), which a command that does not need them never reads.
 */
const KEPT_EXTERNAL = [
  '@hono/node-server',
  'better-sqlite3',
  'bullmq',
  'cheerio',
  'cli-progress',
  'esbuild',
  'fast-xml-parser',
  'feed',
  'hono',
  'ioredis',
  'opencc-js',
  'pg',
  'pino',
  'prom-client',
  'qrcode',
  'recheck',
  'sharp',
  'simple-git',
  'typescript',
  'undici',
  'yaml',
  'yazl',
  'zod',
];

/** Bundled CommonJS code calls require() for Node's own modules: an ES module has none of its own. */
const REQUIRE_BANNER =
  "import { createRequire as createRequireOfBundle } from 'node:module'; const require = createRequireOfBundle(import.meta.url);";

/**
 * Bundles `entries` ({ name: path relative to the package root }) into `outDir` as `<name>.mjs` plus shared chunks,
 * all in outDir itself: a worker entry found by file name beside a module must be an entry here too.
 */
export async function buildBundle(entries, outDir) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: Object.fromEntries(
      Object.entries(entries).map(([name, path]) => [name, join(PACKAGE_ROOT, path)]),
    ),
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: KEPT_EXTERNAL,
    banner: { js: REQUIRE_BANNER },
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
}

/** Declarations of src/index.ts and what it exports, with the project's compiler options. */
function buildTypes(tempDir) {
  const tsconfig = join(tempDir, 'tsconfig.types.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(PACKAGE_ROOT, 'tsconfig.json'),
      compilerOptions: {
        noEmit: false,
        declaration: true,
        emitDeclarationOnly: true,
        rootDir: join(PACKAGE_ROOT, 'src'),
        outDir: join(tempDir, TYPES),
      },
      files: [join(PACKAGE_ROOT, 'src/index.ts')],
      include: [],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // Its report to stderr: `npm pack --json` prints the package's file list on stdout.
  const result = spawnSync(process.execPath, [tsc, '-p', tsconfig], { stdio: ['ignore', 2, 2] });
  rmSync(tsconfig);
  if (!existsSync(join(tempDir, TYPES, 'index.d.ts'))) throw new Error('build: tsc wrote no declarations');
  // tsc writes declarations despite type errors; `npm run typecheck` is where those fail.
  if (result.status !== 0) console.warn('build: tsc reported type errors (above); wrote declarations anyway');
}

/** Moves a finished build from `tempDir` into dist/: chunks, then entries, then drops files of older builds. */
function install(tempDir, withTypes) {
  const entryFiles = new Set(Object.keys(PACKAGE_ENTRIES).map((name) => `${name}.mjs`));
  const built = readdirSync(tempDir).filter((name) => name !== TYPES);
  built.sort((a, b) => Number(entryFiles.has(a)) - Number(entryFiles.has(b)));
  for (const name of built) renameSync(join(tempDir, name), join(DIST_DIR, name));
  const keep = new Set([...built, TYPES]);
  for (const name of readdirSync(DIST_DIR)) {
    // Recursive for the dist/<hash>/ folders of the start-up bundles this build replaced.
    if (!keep.has(name) && !name.startsWith(TEMP_PREFIX)) {
      rmSync(join(DIST_DIR, name), { recursive: true, force: true });
    }
  }
  if (withTypes) {
    // Nothing loads declarations at run time: a moment without them is harmless.
    const old = join(tempDir, `old-${TYPES}`);
    if (existsSync(join(DIST_DIR, TYPES))) renameSync(join(DIST_DIR, TYPES), old);
    renameSync(join(tempDir, TYPES), join(DIST_DIR, TYPES));
  }
}

/** Temp dirs of builds that were killed (their process is gone), so they never end up in a package. */
function removeAbandonedTempDirs() {
  for (const name of readdirSync(DIST_DIR)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const pid = Number(name.slice(TEMP_PREFIX.length));
    if (pid === process.pid || isAlive(pid)) continue;
    rmSync(join(DIST_DIR, name), { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

export async function buildDist({ types = false } = {}) {
  mkdirSync(DIST_DIR, { recursive: true });
  removeAbandonedTempDirs();
  // Inside dist/, so every rename stays on one file system.
  const tempDir = join(DIST_DIR, `${TEMP_PREFIX}${process.pid}`);
  rmSync(tempDir, { recursive: true, force: true });
  try {
    await buildBundle(PACKAGE_ENTRIES, tempDir);
    if (types) buildTypes(tempDir);
    install(tempDir, types);
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

// Run as a script (not imported, as scripts/bench.ts does for buildBundle).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildDist({ types: process.argv.includes('--types') });
  } catch (error) {
    // esbuild has printed its errors (with file and line) already.
    console.error(error?.errors ? 'build: esbuild failed (above); dist/ is unchanged' : error);
    process.exitCode = 1;
  }
}
