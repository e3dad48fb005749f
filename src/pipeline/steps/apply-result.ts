// The single writer: applies each job's result to the store, in one transaction per article that also decides its
// id, and records what the run must render. Jobs only return data; every store write of the article phase happens
// here, one article's transaction at a time, so two articles can never take the same id or overwrite each other.
// (A failure record, a not-modified signal and a membership are single writes, made outside a transaction.)
import PQueue from 'p-queue';
import type { Config } from '../../config/options.ts';
import { ExtractError } from '../../internal/errors.ts';
import { safeId, shortHash } from '../../internal/ids.ts';
import type { Logger } from '../../internal/log.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import type {
  ArticleKey,
  ArticlesPort,
  SaveResult,
  Store,
  StoredArticle,
  StorePorts,
} from '../../store/index.ts';
import type { BlobStore } from '../job/blobs.ts';
import { failureOf } from '../job/images.ts';
import type { ArticleJobResult, ExtractedResult, ImageOutcome, JobFailure } from '../job/types.ts';
import { createImageWriter } from './apply-images.ts';
import { addRender, type Changes, joinChannel } from './changes.ts';
import type { PlannedArticle } from './plan.ts';
import type { RunSummary } from './summary.ts';

export interface WriterContext {
  config: Config;
  mirrorDir: string;
  store: Store;
  blobs: BlobStore;
  summary: RunSummary;
  changes: Changes;
  log: Logger;
  now: () => Date;
}

export interface MirrorWriter {
  /** Applies one article's result; a failure of the article is recorded, not thrown. */
  applyArticle(planned: PlannedArticle, result: ArticleJobResult): Promise<void>;
  /** Applies images mirrored on their own (retries of failed ones); the sources mirrored now. */
  applyImages(outcomes: ImageOutcome[]): Promise<string[]>;
  /** A mirrored article listed by channels (perhaps new ones): an index change only. */
  applyMembership(article: StoredArticle, channels: string[]): Promise<void>;
}

