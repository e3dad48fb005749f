// Scale benchmark (issue 7): a synthetic mirror of 100,000 articles (store rows in one transaction, page files
// and indexes on disk, one git commit), then timed runs: nothing new (listings 200, then 304) and 50 new articles.
// The 50 new articles are also run against a small mirror (1,000 articles) built the same way: a run's cost must
// follow the new articles, not the size of the mirror.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { pagePath } from '../../src/internal/ids.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { extractArticle } from '../../src/pipeline/extract/index.ts';
import { createHttpClient } from '../../src/pipeline/fetch/client.ts';
import { openGitMirror } from '../../src/pipeline/publish/git.ts';
import { renderChannelCsv, renderChannelIndexes } from '../../src/pipeline/render/index.ts';
import { type RunSummary, runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';
import { startResourceMeter } from './meter.ts';
import {
  articleInfo,
  benchConfigYaml,
  FEED_CHANNEL,
  LISTING_CHANNELS,
  renderArticlePage,
  startBenchSite,
} from './site-generator.ts';

/** New articles in the second timed run. */
export const NEW_ARTICLES = 50;
/** The small mirror the 50 new articles are also added to, for comparison. */
const SMALL_MIRROR_ARTICLES = 1_000;
/** Links per listing page: a portal's first page; the new articles are among them. */
const LISTING_SIZE = 50;
/** Articles in the feed channel's memberships (the feed lists the newest 60 of the site). */
const FEED_MEMBERS = 60;
/** Page files written at once while building the tree. */
const WRITE_BATCH = 256;

export interface TimedRun {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  new: number;
  filesWritten: number;
  commit: boolean;
}

export interface ScaleResult {
  articles: number;
  buildSeconds: number;
  nothingNew: TimedRun;
  nothingNewNotModified: TimedRun;
  fiftyNew: TimedRun;
  /** The same 50 new articles added to a mirror of SMALL_MIRROR_ARTICLES. */
  fiftyIntoSmall: TimedRun;
}

interface Synthetic {
  loaded: LoadedConfig;
  store: Store;
  work: string;
}

/**
 * Builds a mirror of `articles` articles (indexes NEW_ARTICLES .. NEW_ARTICLES + articles - 1 of the generated
 * site, so the newest NEW_ARTICLES are still to come) directly: store rows, page files, indexes, one commit.
 */
export async function buildSyntheticMirror(options: {
  origin: string;
  articles: number;
  log?: (line: string) => void;
}): Promise<Synthetic> {
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-scale-'));
  const loaded = parseConfigText(
    benchConfigYaml({
      origin: options.origin,
      mirrorDir: join(work, 'mirror'),
      storePath: join(work, 'store.sqlite'),
      images: 'hotlink',
      links: 'inert',
    }),
    'bench.yaml',
    work,
  );
  const store = await openSqliteStore(loaded.storePath);
  // One real extraction gives the body every synthetic article shares; only ids, titles and dates differ.
  const template = extractArticle(renderArticlePage(NEW_ARTICLES, options.origin), {
    url: `${options.origin}${articleInfo(NEW_ARTICLES).path}`,
  });
  if (!template) throw new Error('scale: the generated page does not extract; the site generator is broken');
  const bodyJson = JSON.stringify(template.body);
  const pageTemplate = `### {title}\n\n---\n\n${'一段正文。Some text of the article. '.repeat(60)}\n`;
  const pages: Array<{ path: string; content: string }> = [];

  await store.transaction(async (tx) => {
    for (let i = NEW_ARTICLES; i < NEW_ARTICLES + options.articles; i++) {
      const info = articleInfo(i);
      const id = String(1000000 + i);
      const path = pagePath(info.channel, id);
      const extracted = `{"title":${JSON.stringify(info.title)},"published":"${info.published}","lang":"${info.lang}","body":${bodyJson},"method":"generic","ruleMisses":[]}`;
      await tx.articles.save({
        siteId: 'daily',
        id,
        url: `${options.origin}${info.path}`,
        homeChannel: info.channel,
        pagePath: path,
        title: info.title,
        published: info.published,
        lang: info.lang,
        contentHash: `synthetic-${i}`,
        extracted,
        firstSeen: info.published,
        updatedAt: info.published,
      });
      await tx.channels.addMembership('daily', id, info.channel, info.published);
      if (i < NEW_ARTICLES + FEED_MEMBERS)
        await tx.channels.addMembership('daily', id, FEED_CHANNEL, info.published);
      pages.push({ path, content: pageTemplate.replace('{title}', info.title) });
    }
  });
  await store.articles.markRendered(await store.articles.listUnrendered());

  const mirror = loaded.config.mirror;
  const now = new Date();
  for (const channel of [...LISTING_CHANNELS, FEED_CHANNEL]) {
    const entries = await store.channels.entries(channel, {});
    for (const file of renderChannelIndexes({ id: channel, title: channel }, entries, { mirror, now })) {
      pages.push({ path: file.path, content: String(file.content) });
    }
    pages.push({ path: `indexes/${channel}.csv`, content: renderChannelCsv(entries) });
  }
  const folders = new Set(pages.map((page) => dirname(join(loaded.mirrorDir, page.path))));
  for (const folder of folders) mkdirSync(folder, { recursive: true });
  for (let start = 0; start < pages.length; start += WRITE_BATCH) {
    await Promise.all(
      pages
        .slice(start, start + WRITE_BATCH)
        .map((page) => writeFile(join(loaded.mirrorDir, page.path), page.content)),
    );
  }
  options.log?.(`  store rows, pages and indexes: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const git = openGitMirror(loaded.mirrorDir, { branch: mirror.branch });
  await git.ensureRepo();
  // No automatic gc: started in the background by this commit, it would pack 100,000 objects during the timed runs.
  execFileSync('git', ['-C', loaded.mirrorDir, 'config', 'gc.auto', '0']);
  await git.commitAll('synthetic mirror');
  options.log?.(`  with the git commit: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { loaded, store, work };
}

/** With BENCH_PROFILE_DIR set, each timed run writes a CPU profile there (open it in Chrome DevTools). */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return work();
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

async function timedRun(synthetic: Synthetic, origin: string, name: string): Promise<TimedRun> {
  const http = createHttpClient(synthetic.loaded.config.fetch);
  const meter = startResourceMeter();
  let summary: RunSummary;
  try {
    summary = await profiled(name, () =>
      runMirror({ loaded: synthetic.loaded, store: synthetic.store, http, log: silentLogger, push: false }),
    );
  } finally {
    await http.close();
  }
  const measured = meter.stop();
  if (summary.failed > 0) {
    throw new Error(
      `scale: ${summary.failed} articles failed against ${origin}: ${summary.failures[0]?.message}`,
    );
  }
  return {
    ...measured,
    new: summary.new,
    filesWritten: summary.filesWritten,
    commit: summary.commit !== null,
  };
}

export async function runScaleBench(options: {
  articles: number;
  log: (line: string) => void;
}): Promise<ScaleResult> {
  const { log } = options;
  const total = options.articles + NEW_ARTICLES;
  const describe = (name: string, run: TimedRun) =>
    log(
      `  ${name}: ${run.seconds.toFixed(2)} s (CPU ${run.cpuSeconds.toFixed(2)} s), ${run.new} new, ` +
        `${run.filesWritten} files written${run.commit ? ', committed' : ', no commit'}`,
    );

  const site = await startBenchSite({
    articles: total,
    listingSize: LISTING_SIZE,
    unpublished: NEW_ARTICLES,
  });
  const built: Synthetic[] = [];
  try {
    log(`\nscale: building a synthetic mirror of ${options.articles} articles...`);
    const buildMeter = startResourceMeter();
    const big = await buildSyntheticMirror({ origin: site.origin, articles: options.articles, log });
    built.push(big);
    const buildSeconds = buildMeter.stop().seconds;
    log(`  built in ${buildSeconds.toFixed(1)} s`);
    const nothingNew = await timedRun(big, site.origin, 'nothing-new');
    describe('nothing new (listings answer 200, list only known articles)', nothingNew);
    const nothingNewNotModified = await timedRun(big, site.origin, 'nothing-new-304');
    describe('nothing new (listings answer 304)', nothingNewNotModified);

    const small = await buildSyntheticMirror({ origin: site.origin, articles: SMALL_MIRROR_ARTICLES, log });
    built.push(small);
    await timedRun(small, site.origin, 'small-nothing-new'); // settles validators as on the big mirror
    site.publishAll();
    const fiftyNew = await timedRun(big, site.origin, 'fifty-new');
    describe(`${NEW_ARTICLES} new over ${options.articles}`, fiftyNew);
    const fiftyIntoSmall = await timedRun(small, site.origin, 'fifty-new-small');
    describe(`${NEW_ARTICLES} new over ${SMALL_MIRROR_ARTICLES}`, fiftyIntoSmall);
    return {
      articles: options.articles,
      buildSeconds,
      nothingNew,
      nothingNewNotModified,
      fiftyNew,
      fiftyIntoSmall,
    };
  } finally {
    for (const synthetic of built) {
      await synthetic.store.close();
      // Retries: a background `git gc --auto` may still be writing in the mirror's .git.
      rmSync(synthetic.work, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
    }
    await site.close();
  }
}
