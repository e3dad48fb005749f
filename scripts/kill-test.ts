// Kill test: runs `newsmirror run` over a copy of the demo site in a child process, SIGKILLs it (with the git
// commands it started) at a random moment, runs again to completion and checks that the mirror, the store and
// the remote hold every article exactly once. New articles are fed to the site between cycles, so each killed
// run has fetching, writing, committing and pushing to do.
//
//   node bin/run-ts.js scripts/kill-test.ts [--kills 50] [--seed 12345] [--verbose]
//
// The child is a warmed-up CLI: it loads src/cli/main.ts, says "ready", and calls main(['run', '-c', FILE]) when
// told "go" (what bin/newsmirror.js does), so the random delay counts from the start of the run, not from
// TypeScript loading, and the next child warms up while the current one runs.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { parseConfigText } from '../src/config/load.ts';
import { silentLogger } from '../src/internal/log.ts';
import { createHttpClient } from '../src/pipeline/fetch/client.ts';
import { runMirror } from '../src/pipeline/run.ts';
import { openSqliteStore } from '../src/store/index.ts';
import { type DemoSite, serveDemoSite } from '../test/helpers/demo-site.ts';
import { type GitDaemon, makeBareRemote, startGitDaemon } from '../test/helpers/git.ts';

const execFileAsync = promisify(execFile);
const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/** Articles added to the site before each killed run: enough work to kill it while fetching, few enough to stay fast. */
const NEW_ARTICLES_PER_CYCLE = 2;

/** Every this many cycles an added article's title and body change, so updates are killed too. */
const EDIT_EVERY_CYCLES = 7;

/** First guess of a run's length before one has been seen whole; the estimate then follows real runs. */
const INITIAL_RUN_ESTIMATE_MS = 3000;

/** Every this many cycles one run is left whole to measure how long a run takes now (machines and load vary). */
const CALIBRATE_EVERY_CYCLES = 10;

/** Children warming up at once: loading the TypeScript CLI takes seconds, overlapped with the cycles before. */
const WARM_CHILDREN = 2;

/** Part of the delays drawn log-uniformly, so the first milliseconds (lock, recovery, discovery) get kills too. */
const LOG_UNIFORM_SHARE = 0.3;

/** Cycles allowed per wanted kill: a run that finishes before its kill is a cycle without a kill. */
const MAX_CYCLES_PER_KILL = 3;

export interface KillTestOptions {
  kills: number;
  seed: number;
  /** One line per cycle. */
  log?: (line: string) => void;
}

export interface KillTestResult {
  seed: number;
  kills: number;
  /** Runs that finished before their kill (still followed by the checks). */
  finishedBeforeKill: number;
  cycles: number;
  articles: number;
  /** What each kill left behind, counted by the state found before recovery. */
  phases: Record<string, number>;
}

