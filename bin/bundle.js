// Bundles the TypeScript sources into plain ES modules with esbuild, so a run loads no TypeScript loader: tsx keeps
// its hooks, transformed sources and source maps in memory, about 50 MB in the main thread and again in every
// worker thread. A bundle is rebuilt only when a source file changed (its folder is named by a hash of every
// source file's path, size and mtime), in about a second; it is written beside the package, under dist/.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIR = join(PACKAGE_ROOT, 'src');
const DIST_DIR = join(PACKAGE_ROOT, 'dist');

/** The CLI, the public API and the page worker (whose file the thread pool starts by name). */
const PACKAGE_ENTRIES = {
  cli: 'src/cli/main.ts',
  index: 'src/index.ts',
  'page-worker': 'src/pipeline/threads/page-worker.ts',
};

/**
 * Builds `entries` ({ name: path relative to the package root }) into `outDir` as `<name>.mjs` plus shared chunks.
 * Every entry that starts worker threads by file name must have its worker file as an entry too.
 */
export async function buildBundle(entries, outDir) {
  const { build } = await import('esbuild');
  const tempDir = `${outDir}.tmp-${process.pid}`;
  rmSync(tempDir, { recursive: true, force: true });
  await build({
    entryPoints: Object.fromEntries(
      Object.entries(entries).map(([name, path]) => [name, join(PACKAGE_ROOT, path)]),
    ),
    outdir: tempDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies load from node_modules as usual; only our own code is bundled.
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  mkdirSync(dirname(outDir), { recursive: true });
  try {
    renameSync(tempDir, outDir);
  } catch (error) {
    // Another process built the same sources at the same moment: theirs is as good as ours.
    rmSync(tempDir, { recursive: true, force: true });
    if (!statSync(outDir, { throwIfNoEntry: false })?.isDirectory()) throw error;
  }
}

/**
 * URL of the package's bundled `name` entry ('cli', 'index'), building it first when the sources changed; null when
 * it cannot be built here (no esbuild, a read-only install): the caller then loads the TypeScript through tsx.
 */
export async function packageBundle(name) {
  try {
    const outDir = join(DIST_DIR, sourcesHash());
    if (!statSync(join(outDir, `${name}.mjs`), { throwIfNoEntry: false })) {
      await buildBundle(PACKAGE_ENTRIES, outDir);
      removeOtherBuilds(outDir);
    }
    return pathToFileURL(join(outDir, `${name}.mjs`)).href;
  } catch {
    return null;
  }
}

function sourcesHash() {
  const hash = createHash('sha256');
  const inputs = [join(PACKAGE_ROOT, 'package.json'), fileURLToPath(import.meta.url)];
  for (const file of [...listFiles(SOURCE_DIR), ...inputs].sort()) {
    const stat = statSync(file);
    hash.update(`${relative(PACKAGE_ROOT, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * Builds of older sources, and half-written builds of killed processes, once they are a day old. Not sooner: a
 * process started from an older build (`newsmirror watch`) still starts its page workers from that build's files.
 */
function removeOtherBuilds(current) {
  const cutoff = Date.now() - OLD_BUILD_AGE_MS;
  for (const entry of readdirSync(DIST_DIR)) {
    const path = join(DIST_DIR, entry);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (path !== current && stat && stat.mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
  }
}

const OLD_BUILD_AGE_MS = 24 * 60 * 60 * 1000;
