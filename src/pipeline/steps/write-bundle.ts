// `newsmirror bundle`: the articles of a channel (or of every channel) over a period, from the store, through the
// same transform as pages, with their mirrored images read from the mirror's assets/ and re-encoded for the bundle;
// rendered as an EPUB book or single-file HTML (render/bundle) and written atomically.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, posix, resolve } from 'node:path';
import type yazl from 'yazl';
import type { LoadedConfig } from '../../config/load.ts';
import type { Config } from '../../config/options.ts';
import { ConfigError } from '../../internal/errors.ts';
import { lazyRequire } from '../../internal/lazy-require.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import { langInScript } from '../../internal/script.ts';
import type { ChannelEntry, StorePorts } from '../../store/index.ts';
import { safeTarget, writeFilesAtomic } from '../publish/write-files.ts';
import {
  type Bundle,
  type BundleArticle,
  type BundleChannel,
  type BundleImage,
  bundleImage,
  imagePathsOf,
  renderEpub,
  renderHtmlBundle,
} from '../render/bundle/index.ts';
import { titleText } from '../render/escape.ts';
import { transformStoredArticle } from '../threads/article-page.ts';
import type { OutputFile } from '../types.ts';
import { articlePageInput, channelTitleOf } from './page-input.ts';

/** Required on the first EPUB: most runs write no bundle. */
const yazlModule = lazyRequire<typeof yazl>('yazl');

export type BundleFormat = 'epub' | 'html';
type BundleStore = Pick<StorePorts, 'articles' | 'channels' | 'pageRefs' | 'images'>;

export interface WriteBundleOptions {
  loaded: Pick<LoadedConfig, 'config' | 'mirrorDir'>;
  store: BundleStore;
  format: BundleFormat;
  /** One channel; every configured channel when absent. */
  channel?: string;
  /** Several channels in one bundle (each article once, under its home channel when that is among them). */
  channels?: string[];
  /** First and last day (YYYY-MM-DD, UTC, inclusive) by the time an article sorts by (published, else first seen). */
  since?: string;
  until?: string;
  /**
   * Where to write: the EPUB file; for HTML, a `.html` file holding every article (with a table of contents when
   * there are several), or a folder that gets one file per article (`<channel>/<id>.html`).
   */
  out: string;
}

export interface BundleSummary {
  articles: number;
  images: number;
  files: string[];
  bytes: number;
}

/** Channel entries read from the store per step while walking back to `since`. */
const ENTRIES_PAGE = 200;

export async function writeBundle(options: WriteBundleOptions): Promise<BundleSummary> {
  const { bundle, count } = await collectBundle(options);
  const files = await renderFiles(bundle, options);
  const out = resolve(options.out);
  const root = options.format === 'html' && !/\.html?$/i.test(out) ? out : dirname(out);
  const written = await writeFilesAtomic(root, files);
  return {
    articles: count,
    images: bundle.images.size,
    files: files.map((file) => resolve(root, file.path)),
    bytes: written.bytes || files.reduce((sum, file) => sum + file.content.length, 0),
  };
}

/** One bundle file at mirror-root `path` (an EPUB, or one HTML file with contents), not written: `run`'s bundles. */
export async function renderBundle(
  options: Omit<WriteBundleOptions, 'out'>,
  path: string,
): Promise<{ file: OutputFile; articles: number; images: number }> {
  const { bundle, count } = await collectBundle(options);
  const content = options.format === 'epub' ? await zip(bundle) : renderHtmlBundle(bundle);
  return { file: { path, content }, articles: count, images: bundle.images.size };
}

async function collectBundle(
  options: Omit<WriteBundleOptions, 'out'>,
): Promise<{ bundle: Bundle; count: number }> {
  const { config, mirrorDir } = options.loaded;
  const channelIds = options.channels ?? selectedChannels(config, options.channel);
  const picked = await pickEntries(options.store, channelIds, options.since, options.until);
  const images = new Map<string, BundleImage>();
  const channels: BundleChannel[] = [];
  let modified = 0;
  const contentKey = createHash('sha256').update(JSON.stringify([options.format, config.mirror.title]));
  for (const channelId of channelIds) {
    const articles: BundleArticle[] = [];
    for (const entry of picked.get(channelId) ?? []) {
      const stored = await options.store.articles.get(entry.siteId, entry.id);
      if (!stored) continue;
      const input = await articlePageInput(stored, config, options.store);
      const { extracted, transformed } = transformStoredArticle(input);
      const article: BundleArticle = {
        key: `${stored.siteId}-${stored.id}`,
        pagePath: stored.pagePath,
        title: titleText(transformed.title),
        author: extracted.author,
        published: extracted.published,
        lang: stored.lang ? langInScript(stored.lang, config.mirror.script) : undefined,
        url: stored.url,
        leadImage: transformed.leadImage,
        caption: transformed.caption,
        body: transformed.body,
      };
      await loadImages(mirrorDir, article, options.format, images);
      articles.push(article);
      modified = Math.max(modified, Date.parse(stored.updatedAt) || 0);
      contentKey.update(`\n${article.key} ${stored.contentHash}`);
    }
    channels.push({ id: channelId, title: channelTitleOf(config, channelId), articles });
  }
  const count = channels.reduce((sum, channel) => sum + channel.articles.length, 0);
  if (count === 0) {
    throw new ConfigError(
      `bundle: no article of ${options.channel ? `channel ${options.channel}` : 'any channel'}${periodText(options.since, options.until)} is in the store`,
      { code: 'empty_bundle', retryable: false },
    );
  }
  const period = periodOf(picked);
  const bundle: Bundle = {
    title: [config.mirror.title, options.channel ? channelTitleOf(config, options.channel) : '', period.label]
      .filter(Boolean)
      .join(' · '),
    creator: config.mirror.title,
    publicUrl: config.mirror.publicUrl,
    script: config.mirror.script,
    labels: config.mirror.labels,
    channels,
    images,
    date: period.last,
    contentKey: contentKey.digest('hex'),
    // Whole seconds: EPUB's modified time has no fractions, and zip times only even seconds.
    modified: new Date(Math.floor((modified || Date.now()) / 1000) * 1000),
  };
  return { bundle, count };
}

