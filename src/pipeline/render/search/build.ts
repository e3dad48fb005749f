// The static search index of a site: `search/meta.json` (sizes, segments and the script-folding table), the
// documents in chunks (`search/docs/<n>.json`: title, page, channel, day) and the postings of each segment in shards
// (`search/index/<segment>-<n>.json`: token -> gaps between document numbers). A query loads the meta file, one shard
// per token and segment, and the chunks of the results it shows: a few small files, whatever the size of the mirror.
//
// Incremental, as a log-structured index: segment 0 holds the documents of the last full build, segment 1 the ones
// added since. A build that only adds documents rewrites segment 1 alone (its shards are few and small), tokenising
// only the new documents; once segment 1 outgrows a quarter of segment 0, or a document changed or went, the
// segments are merged into one, still from the stored postings, without tokenising anything again.
import type { OutputFile } from '../../types.ts';
import { cjkChars, searchTokens, tokenHash, variantsOfChars } from './tokens.ts';

export const SEARCH_FOLDER = 'search';
/** Bump when the files' format changes; the script refuses an index of another version. */
export const SEARCH_INDEX_VERSION = 2;
/** Documents per chunk file. */
const CHUNK = 500;
/** Postings per shard aimed at: about 30 KB of JSON, one quick request on a slow phone connection. */
const POSTINGS_PER_SHARD = 8000;
const MAX_SHARDS = 4096;
/** Segment 1 may hold this many documents, or a quarter of segment 0 when that is more, before a merge. */
const RECENT_MIN = 200;

export interface SearchDocument {
  title: string;
  /** Site-root path of the page. */
  href: string;
  channel: string;
  /** YYYY-MM-DD. */
  day: string;
  /** Title, author and the sanitised body as text. */
  text: string;
}

export interface SearchIndexSummary {
  documents: number;
  /** Distinct tokens of the segments written this build. */
  tokens: number;
  /** Shard files of the whole index. */
  shards: number;
  segments: number;
  /** Articles tokenised this build (the others' postings were taken from the previous index). */
  reindexed: number;
  /** Whether the segments were merged into one (every shard file rewritten). */
  merged: boolean;
}

/** A document of an incremental build: its text when it must be tokenised, else its number in the previous index. */
export interface IndexDocument extends Omit<SearchDocument, 'text'> {
  /** Stable across builds: `<site>/<id>`. */
  key: string;
  /** Changes when what is indexed changes. */
  stamp: string;
  text?: string;
  previous?: number;
}

/** A segment as meta.json describes it: its documents start at `start` and end where the next one starts. */
export interface SegmentMeta {
  start: number;
  shards: number;
}

/** Shard n of a segment: token -> gaps (the first one the document number itself). */
export type Shard = Record<string, number[]>;

/** What an incremental build needs of the last one, read back from the files it wrote. */
export interface PreviousIndex {
  documents: number;
  segments: SegmentMeta[];
  /** The shards of segment `n`, read only when a build needs them. */
  shardsOf: (segment: number) => Shard[];
  /** The folding table the tokens were folded with. */
  variants: Record<string, string>;
  /** Every Han, kana and Hangul character the indexed texts held, as written (before folding). */
  chars: string[];
}

/** Kept beside the index (not served as part of it): what the next build compares against. */
export interface SearchState {
  version: number;
  chars: string;
  /** [key, stamp] by document number. */
  docs: Array<[string, string]>;
}

export interface SearchIndexUpdate {
  files: OutputFile[];
  /** Index files of the previous build that stay as they are (segment 0 when only segment 1 was rewritten). */
  kept: string[];
  summary: SearchIndexSummary;
  state: SearchState;
}

export function shardPath(segment: number, shard: number): string {
  return `${SEARCH_FOLDER}/index/${segment}-${shard}.json`;
}

/** Every file of the index; documents are numbered in the order given (oldest first keeps numbers stable). */
export function renderSearchIndex(docs: SearchDocument[]): {
  files: OutputFile[];
  summary: SearchIndexSummary;
} {
  const result = updateSearchIndex(docs.map((doc, n) => ({ ...doc, key: String(n), stamp: '' })));
  if (result === 'refold') throw new Error('search: a build without a previous index never refolds');
  return { files: result.files, summary: result.summary };
}

/**
 * The index of `docs`, tokenising only those that carry their text: the others keep the postings `previous` has for
 * them (renumbered when documents before them went). 'refold' when the folding table the new characters make would
 * fold a character of the previous index differently: its tokens are stale, and every document must be tokenised.
 * A merged index of documents none of which changed or went has the bytes a build from scratch gives.
 */
