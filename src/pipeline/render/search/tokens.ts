// What the static search indexes and looks up, the same on both sides: the site build (here) and the search page's
// script (script.ts, which repeats these few lines in the browser's JavaScript; test/e2e/search.test.ts types
// queries into the page to hold them together). Han, kana and Hangul text becomes overlapping pairs of characters
// (Chinese has no spaces between words, and pairs find words of any length); other scripts become lower-case words.
// Traditional and simplified characters are folded into one form first, through a table built from the indexed
// text itself (shipped with the index, so the browser needs no dictionary): a query in either script finds both.
import { inScript } from '../script.ts';

/** Han (with extension A and compatibility forms), kana, Hangul: the scripts written without spaces. */
export const CJK_CLASS = '\\u3400-\\u9fff\\uf900-\\ufaff\\u3040-\\u30ff\\uac00-\\ud7af';
const RUNS = new RegExp(`[${CJK_CLASS}]+|(?:(?![${CJK_CLASS}])[\\p{L}\\p{N}\\p{M}])+`, 'gu');
const CJK = new RegExp(`^[${CJK_CLASS}]`, 'u');

/** Character -> the form the index uses (simplified), for characters whose forms differ. */
export type Variants = Map<string, string>;

export function searchTokens(text: string, variants: Variants): string[] {
  const tokens = new Set<string>();
  for (const [run] of text.normalize('NFKC').toLowerCase().matchAll(RUNS)) {
    if (CJK.test(run)) {
      const chars = [...run].map((char) => variants.get(char) ?? char);
      if (chars.length === 1) tokens.add(chars[0]);
      for (let n = 0; n + 1 < chars.length; n++) tokens.add(chars[n] + chars[n + 1]);
    } else if (run.length > 1 || /\d/.test(run)) {
      tokens.add(run);
    }
  }
  return [...tokens];
}

/**
 * The folding table for a corpus: each traditional character found maps to its simplified form, and each
 * simplified character found maps from its traditional form (so a traditional query finds simplified text).
 * Characters are converted one per line, so OpenCC's phrase rules cannot merge neighbours.
 */
export function variantsOf(texts: Iterable<string>): Variants {
  const chars = new Set<string>();
  const cjk = new RegExp(`[${CJK_CLASS}]`, 'gu');
  for (const text of texts) for (const [char] of text.normalize('NFKC').matchAll(cjk)) chars.add(char);
  const found = [...chars];
  const simplified = inScript(found.join('\n'), 'simplified').split('\n');
  const variants: Variants = new Map();
  found.forEach((char, n) => {
    if ([...simplified[n]].length === 1 && simplified[n] !== char) variants.set(char, simplified[n]);
  });
  const canonical = [...new Set(found.map((char, n) => variants.get(char) ?? simplified[n] ?? char))];
  const traditional = inScript(canonical.join('\n'), 'traditional').split('\n');
  canonical.forEach((char, n) => {
    const form = traditional[n];
    if (form && [...form].length === 1 && form !== char && !variants.has(form)) variants.set(form, char);
  });
  // One canonical form per character: follow chains (OpenCC folds some simplified forms further, e.g. 麽 -> 么 -> 幺).
  for (const [char, form] of variants) {
    let end = form;
    for (let hops = 0; variants.has(end) && variants.get(end) !== char && hops < 4; hops++)
      end = variants.get(end) as string;
    if (end === char) variants.delete(char);
    else variants.set(char, end);
  }
  return variants;
}

/** FNV-1a over UTF-16 code units: which shard holds a token. The script computes the same. */
export function tokenHash(token: string): number {
  let hash = 0x811c9dc5;
  for (let n = 0; n < token.length; n++) {
    hash ^= token.charCodeAt(n);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
