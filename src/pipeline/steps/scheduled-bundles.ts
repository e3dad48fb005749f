// The bundles `run` and `rebuild` write into the mirror (config `bundles`): for each kind (format, day or week, a
// channel or several combined), the newest `keep` periods that have articles. A run writes a period again only when
// an article of it was stored or changed this run (or its file is missing); bundles no longer kept are removed, in
// the same commit. The bytes depend on the articles only (steps/write-bundle.ts), so a rebuild makes the same files.
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config/options.ts';
import type { BundleSpec } from '../../config/options-bundles.ts';
import { NewsmirrorError } from '../../internal/errors.ts';
import type { Logger } from '../../internal/log.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import type { ArticleKey, StorePorts } from '../../store/index.ts';
import { removeFiles } from '../publish/write-files.ts';
import type { BundleLink } from '../render/bundle-links.ts';
import type { RenderedFilesWriter } from './render-changes.ts';
import { dayOf, renderBundle } from './write-bundle.ts';

type BundleStore = Pick<StorePorts, 'articles' | 'channels' | 'pageRefs' | 'images'>;

/** One file the config asks for. */
export interface BundleTarget extends BundleLink {
  /** The channels it holds (one, unless combined). */
  channels: string[];
  /** First and last day of the period (YYYY-MM-DD, UTC). */
  since: string;
  until: string;
}

/** Channel entries read per step while looking for a channel's newest periods. */
const ENTRIES_PAGE = 500;
/** The names bundle files have: anything else in `bundles/` is left alone. */
const BUNDLE_NAME = /^(\d{4}-\d{2}-\d{2}|\d{4}-W\d{2})\.(epub|html)$/;
const DAY_MS = 86_400_000;

export interface BundleContext {
  config: Config;
  mirrorDir: string;
  store: BundleStore;
  log: Logger;
}

/**
 * Writes the bundles of periods an article in `changed` falls in (every kept period when `changed` is 'all', and
 * any whose file is missing), removes bundles no longer kept, and returns a link to every kept bundle.
 */
export async function writeScheduledBundles(
  context: BundleContext,
  changed: ArticleKey[] | 'all',
  output: RenderedFilesWriter,
  now: Date,
): Promise<BundleLink[]> {
  const { config, mirrorDir, store, log } = context;
  const targets = await plannedBundles(config, store, now);
  // Without bundles configured, no store reads: only a look for files an earlier config left.
  const touched = changed === 'all' || targets.length === 0 ? undefined : await touchedDays(store, changed);
  const links: BundleLink[] = [];
  for (const target of targets) {
    const file = join(mirrorDir, target.path);
    const size = await stat(file).then(
      (info) => info.size,
      () => undefined,
    );
    if (size === undefined || !touched || isTouched(target, touched)) {
      try {
        const rendered = await renderBundle(
          {
            loaded: { config, mirrorDir },
            store,
            format: target.format,
            channel: target.channelId,
            channels: target.channelId ? undefined : target.channels,
            since: target.since,
            until: target.until,
          },
          target.path,
        );
        await output.write([rendered.file]);
        links.push({ ...linkOf(target), bytes: rendered.file.content.length });
        log.debug(`bundle ${target.path}: ${rendered.articles} articles, ${rendered.images} images`);
      } catch (error) {
        // A period whose articles are all gone from the store: no bundle, and no link.
        if (error instanceof NewsmirrorError && error.code === 'empty_bundle') continue;
        throw error;
      }
    } else {
      links.push({ ...linkOf(target), bytes: size });
    }
  }
  const stale = await staleBundles(mirrorDir, new Set(targets.map((target) => target.path)));
  if (stale.length > 0) {
    await removeFiles(mirrorDir, stale);
    // Staged as removals by the run's commit.
    for (const path of stale) output.paths.add(path);
    log.debug(`removed ${stale.length} bundles no longer kept`);
  }
  return links;
}

/** The newest bundle of each kind: what the home page links. */
export function newestOfEachKind(links: BundleLink[]): BundleLink[] {
  const seen = new Set<string>();
  return links.filter((link) => {
    const kind = `${link.format} ${/W/.test(link.period) ? 'week' : 'day'} ${link.channelId ?? ''}`;
    if (seen.has(kind)) return false;
    seen.add(kind);
    return true;
  });
}

/**
 * Every file `bundles:` asks for at `now`: per kind, the newest `keep` periods that have articles (that are over,
 * with `finished`), newest first.
 */
