// What a run changed, as the writer learns it: the pages to render again, the channels whose indexes changed, and
// the image files written. The render step reads it; nothing else does.
import type { ArticleKey } from '../../store/index.ts';

export interface Changes {
  /** Articles whose page must be (re)rendered, each once. */
  renderKeys: ArticleKey[];
  /** The same keys as 'siteId/id', to queue each page once. */
  renderQueued: Set<string>;
  /** Channels whose indexes changed. */
  changedChannels: Set<string>;
  /** Articles ('siteId/id') that joined each channel this run; when they are its newest, few index pages change. */
  joinedChannel: Map<string, Set<string>>;
  /** Channels changed otherwise (an edited title, an interrupted run): their indexes are rendered whole. */
  rewriteIndexes: Set<string>;
  /** Image files written to the mirror this run. */
  assetPaths: string[];
}

export function noChanges(): Changes {
  return {
    renderKeys: [],
    renderQueued: new Set(),
    changedChannels: new Set(),
    joinedChannel: new Map(),
    rewriteIndexes: new Set(),
    assetPaths: [],
  };
}

export function hasChanges(changes: Changes): boolean {
  return changes.renderKeys.length > 0 || changes.changedChannels.size > 0 || changes.assetPaths.length > 0;
}

/** Records that an article joined a channel this run (its index changes). */
export function joinChannel(changes: Changes, channelId: string, key: ArticleKey): void {
  changes.changedChannels.add(channelId);
  const joined = changes.joinedChannel.get(channelId) ?? new Set<string>();
  changes.joinedChannel.set(channelId, joined);
  joined.add(`${key.siteId}/${key.id}`);
}

/** Queues an article's page for rendering; false when it already was. */
export function addRender(changes: Changes, key: ArticleKey): boolean {
  const name = `${key.siteId}/${key.id}`;
  if (changes.renderQueued.has(name)) return false;
  changes.renderQueued.add(name);
  changes.renderKeys.push({ siteId: key.siteId, id: key.id });
  return true;
}

/** The whole index of a channel is rendered again (not only its newest pages). */
export function rewriteChannel(changes: Changes, channelId: string): void {
  changes.changedChannels.add(channelId);
  changes.rewriteIndexes.add(channelId);
}
