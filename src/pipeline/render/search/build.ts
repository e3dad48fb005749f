// The static search index of a site: `search/meta.json` (sizes and the script-folding table), the documents in
// chunks (`search/docs/<n>.json`: title, page, channel, day) and the postings in shards (`search/index/<n>.json`:
// token -> gaps between document numbers). A query loads the meta file, one shard per token and the chunks of the
// results it shows: a few small files, whatever the size of the mirror.
import type { OutputFile } from '../../types.ts';
import { searchTokens, tokenHash, variantsOf } from './tokens.ts';

export const SEARCH_FOLDER = 'search';
/** Bump when the files' format changes; the script refuses an index of another version. */
export const SEARCH_INDEX_VERSION = 1;
/** Documents per chunk file. */
const CHUNK = 500;
/** Postings per shard aimed at: about 30 KB of JSON, one quick request on a slow phone connection. */
const POSTINGS_PER_SHARD = 8000;
const MAX_SHARDS = 4096;

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
  tokens: number;
  shards: number;
}

/** Every file of the index; documents are numbered in the order given (oldest first keeps numbers stable). */
export function renderSearchIndex(docs: SearchDocument[]): {
  files: OutputFile[];
  summary: SearchIndexSummary;
} {
  const variants = variantsOf(docs.map((doc) => doc.text));
  const postings = new Map<string, number[]>();
  let total = 0;
  docs.forEach((doc, n) => {
    for (const token of searchTokens(doc.text, variants)) {
      const list = postings.get(token);
      if (list) list.push(n);
      else postings.set(token, [n]);
      total++;
    }
  });
  let shards = 1;
  while (shards < MAX_SHARDS && shards * POSTINGS_PER_SHARD < total) shards *= 2;
  const shardTokens: Array<Record<string, number[]>> = Array.from({ length: shards }, () => ({}));
  for (const [token, list] of [...postings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    shardTokens[tokenHash(token) % shards][token] = list.map((doc, n) => (n === 0 ? doc : doc - list[n - 1]));
  }
  const files: OutputFile[] = [
    {
      path: `${SEARCH_FOLDER}/meta.json`,
      content: JSON.stringify({
        version: SEARCH_INDEX_VERSION,
        documents: docs.length,
        chunk: CHUNK,
        shards,
        variants: Object.fromEntries([...variants].sort(([a], [b]) => (a < b ? -1 : 1))),
      }),
    },
  ];
  for (let start = 0; start < docs.length; start += CHUNK) {
    const chunk = docs.slice(start, start + CHUNK).map((doc) => [doc.title, doc.href, doc.channel, doc.day]);
    files.push({ path: `${SEARCH_FOLDER}/docs/${start / CHUNK}.json`, content: JSON.stringify(chunk) });
  }
  shardTokens.forEach((tokens, n) => {
    files.push({ path: `${SEARCH_FOLDER}/index/${n}.json`, content: JSON.stringify(tokens) });
  });
  return { files, summary: { documents: docs.length, tokens: postings.size, shards } };
}