export function createMirrorWriter(context: WriterContext): MirrorWriter {
  const { store, summary, changes, log } = context;
  const images = createImageWriter(context);
  // One article's transaction at a time, whatever the backend: the id chosen for one article must be seen by the
  // next (SQLite serialises transactions anyway; a server database would run them side by side).
  const oneAtATime = new PQueue({ concurrency: 1 });

  async function recordFailure(planned: PlannedArticle, failure: JobFailure): Promise<void> {
    summary.failed++;
    summary.failures.push({ url: planned.url, ...failure });
    log.error(`article failed: ${planned.url}: ${failure.message}`, {
      code: failure.code,
      retryable: failure.retryable,
    });
    await store.failures.record({
      url: planned.url,
      siteId: planned.site.id,
      channelId: planned.channels[0],
      ...failure,
      at: context.now().toISOString(),
    });
  }

  /** Everything one article's result writes, in its transaction; the id is decided here. */
  async function saveArticle(
    tx: StorePorts,
    planned: PlannedArticle,
    result: ExtractedResult,
    imageOutcomes: ImageOutcome[],
    now: string,
  ): Promise<SavedArticle> {
    const { site, url } = planned;
    const { extracted } = result;
    await images.record(imageOutcomes, tx);
    // Looked up again here: another URL of the same article (its AMP page, its canonical URL) may have been
    // stored since the plan was made.
    const existing = await existingArticle(tx.articles, planned, result);
    const rawId = existing?.id ?? result.idCandidates[0];
    if (!rawId) throw noArticleId(planned);
    // Decided here, inside the transaction, so no other article can take the id in between.
    const id = existing?.id ?? (await unusedId(tx.articles, site.id, safeId(rawId), url));
    const homeChannel = existing?.homeChannel ?? planned.channels[0] ?? site.channels[0].id;
    const pagePath =
      existing?.pagePath ??
      MIRROR_LAYOUT.page(homeChannel, id, {
        shardByMonth: context.config.mirror.shardByMonth,
        published: extracted.published,
      });
    const outcome = await tx.articles.save({
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
      contentHash: result.contentHash,
      extracted: JSON.stringify(extracted),
      firstSeen: existing?.firstSeen ?? now,
      updatedAt: now,
    });
    for (const alias of [url, ...result.aliases]) await tx.articles.addUrl(alias, site.id, id);
    await tx.articles.markChecked(site.id, id, now);
    // The page is rendered from these references: they change with the body or not at all.
    await tx.pageRefs.save(site.id, id, result.refs);
    await tx.fetchCache.save(url, { ...result.validators, contentHash: result.contentHash });
    if (hasSignal(planned)) await tx.signals.save(url, planned.signal);
    await tx.failures.clear(url);
    const joined: string[] = [];
    for (const channelId of planned.channels.length > 0 ? planned.channels : [homeChannel]) {
      if (await tx.channels.addMembership(site.id, id, channelId, now)) joined.push(channelId);
    }
    // What must be rendered again, read in the same transaction so a store error fails the article as a whole.
    const linking: ArticleKey[] = [];
    if (outcome === 'new' && context.config.mirror.links === 'mirror') {
      for (const alias of [url, ...result.aliases])
        linking.push(...(await tx.pageRefs.referencing(alias, 'link')));
    }
    const channels = outcome === 'unchanged' ? [] : await tx.channels.of(site.id, id);
    return { outcome, id, joined, linking, channels };
  }

  async function applyExtracted(planned: PlannedArticle, result: ExtractedResult): Promise<void> {
    const { site, url } = planned;
    const { extracted } = result;
    if (extracted.method === 'generic' && site.rules?.body) {
      summary.fallbacks.push({ siteId: site.id, url, misses: extracted.ruleMisses });
      log.warn(`site rules of ${site.id} found no body; used the generic extractor`, {
        url,
        misses: extracted.ruleMisses,
      });
    }
    // No id to store it under: fail before its images are written (they would be files no record names).
    if (result.idCandidates.length === 0 && !(await existingArticle(store.articles, planned, result))) {
      throw noArticleId(planned);
    }
    // Images are in the mirror before the article is stored, so a stored article always renders complete.
    const imageOutcomes = await images.writeFiles(result.images);
    const now = context.now().toISOString();
    const applied = await oneAtATime.add(() =>
      store.transaction((tx) => saveArticle(tx, planned, result, imageOutcomes, now)),
    );
    const key = { siteId: site.id, id: applied.id };
    images.tally(imageOutcomes);
    for (const channelId of applied.joined) joinChannel(changes, channelId, key);
    if (applied.outcome === 'new') summary.new++;
    else if (applied.outcome === 'updated') summary.updated++;
    else summary.unchanged++;
    // Pages that linked here showed plain text; now they can link to this page.
    for (const linking of applied.linking) addRender(changes, linking);
    if (applied.outcome !== 'unchanged') addRender(changes, key);
    // A changed title shows in every index listing the article.
    for (const channelId of applied.channels) {
      changes.changedChannels.add(channelId);
      if (applied.outcome === 'updated') changes.rewriteIndexes.add(channelId);
    }
  }

  /** A mirrored article checked again that did not give a new copy: gone (a retraction), unchanged, or failed. */
  async function applyRecheck(planned: PlannedArticle, existing: StoredArticle, result: ArticleJobResult) {
    const now = context.now().toISOString();
    if (planned.reason === 'revisit') summary.revisited++;
    if (result.kind === 'not_modified') {
      // Answered again after a retraction: it is back.
      if (existing.retractedAt !== undefined) await restore(existing, undefined, now);
      if (hasSignal(planned)) await store.signals.save(planned.url, planned.signal);
      await store.articles.markChecked(existing.siteId, existing.id, now);
      summary.unchanged++;
      return;
    }
    if (result.kind !== 'failed') return;
    const { failure } = result;
    if (RETRACTED_CODES.has(failure.code)) {
      await store.articles.markChecked(existing.siteId, existing.id, now);
      const mode = context.config.revisit.retracted;
      if (mode === 'keep' || existing.retractedAt !== undefined) return;
      summary.retracted++;
      log.warn(`article retracted at the source: ${existing.url} (${failure.code}); its page is marked`, {
        page: existing.pagePath,
        mode,
      });
      await restore(existing, now, now);
      return;
    }
    if (planned.reason !== 'revisit') return recordFailure(planned, failure);
    // A 5xx, a timeout or a page that no longer extracts is no retraction: the mirrored copy stays as it is. A
    // retryable failure is checked again next run, any other after `revisit.every`.
    log.warn(`revisit of ${existing.url} failed; the mirrored copy is kept: ${failure.message}`, {
      code: failure.code,
      retryable: failure.retryable,
    });
    if (!failure.retryable) await store.articles.markChecked(existing.siteId, existing.id, now);
  }

  /** Saves the stored article with `retractedAt` set or cleared, and renders its page again. */
  async function restore(existing: StoredArticle, retractedAt: string | undefined, now: string) {
    const { retractedAt: _before, ...record } = existing;
    const outcome = await store.articles.save({
      ...record,
      ...(retractedAt === undefined ? {} : { retractedAt }),
      updatedAt: now,
    });
    if (outcome === 'unchanged') return;
    addRender(changes, existing);
    if (retractedAt === undefined) summary.updated++;
  }

  return {
    async applyArticle(planned, result) {
      if (planned.existing && result.kind !== 'article') {
        return applyRecheck(planned, planned.existing, result);
      }
      if (result.kind === 'failed') return recordFailure(planned, result.failure);
      if (result.kind === 'not_modified') {
        if (hasSignal(planned)) await store.signals.save(planned.url, planned.signal);
        summary.unchanged++;
        return;
      }
      if (planned.reason === 'revisit') summary.revisited++;
      try {
        await applyExtracted(planned, result);
      } catch (error) {
        await recordFailure(planned, failureOf(error));
      }
    },
    async applyImages(outcomes) {
      const fresh = await images.writeFiles(outcomes);
      await store.transaction((tx) => images.record(fresh, tx));
      return images.tally(fresh);
    },
    async applyMembership(article, channels) {
      for (const channelId of channels) {
        if (
          await store.channels.addMembership(
            article.siteId,
            article.id,
            channelId,
            context.now().toISOString(),
          )
        ) {
          joinChannel(changes, channelId, article);
        }
      }
    },
  };
}