function selectedChannels(config: Config, channel: string | undefined): string[] {
  const all = config.sites.flatMap((site) => site.channels.map((entry) => entry.id));
  if (channel === undefined) return all;
  if (!all.includes(channel)) {
    throw new ConfigError(`bundle: no channel "${channel}" in the config (channels: ${all.join(', ')})`, {
      code: 'unknown_channel',
      retryable: false,
    });
  }
  return [channel];
}

/** Entries of each channel in the period, newest first; an article listed in several goes under its home channel. */
async function pickEntries(
  store: BundleStore,
  channelIds: string[],
  since: string | undefined,
  until: string | undefined,
): Promise<Map<string, ChannelEntry[]>> {
  const found = new Map<string, ChannelEntry[]>();
  const placed = new Map<string, string>();
  for (const channelId of channelIds) {
    const entries: ChannelEntry[] = [];
    for (let offset = 0; ; offset += ENTRIES_PAGE) {
      const page = await store.channels.entries(channelId, { limit: ENTRIES_PAGE, offset });
      let older = false;
      for (const entry of page) {
        const day = dayOf(entry);
        if (since && day < since) {
          older = true;
          break;
        }
        if (!until || day <= until) entries.push(entry);
      }
      if (older || page.length < ENTRIES_PAGE) break;
    }
    found.set(channelId, entries);
  }
  // Each article once: under its home channel when that is selected, else under the first selected one listing it.
  for (const [channelId, entries] of found) {
    for (const entry of entries) {
      const key = `${entry.siteId}\n${entry.id}`;
      if (!placed.has(key)) placed.set(key, found.has(entry.homeChannel) ? entry.homeChannel : channelId);
    }
  }
  for (const [channelId, entries] of found) {
    found.set(
      channelId,
      entries.filter((entry) => placed.get(`${entry.siteId}\n${entry.id}`) === channelId),
    );
  }
  return found;
}

/** The UTC day an index sorts the article by: when it was published, or first seen if that is earlier. */
export function dayOf(entry: Pick<ChannelEntry, 'published' | 'firstSeen'>): string {
  const seen = Date.parse(entry.firstSeen);
  const published = entry.published ? Date.parse(entry.published) : Number.NaN;
  const ms = Number.isFinite(published) && published <= seen ? published : seen;
  return new Date(ms).toISOString().slice(0, 10);
}

function periodOf(picked: Map<string, ChannelEntry[]>): { label: string; last: string } {
  const days = [...picked.values()].flat().map(dayOf).sort();
  const [first, last] = [days[0], days[days.length - 1]];
  return { label: first === last ? first : `${first} – ${last}`, last };
}

function periodText(since: string | undefined, until: string | undefined): string {
  if (since && until) return since === until ? ` on ${since}` : ` from ${since} to ${until}`;
  if (since) return ` since ${since}`;
  return until ? ` until ${until}` : '';
}

/** Reads and re-encodes every image the article shows; one that is missing or unreadable is left out. */
async function loadImages(
  mirrorDir: string,
  article: BundleArticle,
  format: BundleFormat,
  images: Map<string, BundleImage>,
): Promise<void> {
  const paths = imagePathsOf(article.body, article.pagePath);
  if (article.leadImage) {
    paths.unshift(
      posix.normalize(posix.join(posix.dirname(article.pagePath), decodeURI(article.leadImage.src))),
    );
  }
  for (const path of paths) {
    if (images.has(path) || !path.startsWith(`${MIRROR_LAYOUT.assetsFolder}/`)) continue;
    try {
      const bytes = await readFile(safeTarget(resolve(mirrorDir), path));
      images.set(path, await bundleImage(bytes, format));
    } catch {
      // A page shows an image's alt text when the image is gone; the bundle does the same.
    }
  }
}

async function renderFiles(bundle: Bundle, options: WriteBundleOptions): Promise<OutputFile[]> {
  const out = resolve(options.out);
  if (options.format === 'epub') return [{ path: basename(out), content: await zip(bundle) }];
  if (/\.html?$/i.test(out)) return [{ path: basename(out), content: renderHtmlBundle(bundle) }];
  return bundle.channels.flatMap((channel) =>
    channel.articles.map((article) => ({
      path: `${channel.id}/${posix.basename(article.pagePath).replace(/\.md$/i, '')}.html`,
      content: renderHtmlBundle({
        ...bundle,
        title: article.title,
        channels: [{ ...channel, articles: [article] }],
      }),
    })),
  );
}

/** The EPUB container: `mimetype` first and stored, no extra fields (epubcheck checks both). */
async function zip(bundle: Bundle): Promise<Uint8Array> {
  const file = new (yazlModule().ZipFile)();
  for (const entry of renderEpub(bundle)) {
    file.addBuffer(Buffer.from(entry.content), entry.path, {
      compress: entry.compress,
      mtime: bundle.modified,
      forceDosTimestamp: true,
    });
  }
  file.end();
  const chunks: Buffer[] = [];
  for await (const chunk of file.outputStream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