/** Deterministic PRNG (mulberry32), so a seed replays the same delays and edits. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ExpectedArticle {
  id: string;
  homeChannel: string;
  channels: string[];
}

export async function runKillTest(options: KillTestOptions): Promise<KillTestResult> {
  const random = seededRandom(options.seed);
  const log = options.log ?? (() => {});
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-kill-'));
  const site = await serveDemoSite({ copy: true });
  const remote = await makeBareRemote();
  const remoteBase = resolve(remote.path, '..');
  let daemon: GitDaemon | undefined;
  const children = new Set<ChildProcess>();
  try {
    daemon = await startGitDaemon(remoteBase);
    const configFile = join(work, 'newsmirror.yaml');
    writeFileSync(
      configFile,
      site.configText
        .replace('dir: ./out/mirror', `dir: ${join(work, 'mirror')}`)
        .replace('url: ./out/remote.git', `url: ${daemon.url('remote.git')}`)
        .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`)
        .replace(
          'allowPrivateAddresses: true',
          'allowPrivateAddresses: true\n  retries: 1\n  headersTimeoutMs: 5000\n  bodyTimeoutMs: 5000',
        ),
    );
    const loaded = parseConfigText(readFileSync(configFile, 'utf8'), configFile, work);
    const expected = new Map<string, ExpectedArticle>(
      site.manifest.articles.map((article) => [
        article.id,
        { id: article.id, homeChannel: article.homeChannel, channels: article.channels },
      ]),
    );
    const feeder = createFeeder(site, random);

    const result: KillTestResult = {
      seed: options.seed,
      kills: 0,
      finishedBeforeKill: 0,
      cycles: 0,
      articles: 0,
      phases: {},
    };
    let runEstimateMs = INITIAL_RUN_ESTIMATE_MS;
    const warm = Array.from({ length: WARM_CHILDREN }, () => startChild(configFile, children));
    while (result.kills < options.kills && result.cycles < options.kills * MAX_CYCLES_PER_KILL) {
      result.cycles++;
      // The first cycle kills the big first run (every demo article); later ones add a few articles each.
      if (result.cycles > 1) {
        for (const added of feeder.add(NEW_ARTICLES_PER_CYCLE)) expected.set(added.id, added);
        if (result.cycles % EDIT_EVERY_CYCLES === 0) feeder.editOne();
      }
      const child = await warm.shift()!.ready;
      warm.push(startChild(configFile, children));
      // Cycle 2 (the first with a run of the usual size) and every CALIBRATE_EVERY_CYCLES-th run whole.
      const calibrating = result.cycles % CALIBRATE_EVERY_CYCLES === 2;
      const delayMs = calibrating ? Number.POSITIVE_INFINITY : drawDelay(random, runEstimateMs);
      const started = Date.now();
      child.stdin?.write('go\n');
      const exit = await killAfter(child, delayMs);
      children.delete(child);
      let phase: string;
      if (exit.killed) {
        result.kills++;
        phase = await describeLeftovers(loaded.mirrorDir, remote.path, loaded.storePath, expected);
        result.phases[phase] = (result.phases[phase] ?? 0) + 1;
      } else {
        result.finishedBeforeKill++;
        const took = Date.now() - started;
        runEstimateMs = calibrating ? took : Math.max(200, Math.round((runEstimateMs + took) / 2));
        phase = `finished (exit ${exit.code}) in ${took} ms`;
      }

      // The recovering run: in this process, to completion, as the next cron run would be.
      const store = await openSqliteStore(loaded.storePath);
      const http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 10 });
      try {
        const summary = await runMirror({ loaded, store, http, log: silentLogger });
        if (summary.failures.length > 0) {
          throw new Error(
            `recovering run had failures: ${summary.failures.map((f) => `${f.url}: ${f.message}`).join('; ')}`,
          );
        }
        const failedPush = summary.pushes.find((push) => !push.ok);
        if (failedPush) throw new Error(`recovering run could not push: ${failedPush.error}`);
      } finally {
        await http.close();
        await store.close();
      }
      await checkInvariants(loaded.mirrorDir, remote.path, loaded.storePath, expected);
      log(
        `cycle ${result.cycles}: ${calibrating ? 'whole run' : `kill after ${delayMs} ms`} -> ${phase}; recovered, ${expected.size} articles ok`,
      );
    }
    result.articles = expected.size;
    for (const spare of warm) (await spare.ready.catch(() => undefined))?.kill('SIGKILL');
    return result;
  } finally {
    for (const child of children) killGroup(child);
    await daemon?.stop();
    await site.server.close();
    await remote.cleanup();
    rmSync(work, { recursive: true, force: true });
    rmSync(resolve(site.root, '..'), { recursive: true, force: true });
  }
}

/** Part of the delays drawn near the end of a run, where writing, committing and pushing happen in little time. */
const TAIL_SHARE = 0.3;

function drawDelay(random: () => number, estimateMs: number): number {
  const low = 2;
  const high = Math.max(low + 1, estimateMs * 1.1);
  const draw = random();
  if (draw < LOG_UNIFORM_SHARE) return Math.round(low * (high / low) ** random());
  if (draw < LOG_UNIFORM_SHARE + TAIL_SHARE) return Math.round(estimateMs * (0.6 + 0.5 * random()));
  return Math.round(low + random() * (high - low));
}

// ---------------------------------------------------------------------------------------------------------------
// the child

