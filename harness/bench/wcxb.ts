// WCXB (Web Content eXtraction Benchmark) dev split: loader and WCXB's own metric, as
// ../shared/bench-data/README.md describes it and WCXB's evaluate.py computes it:
// - per page, word-level precision/recall/F1 between the extracted text and `main_content`, words being the
//   lowercased runs of \w (Python's Unicode \w: letters, digits, underscore; a run of Han characters is one word)
//   counted as multisets; an empty `main_content` scores 1 when the output is empty too, else 0;
// - the figures are plain means over pages, overall and per page type ('category' counts as 'collection');
// - `with` / `without` rate per page: the share of snippets found as case-insensitive substrings of the output.
//   evaluate.py counts a page with no snippets as 1.0 for both rates; for `without` that reads as "all
//   boilerplate present", so the bench prints that figure and also the mean over pages that have a `without` list.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** WCXB's order of page types in its per-type table. */
export const WCXB_TYPES = [
  'article',
  'forum',
  'product',
  'collection',
  'listing',
  'documentation',
  'service',
] as const;

export interface WcxbPage {
  id: string;
  url: string;
  bytes: Uint8Array;
  html: string;
  truth: string;
  type: string;
  with: string[];
  without: string[];
  title?: string;
  author?: string;
  date?: string;
}

interface GroundTruthFile {
  url?: string;
  _internal?: { page_type?: { primary?: string } | string };
  ground_truth?: {
    main_content?: string | null;
    with?: string[] | null;
    without?: string[] | null;
    title?: string | null;
    author?: string | null;
    publish_date?: string | null;
  };
}

function pageType(file: GroundTruthFile): string {
  const raw = file._internal?.page_type;
  const type = (typeof raw === 'string' ? raw : raw?.primary) ?? 'article';
  return type === 'category' ? 'collection' : type;
}

/**
 * Loads the split; `limit` takes an evenly spaced sample (every k-th page in id order) so a short run still sees
 * every page type in about its share, rather than only the first pages.
 */
export function loadWcxb(root: string, limit?: number): WcxbPage[] {
  const dir = join(root, 'wcxb-dev');
  let ids = readdirSync(join(dir, 'ground-truth'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .sort();
  if (limit && limit < ids.length) {
    const step = ids.length / limit;
    ids = Array.from({ length: limit }, (_, i) => ids[Math.floor(i * step)]);
  }
  return ids.map((id) => {
    const file = JSON.parse(readFileSync(join(dir, 'ground-truth', `${id}.json`), 'utf8')) as GroundTruthFile;
    const truth = file.ground_truth ?? {};
    const bytes = gunzipSync(readFileSync(join(dir, 'html', `${id}.html.gz`)));
    return {
      id,
      url: file.url || `https://example.invalid/${id}`,
      bytes,
      html: Buffer.from(bytes).toString('utf8'),
      truth: truth.main_content ?? '',
      type: pageType(file),
      with: truth.with ?? [],
      without: truth.without ?? [],
      title: truth.title ?? undefined,
      author: truth.author ?? undefined,
      date: truth.publish_date ?? undefined,
    };
  });
}

/** Python's `re.findall(r'\w+', text.lower())`. */
export function wcxbWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

export interface WordScore {
  precision: number;
  recall: number;
  f1: number;
}

export function wordF1(prediction: string, reference: string): WordScore {
  const ref = wcxbWords(reference);
  const pred = wcxbWords(prediction);
  if (ref.length === 0) {
    const score = pred.length === 0 ? 1 : 0;
    return { precision: score, recall: score, f1: score };
  }
  if (pred.length === 0) return { precision: 0, recall: 0, f1: 0 };
  const counts = new Map<string, number>();
  for (const word of ref) counts.set(word, (counts.get(word) ?? 0) + 1);
  let overlap = 0;
  for (const word of pred) {
    const left = counts.get(word) ?? 0;
    if (left > 0) {
      overlap++;
      counts.set(word, left - 1);
    }
  }
  const precision = overlap / pred.length;
  const recall = overlap / ref.length;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Share of snippets present in the text (case-insensitive substring); 1 when there are none, as evaluate.py. */
export function snippetRate(text: string, snippets: readonly string[]): number {
  if (snippets.length === 0) return 1;
  const lower = text.toLowerCase();
  return snippets.filter((snippet) => lower.includes(snippet.toLowerCase())).length / snippets.length;
}

export interface WcxbPageScore extends WordScore {
  id: string;
  type: string;
  withRate: number;
  withoutRate: number;
  hasWithout: boolean;
}

export interface WcxbGroup extends WordScore {
  pages: number;
}

export interface WcxbSummary {
  overall: WcxbGroup;
  byType: Map<string, WcxbGroup>;
  withRate: number;
  /** evaluate.py's figure (a page without a `without` list counts 1.0). */
  withoutRate: number;
  /** Mean over the pages that have a `without` list. */
  withoutRateListed: number;
  perPage: WcxbPageScore[];
}

const mean = (values: readonly number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;

function group(scores: readonly WcxbPageScore[]): WcxbGroup {
  return {
    pages: scores.length,
    precision: mean(scores.map((s) => s.precision)),
    recall: mean(scores.map((s) => s.recall)),
    f1: mean(scores.map((s) => s.f1)),
  };
}

export function scoreWcxb(pages: readonly WcxbPage[], outputs: (id: string) => string): WcxbSummary {
  const perPage = pages.map((page): WcxbPageScore => {
    const text = outputs(page.id);
    return {
      id: page.id,
      type: page.type,
      ...wordF1(text, page.truth),
      withRate: snippetRate(text, page.with),
      withoutRate: snippetRate(text, page.without),
      hasWithout: page.without.length > 0,
    };
  });
  const byType = new Map<string, WcxbGroup>();
  const types = [...WCXB_TYPES, ...new Set(pages.map((p) => p.type))];
  for (const type of new Set(types)) {
    const scores = perPage.filter((s) => s.type === type);
    if (scores.length) byType.set(type, group(scores));
  }
  return {
    overall: group(perPage),
    byType,
    withRate: mean(perPage.map((s) => s.withRate)),
    withoutRate: mean(perPage.map((s) => s.withoutRate)),
    withoutRateListed: mean(perPage.filter((s) => s.hasWithout).map((s) => s.withoutRate)),
    perPage,
  };
}

/** One markdown-style row per extractor: overall F1, each type's F1, snippet rates, speed. */
export function wcxbHeader(pages: readonly WcxbPage[]): string {
  const counts = WCXB_TYPES.map((type) => `${type} (${pages.filter((p) => p.type === type).length})`);
  return `| extractor | overall (${pages.length}) | ${counts.join(' | ')} | with% | without% (listed) | pages/s |`;
}

export function wcxbRow(name: string, s: WcxbSummary, pagesPerSecond?: number): string {
  const f = (n: number) => n.toFixed(3);
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  const types = WCXB_TYPES.map((type) => {
    const g = s.byType.get(type);
    return g ? f(g.f1) : '-';
  });
  const speed = pagesPerSecond === undefined ? '' : pagesPerSecond.toFixed(1);
  return `| ${name} | ${f(s.overall.f1)} | ${types.join(' | ')} | ${pct(s.withRate)} | ${pct(s.withoutRate)} (${pct(s.withoutRateListed)}) | ${speed} |`;
}
