// URL -> article id -> file path. Ids come from publishers' URLs (hostile input): they become file names in
// a git repository checked out on every OS, and parts of relative links in Markdown, so they are made safe
// here, once, in a stable way.
import { createHash } from 'node:crypto';
import { parseHttpUrl } from './url.ts';

/** UTF-8 bytes of an id; the page file adds `.md.png` (7 bytes), well inside every file system's 255. */
export const MAX_ID_BYTES = 80;

/** Hex digits of sha256 appended to a changed id: 48 bits, so collisions among escaped ids are negligible. */
const HASH_LENGTH = 12;

/**
 * Characters kept as they are: letters, digits and marks of any script, and punctuation that is inert in
 * file names, Markdown link targets and URLs. Everything else (separators, `?`, `#`, `%`, spaces, quotes,
 * Windows-forbidden `<>:"|*`, controls, lone surrogates) is replaced.
 */
const UNSAFE_CHARACTER = /[^\p{L}\p{N}\p{M}\-_.~+=@,]/gu;
const SAFE_CHARACTERS_ONLY = /^[\p{L}\p{N}\p{M}\-_.~+=@,]+$/u;

/** Device names Windows reserves with any extension (`con.md` cannot be created there). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

const patternCache = new Map<string, RegExp>();

/**
 * Longest URL a site's pattern is run over (the length listings keep, MAX_ARTICLE_URL_LENGTH): the config refuses
 * patterns worse than quadratic (config/regex-safety.ts), so one URL costs at most a few million steps.
 */
export const MAX_PATTERN_INPUT = 2048;

/**
 * The article id of a URL. With the site's `pattern`, group 1 of its first match (the whole match when the
 * pattern has no group); null when it does not match or the URL is longer than MAX_PATTERN_INPUT, meaning "not an
 * article URL". A URL the pattern misses is tried once more without its query, so `$`-anchored patterns such as
 * '/(n\d+)\.htm$' still know share variants like 'n1.htm?from=timeline' (whose query is kept: it is not safe to
 * drop). Without a pattern, the last non-empty path segment without its extension (plus a short hash of the query
 * when there is one, so `article.php?id=1` and `?id=2` differ), or a short hash of the URL when the path is empty.
 * Percent escapes are decoded, and the result is always passed through `safeId`.
 */
export function articleIdFromUrl(url: string, pattern?: string): string | null {
  if (pattern !== undefined) {
    if (url.length > MAX_PATTERN_INPUT) return null;
    const compiled = compiledPattern(pattern);
    const match = compiled.exec(url) ?? compiled.exec(withoutQuery(url));
    if (match === null) return null;
    const raw = match.length > 1 ? match[1] : match[0];
    return raw ? safeId(decodePercent(raw)) : null;
  }
  const parsed = parseHttpUrl(url);
  if (parsed === null) return null;
  const segment = parsed.pathname.split('/').findLast((part) => part !== '') ?? '';
  const stem = decodePercent(segment).replace(/\.[A-Za-z0-9]{1,6}$/, '');
  if (stem === '' || stem === '.') return 'u-' + shortHash(parsed.href);
  return safeId(parsed.search === '' ? stem : `${stem}-${shortHash(parsed.search)}`);
}

function withoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

function compiledPattern(pattern: string): RegExp {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    compiled = new RegExp(pattern);
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function decodePercent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** First HASH_LENGTH hex digits of sha256 over the UTF-16 code units, so even lone surrogates stay distinct. */
export function shortHash(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf16le')).digest('hex').slice(0, HASH_LENGTH);
}

/** true when `id` can be used as a file name and link part exactly as it is. */
export function isSafeId(id: string): boolean {
  return (
    SAFE_CHARACTERS_ONLY.test(id) &&
    !id.includes('..') &&
    !id.startsWith('.') &&
    !id.endsWith('.') &&
    !WINDOWS_RESERVED.test(id.split('.')[0]) &&
    Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES &&
    id.normalize('NFC') === id
  );
}

/**
 * A safe, stable file name for a raw id: returned unchanged when already safe (see `isSafeId`); otherwise
 * unsafe characters become '_', dots cannot climb or hide, reserved device names are prefixed, the length is
 * cut to MAX_ID_BYTES, and '-' + a short sha256 of the raw id is appended so two raw ids that escape alike
 * still get different names. Idempotent. The only way two raw ids share a name is a raw id that already
 * equals another id's escaped form (hash included), which no publisher URL does by accident.
 */
export function safeId(raw: string): string {
  if (isSafeId(raw)) return raw;
  const suffix = '-' + shortHash(raw);
  let stem = raw
    .normalize('NFC')
    .replace(UNSAFE_CHARACTER, '_')
    .replace(/\.{2,}/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^[._]+/, '');
  if (WINDOWS_RESERVED.test(stem.split('.')[0])) stem = '_' + stem;
  stem = truncateUtf8(stem, MAX_ID_BYTES - suffix.length).replace(/[._]+$/, '');
  return (stem === '' ? 'id' : stem) + suffix;
}

/** Longest prefix of `text` within `maxBytes` UTF-8 bytes that is still NFC (no mark cut from its base). */
function truncateUtf8(text: string, maxBytes: number): string {
  const codePoints = Array.from(text);
  let bytes = Buffer.byteLength(text, 'utf8');
  while (codePoints.length > 0 && bytes > maxBytes) {
    bytes -= Buffer.byteLength(codePoints.pop()!, 'utf8');
  }
  let result = codePoints.join('');
  while (result !== '' && result.normalize('NFC') !== result) {
    codePoints.pop();
    result = codePoints.join('');
  }
  return result;
}

export interface PagePathOptions {
  /** Put pages in one folder per month of publication, for channels with many thousands of pages. */
  shardByMonth?: boolean;
  /** ISO 8601 publication time; the month is taken as written (the publisher's local month). */
  published?: string;
}

/** Folder of every article page; `MIRROR_LAYOUT.pagesFolder` (src/internal/mirror-layout.ts) reads it from here. */
export const PAGES_FOLDER = 'pages';

/** Folder for sharded pages whose publication time is unknown. */
export const UNDATED_FOLDER = 'undated';

/**
 * Path of an article page relative to the mirror root: `pages/<channel>/<id>.md`, or with month sharding
 * `pages/<channel>/<yyyy-mm>/<id>.md`. Both parts pass through `safeId`, so the path never leaves `pages/`.
 * Kept here, beside `safeId`, and listed in `MIRROR_LAYOUT.page` with the rest of the layout.
 */
export function pagePath(channelId: string, id: string, options: PagePathOptions = {}): string {
  const folder = `${PAGES_FOLDER}/${safeId(channelId)}`;
  const file = `${safeId(id)}.md`;
  if (!options.shardByMonth) return `${folder}/${file}`;
  return `${folder}/${publicationMonth(options.published)}/${file}`;
}

function publicationMonth(published: string | undefined): string {
  if (published === undefined) return UNDATED_FOLDER;
  const written = /^(\d{4})-(0[1-9]|1[0-2])/.exec(published.trim());
  if (written !== null) return `${written[1]}-${written[2]}`;
  const time = Date.parse(published);
  return Number.isNaN(time) ? UNDATED_FOLDER : new Date(time).toISOString().slice(0, 7);
}