export function updateSearchIndex(
  docs: IndexDocument[],
  previous?: PreviousIndex,
): SearchIndexUpdate | 'refold' {
  const chars = new Set(previous?.chars ?? []);
  const fresh: number[] = [];
  docs.forEach((doc, n) => {
    if (doc.text === undefined) return;
    fresh.push(n);
    for (const char of cjkChars(doc.text)) chars.add(char);
  });
  const variants = variantsOfChars(chars);
  if (previous) {
    for (const char of previous.chars) {
      if ((variants.get(char) ?? char) !== (previous.variants[char] ?? char)) return 'refold';
    }
  }
  const kept: string[] = [];
  let segments: SegmentMeta[];
  let written: Array<{ segment: number; postings: Map<string, number[]> }>;
  const mainEnd = previous?.segments[1]?.start ?? previous?.documents ?? 0;
  if (
    previous &&
    onlyAppended(docs, previous) &&
    docs.length - mainEnd <= Math.max(RECENT_MIN, mainEnd / 4)
  ) {
    // Segment 0 stays; segment 1 is what it held plus the new documents.
    const recent = previous.segments[1] ? postingsOf(previous.shardsOf(1)) : new Map<string, number[]>();
    addTokens(recent, docs, fresh, variants);
    segments = [previous.segments[0], { start: mainEnd, shards: shardCount(recent) }];
    for (let n = 0; n < previous.segments[0].shards; n++) kept.push(shardPath(0, n));
    written = [{ segment: 1, postings: recent }];
  } else {
    const postings = previous ? renumbered(docs, previous) : new Map<string, number[]>();
    addTokens(postings, docs, fresh, variants);
    segments = [{ start: 0, shards: shardCount(postings) }];
    written = [{ segment: 0, postings }];
  }
  const files: OutputFile[] = [
    {
      path: `${SEARCH_FOLDER}/meta.json`,
      content: JSON.stringify({
        version: SEARCH_INDEX_VERSION,
        documents: docs.length,
        chunk: CHUNK,
        segments,
        variants: Object.fromEntries([...variants].sort(([a], [b]) => (a < b ? -1 : 1))),
      }),
    },
  ];
  for (let start = 0; start < docs.length; start += CHUNK) {
    const chunk = docs.slice(start, start + CHUNK).map((doc) => [doc.title, doc.href, doc.channel, doc.day]);
    files.push({ path: `${SEARCH_FOLDER}/docs/${start / CHUNK}.json`, content: JSON.stringify(chunk) });
  }
  let tokens = 0;
  for (const { segment, postings } of written) {
    tokens += postings.size;
    shardsOf(postings, segments[segment].shards).forEach((shard, n) => {
      files.push({ path: shardPath(segment, n), content: JSON.stringify(shard) });
    });
  }
  const state: SearchState = {
    version: SEARCH_INDEX_VERSION,
    chars: [...chars].sort().join(''),
    docs: docs.map((doc) => [doc.key, doc.stamp]),
  };
  const summary: SearchIndexSummary = {
    documents: docs.length,
    tokens,
    shards: segments.reduce((sum, segment) => sum + segment.shards, 0),
    segments: segments.length,
    reindexed: fresh.length,
    merged: segments.length === 1,
  };
  return { files, kept, summary, state };
}

/** Every previous document is where it was, unchanged: the new ones all come after them. */
function onlyAppended(docs: IndexDocument[], previous: PreviousIndex): boolean {
  if (docs.length < previous.documents) return false;
  for (let n = 0; n < previous.documents; n++)
    if (docs[n].previous !== n || docs[n].text !== undefined) return false;
  return true;
}

/** The previous postings of the documents kept, under their new numbers. */
function renumbered(docs: IndexDocument[], previous: PreviousIndex): Map<string, number[]> {
  const renumber = new Map<number, number>();
  docs.forEach((doc, n) => {
    if (doc.text === undefined && doc.previous !== undefined) renumber.set(doc.previous, n);
  });
  const postings = new Map<string, number[]>();
  previous.segments.forEach((_, segment) => {
    for (const [token, list] of postingsOf(previous.shardsOf(segment))) {
      const kept = postings.get(token) ?? [];
      for (const old of list) {
        const n = renumber.get(old);
        if (n !== undefined) kept.push(n);
      }
      if (kept.length > 0) postings.set(token, kept);
    }
  });
  // Segments hold ascending ranges and renumbering keeps the order, so each list is still ascending.
  return postings;
}

function addTokens(
  postings: Map<string, number[]>,
  docs: IndexDocument[],
  fresh: number[],
  variants: Map<string, string>,
): void {
  const unsorted = new Set<number[]>();
  for (const n of fresh) {
    for (const token of searchTokens(docs[n].text as string, variants)) {
      const list = postings.get(token);
      if (!list) postings.set(token, [n]);
      else {
        if (list[list.length - 1] > n) unsorted.add(list);
        list.push(n);
      }
    }
  }
  for (const list of unsorted) list.sort((a, b) => a - b);
}

function shardCount(postings: Map<string, number[]>): number {
  let total = 0;
  for (const list of postings.values()) total += list.length;
  let shards = 1;
  while (shards < MAX_SHARDS && shards * POSTINGS_PER_SHARD < total) shards *= 2;
  return shards;
}

function shardsOf(postings: Map<string, number[]>, count: number): Shard[] {
  const shards: Shard[] = Array.from({ length: count }, () => ({}));
  for (const [token, list] of [...postings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    shards[tokenHash(token) % count][token] = list.map((doc, n) => (n === 0 ? doc : doc - list[n - 1]));
  }
  return shards;
}

/** The postings of a segment's shards (token -> document numbers, ascending). */
export function postingsOf(shards: Shard[]): Map<string, number[]> {
  const postings = new Map<string, number[]>();
  for (const shard of shards) {
    for (const [token, gaps] of Object.entries(shard)) {
      let doc = 0;
      postings.set(
        token,
        gaps.map((gap) => (doc += gap)),
      );
    }
  }
  return postings;
}
