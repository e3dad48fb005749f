// One pass of the mirror, top to bottom:
//   sources -> fetch -> extract -> transform -> render -> publish
// This is the only module that wires stages together; each stage is a plain function over plain data. The CPU work
// of one article (decode + extract, transform + render) runs as units in threads/, on worker threads.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import PQueue from 'p-queue';
import type { LoadedConfig } from '../config/load.ts';
import type { ChannelConfig, Config, SiteConfig } from '../config/options.ts';
import { ExtractError, errorMessage, NewsmirrorError, PublishError } from '../internal/errors.ts';
import { collectLinkUrls } from '../internal/hast.ts';
import { articleIdFromUrl, pagePath as pagePathFor, safeId, shortHash } from '../internal/ids.ts';
import type { Logger } from '../internal/log.ts';
import { normalizeArticleUrl, sameSite } from '../internal/url.ts';
import type { ArticleRefs, ChannelEntry, SourceSignal, Store, StoredArticle } from '../store/index.ts';
import { type HttpClient, isTextResponse } from './fetch/client.ts';
import { mirrorImage } from './fetch/images.ts';
import { excludeFromMirror } from './publish/exclude.ts';
import { openGitMirror, type PushResult } from './publish/git.ts';
import { acquireMirrorLock } from './publish/lock.ts';
import { removeTempFiles, writeFilesAtomic } from './publish/write-files.ts';
import {
  renderChannelCsv,
  renderChannelIndexes,
  renderFeed,
  renderHome,
  renderMirrorsList,
} from './render/index.ts';
import { POPULAR_INDEX_PATH, renderPopularIndex } from './render/popular.ts';
import {
  detectSourceFormat,
  mergeChannelItems,
  parseFeed,
  parseListing,
  parseSitemap,
  toSourceItems,
} from './sources/index.ts';
import { type ArticlePageInput, createPageWorkers, type PageWorkers } from './threads/page-workers.ts';
import { collectImageUrls } from './transform/index.ts';
import type { ExtractedArticle, OutputFile, SourceItem } from './types.ts';

export interface RunOptions {
  loaded: LoadedConfig;
  store: Store;
  http: HttpClient;
  log: Logger;
  /** Push to the configured remotes after committing (default true). */
  push?: boolean;
  /** Wait for another run's lock instead of failing at once. */
  waitForLock?: boolean;
  now?: () => Date;
  /** Called as articles finish, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Stop taking new articles (SIGTERM): finish the ones in flight, then render, commit and push. */
  signal?: AbortSignal;
  /** Rendered files written per batch (default WRITE_BATCH_FILES; tests make it small to cross batch boundaries). */
  writeBatchFiles?: number;
}

export interface ArticleFailure {
  url: string;
  code: string;
  message: string;
  retryable: boolean;
}

export interface RunSummary {
  new: number;
  updated: number;
  unchanged: number;
  failed: number;
  skipped: number;
  seconds: number;
  /** Pages whose site rules found no body, so the generic extractor was used. */
  fallbacks: Array<{ siteId: string; url: string; misses: string[] }>;
  /** Channels whose listing, feed or sitemap could not be read this run (their articles wait for the next run). */
  channelFailures: Array<{ siteId: string; channelId: string; message: string }>;
  failures: ArticleFailure[];
  images: { mirrored: number; reused: number; failed: number; bytes: number };
  bytesWritten: { pages: number; images: number; other: number };
  filesWritten: number;
  commit: string | null;
  pushes: PushResult[];
}

/** Non-retryable failures are tried this many times in all (across runs) before the URL is skipped. */
const MAX_ATTEMPTS_FOR_PERMANENT_FAILURES = 3;