export async function plannedBundles(config: Config, store: BundleStore, now: Date): Promise<BundleTarget[]> {
  const all = config.sites.flatMap((site) => site.channels.map((channel) => channel.id));
  const today = now.toISOString().slice(0, 10);
  const periodsOf = new Map<string, string[]>();
  const channelPeriods = async (channelId: string, spec: BundleSpec) => {
    const key = `${channelId} ${spec.every} ${spec.keep} ${spec.finished}`;
    let periods = periodsOf.get(key);
    if (!periods) {
      // One more than kept: the newest may be the period still under way.
      periods = await newestPeriods(store, channelId, spec.every, spec.keep + (spec.finished ? 1 : 0));
      if (spec.finished) periods = periods.filter((period) => daysOf(period).until < today);
      periods = periods.slice(0, spec.keep);
      periodsOf.set(key, periods);
    }
    return periods;
  };
  const targets: BundleTarget[] = [];
  for (const spec of config.bundles) {
    const channels = spec.channels ?? all;
    if (spec.combined) {
      const union = new Set<string>();
      for (const channelId of channels)
        for (const period of await channelPeriods(channelId, spec)) union.add(period);
      const newest = [...union].sort().reverse().slice(0, spec.keep);
      for (const period of newest) {
        const path = MIRROR_LAYOUT.combinedBundle(period, spec.format);
        targets.push(targetOf(spec, period, path, channels, undefined));
      }
      continue;
    }
    for (const channelId of channels) {
      for (const period of await channelPeriods(channelId, spec)) {
        const path = MIRROR_LAYOUT.channelBundle(channelId, period, spec.format);
        targets.push(targetOf(spec, period, path, [channelId], channelId));
      }
    }
  }
  return targets;
}

function targetOf(
  spec: BundleSpec,
  period: string,
  path: string,
  channels: string[],
  channelId: string | undefined,
): BundleTarget {
  const { since, until } = daysOf(period);
  return { path, period, format: spec.format, bytes: 0, channelId, channels, since, until };
}

function linkOf(target: BundleTarget): Omit<BundleLink, 'bytes'> {
  return { path: target.path, period: target.period, format: target.format, channelId: target.channelId };
}

/** A channel's newest `keep` periods with articles, newest first (entries come newest first). */
async function newestPeriods(
  store: BundleStore,
  channelId: string,
  every: BundleSpec['every'],
  keep: number,
): Promise<string[]> {
  const periods: string[] = [];
  for (let offset = 0; ; offset += ENTRIES_PAGE) {
    const page = await store.channels.entries(channelId, { limit: ENTRIES_PAGE, offset });
    for (const entry of page) {
      const period = periodOf(dayOf(entry), every);
      if (periods.includes(period)) continue;
      if (periods.length === keep) return periods;
      periods.push(period);
    }
    if (page.length < ENTRIES_PAGE) return periods;
  }
}

/** `2024-05-20` for a day; the ISO week `2024-W21` (Monday to Sunday, the year its Thursday is in) for a week. */
export function periodOf(day: string, every: BundleSpec['every']): string {
  if (every === 'day') return day;
  const date = Date.parse(`${day}T00:00:00Z`);
  const thursday = new Date(date + (3 - ((new Date(date).getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** First and last day of a period. */
export function daysOf(period: string): { since: string; until: string } {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (!week) return { since: period, until: period };
  // Week 1 holds January 4th; its Monday starts the year's weeks.
  const jan4 = Date.UTC(Number(week[1]), 0, 4);
  const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (Number(week[2]) - 1) * 7 * DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { since: iso(monday), until: iso(monday + 6 * DAY_MS) };
}

/** Channel -> the days of articles stored or changed this run. */
async function touchedDays(store: BundleStore, keys: ArticleKey[]): Promise<Map<string, Set<string>>> {
  const days = new Map<string, Set<string>>();
  for (const key of keys) {
    const stored = await store.articles.get(key.siteId, key.id);
    if (!stored) continue;
    const day = dayOf(stored);
    for (const channelId of await store.channels.of(key.siteId, key.id)) {
      const set = days.get(channelId) ?? new Set<string>();
      set.add(day);
      days.set(channelId, set);
    }
  }
  return days;
}

function isTouched(target: BundleTarget, touched: Map<string, Set<string>>): boolean {
  return target.channels.some((channelId) =>
    [...(touched.get(channelId) ?? [])].some((day) => day >= target.since && day <= target.until),
  );
}

/** Bundle files in the mirror that no entry asks for any more (older periods, a kind taken out of the config). */
async function staleBundles(mirrorDir: string, kept: Set<string>): Promise<string[]> {
  const folder = MIRROR_LAYOUT.bundlesFolder;
  const list = (path: string) =>
    readdir(join(mirrorDir, path), { withFileTypes: true }).catch(() => [] as Dirent[]);
  const stale: string[] = [];
  for (const entry of await list(folder)) {
    if (entry.isFile() && BUNDLE_NAME.test(entry.name) && !kept.has(`${folder}/${entry.name}`)) {
      stale.push(`${folder}/${entry.name}`);
    } else if (entry.isDirectory()) {
      for (const inner of await list(`${folder}/${entry.name}`)) {
        const path = `${folder}/${entry.name}/${inner.name}`;
        if (inner.isFile() && BUNDLE_NAME.test(inner.name) && !kept.has(path)) stale.push(path);
      }
    }
  }
  return stale.sort();
}
