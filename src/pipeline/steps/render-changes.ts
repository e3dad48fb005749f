// Steps 4-5, transform + render: pages of new and updated articles (and of articles an interrupted run left
// unrendered), the indexes of channels that changed, the home page, the feed. Each batch of rendered files is written
// atomically as it is ready, so a run over thousands of articles never holds all its pages.
import PQueue from 'p-queue';
import type { Config } from '../../config/options.ts';
import { PublishError } from '../../internal/errors.ts';
import type { Logger } from '../../internal/log.ts';
import type { StageTimes } from '../../internal/stage-times.ts';
import type { StoredArticle, StorePorts } from '../../store/index.ts';
import { writeFilesAtomic } from '../publish/write-files.ts';
import { MAIN_REPO, type Placement } from '../render/retention.ts';
import type { ArticlePageInput, PageWorkers } from '../threads/page-workers.ts';
import type { OutputFile } from '../types.ts';
import { type Changes, hasChanges } from './changes.ts';
import { articlePageInput } from './page-input.ts';
import { renderIndexesAndHome } from './render-indexes.ts';
import { inMain } from './retention.ts';
import { writeScheduledBundles } from './scheduled-bundles.ts';
import { type RunSummary, tallyBytes } from './summary.ts';

/**
 * Rendered files written per batch. Files waiting for their batch outlive V8's young generation and end up as
 * old-generation garbage: at 10,000 hotlinked articles, batches of 500 peaked at 446 MB, of 100 at 402 MB, of 32 at
 * 392 MB for 6% more CPU (the directory syncs and the write marker of each batch).
 */
export const WRITE_BATCH_FILES = 100;

type RenderStore = Pick<StorePorts, 'articles' | 'pageRefs' | 'images' | 'channels' | 'views'>;

export interface RenderContext {
  config: Config;
  mirrorDir: string;
  store: RenderStore;
  workers: PageWorkers;
  log: Logger;
  /** Rendered files written per batch. */
  batchFiles: number;
  /** With `mirror.keep`: which pages stay in the main mirror (the others are the archive's, archive.ts). */
  placement?: Placement;
  /** Where the run's time goes (`run --verbose`). */
  times?: StageTimes;
}

/** Writes batches of rendered files into the mirror, refusing a path twice per run, remembering every path. */
export interface RenderedFilesWriter {
  write(files: OutputFile[]): Promise<void>;
  /** Every file rendered, written or found unchanged on disk. */
  readonly paths: Set<string>;
  /** Files whose bytes changed. */
  written: number;
}

export function renderedFilesWriter(
  mirrorDir: string,
  summary?: RunSummary,
  times?: StageTimes,
): RenderedFilesWriter {
  const writer: RenderedFilesWriter = {
    paths: new Set(),
    written: 0,
    async write(files) {
      // writeFilesAtomic refuses a path twice within one call; batches make that one check per run here.
      for (const file of files) {
        if (writer.paths.has(file.path)) {
          throw new PublishError(`publish: the same file is rendered twice in one run: ${file.path}`, {
            code: 'duplicate_path',
            where: file.path,
            retryable: false,
          });
        }
        writer.paths.add(file.path);
      }
      const started = performance.now();
      const batch = await writeFilesAtomic(mirrorDir, files);
      times?.span('write', 'files', started, files.length);
      writer.written += batch.written;
      if (summary) {
        summary.filesWritten += batch.written;
        tallyBytes(summary, files, new Set(batch.writtenPaths));
      }
    },
  };
  return writer;
}

/** Renders what changed; the number of files rendered (0: nothing changed, so no commit). */
export async function renderChanges(
  context: RenderContext,
  changes: Changes,
  now: Date,
  output: RenderedFilesWriter,
): Promise<number> {
  if (!hasChanges(changes)) return 0;
  const { store } = context;
  async function* changedArticles() {
    for (const key of changes.renderKeys) {
      const stored = await store.articles.get(key.siteId, key.id);
      if (stored && inMain(context.placement, stored)) yield stored;
    }
  }
  let rendered = (await renderPages(changedArticles(), context, output)).files;
  // Bundles (config `bundles`) of the periods this run's articles fall in, before the pages that link them.
  const before = output.paths.size;
  const bundles = await writeScheduledBundles(context, changes.renderKeys, output, now);
  rendered += output.paths.size - before;
  const joined = new Map(
    [...changes.joinedChannel].filter(([channelId]) => !changes.rewriteIndexes.has(channelId)),
  );
  const indexesStarted = performance.now();
  const files = await renderIndexesAndHome(
    context.config,
    store,
    changes.changedChannels,
    now,
    { joined, mirrorDir: context.mirrorDir },
    bundles,
    context.placement,
  );
  context.times?.span('indexes', 'files', indexesStarted, files.length);
  rendered += files.length;
  await output.write(files);
  context.log.debug(`rendered ${rendered} files`);
  return rendered;
}

/** Every page, index and feed of the mirror (rebuild). */
export async function renderEverything(
  context: RenderContext,
  now: Date,
  output: RenderedFilesWriter,
): Promise<number> {
  const { pages } = await renderPages(
    inMainOnly(context.store.articles.all(), context.placement),
    context,
    output,
  );
  const bundles = await writeScheduledBundles(context, 'all', output, now);
  const channelIds = context.config.sites.flatMap((site) => site.channels.map((channel) => channel.id));
  await output.write(
    await renderIndexesAndHome(
      context.config,
      context.store,
      channelIds,
      now,
      undefined,
      bundles,
      context.placement,
    ),
  );
  return pages;
}

/**
 * Renders the pages of `articles` a few at a time (workers render while this thread reads the store for the next)
 * and hands the files to `output` in batches, so memory stays flat however many pages there are.
 */
export async function renderPages(
  articles: AsyncIterable<StoredArticle>,
  context: RenderContext,
  output: RenderedFilesWriter,
  toInput: (stored: StoredArticle) => Promise<ArticlePageInput> = (stored) =>
    articlePageInput(
      stored,
      context.config,
      context.store,
      context.placement && { placement: context.placement, repo: MAIN_REPO },
    ),
): Promise<{ pages: number; files: number }> {
  const inFlight = context.workers.parallelism;
  const queue = new PQueue({ concurrency: inFlight });
  let files: OutputFile[] = [];
  let pages = 0;
  let total = 0;
  // The first failure (a render or a batch write): nothing more is queued, and it is thrown once every render
  // started has ended, so none writes after the caller gave up or finds its workers closed.
  let failure: { error: unknown } | undefined;
  // A batch is written while the next one renders: awaited inline, each write (fsyncs) left the workers idle.
  // One write at a time, so at most two batches are held.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    const batch = files;
    files = [];
    total += batch.length;
    writing =
      batch.length > 0
        ? output.write(batch).catch((error: unknown) => {
            failure ??= { error };
          })
        : Promise.resolve();
  };
  try {
    for await (const stored of articles) {
      if (failure) break;
      await queue.onSizeLessThan(inFlight);
      queue
        .add(async () => {
          const page = await context.workers.renderArticle(await toInput(stored));
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
  if (!failure) await flush();
  await writing;
  if (failure) throw failure.error;
  return { pages, files: total };
}

async function* inMainOnly(articles: AsyncIterable<StoredArticle>, placement: Placement | undefined) {
  for await (const stored of articles) if (inMain(placement, stored)) yield stored;
}