export async function runMirror(options: RunOptions): Promise<RunSummary> {
  const { loaded, store, http, log } = options;
  const { config, mirrorDir } = loaded;
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const startedMs = Date.now();
  const summary = emptySummary();

  const releaseLock = await acquireMirrorLock(mirrorDir, { wait: options.waitForLock });
  try {
    const git = openGitMirror(mirrorDir, { branch: config.mirror.branch });
    await git.ensureRepo();
    // A store kept inside the mirror (e.g. `dir: .` in CI) holds private view counts: never commit it.
    await excludeFromMirror(mirrorDir, dirname(loaded.storePath));
    for (const fixed of await git.recoverInterruptedState()) log.warn(`recovered: ${fixed}`);
    const unfinishedRuns = await store.unfinishedRuns();
    // Walks the tree only where a killed writer left its marker, or after an interrupted run (commitAll below).
    const removedTemp = await removeTempFiles(mirrorDir, { always: unfinishedRuns.length > 0 });
    if (removedTemp > 0) log.warn(`removed ${removedTemp} temporary file(s) left by an interrupted run`);
    // This run is recorded before the unfinished ones are closed: a kill in between leaves an unfinished run for the
    // next one to see, which then commits the whole tree (commitAll) instead of only the files it writes.
    const runId = await store.startRun(startedAt.toISOString());
    for (const unfinished of unfinishedRuns) {
      log.warn(`run ${unfinished.id} did not finish; its work is completed by this run`);
      await store.abandonRun(unfinished.id, startedAt.toISOString());
    }

    // 1. sources: what each channel lists now, merged so an article in several channels is one article.
    const discovery = await discoverChannels(config, http, store, log);
    summary.channelFailures = discovery.channelFailures;
    const listings = mergeChannelItems([...discovery.items.values()]);

    // 2-3. fetch + extract each article that is new, signalled as changed, or failed before; store the result.
    const plan = await planArticles(config, store, listings, discovery.retryUrls, summary, log);
    // Worker threads for the CPU work of each article: extraction now, page rendering below.
    const workers = startPageWorkers(config, log);
    let processed: Processed;
    let rendered: number;
    /** Every file rendered this run, written or found unchanged on disk. */
    const renderedPaths = new Set<string>();
    try {
      processed = await processArticles(plan, {
        config,
        http,
        store,
        log,
        now,
        summary,
        options,
        imagesTried: new Map(),
        workers,
      });

      // 4-5. transform + render: pages of new/updated articles (and of articles an interrupted run left
      // unrendered), the indexes of channels that changed, the home page, the feed.
      // 6. publish: each batch of rendered files is written atomically as it is ready (so a run over thousands of
      // articles never holds all its pages), then one commit for the run, and a push to every remote.
      const render = {
        loaded,
        store,
        workers,
        log,
        batchFiles: options.writeBatchFiles ?? WRITE_BATCH_FILES,
      };
      rendered = await renderChanges(render, processed, now(), async (files) => {
        // writeFilesAtomic refuses a path twice within one call; batches make that one check per run here.
        for (const file of files) {
          if (renderedPaths.has(file.path)) {
            throw new PublishError(`publish: the same file is rendered twice in one run: ${file.path}`, {
              code: 'duplicate_path',
              where: file.path,
              retryable: false,
            });
          }
          renderedPaths.add(file.path);
        }
        const batch = await writeFilesAtomic(mirrorDir, files);
        summary.filesWritten += batch.written;
        tallyBytes(summary, files, new Set(batch.writtenPaths));
      });
    } finally {
      await workers.close();
    }
    const message = commitMessage(startedAt, summary);
    // The run commits the files it wrote (images and rendered files), never stat-ing the rest of the mirror (about a
    // second at 100,000 pages); after an interrupted run, commitAll takes whatever that run left as well.
    summary.commit =
      unfinishedRuns.length > 0
        ? await git.commitAll(message)
        : rendered > 0
          ? // Unchanged files too: one left on disk by a killed process may never have been committed (git skips
            // files whose index entry still matches, so this costs a stat each).
            await git.commitPaths(message, [...processed.assetPaths, ...renderedPaths])
          : null;
    // Only now are the pages safely in git: an interrupted run before this point re-renders them next time.
    await store.markRendered(processed.renderedKeys);
    // A stopped run left listed articles unstarted: without the validators the next run reads the listings
    // again (a 304 would hide those articles until the listing changes).
    if (!options.signal?.aborted) {
      for (const [url, validators] of discovery.validators) await store.saveValidators(url, validators);
    }

    if (options.push !== false && config.mirror.remotes.length > 0) {
      summary.pushes = await git.pushAll(config.mirror.remotes);
      for (const push of summary.pushes) {
        await store.recordPush(push.remote, {
          at: now().toISOString(),
          ok: push.ok,
          commit: push.commit,
          error: push.error,
        });
        if (!push.ok) log.warn(`push to ${push.remote} failed; the next run retries it: ${push.error}`);
      }
    }

    summary.seconds = (Date.now() - startedMs) / 1000;
    await store.finishRun(runId, {
      finishedAt: now().toISOString(),
      newCount: summary.new,
      updated: summary.updated,
      failed: summary.failed,
      skipped: summary.skipped,
      commit: summary.commit ?? undefined,
      bytes: summary.bytesWritten.pages + summary.bytesWritten.images + summary.bytesWritten.other,
    });
    return summary;
  } finally {
    await releaseLock();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 1. sources

interface Discovery {
  /** channel id -> items, newest first */
  items: Map<string, SourceItem[]>;
  /** Validators of listing/feed responses, saved only once the run has committed. */
  validators: Map<string, { etag?: string; lastModified?: string }>;
  /** URLs that failed before and deserve another try even if no channel lists them now. */
  retryUrls: Map<string, { siteId: string; channelId?: string }>;
  channelFailures: RunSummary['channelFailures'];
}

async function discoverChannels(
  config: Config,
  http: HttpClient,
  store: Store,
  log: Logger,
): Promise<Discovery> {
  const discovery: Discovery = {
    items: new Map(),
    validators: new Map(),
    retryUrls: new Map(),
    channelFailures: [],
  };
  const tasks: Array<Promise<void>> = [];
  for (const site of config.sites) {
    for (const channel of site.channels) {
      tasks.push(
        discoverChannel(site, channel, http, store)
          .then((result) => {
            discovery.items.set(channel.id, result.items);
            if (result.validators) discovery.validators.set(result.sourceUrl, result.validators);
          })
          .catch((error) => {
            // A channel that cannot be read loses nothing: its articles are found again next run.
            log.error(`channel ${site.id}/${channel.id} could not be read: ${errorMessage(error)}`);
            discovery.channelFailures.push({
              siteId: site.id,
              channelId: channel.id,
              message: errorMessage(error),
            });
            discovery.items.set(channel.id, []);
          }),
      );
    }
  }
  await Promise.all(tasks);
  for (const failure of await store.listFailures({})) {
    if (failure.attempts < MAX_ATTEMPTS_FOR_PERMANENT_FAILURES || failure.retryable) {
      discovery.retryUrls.set(failure.url, { siteId: failure.siteId, channelId: failure.channelId });
    }
  }
  return discovery;
}

/** Reads one channel's listing, feed or sitemap; with a store, a conditional GET (304 = nothing new). */
export async function discoverChannel(
  site: SiteConfig,
  channel: ChannelConfig,
  http: HttpClient,
  store: Store | undefined,
): Promise<{
  items: SourceItem[];
  sourceUrl: string;
  validators?: { etag?: string; lastModified?: string };
}> {
  const sourceUrl = channel.listing?.url ?? channel.feed ?? channel.sitemap ?? '';
  const page = await http.fetch(sourceUrl, { validators: await store?.getValidators(sourceUrl) });
  if (page.notModified) return { items: [], sourceUrl };
  const validators =
    page.etag || page.lastModified ? { etag: page.etag, lastModified: page.lastModified } : undefined;
  let links: ReturnType<typeof parseFeed>;
  if (channel.listing) {
    links = parseListing(page.text, page.url, channel.listing.links);
  } else if (channel.sitemap || detectSourceFormat(page.text) === 'sitemap') {
    const sitemap = parseSitemap(page.text, page.url);
    links = sitemap.links;
    // A sitemap index: read its first child sitemaps (the newest are listed first by convention).
    for (const child of sitemap.sitemaps.slice(0, MAX_CHILD_SITEMAPS)) {
      const childPage = await http.fetch(child, { fromContent: true });
      links.push(...parseSitemap(childPage.text, childPage.url).links);
    }
  } else {
    links = parseFeed(page.text, page.url);
  }
  return { items: toSourceItems(links, site, channel), sourceUrl, validators };
}

/** A sitemap index can list thousands of sitemaps; the newest few hold the new articles. */
const MAX_CHILD_SITEMAPS = 3;

// ---------------------------------------------------------------------------------------------------------------
// 2. plan: which listed URLs need work

interface PlannedArticle {
  url: string;
  site: SiteConfig;
  /** Every channel that lists it, config order first. */
  channels: string[];
  /** What the channels said of it this run (titles, dates), remembered to notice a later change. */
  signal: SourceSignal;
  existing?: StoredArticle;
  reason: 'new' | 'changed' | 'retry';
}

async function planArticles(
  config: Config,
  store: Store,
  listings: Map<string, SourceItem[]>,
  retryUrls: Discovery['retryUrls'],
  summary: RunSummary,
  log: Logger,
): Promise<{ work: PlannedArticle[]; memberships: Array<{ article: StoredArticle; channels: string[] }> }> {
  const sites = new Map(config.sites.map((site) => [site.id, site]));
  const channelOrder = new Map<string, number>();
  config.sites.forEach((site) => {
    site.channels.forEach((channel) => {
      channelOrder.set(channel.id, channelOrder.size);
    });
  });
  const work: PlannedArticle[] = [];
  const memberships: Array<{ article: StoredArticle; channels: string[] }> = [];

  for (const [url, items] of listings) {
    const site = sites.get(items[0].siteId);
    if (!site) continue;
    const channels = [...new Set(items.map((item) => item.channelId))].sort(
      (a, b) => (channelOrder.get(a) ?? 0) - (channelOrder.get(b) ?? 0),
    );
    const signal = signalOf(items);
    const existing = await store.getArticleByUrl(url);
    if (existing) {
      memberships.push({ article: existing, channels });
      const remembered = await store.getSourceSignal(url);
      if (remembered && signalChanged(remembered, signal)) {
        work.push({
          url,
          site,
          channels,
          signal: mergeSignals(remembered, signal),
          existing,
          reason: 'changed',
        });
      } else summary.unchanged++;
      retryUrls.delete(url);
      continue;
    }
    const failure = await store.failureFor(url);
    if (failure && !failure.retryable && failure.attempts >= MAX_ATTEMPTS_FOR_PERMANENT_FAILURES) {
      summary.skipped++;
      log.debug(`skipped after ${failure.attempts} failures: ${url} (${failure.code})`);
      retryUrls.delete(url);
      continue;
    }
    work.push({ url, site, channels, signal, reason: failure ? 'retry' : 'new' });
    retryUrls.delete(url);
  }
  // Failed URLs no channel lists any more still get their retry.
  for (const [url, origin] of retryUrls) {
    const site = sites.get(origin.siteId);
    if (!site || (await store.getArticleByUrl(url))) continue;
    work.push({
      url,
      site,
      channels: origin.channelId ? [origin.channelId] : [],
      signal: {},
      reason: 'retry',
    });
  }
  return { work, memberships };
}

// ---------------------------------------------------------------------------------------------------------------
// 3. the per-article unit: fetch -> extract -> images, then store

interface ProcessContext {
  config: Config;
  http: HttpClient;
  store: Store;
  log: Logger;
  now: () => Date;
  summary: RunSummary;
  options: RunOptions;
  /** Images tried this run, by source: articles sharing a picture wait for one download instead of each fetching it. */
  imagesTried: Map<string, Promise<boolean>>;
  workers: PageWorkers;
}

interface Processed {
  /** Articles (siteId/id keys) whose page must be (re)rendered. */
  renderedKeys: Array<{ siteId: string; id: string }>;
  /** The same keys as 'siteId/id', to queue each page once. */
  renderQueued: Set<string>;
  /** Channels whose indexes changed. */
  changedChannels: Set<string>;
  /** Articles ('siteId/id') that joined each channel this run; when they are its newest, few index pages change. */
  joinedChannel: Map<string, Set<string>>;
  /** Channels changed otherwise (an edited title, an interrupted run): their indexes are rendered whole. */
  rewriteIndexes: Set<string>;
  /** Image files written to the mirror this run (written at once, so image bytes never pile up in memory). */
  assetPaths: string[];
}

async function processArticles(
  plan: Awaited<ReturnType<typeof planArticles>>,
  context: ProcessContext,
): Promise<Processed> {
  const { store, summary, log } = context;
  const processed: Processed = {
    renderedKeys: [],
    renderQueued: new Set(),
    changedChannels: new Set(),
    joinedChannel: new Map(),
    rewriteIndexes: new Set(),
    assetPaths: [],
  };

  // Memberships of articles already mirrored: a new channel listing an old article is an index change only.
  for (const { article, channels } of plan.memberships) {
    for (const channelId of channels) {
      if (await store.addMembership(article.siteId, article.id, channelId, context.now().toISOString())) {
        joinChannel(processed, channelId, article);
      }
    }
  }

  // Images that failed before: mirrored now, the pages showing them are rendered again with the picture.
  if (context.config.mirror.images === 'mirror') {
    for (const failure of (await store.listFailedImages()).slice(0, MAX_IMAGE_RETRIES_PER_RUN)) {
      if (!(await mirrorOneImage(failure.src, context, processed))) continue;
      for (const key of await store.articlesReferencing(failure.src, 'image')) addRender(processed, key);
    }
  }

  let done = 0;
  const total = plan.work.length;
  context.options.onProgress?.(0, total);
  // Articles start only as slots free up, so a stop signal (SIGTERM) leaves the ones not yet started to the next
  // run instead of letting every queued article through the abort check at once.
  const articleQueue = new PQueue({ concurrency: context.config.fetch.concurrency });
  // allSettled: even if recording a failure throws, every article has stopped before the run goes on (and before
  // the lock is released).
  const settled = await Promise.allSettled(
    plan.work.map((planned) =>
      articleQueue.add(async () => {
        if (context.options.signal?.aborted) return;
        try {
          const outcome = await mirrorOneArticle(planned, context, processed);
          if (outcome === 'new') summary.new++;
          else if (outcome === 'updated') summary.updated++;
          else summary.unchanged++;
        } catch (error) {
          const failure = toFailure(planned.url, error);
          summary.failed++;
          summary.failures.push(failure);
          log.error(`article failed: ${failure.url}: ${failure.message}`, {
            code: failure.code,
            retryable: failure.retryable,
          });
          await store.recordFailure({
            url: planned.url,
            siteId: planned.site.id,
            channelId: planned.channels[0],
            code: failure.code,
            message: failure.message,
            retryable: failure.retryable,
            at: context.now().toISOString(),
          });
        } finally {
          context.options.onProgress?.(++done, total);
        }
      }),
    ),
  );
  const crashed = settled.find((result) => result.status === 'rejected');
  if (crashed) throw crashed.reason;
  // Articles an interrupted run stored but never rendered and committed.
  for (const key of await store.listUnrendered()) {
    if (addRender(processed, key)) {
      for (const channelId of await store.channelsOf(key.siteId, key.id)) {
        processed.changedChannels.add(channelId);
        processed.rewriteIndexes.add(channelId);
      }
    }
  }
  return processed;
}

/**
 * Page worker threads (extraction and rendering): as configured, else one per spare core, at most 2. One on two cores:
 * a second costs ~70 MB and gains nothing measurable there (docs/benchmarks.md).
 */
export function pageWorkersFor(config: Config): number {
  return config.workers ?? Math.min(MAX_DEFAULT_WORKERS, availableParallelism() - 1);
}

const MAX_DEFAULT_WORKERS = 2;

function startPageWorkers(config: Config, log: Logger): PageWorkers {
  return createPageWorkers({
    threads: pageWorkersFor(config),
    onFallback: (what, reason) => log.warn(`done on the main thread: ${what} (${reason})`),
  });
}

/** Images that failed in earlier runs, tried again per run: bounded so a dead image host cannot stall a run. */
const MAX_IMAGE_RETRIES_PER_RUN = 100;

/** Records that an article joined a channel this run (its index changes). */
function joinChannel(processed: Processed, channelId: string, key: { siteId: string; id: string }): void {
  processed.changedChannels.add(channelId);
  const joined = processed.joinedChannel.get(channelId) ?? new Set<string>();
  processed.joinedChannel.set(channelId, joined);
  joined.add(`${key.siteId}/${key.id}`);
}

/** Queues an article's page for rendering; false when it already was. */
function addRender(processed: Processed, key: { siteId: string; id: string }): boolean {
  const name = `${key.siteId}/${key.id}`;
  if (processed.renderQueued.has(name)) return false;
  processed.renderQueued.add(name);
  processed.renderedKeys.push({ siteId: key.siteId, id: key.id });
  return true;
}

async function mirrorOneArticle(
  planned: PlannedArticle,
  context: ProcessContext,
  processed: Processed,
): Promise<'new' | 'updated' | 'unchanged'> {
  const { config, http, store, summary, log } = context;
  const { site, url } = planned;
  const validators = planned.existing ? await store.getValidators(url) : undefined;
  // Article URLs come from listings and feeds, and their redirects from the publisher: a hostile or hijacked
  // page must not steer the fetcher into the operator's network (fetch.allowPrivateAddresses opts out).
  // Left undecoded: the extraction worker decodes it, so the page never exists as a string on this thread.
  const page = await http.fetch(url, { validators, fromContent: true, decode: false });
  if (page.notModified) {
    await store.saveSourceSignal(url, planned.signal);
    return 'unchanged';
  }

  // A binary answer (an image, a PDF) is no page: extracting nothing makes it `not_article`, as before workers.
  const pageInput = isTextResponse(page.contentType, page.body)
    ? { bytes: page.body, contentType: page.contentType }
    : { html: '' };
  const extracted = await context.workers.extract(pageInput, {
    url: page.url,
    rules: site.rules,
    lang: site.lang,
  });
  if (!extracted) {
    throw new ExtractError(`extract: ${url} does not look like an article (no body found)`, {
      code: 'not_article',
      where: url,
      retryable: false,
    });
  }
  if (extracted.method === 'generic' && site.rules?.body) {
    summary.fallbacks.push({ siteId: site.id, url, misses: extracted.ruleMisses });
    log.warn(`site rules of ${site.id} found no body; used the generic extractor`, {
      url,
      misses: extracted.ruleMisses,
    });
  }

  // The same article reached through another URL (redirect, canonical link) is the article already mirrored.
  const aliases = [page.url, extracted.canonicalUrl]
    .map((candidate) => (candidate ? normalizeArticleUrl(candidate) : null))
    .filter(
      (candidate): candidate is string =>
        candidate !== null && candidate !== url && sameSite(candidate, site.base),
    );
  let existing = planned.existing;
  for (const alias of aliases) existing ??= await store.getArticleByUrl(alias);

  const rawId =
    existing?.id ??
    articleIdFromUrl(url, site.articleId) ??
    aliases.map((alias) => articleIdFromUrl(alias, site.articleId)).find(Boolean);
  if (!rawId) {
    throw new ExtractError(`extract: ${url} matches no article id pattern of site ${site.id}`, {
      code: 'no_article_id',
      where: url,
      retryable: false,
    });
  }
  const id = existing?.id ?? (await unusedId(store, site.id, safeId(rawId), url));
  const homeChannel = existing?.homeChannel ?? planned.channels[0] ?? site.channels[0].id;
  const pagePath =
    existing?.pagePath ??
    pagePathFor(homeChannel, id, {
      shardByMonth: config.mirror.shardByMonth,
      published: extracted.published,
    });

  // Images are mirrored before the article is stored, so a stored article always renders complete.
  const { images, links } = pageRefsOf(extracted);
  if (config.mirror.images === 'mirror') {
    for (const src of images) await mirrorOneImage(src, context, processed);
  }

  const now = context.now().toISOString();
  const contentHash = hashExtracted(extracted);
  // The article, its URLs and the images and links its page shows, in one transaction: a kill cannot leave an
  // updated body with the references of the old one (pages are rendered from those references).
  const outcome = await store.transaction(async () => {
    const saved = await store.saveArticle({
      siteId: site.id,
      id,
      url: existing?.url ?? url,
      canonicalUrl: extracted.canonicalUrl,
      homeChannel,
      pagePath,
      title: extracted.title,
      author: extracted.author,
      published: extracted.published,
      lang: extracted.lang,
      contentHash,
      extracted: JSON.stringify(extracted),
      firstSeen: existing?.firstSeen ?? now,
      updatedAt: now,
    });
    for (const alias of [url, ...aliases]) await store.addArticleUrl(alias, site.id, id);
    await store.saveArticleRefs(site.id, id, { images, links });
    return saved;
  });
  await store.saveValidators(url, { etag: page.etag, lastModified: page.lastModified, contentHash });
  await store.saveSourceSignal(url, planned.signal);
  await store.clearFailure(url);
  const channels = planned.channels.length > 0 ? planned.channels : [homeChannel];
  for (const channelId of channels) {
    if (await store.addMembership(site.id, id, channelId, now))
      joinChannel(processed, channelId, { siteId: site.id, id });
  }
  if (outcome === 'new' && config.mirror.links === 'mirror') {
    // Pages that linked here showed plain text; now they can link to this page.
    for (const alias of [url, ...aliases]) {
      for (const key of await store.articlesReferencing(alias, 'link')) addRender(processed, key);
    }
  }
  if (outcome !== 'unchanged') {
    addRender(processed, { siteId: site.id, id });
    // A changed title shows in every index listing the article.
    for (const channelId of await store.channelsOf(site.id, id)) {
      processed.changedChannels.add(channelId);
      if (outcome === 'updated') processed.rewriteIndexes.add(channelId);
    }
  }
  return outcome;
}

/**
 * Without an id pattern, two URLs can end in the same segment (`/2024/01/index.html`, `/2024/02/index.html`): the
 * second gets the id plus a hash of its URL, so it never overwrites the first article.
 */
async function unusedId(store: Store, siteId: string, id: string, url: string): Promise<string> {
  const holder = await store.getArticle(siteId, id);
  return holder === undefined || holder.url === url ? id : safeId(`${id}-${shortHash(url)}`);
}

/** Mirrors one image at most once per run; true when a new file was written. Failures are recorded, not thrown. */
function mirrorOneImage(src: string, context: ProcessContext, processed: Processed): Promise<boolean> {
  let attempt = context.imagesTried.get(src);
  if (!attempt) {
    attempt = downloadImage(src, context, processed);
    context.imagesTried.set(src, attempt);
  }
  return attempt;
}

async function downloadImage(src: string, context: ProcessContext, processed: Processed): Promise<boolean> {
  const { store, summary, log, config } = context;
  const known = await store.getImage(src);
  if (known) {
    summary.images.reused++;
    return false;
  }
  try {
    const image = await mirrorImage(context.http, src, { maxBytes: config.fetch.maxImageBytes });
    // The file first, then the record: a run killed in between fetches the image again, and its content address
    // names the same file; the other order could leave a record of a file that was never written.
    const written = await writeFilesAtomic(context.options.loaded.mirrorDir, [
      { path: image.assetPath, content: image.bytes },
    ]);
    summary.bytesWritten.images += written.bytes;
    summary.images.bytes += written.bytes;
    processed.assetPaths.push(...written.writtenPaths);
    await store.saveImage({
      src,
      assetPath: image.assetPath,
      sha256: image.sha256,
      bytes: image.bytes.byteLength,
      originalBytes: image.originalBytes,
      width: image.width,
      height: image.height,
      contentType: image.contentType,
    });
    summary.images.mirrored++;
    return true;
  } catch (error) {
    // A failed image keeps its alt text on the page and is tried again next run.
    const failure = toFailure(src, error);
    summary.images.failed++;
    log.warn(`image failed: ${src}: ${failure.message}`);
    await store.recordImageFailure(src, failure.code, failure.message);
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 4-5. transform + render

/** Renders what changed and hands it to `write` in batches; the number of files rendered (0: nothing changed). */
async function renderChanges(
  context: RenderContext,
  processed: Processed,
  now: Date,
  write: (files: OutputFile[]) => Promise<void>,
): Promise<number> {
  const { loaded, store, log } = context;
  if (
    processed.renderedKeys.length === 0 &&
    processed.changedChannels.size === 0 &&
    processed.assetPaths.length === 0
  ) {
    return 0; // nothing new: no file changes, so no commit
  }
  async function* renderedArticles() {
    for (const key of processed.renderedKeys) {
      const stored = await store.getArticle(key.siteId, key.id);
      if (stored) yield stored;
    }
  }
  let rendered = (await renderPages(renderedArticles(), context, write)).files;
  const joined = new Map(
    [...processed.joinedChannel].filter(([channelId]) => !processed.rewriteIndexes.has(channelId)),
  );
  const files = await renderIndexesAndHome(loaded.config, store, processed.changedChannels, now, {
    joined,
    mirrorDir: loaded.mirrorDir,
  });
  rendered += files.length;
  await write(files);
  log.debug(`rendered ${rendered} files`);
  return rendered;
}

interface RenderContext {
  loaded: LoadedConfig;
  store: Store;
  workers: PageWorkers;
  log: Logger;
  /** Rendered files written per batch. */
  batchFiles: number;
}

/**
 * Renders the pages of `articles` a few at a time (workers render while this thread reads the store for the next)
 * and hands the files to `write` in batches, so memory stays flat however many pages there are.
 */
async function renderPages(
  articles: AsyncIterable<StoredArticle>,
  context: RenderContext,
  write: (files: OutputFile[]) => Promise<void>,
): Promise<{ pages: number; files: number }> {
  const inFlight = context.workers.parallelism;
  const queue = new PQueue({ concurrency: inFlight });
  let files: OutputFile[] = [];
  let pages = 0;
  let total = 0;
  // The first failure (a render or a batch write): nothing more is queued, and it is thrown once every render
  // started has ended, so none writes after the caller gave up or finds its workers closed.
  let failure: { error: unknown } | undefined;
  const flush = async () => {
    const batch = files;
    files = [];
    total += batch.length;
    if (batch.length > 0) await write(batch);
  };
  try {
    for await (const stored of articles) {
      if (failure) break;
      await queue.onSizeLessThan(inFlight);
      queue
        .add(async () => {
          const page = await renderArticleFiles(stored, context);
          // Pushed after the await: `files` may be a new batch by then.
          files.push(...page);
          pages++;
        })
        .catch((error: unknown) => {
          failure ??= { error };
        });
      if (files.length >= context.batchFiles) await flush();
    }
  } catch (error) {
    failure ??= { error };
  }
  await queue.onIdle();
  if (failure) throw failure.error;
  await flush();
  return { pages, files: total };
}

/** The page of one stored article and, when the mirror has a public URL, its QR code (rendered by a worker). */
async function renderArticleFiles(stored: StoredArticle, context: RenderContext): Promise<OutputFile[]> {
  const { config } = context.loaded;
  return context.workers.renderArticle(await articlePageInput(stored, config, context.store));
}

/** Indexes and CSV of the channels that changed, then the home page, the feed and the list of mirrors. */
async function renderIndexesAndHome(
  config: Config,
  store: Store,
  changedChannels: Iterable<string>,
  now: Date,
  incremental?: { joined: Map<string, Set<string>>; mirrorDir: string },
): Promise<OutputFile[]> {
  const mirror = config.mirror;
  const files: OutputFile[] = [];
  for (const channelId of changedChannels) {
    const channel = { id: channelId, title: channelTitleOf(config, channelId) };
    const csvPath = `indexes/${channelId}.csv`;
    const joined = incremental?.joined.get(channelId);
    const tail = joined ? await newestTail(store, channelId, joined, mirror.indexPageSize) : undefined;
    const csvBefore =
      tail && incremental
        ? await readFile(join(incremental.mirrorDir, csvPath), 'utf8').catch(() => undefined)
        : undefined;
    if (tail && csvBefore !== undefined) {
      // The new articles are the channel's newest: older archive pages stay as they are, the CSV grows at its end.
      files.push(...renderChannelIndexes(channel, tail.entries, { mirror, now, total: tail.total }));
      files.push({ path: csvPath, content: csvBefore + renderChannelCsv(tail.joined) });
      continue;
    }
    const entries = await store.listChannelEntries(channelId, {});
    files.push(...renderChannelIndexes(channel, entries, { mirror, now }));
    files.push({ path: csvPath, content: renderChannelCsv(entries) });
  }
  const channels = [];
  for (const site of config.sites) {
    for (const channel of site.channels) {
      channels.push({ id: channel.id, title: channel.title, count: await store.countArticles(channel.id) });
    }
  }
  files.push({
    path: 'README.md',
    content: renderHome(mirror, channels, await store.listNewest(mirror.homeSize), now),
  });
  files.push({ path: 'feed.xml', content: renderFeed(mirror, await store.listNewest(FEED_SIZE), now) });
  files.push({ path: 'mirrors.md', content: renderMirrorsList(mirror) });
  // The most read articles of the past week, from `serve`'s counter, when there are any counts.
  const since = new Date(now.getTime() - POPULAR_DAYS * 86_400_000).toISOString().slice(0, 10);
  const popular = (await store.topPages({ sinceDay: since, limit: POPULAR_SIZE })).filter((row) => row.title);
  if (popular.length > 0) {
    const rows = popular.map((row) => ({ path: row.path, title: row.title ?? row.path, views: row.views }));
    files.push({ path: POPULAR_INDEX_PATH, content: renderPopularIndex(mirror, rows, now) });
  }
  return files;
}

/** "Most read" covers a week: long enough to smooth a day's spike, short enough to stay news. */
const POPULAR_DAYS = 7;
const POPULAR_SIZE = 30;

/**
 * When the articles that joined a channel this run are its newest entries (the usual case), the channel's newest
 * entries from the archive page boundary below them: the only index pages they change. Undefined otherwise.
 */
async function newestTail(
  store: Store,
  channelId: string,
  joined: Set<string>,
  pageSize: number,
): Promise<{ entries: ChannelEntry[]; joined: ChannelEntry[]; total: number } | undefined> {
  const total = await store.countArticles(channelId);
  const before = total - joined.size;
  // Archive pages wholly below `before` entries existed before this run and hold only older entries.
  const boundary = Math.max(0, Math.floor((before - 1) / pageSize)) * pageSize;
  const entries = await store.listChannelEntries(channelId, { limit: total - boundary });
  const newest = entries.slice(0, joined.size);
  if (entries.length !== total - boundary || !newest.every((e) => joined.has(`${e.siteId}/${e.id}`))) {
    return undefined;
  }
  return { entries, joined: newest, total };
}

function channelTitleOf(config: Config, channelId: string): string {
  for (const site of config.sites) {
    for (const channel of site.channels) if (channel.id === channelId) return channel.title;
  }
  return channelId;
}

export interface RebuildOptions {
  loaded: LoadedConfig;
  store: Store;
  log: Logger;
  commit?: boolean;
  now?: () => Date;
}

/** Re-render every page, index and feed from the store (after a template or config change); no fetching. */
export async function rebuildMirror(
  options: RebuildOptions,
): Promise<{ pages: number; files: number; commit: string | null }> {
  const { loaded, store } = options;
  const { config, mirrorDir } = loaded;
  const now = (options.now ?? (() => new Date()))();
  const releaseLock = await acquireMirrorLock(mirrorDir, {});
  try {
    const git = openGitMirror(mirrorDir, { branch: config.mirror.branch });
    await git.ensureRepo();
    let written = 0;
    const write = async (files: OutputFile[]) => {
      written += (await writeFilesAtomic(mirrorDir, files)).written;
    };
    // Pages go out in batches so memory stays flat on a mirror of 100,000 articles; workers render them.
    const workers = startPageWorkers(config, options.log);
    let pages: number;
    try {
      const context = { loaded, store, workers, log: options.log, batchFiles: WRITE_BATCH_FILES };
      pages = (await renderPages(store.allArticles(), context, write)).pages;
    } finally {
      await workers.close();
    }
    const channelIds = config.sites.flatMap((site) => site.channels.map((channel) => channel.id));
    await write(await renderIndexesAndHome(config, store, channelIds, now));
    // commitAll stages every file there: temp files a killed run (of any version) left must not go in with them.
    await removeTempFiles(mirrorDir, { always: true });
    const commit = options.commit === false ? null : await git.commitAll(`重建于: ${formatTime(now)}`);
    options.log.info(`rebuilt ${pages} pages; ${written} files changed`, { commit: commit ?? undefined });
    return { pages, files: written, commit };
  } finally {
    await releaseLock();
  }
}

/**
 * Rendered files written per batch. Files waiting for their batch outlive V8's young generation and end up as
 * old-generation garbage: at 10,000 hotlinked articles, batches of 500 peaked at 446 MB, of 100 at 402 MB, of 32 at
 * 392 MB for 6% more CPU (the directory syncs and the write marker of each batch).
 */
const WRITE_BATCH_FILES = 100;

/** Newest articles in feed.xml: enough for a reader who checks daily. */
const FEED_SIZE = 50;

/** What a page shows from elsewhere, as recorded with its article: image sources and normalised link targets. */
function pageRefsOf(extracted: ExtractedArticle): ArticleRefs {
  return {
    images: collectImageUrls(extracted),
    links: collectLinkUrls(extracted.body)
      .map((href) => normalizeArticleUrl(href))
      .filter((href): href is string => href !== null),
  };
}

/**
 * Everything the pure transform + render of one page needs, with every store lookup resolved here: which links
 * point to mirrored articles, which images are mirrored, the article's channels. The page's images and links come
 * from the references recorded when it was stored, so this thread does not parse the stored body again.
 */
async function articlePageInput(
  stored: StoredArticle,
  config: Config,
  store: Store,
): Promise<ArticlePageInput> {
  let { images, links } = await store.articleRefs(stored.siteId, stored.id);
  if (images.length === 0 && links.length === 0) {
    // Nothing recorded: a page without images or links, or one stored before references were kept.
    ({ images, links } = pageRefsOf(JSON.parse(stored.extracted) as ExtractedArticle));
  }
  const linkTargets: Array<[string, string]> = [];
  if (config.mirror.links === 'mirror') {
    for (const url of links) {
      const target = await store.pagePathForUrl(url);
      if (target) linkTargets.push([url, target]);
    }
  }
  const assets: Array<[string, string]> = [];
  if (config.mirror.images === 'mirror') {
    for (const src of images) {
      const image = await store.getImage(src);
      if (image) assets.push([src, image.assetPath]);
    }
  }
  return {
    id: stored.id,
    siteId: stored.siteId,
    url: stored.url,
    pagePath: stored.pagePath,
    extractedJson: stored.extracted,
    channels: await store.channelsOf(stored.siteId, stored.id),
    channelTitle: channelTitleOf(config, stored.homeChannel),
    mirror: config.mirror,
    linkTargets,
    assets,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// helpers

function emptySummary(): RunSummary {
  return {
    new: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
    seconds: 0,
    fallbacks: [],
    channelFailures: [],
    failures: [],
    images: { mirrored: 0, reused: 0, failed: 0, bytes: 0 },
    bytesWritten: { pages: 0, images: 0, other: 0 },
    filesWritten: 0,
    commit: null,
    pushes: [],
  };
}

function hashExtracted(extracted: ExtractedArticle): string {
  const { ruleMisses: _misses, method: _method, ...content } = extracted;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

function toFailure(url: string, error: unknown): ArticleFailure {
  if (error instanceof NewsmirrorError) {
    return { url, code: error.code, message: error.message, retryable: error.retryable };
  }
  // An unexpected exception is a bug or unusual input: keep trying, the page may change.
  return { url, code: 'internal', message: errorMessage(error), retryable: true };
}

/** Bytes of pages and other files the run changed (images are counted as written); unchanged files count nothing. */
function tallyBytes(summary: RunSummary, files: OutputFile[], writtenPaths: Set<string>): void {
  for (const file of files) {
    if (!writtenPaths.has(file.path)) continue;
    const size = typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.byteLength;
    if (file.path.startsWith('pages/')) summary.bytesWritten.pages += size;
    else summary.bytesWritten.other += size;
  }
}
function formatTime(at: Date): string {
  return at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

function commitMessage(at: Date, summary: RunSummary): string {
  return `同步于: ${formatTime(at)}\n\nnew ${summary.new}, updated ${summary.updated}, failed ${summary.failed}, skipped ${summary.skipped}`;
}

// A changed title or date in a listing is the signal that an article was edited; only then is it fetched again.
// Several channels may list one article under different titles, and a channel answering 304 lists nothing, so the
// signal is the set of titles (and dates) seen, and only a value never seen before counts as a change.

const SIGNAL_SEPARATOR = '\n';
/** Values remembered per article: enough for a few channels and a few edits. */
const MAX_SIGNAL_VALUES = 8;

function signalOf(items: SourceItem[]): SourceSignal {
  const titles = unique(items.map((item) => item.title && normalizeSpace(item.title)));
  const dates = unique(items.map((item) => item.published));
  return {
    title: titles.length > 0 ? titles.join(SIGNAL_SEPARATOR) : undefined,
    published: dates.length > 0 ? dates.join(SIGNAL_SEPARATOR) : undefined,
  };
}

function signalChanged(remembered: SourceSignal, current: SourceSignal): boolean {
  const isNew = (now?: string, before?: string) => {
    const known = new Set(before?.split(SIGNAL_SEPARATOR) ?? []);
    return (now?.split(SIGNAL_SEPARATOR) ?? []).some((value) => !known.has(value));
  };
  return isNew(current.title, remembered.title) || isNew(current.published, remembered.published);
}

function mergeSignals(remembered: SourceSignal, current: SourceSignal): SourceSignal {
  const merge = (now?: string, before?: string) => {
    const values = unique([
      ...(now?.split(SIGNAL_SEPARATOR) ?? []),
      ...(before?.split(SIGNAL_SEPARATOR) ?? []),
    ]);
    return values.length > 0 ? values.slice(0, MAX_SIGNAL_VALUES).join(SIGNAL_SEPARATOR) : undefined;
  };
  return {
    title: merge(current.title, remembered.title),
    published: merge(current.published, remembered.published),
  };
}

function unique(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((value): value is string => Boolean(value)))];
}

function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
