// What the counts say, read from the store's views port: views per day for the chart, the most read
// pages over a few windows, and the most read pages per channel for `newsmirror stats`.
import { MIRROR_LAYOUT } from '../internal/mirror-layout.ts';
import type { DayViews, StorePorts, TopPage } from '../store/index.ts';

/** The windows the stats page ranks pages over, in days (today counts as the first day). */
export const TOP_WINDOWS = [1, 7, 30] as const;

/** Pages listed per window on the stats page. */
export const TOP_PAGES_PER_WINDOW = 20;

/** Pages read from the store to group by channel; beyond this the long tail of single views is left out. */
const MAX_PAGES_FOR_CHANNELS = 100_000;

export interface TopWindow {
  days: number;
  sinceDay: string;
  /** Views of all pages in the window. */
  total: number;
  pages: TopPage[];
}

export interface StatsSnapshot {
  generatedAt: string;
  /** The last UTC day of every window. */
  today: string;
  /** One entry per day of the chart, oldest first, days without views included as 0. */
  perDay: DayViews[];
  top: TopWindow[];
}

/** 'YYYY-MM-DD' (UTC) of the day `daysBefore` days before `now`. */
export function dayBefore(now: Date, daysBefore: number): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysBefore))
    .toISOString()
    .slice(0, 10);
}

/** The first day of a window of `days` days ending today. */
export function windowStart(now: Date, days: number): string {
  return dayBefore(now, days - 1);
}

export async function statsSnapshot(
  store: Pick<StorePorts, 'views'>,
  now: Date,
  chartDays: number,
): Promise<StatsSnapshot> {
  const longest = Math.max(chartDays, ...TOP_WINDOWS);
  const counted = new Map(
    (await store.views.perDay({ sinceDay: windowStart(now, longest) })).map((row) => [row.day, row.views]),
  );
  const series = (days: number): DayViews[] =>
    Array.from({ length: days }, (_, index) => {
      const day = dayBefore(now, days - 1 - index);
      return { day, views: counted.get(day) ?? 0 };
    });
  const top: TopWindow[] = [];
  for (const days of TOP_WINDOWS) {
    const sinceDay = windowStart(now, days);
    top.push({
      days,
      sinceDay,
      total: series(days).reduce((sum, row) => sum + row.views, 0),
      pages: await store.views.top({ sinceDay, limit: TOP_PAGES_PER_WINDOW }),
    });
  }
  return { generatedAt: now.toISOString(), today: dayBefore(now, 0), perDay: series(chartDays), top };
}

/** The channel of a page: its `pages/<channel>/` folder; undefined for files elsewhere in the mirror. */
export function channelOfPath(path: string): string | undefined {
  const prefix = `${MIRROR_LAYOUT.pagesFolder}/`;
  if (!path.startsWith(prefix)) return undefined;
  const end = path.indexOf('/', prefix.length);
  return end > prefix.length ? path.slice(prefix.length, end) : undefined;
}

export interface ChannelTop {
  /** Undefined for pages outside `pages/<channel>/`. */
  channelId: string | undefined;
  total: number;
  pages: TopPage[];
}

/** The most viewed pages of each channel since `sinceDay`, channels with the most views first. */
export async function topPagesPerChannel(
  store: Pick<StorePorts, 'views'>,
  options: { sinceDay: string; perChannel: number },
): Promise<ChannelTop[]> {
  const rows = await store.views.top({ sinceDay: options.sinceDay, limit: MAX_PAGES_FOR_CHANNELS });
  const byChannel = new Map<string | undefined, ChannelTop>();
  for (const row of rows) {
    const channelId = channelOfPath(row.path);
    let group = byChannel.get(channelId);
    if (!group) {
      group = { channelId, total: 0, pages: [] };
      byChannel.set(channelId, group);
    }
    group.total += row.views;
    // Rows come most viewed first, so the first ones of each channel are its top pages.
    if (group.pages.length < options.perChannel) group.pages.push(row);
  }
  return [...byChannel.values()].sort(
    (a, b) => b.total - a.total || (a.channelId ?? '\uffff').localeCompare(b.channelId ?? '\uffff'),
  );
}
