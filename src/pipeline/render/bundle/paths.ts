// How references of a mirrored page (relative to the page) map to mirror-root paths, and which scripts of the
// world are written right to left (the book's page progression and each article's direction follow them).
export { mirrorPathOf } from '../../../internal/paths.ts';

/** The fragment of a reference (`#x` -> `x`), if any. */
export function fragmentOf(href: string): string | undefined {
  const at = href.indexOf('#');
  return at === -1 || at === href.length - 1 ? undefined : href.slice(at + 1);
}

// Arabic, Hebrew, Persian, Urdu, Pashto, Yiddish, Dhivehi, Uyghur, Sorani Kurdish, Sindhi.
const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ug', 'ckb', 'sd']);

export function directionOf(lang: string | undefined): 'ltr' | 'rtl' {
  const primary = lang?.toLowerCase().split('-')[0];
  if (primary && RTL_LANGUAGES.has(primary)) return 'rtl';
  return /-arab\b|-hebr\b/i.test(lang ?? '') ? 'rtl' : 'ltr';
}

/** The language most articles are in (a book has one main language; each article also carries its own). */
export function commonLanguage(langs: Array<string | undefined>): string | undefined {
  const counts = new Map<string, number>();
  for (const lang of langs) if (lang) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  let best: string | undefined;
  for (const [lang, count] of counts) if (best === undefined || count > (counts.get(best) ?? 0)) best = lang;
  return best;
}
