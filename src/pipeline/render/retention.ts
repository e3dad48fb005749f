// Where each page lives once `mirror.keep` is set: in the main mirror when it is among the newest `keep` of a channel
// listing it, else in the archive (one repository, or one per year of the time it sorts by). Pure: the kept set is
// read from the store by the caller. A link between two repositories is the target's public URL, so it never breaks.
import type { Config, MirrorConfig } from '../../config/options.ts';
import { type ArchiveConfig, YEAR_PLACEHOLDER } from '../../config/options-retention.ts';
import { link, paragraph, separated, text } from './escape.ts';
import { publicUrlOf } from './paths.ts';
import { inScript } from './script.ts';

/** The repository key of the main mirror; an archive's key is its year, or ARCHIVE_REPO without `{year}`. */
export const MAIN_REPO = 'main';
export const ARCHIVE_REPO = 'archive';

const ARCHIVE_SUFFIX = '（存档）';
/** "Older articles are in the archive:", "newer articles:", "the main mirror". */
const IN_ARCHIVE_LABEL = '更早的文章在存档：';
const MAIN_LABEL = '较新的文章在主镜像：';

export interface Placement {
  config: Config;
  archive: ArchiveConfig;
  /** Page paths that stay in the main mirror. */
  kept: ReadonlySet<string>;
}

/** What placing a page needs of its article (a stored record or an index entry has these). */
export interface Placeable {
  /** The page path ('pagePath' of a record, 'path' of an index entry). */
  path: string;
  published?: string;
  firstSeen: string;
}

/** The channel's `keep`, else the mirror's; undefined when every page of the channel stays. */
export function keepOf(config: Config, channelId: string): number | undefined {
  for (const site of config.sites) {
    for (const channel of site.channels)
      if (channel.id === channelId) return channel.keep ?? config.mirror.keep;
  }
  return config.mirror.keep;
}

/** Whether any page can move: an archive and a `keep` somewhere. */
export function retains(config: Config): boolean {
  if (!config.mirror.archive) return false;
  return config.sites.some((site) =>
    site.channels.some((channel) => keepOf(config, channel.id) !== undefined),
  );
}

/**
 * The time an index sorts an article by (the store's rule: published, unless missing or after first seen), whose
 * UTC year names its archive.
 */
export function sortTimeOf(published: string | undefined, firstSeen: string): number {
  const seen = Date.parse(firstSeen);
  const at = published === undefined ? Number.NaN : Date.parse(published);
  return Number.isFinite(at) && at <= seen ? at : seen;
}

export function archiveKeyOf(archive: ArchiveConfig, item: Omit<Placeable, 'path'>): string {
  if (!archive.dir.includes(YEAR_PLACEHOLDER)) return ARCHIVE_REPO;
  return String(new Date(sortTimeOf(item.published, item.firstSeen)).getUTCFullYear());
}

export function repoOf(placement: Placement, item: Placeable): string {
  return placement.kept.has(item.path) ? MAIN_REPO : archiveKeyOf(placement.archive, item);
}

/** `value` with `{year}` filled for an archive key (unchanged for the single archive). */
export function forArchive(value: string, key: string): string {
  return key === ARCHIVE_REPO ? value : value.replaceAll(YEAR_PLACEHOLDER, key);
}

/** Base public URL of a repository. */
export function repoUrl(placement: Placement, key: string): string {
  if (key === MAIN_REPO) return placement.config.mirror.publicUrl ?? '';
  return forArchive(placement.archive.publicUrl, key);
}

/** The page of `item` as linked from a file of repository `fromRepo`: its path there, else its public URL. */
export function hrefFrom(placement: Placement, fromRepo: string, item: Placeable): string {
  const repo = repoOf(placement, item);
  return repo === fromRepo ? item.path : publicUrlOf(repoUrl(placement, repo), item.path);
}

/** The mirror settings archived pages and indexes are rendered with: the archive's public URL (QR codes), title. */
export function archiveMirror(placement: Placement, key: string): MirrorConfig {
  const { mirror } = placement.config;
  const year = key === ARCHIVE_REPO ? '' : ` ${key}`;
  return {
    ...mirror,
    title: placement.archive.title
      ? forArchive(placement.archive.title, key)
      : `${mirror.title}${ARCHIVE_SUFFIX}${year}`,
    publicUrl: repoUrl(placement, key),
    remotes: [],
    mirrors: [],
  };
}

/**
 * A paragraph for the end of an index or home page: links to the same file (`path`) in other repositories, main
 * first then archives newest first. Empty when there are none.
 */
export function otherReposFooter(
  placement: Placement,
  fromRepo: string,
  archiveKeys: Iterable<string>,
  path: string,
): string {
  const script = placement.config.mirror.script;
  const lines: string[] = [];
  if (fromRepo !== MAIN_REPO) {
    lines.push(
      paragraph([
        text(inScript(MAIN_LABEL, script)),
        link(placement.config.mirror.title, publicUrlOf(repoUrl(placement, MAIN_REPO), path)),
      ]),
    );
  }
  const keys = [...new Set(archiveKeys)]
    .filter((key) => key !== fromRepo && key !== MAIN_REPO)
    .sort()
    .reverse();
  if (keys.length > 0) {
    const links = keys.map((key) =>
      link(key === ARCHIVE_REPO ? inScript('存档', script) : key, publicUrlOf(repoUrl(placement, key), path)),
    );
    lines.push(paragraph([text(inScript(IN_ARCHIVE_LABEL, script)), ...separated(links)]));
  }
  return lines.length === 0 ? '' : `\n---\n\n${lines.join('\n\n')}\n`;
}
