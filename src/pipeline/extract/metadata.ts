// Page metadata: what the publisher declares about an article (meta tags, Open Graph, JSON-LD, <time>,
// <link rel=canonical>) and, failing that, what it prints near the title (bylines, visible dates).
// Used for every field the site rules did not give, and for pages read by the generic extractor.
// Cleaning the text fields is in fields.ts, the language in lang.ts; both are re-exported for importers.

import { type AnyNode, type Document, type Element, isTag, isText } from 'domhandler';
import { textContent } from 'domutils';
import { BLOCK_ELEMENTS } from '../../internal/block-elements.ts';
import type { ImageRef } from '../types.ts';
import { dateOffset, findVisibleDate, normalizeDate } from './dates.ts';
import { bylineIn, cleanAuthor, cleanTitle, collapseWhitespace, siteSuffixes } from './fields.ts';
import { normalizeLang } from './lang.ts';

export { bylineIn, cleanAuthor, cleanTitle, collapseWhitespace } from './fields.ts';
export { guessLang, normalizeLang } from './lang.ts';

export interface PageMetadata {
  title?: string;
  author?: string;
  /** ISO 8601. */
  published?: string;
  /** From the page's own declarations only (html lang, content-language, og:locale). */
  lang?: string;
  canonicalUrl?: string;
  leadImage?: ImageRef;
  siteName?: string;
  /** The day the page URL names: a last resort for `published`, after anything the page itself says. */
  urlDate?: string;
  /** Time-zone offset the page uses in its machine-readable dates ('+08:00'), for dates it prints without one. */
  offset?: string;
}

export interface MetadataOptions {
  /** Absolute base URL of the page (after <base href>). */
  baseUrl: string;
  /** The page's own URL: its path often carries the publication day ('/2023/10/18/', '/20231018/'). */
  pageUrl?: string;
  /** The title element if known (e.g. from a site rule); otherwise the first <h1>. */
  titleElement?: Element;
}

/** How much text after the title is searched for a byline or a printed date: the header, not the story. */
const NEAR_TITLE_CHARS = 600;
/** og:image values that are the site's logo or default card, not the article's picture. */
const LOGO_IMAGE = /logo|favicon|default[-_]?(?:share|og|image|thumb)|site[-_]?(?:image|card)|placeholder/i;
/** JSON-LD types that describe an article. */
const ARTICLE_TYPE = /Article$|^BlogPosting$|^Report$|^LiveBlogPosting$|^NewsArticle$/;
const NON_CONTENT_ELEMENTS = new Set(['script', 'style', 'noscript', 'template', 'head', 'select', 'button']);
const TEXT_BREAK_ELEMENTS = new Set([...BLOCK_ELEMENTS, 'br', 'nav', 'td', 'th']);

