// Channel indexes: the newest titles on indexes/<channel>.md, older ones on numbered archive pages, and
// the channel's id,title CSV as the original kept it.
import { createHash } from 'node:crypto';
import type { PhrasingContent } from 'mdast';
import type { MirrorConfig } from '../../config/options.ts';
import { fillLabel, type Labels, labelsFor } from '../../internal/labels.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import type { OutputFile, ScriptPolicy } from '../types.ts';
import { type BundleLink, channelBundleLine } from './bundle-links.ts';
import { heading, link, paragraph, separated, table, text, titleText } from './escape.ts';
import { renderNavBar } from './nav.ts';
import { relativeLink, withQuery } from './paths.ts';
import { inScript } from './script.ts';

export interface IndexEntry {
  id: string;
  title: string;
  /** Mirror-root path of the article page. */
  path: string;
  /** ISO 8601. */
  published?: string;
  /** ISO 8601: when the mirror found it, the date of an article whose publisher gave none. */
  firstSeen?: string;
  channelId: string;
}

/** Hex digits of the content hash that stamps archive links: 32 bits tell versions of one page apart. */
const ARCHIVE_STAMP_LENGTH = 8;

/** `MMDDHHMM` in UTC, the original's `?MMDDHHMM` that makes the git host serve a fresh copy. */
export function cacheBuster(now: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    two(now.getUTCMonth() + 1) + two(now.getUTCDate()) + two(now.getUTCHours()) + two(now.getUTCMinutes())
  );
}

/** Kept for callers of the render API; the paths are MIRROR_LAYOUT's. */
export const newestIndexPath = MIRROR_LAYOUT.channelIndex;
export const archiveIndexPath = MIRROR_LAYOUT.channelArchive;

/**
 * `entries` newest first. The newest page lists the newest `indexPageSize` titles; archive page n (1 = the
 * oldest) always holds the n-th full block of `indexPageSize` titles counted from the oldest, so once written
 * it never changes: new articles only add pages. Archive pages link with a stamp of their own content instead
 * of the run's time, and their footer names only older pages, which keeps them byte-for-byte stable (a
 * mirror of 100,000 articles must not rewrite every index page each hour).
 *
 * With `context.total`, `entries` are only the newest of the channel's `total` entries, starting at an archive
 * page boundary: the newest page and the archive pages they wholly hold are rendered, the older pages (which
 * new entries at the newest end cannot change) are not, so a run's cost follows its new articles.
 */
export function renderChannelIndexes(
  channel: { id: string; title: string },
  entries: IndexEntry[],
  context: { mirror: MirrorConfig; now: Date; total?: number; bundles?: BundleLink[] },
): OutputFile[] {
  const { mirror } = context;
  const label = (value: string) => inScript(value, mirror.script);
  // "Older articles:", "newest", "page n", in the mirror's language.
  const labels = labelsFor(mirror.lang, mirror.labels);
  const pageLabel = (n: number) => fillLabel(labels.page, { n });
  const size = mirror.indexPageSize;
  const oldestFirst = [...entries].reverse();
  const total = Math.max(context.total ?? entries.length, entries.length);
  /** Oldest entries not given: the archive pages holding any of them are left as they are. */
  const skipped = total - entries.length;
  const archiveCount = total > size ? Math.ceil((total - size) / size) : 0;
  const files: OutputFile[] = [];

  const newestPath = newestIndexPath(channel.id);
  const buster = cacheBuster(context.now);
  const archiveLinks: PhrasingContent[] = [];
  for (let n = archiveCount; n >= 1; n--) {
    archiveLinks.push(
      link(pageLabel(n), withQuery(relativeLink(newestPath, archiveIndexPath(channel.id, n)), buster)),
    );
  }
  files.push({
    path: newestPath,
    content: indexPage({
      title: label(channel.title),
      path: newestPath,
      entries: entries.slice(0, size),
      query: buster,
      mirror,
      footer: archiveLinks.length > 0 ? [text(label(labels.older)), ...separated(archiveLinks)] : [],
      bundles: channelBundleLine(context.bundles ?? [], newestPath, mirror.script),
    }),
  });

  for (let n = 1; n <= archiveCount; n++) {
    if ((n - 1) * size < skipped) continue;
    const path = archiveIndexPath(channel.id, n);
    const pageEntries = oldestFirst.slice((n - 1) * size - skipped, n * size - skipped).reverse();
    const stamp = archiveStamp(channel, n, pageEntries);
    const footerLinks: PhrasingContent[] = [
      link(label(labels.newestPage), withQuery(relativeLink(path, newestPath), stamp)),
    ];
    for (let older = n - 1; older >= 1; older--) {
      footerLinks.push(
        link(pageLabel(older), withQuery(relativeLink(path, archiveIndexPath(channel.id, older)), stamp)),
      );
    }
    files.push({
      path,
      content: indexPage({
        title: label(`${channel.title}（${pageLabel(n)}）`),
        path,
        entries: pageEntries,
        query: stamp,
        mirror,
        footer: separated(footerLinks),
      }),
    });
  }
  return files;
}

