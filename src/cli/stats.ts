// `newsmirror stats -c FILE [--days N]`: the most viewed pages of each channel over the last N days (UTC), as a
// text table on stdout.
import { loadConfig } from '../config/load.ts';
import { ConfigError } from '../internal/errors.ts';
import { type ChannelTop, topPagesPerChannel, windowStart } from '../server/index.ts';
import { openStore } from '../store/index.ts';

/** A week smooths out the day-of-week swing of news reading. */
const DEFAULT_DAYS = 7;
/** Ten pages a channel fits a terminal screen for a handful of channels. */
const PAGES_PER_CHANNEL = 10;
/** Counts are kept per day without expiry, but a window beyond ten years is a typo. */
const MAX_DAYS = 3_650;

export async function statsCommand(options: { config: string; days?: number }): Promise<number> {
  const days = options.days === undefined ? DEFAULT_DAYS : Number(options.days);
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new ConfigError(`stats: --days ${options.days} is not a whole number from 1 to ${MAX_DAYS}`, {
      code: 'bad_days',
      where: '--days',
      retryable: false,
    });
  }
  const loaded = loadConfig(options.config);
  const titles = new Map(
    loaded.config.sites.flatMap((site) =>
      site.channels.map((channel) => [channel.id, channel.title] as const),
    ),
  );
  const store = await openStore(loaded);
  try {
    const sinceDay = windowStart(new Date(), days);
    const channels = await topPagesPerChannel(store, { sinceDay, perChannel: PAGES_PER_CHANNEL });
    process.stdout.write(formatChannelTables(channels, { sinceDay, days, titles }));
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * One block per channel, most viewed channel first: views right-aligned, then the page path and its title. Titles
 * come last because CJK characters are two columns wide and would break any alignment after them.
 */
export function formatChannelTables(
  channels: ChannelTop[],
  context: { sinceDay: string; days: number; titles: Map<string, string> },
): string {
  const lines = [
    `Most viewed pages since ${context.sinceDay} (${context.days} day${context.days === 1 ? '' : 's'}, UTC)`,
  ];
  if (channels.length === 0) return `${lines[0]}\n\nNo views recorded.\n`;
  for (const channel of channels) {
    const name = channel.channelId
      ? `${channel.channelId}${context.titles.has(channel.channelId) ? ` ${context.titles.get(channel.channelId)}` : ''}`
      : '(outside pages/)';
    const width = Math.max(5, ...channel.pages.map((page) => String(page.views).length));
    const pathWidth = Math.max(4, ...channel.pages.map((page) => page.path.length));
    lines.push('', `${name}: ${channel.total} views`);
    lines.push(`  ${'views'.padStart(width)}  ${'page'.padEnd(pathWidth)}  title`);
    for (const page of channel.pages) {
      lines.push(
        `  ${String(page.views).padStart(width)}  ${page.path.padEnd(pathWidth)}  ${oneLine(page.title ?? '')}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