/** The source's answer for an article it took down: gone (410) or not found (404). */
const RETRACTED_CODES = new Set(['http_404', 'http_410']);

/** Whether the plan knows anything of what the listings said (a revisit of an unlisted URL may know nothing). */
function hasSignal(planned: PlannedArticle): boolean {
  return planned.signal.title !== undefined || planned.signal.published !== undefined;
}

interface SavedArticle {
  outcome: SaveResult;
  id: string;
  /** Channels the article joined now. */
  joined: string[];
  /** Pages linking to the article, to render again now that the link can point to it. */
  linking: ArticleKey[];
  /** Every channel listing the article, when it changed. */
  channels: string[];
}

/** The stored article this result is: by the URL itself, as planned, or by another URL of it. */
async function existingArticle(
  articles: ArticlesPort,
  planned: PlannedArticle,
  result: ExtractedResult,
): Promise<StoredArticle | undefined> {
  let existing = (await articles.getByUrl(planned.url)) ?? planned.existing;
  for (const alias of result.aliases) existing ??= await articles.getByUrl(alias);
  return existing;
}

function noArticleId(planned: PlannedArticle): ExtractError {
  return new ExtractError(
    `extract: ${planned.url} matches no article id pattern of site ${planned.site.id}`,
    {
      code: 'no_article_id',
      where: planned.url,
      retryable: false,
    },
  );
}

/**
 * Without an id pattern, two URLs can end in the same segment (`/2024/01/index.html`, `/2024/02/index.html`): the
 * second gets the id plus a hash of its URL, so it never overwrites the first article.
 */
async function unusedId(articles: ArticlesPort, siteId: string, id: string, url: string): Promise<string> {
  const holder = await articles.get(siteId, id);
  return holder === undefined || holder.url === url ? id : safeId(`${id}-${shortHash(url)}`);
}