function indexPage(page: {
  title: string;
  path: string;
  entries: IndexEntry[];
  query: string;
  mirror: MirrorConfig;
  footer: PhrasingContent[];
  /** Markdown lines linking the channel's bundles (the newest page only). */
  bundles?: string[];
}): string {
  const lines = [heading(3, [text(page.title)]), '', '---', ''];
  const nav = renderNavBar(page.mirror.nav, page.path, page.query);
  if (nav) lines.push(nav, '');
  lines.push(...(page.bundles ?? []));
  const labels = labelsFor(page.mirror.lang, page.mirror.labels);
  lines.push(entryTable(page.entries, page.path, page.query, page.mirror.script, undefined, labels), '');
  if (page.footer.length > 0) lines.push('---', '', paragraph(page.footer), '');
  return lines.join('\n');
}

/**
 * Titles newest first as a table of date and linked title (and channel, when `channelTitles` is given);
 * `fromFile` is the page holding the table. Titles follow the mirror's script.
 */
export function entryTable(
  entries: IndexEntry[],
  fromFile: string,
  query: string,
  script: ScriptPolicy,
  channelTitles?: Map<string, string>,
  labels: Labels = labelsFor(undefined),
): string {
  const label = (value: string) => inScript(value, script);
  if (entries.length === 0) return label(labels.empty);
  const header = (
    channelTitles ? [labels.date, labels.channel, labels.title] : [labels.date, labels.title]
  ).map(label);
  const rows = entries.map((entry) => {
    const row: PhrasingContent[][] = [[text(dateOf(entry.published ?? entry.firstSeen))]];
    if (channelTitles) row.push([text(label(channelTitles.get(entry.channelId) ?? entry.channelId))]);
    row.push([link(label(titleText(entry.title)), withQuery(relativeLink(fromFile, entry.path), query))]);
    return row;
  });
  return table(header, rows);
}

/** The calendar date as the publisher wrote it (its own time zone), e.g. `2023-10-18`. */
function dateOf(published: string | undefined): string {
  const match = published ? /^\d{4}-\d{2}-\d{2}/.exec(published) : null;
  return match ? match[0] : '';
}

function archiveStamp(channel: { id: string }, n: number, entries: IndexEntry[]): string {
  const hash = createHash('sha256').update(`${channel.id}\n${n}\n`);
  for (const entry of entries)
    hash.update(`${entry.id}\t${entry.path}\t${entry.title}\t${entry.published ?? ''}\n`);
  return hash.digest('hex').slice(0, ARCHIVE_STAMP_LENGTH);
}

/**
 * `id,title` rows, oldest first, quoted as RFC 4180 says (fields with `"`, `,`, CR or LF). Titles are one line
 * and bounded as in the indexes.
 */
export function renderChannelCsv(entries: IndexEntry[]): string {
  return [...entries]
    .reverse()
    .map((entry) => `${csvField(entry.id)},${csvField(titleText(entry.title))}\n`)
    .join('');
}

/**
 * A spreadsheet opening the CSV runs a cell starting with `=`, `+`, `-` or `@` (or a tab or CR before one) as a
 * formula (`=HYPERLINK(...)`, `=WEBSERVICE(...)` leak or mislead): such a cell gets a leading `'`, which the
 * spreadsheet shows as text (OWASP's advice for CSV injection).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Ids too: a safe id may start with `=`, `+`, `-` or `@` (the URL chooses it). */
function csvField(value: string): string {
  const inert = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
}
