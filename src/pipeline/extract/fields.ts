// The text fields of an article as pages give them, cleaned: whitespace, titles with the site's name appended
// ('Title - Site'), and person names from author fields and printed bylines ('作者：X', '记者X', 'By X').

/** Longer "author" values are sentences or lists, not a name. */
const MAX_AUTHOR_CHARS = 60;
/** A title suffix longer than this is part of the title, not a site name. */
const MAX_SITE_SUFFIX_CHARS = 30;
/** Separators between a title and the site name in <title>: ' - ', ' | ', '｜', '_', ' — ', '--'. */
const TITLE_SEPARATOR = /\s+[-–—|·•]\s+|\s*[｜丨|_]\s*|\s*——\s*|\s*—\s+|\s*-{2,}\s*/g;
/** Author values that are URLs, e-mail addresses, ids or the credits of the publishing software. */
const NOT_A_NAME =
  /^https?:|^\/\/|www\.|\.(?:com|net|org|cn)\b|@.*\.|\d{3,}|\b(?:Discuz|Comsenz|PHPWind|DedeCMS|WordPress|Joomla|Drupal)\b/i;
/** Bylines printed near the title, most specific first; group 1 is the name. */
const BYLINE_PATTERNS = [
  /(?:作者|撰文|文)\s*[：:／/]\s*([^\s|｜,，;；/（）()【】\]]{1,20})/,
  /记者\s*([\u4e00-\u9fff·]{2,4}?)(?=综合|报导|报道|编译|采访|撰文|整理|专访|发自|[）)\s,，、】\]/|]|$)/,
  /(?:^|\n)[ \t]*(?:(?:Written|Posted|Words)[ \t]+)?[Bb][Yy]:?[ \t]+((?:[\p{Lu}][\p{L}.'’-]*)(?:[ \t]+(?:[\p{Lu}][\p{L}.'’-]*|van|von|de|der|da|la|and|&))*)/u,
];

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A clean person name from a byline or author field, or undefined when it is not one. */
export function cleanAuthor(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let name = collapseWhitespace(raw)
    .replace(/^(?:by|from)\s+/i, '')
    .replace(/^(?:作者|撰文|记者|文|编辑|责任编辑)\s*[：:／/]?\s*/, '')
    // An outlet's reporter credit before the name: '信报记者 蔡雪婧', '总台记者 张倩'.
    .replace(/^[\u4e00-\u9fff]{1,6}记者\s+(?=[\u4e00-\u9fff·]{2,4}$)/, '')
    .replace(/\s*(?:综合报导|综合报道|报导|报道|编译)$/, '')
    .replace(/\s*[|｜,，;；]$/, '')
    .replace(/^[|｜,，;；]\s*/, '')
    .trim();
  if (/^(?:and|&)\s|\s(?:and|&)$/i.test(name)) name = name.replace(/^(?:and|&)\s+|\s+(?:and|&)$/gi, '');
  if (!name || name.length > MAX_AUTHOR_CHARS || NOT_A_NAME.test(name)) return undefined;
  return looksLikeName(name) ? name : undefined;
}

/** Interface words and placeholders that byline markup holds instead of a name ("5 min read", "Administrator"). */
const NOT_A_NAME_LATIN =
  /^(?:the\s+)?(?:authors?|admin|administrator|name|editor|staff|guest|anonymous|unknown|user|hi|hello)$|\babout\b|\bmins?\s+read\b|\bminutes?\s+read\b|\blog\s?in\b|\bsign\s?in\b|\bsubscribe\b/i;
/** Characters no name contains: markup leftovers and sentence punctuation. */
const NOT_IN_NAME = /[<>="{}。！？；：:!?]|，.*，/;
/** Han words that mark a phrase, a label or an organisation, never a person ("转载文章", "云南日报", "经历了"). */
const NOT_A_PERSON_HAN =
  /文章|转载|原创|本站|网友|来源|编辑部|(?:网|网络|报|日报|晚报|社|台|站|客户端|新闻|报道|杂志|出版社|公司|集团)$/;
/** A Chinese personal name is two to four characters (five with a rare compound surname); longer runs are phrases. */
const MAX_HAN_NAME_RUN = 5;
/** Latin names have few words; more is a sentence. */
const MAX_LATIN_NAME_WORDS = 6;

/** Whether a byline candidate reads like one or more names rather than a sentence fragment or a label. */
export function looksLikeName(name: string): boolean {
  if (NOT_IN_NAME.test(name) || NOT_A_NAME_LATIN.test(name)) return false;
  const han = name.match(/[\u3400-\u9fff]+/g);
  if (han) {
    if (NOT_A_PERSON_HAN.test(name)) return false;
    return han.every((run) => run.length <= MAX_HAN_NAME_RUN);
  }
  return name.split(/\s+/).length <= MAX_LATIN_NAME_WORDS;
}

/**
 * A title without the site name the publisher appended ('Title - Site', 'Title｜站名', 'Title_频道_站名').
 * `siteSuffixes` are known site names; `dropShortSuffix` also removes an unknown short last segment,
 * which is only safe for <title>, where a suffix is the norm.
 */
export function cleanTitle(
  raw: string,
  siteSuffixes: readonly string[] = [],
  dropShortSuffix = false,
): string {
  let title = collapseWhitespace(raw);
  for (const suffix of siteSuffixes) {
    if (!suffix || suffix === title) continue;
    for (const { part, rest } of separatorSplits(title)) {
      if (part === suffix) title = rest;
    }
  }
  if (dropShortSuffix) {
    // Repeat for 'Title_Channel_Site', but never eat the title itself.
    for (let split = lastSplit(title); split; split = lastSplit(title)) {
      if (split.part.length > MAX_SITE_SUFFIX_CHARS || split.rest.length < split.part.length) break;
      title = split.rest;
    }
  }
  return title;
}

/** A byline ('作者：X', '记者X', 'By X') in text printed near the title. */
export function bylineIn(text: string): string | undefined {
  for (const pattern of BYLINE_PATTERNS) {
    const name = cleanAuthor(pattern.exec(text)?.[1]);
    if (name) return name;
  }
  return undefined;
}

/** Known site names to strip from titles: the declared site name and the last segment of <title>. */
export function siteSuffixes(siteName: string | undefined, titleTagText: string | undefined): string[] {
  const suffixes = siteName ? [siteName] : [];
  // The last segment of <title> is usually the site name: strip it from og:title etc. too.
  const split = titleTagText ? lastSplit(titleTagText) : undefined;
  if (split && split.part.length <= MAX_SITE_SUFFIX_CHARS && split.rest.length >= split.part.length) {
    suffixes.push(split.part);
  }
  return suffixes;
}

/** Every way of cutting `title` at a separator into (rest before, last part after), last cut first. */
function separatorSplits(title: string): Array<{ rest: string; part: string }> {
  const splits: Array<{ rest: string; part: string }> = [];
  for (const match of title.matchAll(TITLE_SEPARATOR)) {
    const rest = title.slice(0, match.index).trim();
    const part = title.slice(match.index + match[0].length).trim();
    if (rest && part) splits.push({ rest, part });
  }
  return splits.reverse();
}

function lastSplit(title: string): { rest: string; part: string } | undefined {
  return separatorSplits(title)[0];
}