function startChild(configFile: string, children: Set<ChildProcess>): { ready: Promise<ChildProcess> } {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin/run-ts.js'), join(REPO_ROOT, 'scripts/kill-test.ts'), '--child', configFile],
    // Its own process group: the kill takes the git commands it is running with it, like a machine going down.
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );
  children.add(child);
  let output = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output = (output + chunk).slice(-4000);
  });
  const ready = new Promise<ChildProcess>((resolveReady, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line === 'ready') resolveReady(child);
    });
    child.once('exit', (code) =>
      reject(new Error(`kill-test child exited (${code}) before it was ready: ${output.trim()}`)),
    );
  });
  ready.catch(() => {}); // reported when awaited
  return { ready };
}

async function killAfter(
  child: ChildProcess,
  delayMs: number,
): Promise<{ killed: boolean; code: number | null }> {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      done({ code: child.exitCode, signal: child.signalCode });
    } else child.once('exit', (code, signal) => done({ code, signal }));
  });
  const timer = Number.isFinite(delayMs) ? setTimeout(() => killGroup(child), delayMs) : undefined;
  const { code, signal } = await exited;
  clearTimeout(timer);
  // The group may still hold a git command if the run finished just as the kill came; make sure none is left.
  killGroup(child);
  return { killed: signal === 'SIGKILL', code };
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
}

async function childMain(configFile: string): Promise<void> {
  const { main } = await import(pathToFileURL(join(REPO_ROOT, 'src/cli/main.ts')).href);
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line === 'go') break;
  }
  lines.close();
  process.exitCode = await main(['run', '-c', configFile, '-q']);
  process.stdin.destroy();
}

// ---------------------------------------------------------------------------------------------------------------
// feeding the site

/** The demo article copied for new ones: no lead image, one channel. */
const TEMPLATE_ARTICLE = '/gb/23/10/16/n14097688.htm';
const TEMPLATE_ID = 'n14097688';
/** Where a new entry goes in each channel's listing (the two listing templates of the demo), and its markup. */
const LISTING_ANCHORS: Record<string, { anchor: string; entry: (path: string, title: string) => string }> = {
  ncid1078159: {
    anchor: '<div class="post_list"><ul>',
    entry: (path, title) =>
      `<li><div class="one_post"><div class="title"><a href="${path}">${title}</a></div></div></li>`,
  },
  ncid1146487: {
    anchor: '<div id="artlist" class="artlist">',
    entry: (path, title) =>
      `<div class="artlist_item"><div class="arttitle"><a href="${path}">${title}</a></div></div>`,
  },
};
const FEED_CHANNELS = Object.keys(LISTING_ANCHORS);

function createFeeder(site: DemoSite, random: () => number) {
  const template = readFileSync(join(site.root, TEMPLATE_ARTICLE), 'utf8');
  const templateTitle = /<h1 class="title">([^<]+)<\/h1>/.exec(template)?.[1] ?? '';
  const added: Array<{ id: string; path: string; title: string; channel: string }> = [];
  let serial = 0;
  const listingFile = (channel: string) => {
    const entry = site.manifest.channels.find((candidate) => candidate.id === channel)!;
    return join(site.root, entry.path);
  };
  const writeArticle = (path: string, id: string, title: string, extra: string) => {
    const html = template
      .replaceAll(TEMPLATE_ID, id)
      .replaceAll(templateTitle, title)
      .replace('<!-- article content end -->', `${extra}<!-- article content end -->`);
    const file = join(site.root, path);
    writeFileSync(file, html);
  };
  return {
    add(count: number): ExpectedArticle[] {
      const fresh: ExpectedArticle[] = [];
      for (let n = 0; n < count; n++) {
        serial++;
        const id = `n${30000000 + serial}`;
        const channel = FEED_CHANNELS[serial % FEED_CHANNELS.length];
        const path = `/gb/23/10/16/${id}.htm`;
        const title = `测试新闻第${serial}号 随机${Math.floor(random() * 1e6)}`;
        writeArticle(path, id, title, `<p>第${serial}号测试稿件的补充段落。</p>`);
        const listing = listingFile(channel);
        const { anchor, entry } = LISTING_ANCHORS[channel];
        const before = readFileSync(listing, 'utf8');
        if (!before.includes(anchor)) throw new Error(`the demo listing of ${channel} has no ${anchor}`);
        writeFileSync(listing, before.replace(anchor, `${anchor}${entry(path, title)}`));
        added.push({ id, path, title, channel });
        fresh.push({ id, homeChannel: channel, channels: [channel] });
      }
      return fresh;
    },
    /** Changes one added article's title in its listing and its page (an edit at the source). */
    editOne(): void {
      if (added.length === 0) return;
      const article = added[Math.floor(random() * added.length)];
      const title = `${article.title}（更新）`;
      writeArticle(article.path, article.id, title, '<p>更正：本文已更新。</p>');
      const listing = listingFile(article.channel);
      writeFileSync(listing, readFileSync(listing, 'utf8').replaceAll(`>${article.title}<`, `>${title}<`));
      article.title = title;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// checks

async function gitOut(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: { ...process.env, LC_ALL: 'C' } });
  return stdout;
}

function walk(dir: string, skip: (name: string) => boolean = () => false): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(path, skip));
    else found.push(path);
  }
  return found;
}

