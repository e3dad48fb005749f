// Step 1b, channel health: how each channel answered this run, remembered (`newsmirror status`), compared with its
// past: a channel that broke or recovered is told to the webhook, one whose article links fell far below its usual
// count is a warning (a redesign or a half-matching selector yields a few links, not none, and would go unseen).
import type { Config } from '../../config/options.ts';
import type { Logger } from '../../internal/log.ts';
import type { ChannelHealth, ChannelHealthPort } from '../../store/index.ts';
import type { Discovery } from './discover.ts';
import type { RunSummary } from './summary.ts';

/** Full answers whose link counts are kept per channel: enough for a median that one odd run does not move. */
export const CHANNEL_LINK_HISTORY = 10;

/** Full answers needed before a drop is judged: the usual count of a channel seen twice is not yet known. */
export const LINK_DROP_MIN_HISTORY = 3;

/** A count below this share of the median of recent runs is a drop. */
export const LINK_DROP_SHARE = 1 / 3;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The usual count when `links` is far below it (a warning), else undefined. */
export function linkDrop(recent: number[], links: number): number | undefined {
  if (recent.length < LINK_DROP_MIN_HISTORY) return undefined;
  const usual = median(recent);
  return links < usual * LINK_DROP_SHARE ? usual : undefined;
}

export type ChannelOutcome = { ok: true; links?: number } | { ok: false; message: string };

/** The channel's health after one more outcome (`links` absent: a 304, nothing new to count). */
export function nextHealth(
  previous: ChannelHealth | undefined,
  ids: { siteId: string; channelId: string },
  outcome: ChannelOutcome,
  at: string,
): ChannelHealth {
  const base: ChannelHealth = previous ?? { ...ids, consecutiveFailures: 0, recentLinks: [] };
  if (!outcome.ok) {
    return {
      ...base,
      ...ids,
      lastFailureAt: at,
      lastError: outcome.message,
      consecutiveFailures: base.consecutiveFailures + 1,
    };
  }
  const recentLinks =
    outcome.links === undefined
      ? base.recentLinks
      : [...base.recentLinks, outcome.links].slice(-CHANNEL_LINK_HISTORY);
  return { ...base, ...ids, lastSuccessAt: at, consecutiveFailures: 0, recentLinks };
}

/** Records every channel read this run; fills the summary's warnings and changes, and logs the warnings. */
export async function recordChannelHealth(
  config: Config,
  discovery: Discovery,
  port: ChannelHealthPort,
  summary: Pick<RunSummary, 'channelWarnings' | 'channelChanges'>,
  at: Date,
  log: Logger,
): Promise<void> {
  const known = new Map((await port.all()).map((health) => [health.channelId, health]));
  const failures = new Map(discovery.channelFailures.map((failure) => [failure.channelId, failure.message]));
  for (const site of config.sites) {
    for (const channel of site.channels) {
      if (discovery.stopped.has(channel.id)) continue;
      const ids = { siteId: site.id, channelId: channel.id };
      const previous = known.get(channel.id);
      const message = failures.get(channel.id);
      const links = discovery.linkCounts.get(channel.id);
      const outcome: ChannelOutcome = message === undefined ? { ok: true, links } : { ok: false, message };
      if (!outcome.ok && (previous?.consecutiveFailures ?? 0) === 0) {
        summary.channelChanges.push({ ...ids, change: 'broke', message: outcome.message });
      } else if (outcome.ok && (previous?.consecutiveFailures ?? 0) > 0) {
        summary.channelChanges.push({ ...ids, change: 'recovered' });
      }
      const usual =
        outcome.ok && links !== undefined ? linkDrop(previous?.recentLinks ?? [], links) : undefined;
      if (usual !== undefined) {
        const source = channel.listing
          ? `the selector "${channel.listing.links}" of ${channel.listing.url}`
          : (channel.feed ?? channel.sitemap);
        const warning =
          `${links} article link(s), against ${usual} usually (median of the last ${previous?.recentLinks.length} ` +
          `runs): check ${source} (the page may have been redesigned)`;
        summary.channelWarnings.push({ ...ids, message: warning });
        log.warn(`channel ${site.id}/${channel.id}: ${warning}`);
      }
      await port.save(nextHealth(previous, ids, outcome, at.toISOString()));
    }
  }
}