/** Read everything the page declares about itself. Pure: never changes `document`. */
export function readMetadata(document: Document, options: MetadataOptions): PageMetadata {
  const { baseUrl } = options;
  const elements = allElements(document);
  const meta = metaContents(elements);
  const article = jsonLdArticle(elements);
  const metadata: PageMetadata = {};

  const siteName = firstText(
    meta.get('og:site_name'),
    meta.get('application-name'),
    jsonLdName(article?.publisher),
    meta.get('twitter:site')?.replace(/^@/, ''),
  );
  if (siteName) metadata.siteName = siteName;

  const h1 = elements.find((element) => element.name === 'h1');
  const h1Text = h1 ? collapseWhitespace(textContent(h1)) : undefined;
  const titleTag = elements.find((element) => element.name === 'title' && !isInsideSvg(element));
  const titleTagText = titleTag ? collapseWhitespace(textContent(titleTag)) : undefined;
  const suffixes = siteSuffixes(siteName, titleTagText);
  const title = firstText(
    cleanTitle(meta.get('og:title') ?? '', suffixes),
    cleanTitle(meta.get('twitter:title') ?? '', suffixes),
    cleanTitle(stringOf(article?.headline) ?? '', suffixes),
    h1Text,
    titleTagText ? cleanTitle(titleTagText, suffixes, true) : undefined,
  );
  if (title) metadata.title = title;

  const offset = pageOffset(meta, article, elements);
  if (offset) metadata.offset = offset;
  const anchor = options.titleElement ?? h1;
  const nearTitle = anchor ? textNear(document, anchor) : '';

  const timeElement =
    elements.find(
      (element) => element.name === 'time' && element.attribs.datetime && isPublishedTime(element),
    ) ?? elements.find((element) => element.name === 'time' && element.attribs.datetime);
  const published = firstDefined(
    [
      meta.get('article:published_time'),
      stringOf(article?.datePublished),
      timeElement?.attribs.datetime,
      meta.get('pubdate'),
      meta.get('publishdate'),
      meta.get('publish-date'),
      meta.get('datepublished'),
      meta.get('date'),
    ].map((value) => (value ? normalizeDate(value, offset) : undefined)),
  );
  const visibleDate = published ? undefined : findVisibleDate(nearTitle, offset);
  if (published ?? visibleDate) metadata.published = published ?? visibleDate;
  const urlDate = options.pageUrl ? dateInUrl(options.pageUrl) : undefined;
  if (urlDate) metadata.urlDate = urlDate;

  const relAuthor = elements.find(
    (element) => element.name === 'a' && /\bauthor\b/i.test(element.attribs.rel ?? ''),
  );
  // Publishers often name themselves as the author; that says nothing about who wrote the piece.
  const author = [
    meta.get('author'),
    meta.get('article:author'),
    jsonLdName(article?.author),
    relAuthor ? textContent(relAuthor) : undefined,
  ]
    .map(cleanAuthor)
    .concat(bylineIn(nearTitle))
    .find((name) => name && name !== siteName);
  if (author) metadata.author = author;

  const htmlElement = elements.find((element) => element.name === 'html');
  const lang =
    normalizeLang(htmlElement?.attribs.lang ?? htmlElement?.attribs['xml:lang']) ??
    normalizeLang(meta.get('content-language')) ??
    normalizeLang(meta.get('og:locale')) ??
    normalizeLang(stringOf(article?.inLanguage));
  if (lang) metadata.lang = lang;

  const canonical = elements.find(
    (element) =>
      element.name === 'link' && /\bcanonical\b/i.test(element.attribs.rel ?? '') && element.attribs.href,
  );
  const canonicalUrl = canonical ? httpUrl(canonical.attribs.href, baseUrl) : undefined;
  if (canonicalUrl) metadata.canonicalUrl = canonicalUrl;

  const imageCandidates = [
    meta.get('og:image:secure_url'),
    meta.get('og:image'),
    meta.get('og:image:url'),
    meta.get('twitter:image'),
    meta.get('twitter:image:src'),
    jsonLdImage(article?.image),
  ];
  for (const candidate of imageCandidates) {
    const src = candidate ? httpUrl(candidate, baseUrl) : undefined;
    if (src && !LOGO_IMAGE.test(new URL(src).pathname)) {
      const alt = collapseWhitespace(meta.get('og:image:alt') ?? meta.get('twitter:image:alt') ?? '');
      metadata.leadImage = alt ? { src, alt } : { src };
      break;
    }
  }
  return metadata;
}

/** The day a URL path names ('/2023/10/18/', '/2023-10-18/', '/20231018/'), as 'YYYY-MM-DD'. */
export function dateInUrl(pageUrl: string): string | undefined {
  let path: string;
  try {
    path = new URL(pageUrl).pathname;
  } catch {
    return undefined;
  }
  const match =
    /(?:^|\/)(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?=[/_.-]|$)/.exec(path) ??
    /(?:^|[/_-])(\d{4})(\d{2})(\d{2})(?=[/_.-]|$)/.exec(path);
  return match ? normalizeDate(`${match[1]}-${match[2]}-${match[3]}`) : undefined;
}