function storeRows(storePath: string): Array<{ id: string; n: number; unrendered: number }> {
  const db = new Database(storePath, { fileMustExist: true });
  try {
    return db
      .prepare('SELECT id, count(*) AS n, max(needs_render) AS unrendered FROM articles GROUP BY site_id, id')
      .all() as Array<{ id: string; n: number; unrendered: number }>;
  } finally {
    db.close();
  }
}

/** What the killed run left: how far it got, judged from the store, the work tree and the remote. */
async function describeLeftovers(
  mirrorDir: string,
  remotePath: string,
  storePath: string,
  expected: Map<string, ExpectedArticle>,
): Promise<string> {
  if (!existsSync(join(mirrorDir, '.git', 'HEAD'))) return 'before git init';
  const rows = existsSync(storePath) ? storeRows(storePath) : [];
  const temp = walk(mirrorDir, (name) => name === '.git').filter((file) => /\.tmp-/.test(file)).length;
  const dirty = (await gitOut(mirrorDir, ['status', '--porcelain'])).trim() !== '';
  const head = (await gitOut(mirrorDir, ['rev-parse', '-q', '--verify', 'HEAD']).catch(() => '')).trim();
  const remoteHead = (
    await gitOut(remotePath, ['rev-parse', '-q', '--verify', 'refs/heads/main']).catch(() => '')
  ).trim();
  if (temp > 0) return 'writing files';
  if (dirty) return 'files written, not committed';
  if (head !== remoteHead) return 'committed, not pushed';
  if (rows.some((row) => row.unrendered)) return 'articles stored, not rendered';
  if (rows.length < expected.size) return 'discovering or fetching';
  return 'pushed, finishing';
}

