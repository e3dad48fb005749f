// The language of a page: a declared tag in BCP 47 casing, or a guess from the scripts and words of its text.

/** BCP 47 casing: 'zh_cn' -> 'zh-CN', 'zh-hant-tw' -> 'zh-Hant-TW'; undefined for junk. */
export function normalizeLang(raw: string | undefined): string | undefined {
  const first = raw?.split(/[,;]/)[0]?.trim();
  if (!first || !/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/.test(first)) return undefined;
  const [language, ...subtags] = first.split(/[-_]/);
  const cased = subtags.map((tag) => {
    if (tag.length === 2 || /^\d{3}$/.test(tag)) return tag.toUpperCase();
    if (tag.length === 4) return tag[0].toUpperCase() + tag.slice(1).toLowerCase();
    return tag.toLowerCase();
  });
  return [language.toLowerCase(), ...cased].join('-');
}

/** Script-based guess from text: Han 'zh', kana 'ja', Hangul 'ko', Cyrillic 'ru', English by its stopwords. */
export function guessLang(text: string): string | undefined {
  const sample = text.slice(0, 5000);
  const count = (pattern: RegExp): number => sample.match(pattern)?.length ?? 0;
  const kana = count(/[\u3040-\u30ff]/g);
  const hangul = count(/[\uac00-\ud7af]/g);
  const han = count(/[\u4e00-\u9fff\u3400-\u4dbf]/g);
  const cyrillic = count(/[\u0400-\u04ff]/g);
  const arabic = count(/[\u0600-\u06ff]/g);
  const hebrew = count(/[\u0590-\u05ff]/g);
  const greek = count(/[\u0370-\u03ff]/g);
  const thai = count(/[\u0e00-\u0e7f]/g);
  const latin = count(/[A-Za-z]/g);
  // Japanese text mixes kana into Han; a tenth of kana is far beyond what a Chinese page quotes.
  if (kana > 0 && kana * 10 >= han) return 'ja';
  const scripts: Array<[string, number]> = [
    ['ko', hangul],
    ['zh', han * 3], // a Han character carries about as much as a three-letter word
    ['ru', cyrillic],
    ['ar', arabic],
    ['he', hebrew],
    ['el', greek],
    ['th', thai],
  ];
  const [lang, score] = scripts.reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  if (score > latin && score > 0) return lang;
  const words = sample.toLowerCase().match(/[a-z]+/g) ?? [];
  const english = words.filter((word) => ENGLISH_STOPWORDS.has(word)).length;
  // Common English function words make up a fifth or more of English prose, far less in other languages.
  return words.length >= 20 && english / words.length >= 0.12 ? 'en' : undefined;
}
const ENGLISH_STOPWORDS = new Set([
  'the',
  'and',
  'of',
  'to',
  'in',
  'is',
  'that',
  'for',
  'was',
  'with',
  'on',
  'as',
]);
