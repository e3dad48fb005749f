// Metadata scoring for the extraction bench: title, author and publication date against a dataset's labels
// (wcxb-dev's ground truth `title` / `author` / `publish_date`, zh-content's author and date labels).
// - title: equal after normalisation (Unicode NFKC, lower case, every character that is not a letter or a
//   digit removed: whitespace, punctuation, symbols);
// - author: both as words (NFKC, lower case, runs of letters and digits, each Han character a word of its
//   own; a leading "by" and every "and" dropped, so "A, B, and C" is "A, B, C"); right when the shorter word list
//   is a run of the longer and at least half as long in characters ("Dylan Bailey" for "Dylan Bailey, MS, RD"
//   counts, the first of three names does not, nor does a whole byline line);
// - date: the same calendar day, the first year-month-day written in each (the offset the page wrote is kept,
//   no conversion to UTC);
// author and date are scored on pages that have a label only; zh-content's `UNKNOWN` is no label.
import type { Output } from './peers.ts';

export interface MetadataLabels {
  id: string;
  title?: string;
  author?: string;
  date?: string;
}

export interface Share {
  right: number;
  all: number;
}

export interface MetadataScore {
  title: Share;
  author: Share;
  date: Share;
}

/** zh-content marks pages without an author or date this way. */
const NO_LABEL = /^\s*unknown\s*$/i;
/** An author match needs the shorter name at least this share of the longer (normalised lengths). */
const AUTHOR_MIN_OVERLAP = 0.5;

function label(value: string | undefined): string | undefined {
  return value && !NO_LABEL.test(value) && normalised(value) ? value : undefined;
}

/** NFKC, lower case, letters and digits only. */
export function normalised(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export function titleMatches(ours: string | undefined, truth: string): boolean {
  return Boolean(ours) && normalised(ours ?? '') === normalised(truth);
}

/** Words of a name: runs of letters and digits, each Han character on its own; "by", "and", "&" dropped. */
function nameWords(text: string): string[] {
  const words =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/\p{Script=Han}|[\p{L}\p{N}]+/gu) ?? [];
  const kept = words.filter((word) => word !== 'and');
  return kept[0] === 'by' ? kept.slice(1) : kept;
}

export function authorMatches(ours: string | undefined, truth: string): boolean {
  const a = nameWords(ours ?? '');
  const b = nameWords(truth);
  if (a.length === 0 || b.length === 0) return false;
  const [short, long] = a.join(' ').length <= b.join(' ').length ? [a, b] : [b, a];
  const at = (i: number) => short.every((word, j) => long[i + j] === word);
  const contained = long.some((_, i) => i + short.length <= long.length && at(i));
  return contained && short.join('').length >= long.join('').length * AUTHOR_MIN_OVERLAP;
}

/** The first year-month-day in the text ('2005-7-3', '2005/07/03', '2005年7月3日', ISO 8601), as YYYY-MM-DD. */
export function calendarDay(text: string | undefined): string | undefined {
  const match = text?.match(/((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/);
  return match ? `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}` : undefined;
}

export function dateMatches(ours: string | undefined, truth: string): boolean {
  const day = calendarDay(truth);
  return day !== undefined && calendarDay(ours) === day;
}

/** Scores one extractor's outputs on the labels the pages have (a dataset without titles gets '-'). */
export function scoreMetadata(
  pages: readonly MetadataLabels[],
  output: (id: string) => Output | undefined,
): MetadataScore {
  const score: MetadataScore = {
    title: { right: 0, all: 0 },
    author: { right: 0, all: 0 },
    date: { right: 0, all: 0 },
  };
  for (const page of pages) {
    const out = output(page.id);
    const title = label(page.title);
    if (title) {
      score.title.all++;
      if (titleMatches(out?.title, title)) score.title.right++;
    }
    const author = label(page.author);
    if (author) {
      score.author.all++;
      if (authorMatches(out?.author, author)) score.author.right++;
    }
    const date = label(page.date);
    if (date && calendarDay(date)) {
      score.date.all++;
      if (dateMatches(out?.published, date)) score.date.right++;
    }
  }
  return score;
}

function cell(share: Share): string {
  return share.all ? `${share.right}/${share.all} (${(share.right / share.all).toFixed(3)})` : '-';
}

/** A small markdown table: one row per extractor (and page group). */
export function metadataTable(rows: ReadonlyArray<{ name: string; score: MetadataScore }>): string[] {
  return [
    '| metadata | title | author | date |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      ({ name, score }) => `| ${name} | ${cell(score.title)} | ${cell(score.author)} | ${cell(score.date)} |`,
    ),
  ];
}

export const METADATA_RULES =
  '  metadata rules: title equal after NFKC + lower case + letters/digits only; author as words (leading "by", "and", punctuation ' +
  'dropped), the shorter a run of words of the longer and at least half its length; date the same calendar day; ' +
  'author and date on labelled pages only (zh-content UNKNOWN is no label)';
