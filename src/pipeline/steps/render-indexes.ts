// Indexes and CSV of the channels that changed, then the home page, the feed, the list of mirrors and the most read.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config/options.ts';
import { mirrorLang } from '../../internal/labels.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import type { ChannelEntry, StorePorts } from '../../store/index.ts';
import type { BundleLink } from '../render/bundle-links.ts';
import {
  renderChannelCsv,
  renderChannelIndexes,
  renderFeed,
  renderHome,
  renderMirrorsList,
} from '../render/index.ts';
import { renderPopularIndex } from '../render/popular.ts';
import { MAIN_REPO, otherReposFooter, type Placement } from '../render/retention.ts';
import { renderSearchGuide } from '../render/search-guide.ts';
import type { OutputFile } from '../types.ts';
import { channelTitleOf } from './page-input.ts';
import { archiveKeysOnDisk, channelEntriesByRepo, channelFilesIn, placedEntries } from './retention.ts';
import { newestOfEachKind } from './scheduled-bundles.ts';

/** Newest articles in feed.xml: enough for a reader who checks daily. */
const FEED_SIZE = 50;
/** "Most read" covers a week: long enough to smooth a day's spike, short enough to stay news. */
const POPULAR_DAYS = 7;
const POPULAR_SIZE = 30;

type IndexStore = Pick<StorePorts, 'articles' | 'channels' | 'views'>;

export async function renderIndexesAndHome(
  config: Config,
  store: IndexStore,
  changedChannels: Iterable<string>,
  now: Date,
  incremental?: { joined: Map<string, Set<string>>; mirrorDir: string },
  /** Every kept bundle (config `bundles`): the home page links the newest of each kind, an index its channel's. */
  bundleLinks: BundleLink[] = [],
  /** With `mirror.keep`: indexes list the pages kept here, link the archive's; moved pages link to the archive. */
  placement?: Placement,
): Promise<OutputFile[]> {
  // The home page's and indexes' labels follow `mirror.lang`, else the language most sites give.
  const mirror = { ...config.mirror, lang: mirrorLang(config) };
  const files: OutputFile[] = [];
  const newest = async (limit: number) => {
    const entries = await store.articles.listNewest(limit);
    return placement ? placedEntries(placement, MAIN_REPO, entries) : entries;
  };
  for (const channelId of changedChannels) {
    const channel = { id: channelId, title: channelTitleOf(config, channelId) };
    const bundles = bundleLinks.filter((bundle) => bundle.channelId === channelId);
    if (placement) {
      const byRepo = await channelEntriesByRepo(placement, store, channelId);
      files.push(...channelFilesIn(placement, MAIN_REPO, channelId, byRepo, now, bundles));
      continue;
    }
    const csvPath = MIRROR_LAYOUT.channelCsv(channelId);
    const joined = incremental?.joined.get(channelId);
    const tail = joined ? await newestTail(store, channelId, joined, mirror.indexPageSize) : undefined;
    const csvBefore =
      tail && incremental
        ? await readFile(join(incremental.mirrorDir, csvPath), 'utf8').catch(() => undefined)
        : undefined;
    if (tail && csvBefore !== undefined) {
      // The new articles are the channel's newest: older archive pages stay as they are, the CSV grows at its end.
      files.push(...renderChannelIndexes(channel, tail.entries, { mirror, now, total: tail.total, bundles }));
      files.push({ path: csvPath, content: csvBefore + renderChannelCsv(tail.joined) });
      continue;
    }
    const entries = await store.channels.entries(channelId, {});
    files.push(...renderChannelIndexes(channel, entries, { mirror, now, bundles }));
    files.push({ path: csvPath, content: renderChannelCsv(entries) });
  }
  const channels = [];
  for (const site of config.sites) {
    for (const channel of site.channels) {
      channels.push({ id: channel.id, title: channel.title, count: await store.articles.count(channel.id) });
    }
  }
  files.push({
    path: MIRROR_LAYOUT.home,
    content:
      renderHome(mirror, channels, await newest(mirror.homeSize), now, newestOfEachKind(bundleLinks)) +
      (placement
        ? otherReposFooter(
            placement,
            MAIN_REPO,
            archiveKeysOnDisk(placement.archive, now),
            MIRROR_LAYOUT.home,
          )
        : ''),
  });
  files.push({ path: MIRROR_LAYOUT.feed, content: renderFeed(mirror, await newest(FEED_SIZE), now) });
  files.push({ path: MIRROR_LAYOUT.mirrors, content: renderMirrorsList(mirror) });
  files.push({ path: MIRROR_LAYOUT.searchGuide, content: renderSearchGuide(mirror, channels) });
  // The most read articles of the past week, from `serve`'s counter, when there are any counts.
  const since = new Date(now.getTime() - POPULAR_DAYS * 86_400_000).toISOString().slice(0, 10);
  const popular = (await store.views.top({ sinceDay: since, limit: POPULAR_SIZE })).filter(
    (row) => row.title && (!placement || placement.kept.has(row.path)),
  );
  if (popular.length > 0) {
    const rows = popular.map((row) => ({ path: row.path, title: row.title ?? row.path, views: row.views }));
    files.push({ path: MIRROR_LAYOUT.popularIndex, content: renderPopularIndex(mirror, rows, now) });
  }
  return files;
}

/**
 * When the articles that joined a channel this run are its newest entries (the usual case), the channel's newest
 * entries from the archive page boundary below them: the only index pages they change. Undefined otherwise.
 */
async function newestTail(
  store: IndexStore,
  channelId: string,
  joined: Set<string>,
  pageSize: number,
): Promise<{ entries: ChannelEntry[]; joined: ChannelEntry[]; total: number } | undefined> {
  const total = await store.articles.count(channelId);
  const before = total - joined.size;
  // Archive pages wholly below `before` entries existed before this run and hold only older entries.
  const boundary = Math.max(0, Math.floor((before - 1) / pageSize)) * pageSize;
  const entries = await store.channels.entries(channelId, { limit: total - boundary });
  const newest = entries.slice(0, joined.size);
  if (entries.length !== total - boundary || !newest.every((e) => joined.has(`${e.siteId}/${e.id}`))) {
    return undefined;
  }
  return { entries, joined: newest, total };
}