/** Absolute http(s) URL of `value` against `baseUrl`, else undefined. */
export function httpUrl(value: string | undefined, baseUrl: string): string | undefined {
  if (!value?.trim()) return undefined;
  try {
    const url = new URL(value.trim(), baseUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Up to NEAR_TITLE_CHARS of visible text after `anchor`, with blocks on their own lines. */
export function textNear(document: Document, anchor: Element): string {
  let text = '';
  let started = false;
  const visit = (node: AnyNode): boolean => {
    if (text.length >= NEAR_TITLE_CHARS) return false;
    if (node === anchor) {
      started = true;
      return true;
    }
    if (isText(node)) {
      if (started) text += node.data;
      return true;
    }
    if (!isTag(node)) {
      if ('children' in node) for (const child of node.children) if (!visit(child)) return false;
      return true;
    }
    if (NON_CONTENT_ELEMENTS.has(node.name)) return true;
    const block = TEXT_BREAK_ELEMENTS.has(node.name);
    if (block && started) text += '\n';
    for (const child of node.children) if (!visit(child)) return false;
    if (block && started) text += '\n';
    return true;
  };
  for (const child of document.children) if (!visit(child)) break;
  return text
    .replace(/[ \t\u00a0\u3000]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .slice(0, NEAR_TITLE_CHARS);
}

function allElements(document: Document): Element[] {
  const found: Element[] = [];
  const visit = (node: AnyNode): void => {
    if (isTag(node)) found.push(node);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  for (const child of document.children) visit(child);
  return found;
}

/** meta property/name/itemprop/http-equiv (lower case) -> first non-empty content. */
function metaContents(elements: Element[]): Map<string, string> {
  const contents = new Map<string, string>();
  for (const element of elements) {
    if (element.name !== 'meta') continue;
    const content = element.attribs.content?.trim();
    if (!content) continue;
    for (const attribute of ['property', 'name', 'itemprop', 'http-equiv']) {
      const key = element.attribs[attribute]?.trim().toLowerCase();
      if (key && !contents.has(key)) contents.set(key, content);
    }
  }
  return contents;
}

type JsonObject = Record<string, unknown>;

/** The first JSON-LD object whose @type is an article kind (through @graph and arrays); bad JSON is skipped. */
function jsonLdArticle(elements: Element[]): JsonObject | undefined {
  for (const element of elements) {
    if (element.name !== 'script' || !/ld\+json/i.test(element.attribs.type ?? '')) continue;
    let data: unknown;
    try {
      // Publishers leave raw newlines and tabs inside strings; JSON forbids them.
      data = JSON.parse(textContent(element).replace(/[\u0000-\u001f]+/g, ' '));
    } catch {
      continue;
    }
    const queue: unknown[] = [data];
    while (queue.length > 0) {
      const item = queue.shift();
      if (Array.isArray(item)) queue.push(...item);
      else if (item && typeof item === 'object') {
        const object = item as JsonObject;
        const types = ([] as unknown[]).concat(object['@type'] ?? []);
        if (types.some((type) => typeof type === 'string' && ARTICLE_TYPE.test(type))) return object;
        if (object['@graph']) queue.push(object['@graph']);
        if (object.mainEntity) queue.push(object.mainEntity);
      }
    }
  }
  return undefined;
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) return stringOf(value[0]);
  return undefined;
}

/** JSON-LD person/organisation name: 'X', {name: 'X'}, or a list of those (joined). */
function jsonLdName(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) {
    const names = value.map(jsonLdName).filter(Boolean);
    return names.length > 0 ? names.join(', ') : undefined;
  }
  if (value && typeof value === 'object') return stringOf((value as JsonObject).name);
  return undefined;
}

function jsonLdImage(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return jsonLdImage(value[0]);
  if (value && typeof value === 'object') return stringOf((value as JsonObject).url);
  return undefined;
}

/** The offset of the first machine-readable date on the page that has one. */
function pageOffset(
  meta: Map<string, string>,
  article: JsonObject | undefined,
  elements: Element[],
): string | undefined {
  const values = [
    meta.get('article:published_time'),
    meta.get('article:modified_time'),
    meta.get('og:updated_time'),
    stringOf(article?.datePublished),
    stringOf(article?.dateModified),
    ...elements.filter((element) => element.name === 'time').map((element) => element.attribs.datetime),
  ];
  for (const value of values) {
    const offset = value ? dateOffset(normalizeDate(value)) : undefined;
    if (offset) return offset;
  }
  return undefined;
}

function isPublishedTime(element: Element): boolean {
  const { itemprop = '', class: className = '' } = element.attribs;
  return 'pubdate' in element.attribs || /datePublished/i.test(itemprop) || /publish/i.test(className);
}

function isInsideSvg(element: Element): boolean {
  for (let parent = element.parent; parent; parent = parent.parent) {
    if (isTag(parent) && parent.name === 'svg') return true;
  }
  return false;
}

function firstText(...values: Array<string | undefined>): string | undefined {
  for (const value of values) {
    const text = value ? collapseWhitespace(value) : '';
    if (text) return text;
  }
  return undefined;
}

function firstDefined<T>(values: Array<T | undefined>): T | undefined {
  return values.find((value) => value !== undefined);
}
