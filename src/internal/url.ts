// URL helpers shared by the stages: one normal form per article URL (so tracking-parameter variants of one
// article are one article), a same-site test, and mirror-relative paths for links between mirrored files.
import { posix } from 'node:path';

/**
 * Query parameters dropped from article URLs. Only names that exist solely to identify a click or a campaign
 * for an ad or analytics vendor, so removing them never changes which page a server returns. Share markers
 * such as `from=timeline`, `ref` or `source` are kept: some sites route on them, so they are not safe to drop.
 */
export const TRACKING_PARAMETERS: ReadonlySet<string> = new Set([
  'fbclid', // Facebook click id
  'gclid', // Google Ads click id
  'dclid', // Google Display click id
  'gbraid', // Google Ads (iOS) click id
  'wbraid', // Google Ads (web-to-app) click id
  'msclkid', // Microsoft Ads click id
  'yclid', // Yandex click id
  'twclid', // X/Twitter click id
  'ttclid', // TikTok click id
  'igshid', // Instagram share id
  'mc_cid', // Mailchimp campaign id
  'mc_eid', // Mailchimp subscriber id
  '_ga', // Google Analytics cross-domain linker
  '_gl', // Google Analytics cross-domain linker (gtag)
  '_hsenc', // HubSpot email tracking
  '_hsmi', // HubSpot email tracking
  'mkt_tok', // Marketo email tracking
  'spm', // Alibaba/Taobao position tracking
]);

/** Every parameter whose name starts with this is a campaign tag (Google Analytics convention). */
const TRACKING_PREFIX = 'utm_';

/** Parse `raw` (relative to `base` when given) as an http(s) URL; null for anything else or nonsense. */
export function parseHttpUrl(raw: string, base?: string): URL | null {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

/** Resolve a link as found in a page or feed to an absolute http(s) URL, without normalising it further. */
export function resolveHttpUrl(raw: string, base?: string): string | null {
  return parseHttpUrl(raw, base)?.href ?? null;
}

/**
 * The one normal form of an article URL: resolved against `base`, http(s) only (javascript:, mailto:, data:
 * and the like give null), scheme and host lower case, default port, credentials and fragment dropped,
 * tracking parameters removed, the rest of the query kept in its order, percent escapes upper case.
 * Idempotent: normalising a normal form returns it unchanged.
 */
export function normalizeArticleUrl(raw: string, base?: string): string | null {
  const url = parseHttpUrl(raw, base);
  if (url === null) return null;
  url.username = '';
  url.password = '';
  url.hash = '';
  url.pathname = upperCasePercentEscapes(url.pathname);
  url.search = cleanQuery(url.search);
  return url.href;
}

/** true when a query parameter name is a known tracking parameter. */
export function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith(TRACKING_PREFIX) || TRACKING_PARAMETERS.has(lower);
}

function cleanQuery(search: string): string {
  if (search.length <= 1) return '';
  const kept = search
    .slice(1)
    .split('&')
    .filter((segment) => segment !== '' && !isTrackingParameter(parameterName(segment)));
  return kept.length === 0 ? '' : '?' + kept.map(upperCasePercentEscapes).join('&');
}

/** The parameter name as URLSearchParams decodes it, so `utm%5Fsource` is recognised too. */
function parameterName(segment: string): string {
  const equals = segment.indexOf('=');
  const encoded = equals === -1 ? segment : segment.slice(0, equals);
  for (const name of new URLSearchParams(encoded + '=').keys()) return name;
  return '';
}

function upperCasePercentEscapes(text: string): string {
  return text.replace(/%[0-9a-f]{2}/gi, (percentEscape) => percentEscape.toUpperCase());
}

/**
 * true when `url` is on the site of `base`: the same host or one of its subdomains, where a leading `www.`
 * of the base host is ignored (so `www.example.com` also owns `example.com` and `news.example.com`).
 * Scheme and path do not matter; an explicit non-default port must be the same.
 */
export function sameSite(url: string, base: string): boolean {
  const target = parseHttpUrl(url);
  const site = parseHttpUrl(base);
  if (target === null || site === null || target.port !== site.port) return false;
  const host = target.hostname;
  if (isIpAddress(site.hostname)) return host === site.hostname;
  const root = site.hostname.startsWith('www.') ? site.hostname.slice(4) : site.hostname;
  return host === root || host.endsWith('.' + root);
}

function isIpAddress(hostname: string): boolean {
  return hostname.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Relative link from one mirror file to another, both given relative to the mirror root with '/'
 * separators: relativePath('pages/a/1.md', 'assets/ab/x.jpg') === '../../assets/ab/x.jpg'.
 * Throws when either path is absolute or climbs out of the mirror root (a bug in the caller).
 */
export function relativePath(fromFile: string, toFile: string): string {
  const from = mirrorPath(fromFile);
  const to = mirrorPath(toFile);
  const relative = posix.relative(posix.dirname(from), to);
  return relative === '' ? '.' : relative;
}

function mirrorPath(path: string): string {
  const normal = posix.normalize(path);
  if (path === '' || posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
    throw new Error(`relativePath: "${path}" is not a path inside the mirror root`);
  }
  return normal;
}
