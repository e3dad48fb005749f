// What the static search indexes and looks up, the same on both sides: the site build (here) and the search page's
// script (script.ts, which repeats these few lines in the browser's JavaScript; test/e2e/search.test.ts types
// queries into the page to hold them together). Han, kana and Hangul text becomes overlapping pairs of characters
// (Chinese has no spaces between words, and pairs find words of any length); other scripts become lower-case words.
// Traditional and simplified characters are folded into one form first, through a table built from the indexed
// text itself (shipped with the index, so the browser needs no dictionary): a query in either script finds both.
import { inScript } from '../script.ts';

/** Han (with extension A and compatibility forms), kana, Hangul: the scripts written without spaces. */
export const CJK_CLASS = '\\u3400-\\u9fff\\uf900-\\ufaff\\u3040-\\u30ff\\uac00-\\ud7af';
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Whether a UTF-16 code unit is in CJK_CLASS (all of it is in the Basic Multilingual Plane). */
function isCjk(code: number): boolean {
  return (
    (code >= 0x3400 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0xac00 && code <= 0xd7af)
  );
}

/** Character -> the form the index uses (simplified), for characters whose forms differ. */
export type Variants = Map<string, string>;

/**
 * The tokens of a text. Equivalent to matching `[CJK]+|(?:(?![CJK])[\p{L}\p{N}\p{M}])+` (what the script does),
 * scanned by hand: a regular expression per character made a site build of 1,000 Chinese articles take seconds.
 */
export function searchTokens(text: string, variants: Variants): string[] {
  const words = new Set<string>();
  // Pairs as numbers (both halves are BMP code units): deduplicating numbers is much cheaper than strings.
  const pairs = new Set<number>();
  const normalized = text.normalize('NFKC').toLowerCase();
  let word = '';
  let previous = 0;
  let runLength = 0;
  const endWord = () => {
    if (word.length > 1 || /\d/.test(word)) words.add(word);
    word = '';
  };
  const endRun = () => {
    if (runLength === 1) words.add(String.fromCharCode(previous));
    runLength = 0;
  };
  for (const char of normalized) {
    const code = char.charCodeAt(0);
    if (isCjk(code)) {
      if (word) endWord();
      const folded = variants.get(char)?.charCodeAt(0) ?? code;
      if (runLength > 0) pairs.add(previous * 0x10000 + folded);
      previous = folded;
      runLength++;
      continue;
    }
    if (runLength > 0) endRun();
    if (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x30 && code <= 0x39) ||
      (code > 0x7f && WORD_CHAR.test(char))
    ) {
      word += char;
    } else if (word) {
      endWord();
    }
  }
  if (word) endWord();
  if (runLength > 0) endRun();
  const tokens = [...words];
  for (const pair of pairs) tokens.push(String.fromCharCode(Math.floor(pair / 0x10000), pair % 0x10000));
  return tokens;
}

/**
 * The folding table for a corpus: each traditional character found maps to its simplified form, and each
 * simplified character found maps from its traditional form (so a traditional query finds simplified text).
 * Characters are converted one per line, so OpenCC's phrase rules cannot merge neighbours.
 */
export function variantsOf(texts: Iterable<string>): Variants {
  const chars = new Set<string>();
  for (const text of texts) for (const char of cjkChars(text)) chars.add(char);
  return variantsOfChars(chars);
}

/** The Han, kana and Hangul characters of a text (after NFKC, as tokens see them), each once. */
export function cjkChars(text: string): Set<string> {
  const chars = new Set<string>();
  for (const char of text.normalize('NFKC')) if (isCjk(char.charCodeAt(0))) chars.add(char);
  return chars;
}

/** The folding table for a set of characters (as `variantsOf` finds them), sorted first: same set, same table. */
export function variantsOfChars(chars: Iterable<string>): Variants {
  const found = [...chars].sort();
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
