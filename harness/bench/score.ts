// Scrapinghub's article-extraction metric: multisets of 4-token shingles, per-page tp/fp/fn normalised to sum 1,
// precision and recall averaged over pages, F1 from the averages. See ../shared/bench-data/README.md.

export type Tokenizer = (text: string) => string[];

/** Rule 1 of the metric: maximal runs of letters, digits and underscore (a run of Han characters is one token). */
export const wordTokens: Tokenizer = (text) => text.match(/[\p{L}\p{N}_]+/gu) ?? [];

/** Same, except every Han character is a token of its own, so one wrong character costs a few shingles, not a sentence. */
export const hanCharTokens: Tokenizer = (text) =>
  text.match(/\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}_])+/gu) ?? [];

/** Shingle length of the published metric. */
const SHINGLE_SIZE = 4;

export function shingles(tokens: readonly string[], size = SHINGLE_SIZE): Map<string, number> {
  const counts = new Map<string, number>();
  if (tokens.length === 0) return counts;
  const last = Math.max(1, tokens.length - size + 1);
  for (let i = 0; i < last; i++) {
    const key = tokens.slice(i, i + size).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export interface PageScore {
  tp: number;
  fp: number;
  fn: number;
  /** Token lists equal. */
  exact: boolean;
}

export function scorePage(truth: string, prediction: string, tokenize: Tokenizer = wordTokens): PageScore {
  const truthTokens = tokenize(truth);
  const predTokens = tokenize(prediction);
  const truthShingles = shingles(truthTokens);
  const predShingles = shingles(predTokens);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, predCount] of predShingles) {
    const truthCount = truthShingles.get(key) ?? 0;
    tp += Math.min(predCount, truthCount);
    fp += Math.max(0, predCount - truthCount);
  }
  for (const [key, truthCount] of truthShingles) {
    fn += Math.max(0, truthCount - (predShingles.get(key) ?? 0));
  }
  const sum = tp + fp + fn;
  if (sum > 0) {
    tp /= sum;
    fp /= sum;
    fn /= sum;
  }
  const exact =
    truthTokens.length === predTokens.length && truthTokens.every((token, i) => token === predTokens[i]);
  return { tp, fp, fn, exact };
}

export interface Summary {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  pages: number;
}

export function summarize(pages: readonly PageScore[]): Summary {
  const precisions: number[] = [];
  const recalls: number[] = [];
  for (const { tp, fp, fn } of pages) {
    const perfect = fp === 0 && fn === 0;
    if (tp + fp > 0) precisions.push(perfect ? 1 : tp / (tp + fp));
    if (tp + fn > 0) recalls.push(perfect ? 1 : tp / (tp + fn));
  }
  const precision = mean(precisions);
  const recall = mean(recalls);
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const accuracy = pages.length ? pages.filter((page) => page.exact).length / pages.length : 0;
  return { precision, recall, f1, accuracy, pages: pages.length };
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** Scores every page of `truth` (pages missing from `predictions` count as empty output). */
export function scoreAll(
  truth: ReadonlyMap<string, string>,
  predictions: ReadonlyMap<string, string>,
  tokenize: Tokenizer = wordTokens,
): Summary {
  const pages: PageScore[] = [];
  for (const [id, text] of truth) pages.push(scorePage(text, predictions.get(id) ?? '', tokenize));
  return summarize(pages);
}
