// Builds a mirror of the demo site (a real run against the loopback demo server, a SQLite file and a git repo in a
// temp folder) and hands back its paths, so reader-facing tests can check what a reader gets. `sharedDemoMirror()`
// builds one per test process and reuses it; `buildDemoMirror()` builds a fresh one (e.g. with a route changed first).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DemoSite, serveDemoSite } from '../../harness/demo-site.ts';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { type RunSummary, runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';

export interface DemoMirror {
  site: DemoSite;
  loaded: LoadedConfig;
  store: Store;
  http: HttpClient;
  /** Temp folder holding everything below. */
  work: string;
  mirrorDir: string;
  /** The config written to disk, for commands that take `-c FILE`. */
  configPath: string;
  /** Summary of the run that built the mirror. */
  firstRun: RunSummary;
  /** One more run (no push). */
  run(): Promise<RunSummary>;
  /** Closes the server, the store and the client and deletes the temp folder. */
  close(): Promise<void>;
}

export interface BuildDemoMirrorOptions {
  /** Called after the demo server starts and before the first run, e.g. to make an image fail. */
  beforeFirstRun?: (site: DemoSite) => void | Promise<void>;
  /** YAML appended to the demo config (top-level keys, e.g. `bundles:`). */
  configExtra?: string;
}

export async function buildDemoMirror(options: BuildDemoMirrorOptions = {}): Promise<DemoMirror> {
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-readers-'));
  const site = await serveDemoSite({ copy: true });
  const mirrorDir = join(work, 'mirror');
  let text = site.configText
    .replace('dir: ./out/mirror', `dir: ${JSON.stringify(mirrorDir)}`)
    .replace('path: ./out/store.sqlite', `path: ${JSON.stringify(join(work, 'store.sqlite'))}`)
    .replace(
      'allowPrivateAddresses: true',
      // Short timeouts and one retry: a route made to fail fails fast.
      'allowPrivateAddresses: true\n  retries: 1\n  headersTimeoutMs: 3000\n  bodyTimeoutMs: 3000\n  connectTimeoutMs: 3000',
    );
  const configPath = join(work, 'newsmirror.yaml');
  if (options.configExtra) text = `${text.trimEnd()}\n${options.configExtra}`;
  writeFileSync(configPath, text);
  const loaded = parseConfigText(text, configPath, work);
  const store = await openSqliteStore(loaded.storePath);
  const http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 10 });
  const run = () => runMirror({ loaded, store, http, log: silentLogger, push: false });
  const close = async () => {
    await http.close();
    await store.close();
    await site.server.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(join(site.root, '..'), { recursive: true, force: true });
  };
  try {
    await options.beforeFirstRun?.(site);
    const firstRun = await run();
    return { site, loaded, store, http, work, mirrorDir, configPath, firstRun, run, close };
  } catch (error) {
    await close();
    throw error;
  }
}

let shared: Promise<DemoMirror> | undefined;

/** One demo mirror per test process, built on first use; tests must not change it. */
export function sharedDemoMirror(): Promise<DemoMirror> {
  shared ??= buildDemoMirror();
  return shared;
}

export async function closeSharedDemoMirror(): Promise<void> {
  const building = shared;
  shared = undefined;
  if (building) await (await building).close();
}