export async function checkInvariants(
  mirrorDir: string,
  remotePath: string,
  storePath: string,
  expected: Map<string, ExpectedArticle>,
): Promise<void> {
  const fail = (what: string) => {
    throw new Error(`invariant broken: ${what}`);
  };
  const files = walk(mirrorDir, (name) => name === '.git').map((file) => relative(mirrorDir, file));

  // Exactly one page per article, where the article's home channel puts it, and no other page.
  const pages = files.filter((file) => file.startsWith('pages/') && file.endsWith('.md'));
  const pageIds = pages.map((page) => page.replace(/^.*\//, '').replace(/\.md$/, ''));
  if (new Set(pageIds).size !== pageIds.length) fail(`a page is written twice: ${pages.join(', ')}`);
  for (const article of expected.values()) {
    if (!pages.includes(`pages/${article.homeChannel}/${article.id}.md`)) fail(`no page for ${article.id}`);
  }
  if (pages.length !== expected.size)
    fail(`${pages.length} pages for ${expected.size} articles: ${pageIds.join(',')}`);

  // No temp files; a clean tree; no git lock left.
  const temp = files.filter((file) => /\.tmp-/.test(file));
  if (temp.length > 0) fail(`temp files left: ${temp.join(', ')}`);
  const status = (await gitOut(mirrorDir, ['status', '--porcelain'])).trim();
  if (status) fail(`git status not clean:\n${status}`);
  if (existsSync(join(mirrorDir, '.git', 'index.lock'))) fail('.git/index.lock left');

  // Every channel's CSV lists each of its articles once and nothing else; each index page lists no article twice
  // and together they list them all.
  const byChannel = new Map<string, Set<string>>();
  for (const article of expected.values()) {
    for (const channel of article.channels) {
      if (!byChannel.has(channel)) byChannel.set(channel, new Set());
      byChannel.get(channel)!.add(article.id);
    }
  }
  for (const [channel, ids] of byChannel) {
    const rows = readFileSync(join(mirrorDir, 'indexes', `${channel}.csv`), 'utf8')
      .split('\n')
      .filter(Boolean);
    if (new Set(rows).size !== rows.length) fail(`duplicate rows in indexes/${channel}.csv`);
    const csvIds = rows.map((row) => row.split(',')[0]);
    if (new Set(csvIds).size !== csvIds.length) fail(`an article listed twice in indexes/${channel}.csv`);
    if (csvIds.length !== ids.size || !csvIds.every((id) => ids.has(id))) {
      fail(`indexes/${channel}.csv lists ${csvIds.length} articles, expected ${ids.size}`);
    }
    const indexPages = files.filter(
      (file) => file === `indexes/${channel}.md` || file.startsWith(`indexes/${channel}/`),
    );
    const listed = new Set<string>();
    for (const indexPage of indexPages) {
      const linked = [...readFileSync(join(mirrorDir, indexPage), 'utf8').matchAll(/\/([^/()]+)\.md\?/g)]
        .map((match) => match[1])
        .filter((id) => ids.has(id));
      if (new Set(linked).size !== linked.length) fail(`${indexPage} lists an article twice`);
      for (const id of linked) listed.add(id);
    }
    if (listed.size !== ids.size)
      fail(`the indexes of ${channel} list ${listed.size} of ${ids.size} articles`);
  }

  // The store has one row per article.
  const rows = storeRows(storePath);
  if (rows.some((row) => row.n !== 1)) fail('an article has several store rows');
  if (rows.length !== expected.size) fail(`${rows.length} store rows for ${expected.size} articles`);

  // The remote has every page, at our commit.
  const head = (await gitOut(mirrorDir, ['rev-parse', 'HEAD'])).trim();
  const remoteHead = (await gitOut(remotePath, ['rev-parse', 'refs/heads/main'])).trim();
  if (head !== remoteHead) fail(`remote at ${remoteHead.slice(0, 10)}, mirror at ${head.slice(0, 10)}`);
  const remoteFiles = new Set(
    (await gitOut(remotePath, ['ls-tree', '-r', '--name-only', 'main'])).split('\n'),
  );
  for (const page of pages) if (!remoteFiles.has(page)) fail(`remote lacks ${page}`);
}

// ---------------------------------------------------------------------------------------------------------------
// command line

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const childConfig = argValue('--child');
  if (childConfig) {
    await childMain(childConfig);
  } else {
    const kills = Number(argValue('--kills') ?? 50);
    const seed = Number(argValue('--seed') ?? Math.floor(Math.random() * 2 ** 31));
    const verbose = process.argv.includes('--verbose');
    console.log(`kill test: ${kills} kills, seed ${seed} (replay with --seed ${seed})`);
    const started = Date.now();
    try {
      const result = await runKillTest({
        kills,
        seed,
        log: verbose ? (line) => console.log(line) : undefined,
      });
      console.log(
        `survived ${result.kills} kills in ${result.cycles} cycles (${result.finishedBeforeKill} runs finished first), ` +
          `${result.articles} articles, ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
      console.log(`state left by the kills: ${JSON.stringify(result.phases)}`);
    } catch (error) {
      console.error(`kill test FAILED (seed ${seed}): ${(error as Error).stack ?? error}`);
      process.exitCode = 1;
    }
  }
}
