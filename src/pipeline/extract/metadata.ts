// Page metadata: what the publisher declares about an article (meta tags, Open Graph, JSON-LD, <time>,
// <link rel=canonical>) and, failing that, what it prints near the title (bylines, visible dates).
// Used for every field the site rules did not give, and for pages read by the generic extractor.
// Cleaning the text fields is in fields.ts, the language in lang.ts; both are re-exported for importers.

import { type AnyNode, type Document, type Element, isTag, isText } from 'domhandler';
import { textContent } from 'domutils';
import { BLOCK_ELEMENTS } from '../../internal/block-elements.ts';
import type { ImageRef } from '../types.ts';
import { markedAuthor, markedDate } from './credits.ts';
import { dateOffset, findVisibleDate, normalizeDate } from './dates.ts';
import { bylineIn, cleanAuthor, collapseWhitespace, siteSuffixes } from './fields.ts';
import { type JsonObject, jsonLdImage, jsonLdName, readJsonLd, resolve, stringOf } from './jsonld.ts';
import { normalizeLang } from './lang.ts';
import { isLeadImageCandidate } from './lead-image.ts';
import { chooseTitle } from './title.ts';

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
  /** The site's own name given as the author: the last resort for `author`, after any byline. */
  publisherAuthor?: string;
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
/** Further meta tags that carry the publication date (Dublin Core, Highwire/Scholar citations, publishers' own). */
const DATE_META = [
  'published',
  'published_time',
  'og:published_time',
  'article.published',
  'parsely-pub-date',
  'sailthru.date',
  'dc.date.issued',
  'dcterms.issued',
  'dc.date',
  'dcterms.date',
  'dcterms.created',
  'citation_publication_date',
  'citation_date',
];
/** og:image values that are the site's logo or default card, not the article's picture. */
const LOGO_IMAGE = /logo|favicon|default[-_]?(?:share|og|image|thumb)|site[-_]?(?:image|card)|placeholder/i;
const NON_CONTENT_ELEMENTS = new Set(['script', 'style', 'noscript', 'template', 'head', 'select', 'button']);
const TEXT_BREAK_ELEMENTS = new Set([...BLOCK_ELEMENTS, 'br', 'nav', 'td', 'th']);

/** Read everything the page declares about itself. Pure: never changes `document`. */
export function readMetadata(document: Document, options: MetadataOptions): PageMetadata {
  const { baseUrl } = options;
  const elements = allElements(document);
  const meta = metaContents(elements);
  const jsonLd = readJsonLd(elements);
  const article = jsonLd.article;
  const metadata: PageMetadata = {};

  const siteName = firstText(
    meta.get('og:site_name'),
    meta.get('application-name'),
    jsonLdName(resolve(article?.publisher, jsonLd.nodes)),
    meta.get('twitter:site')?.replace(/^@/, ''),
  );
  if (siteName) metadata.siteName = siteName;

  const h1 = elements.find((element) => element.name === 'h1');
  const titleTag = elements.find((element) => element.name === 'title' && !isInsideSvg(element));
  const titleTagText = titleTag ? collapseWhitespace(textContent(titleTag)) : undefined;
  const chosen = chooseTitle({
    elements,
    declared: [meta.get('og:title'), meta.get('twitter:title'), stringOf(article?.headline)],
    titleTagText,
    siteNames: siteSuffixes(siteName, titleTagText),
    pageUrl: options.pageUrl,
  });
  if (chosen) metadata.title = chosen.title;

  const offset = pageOffset(meta, article, elements);
  if (offset) metadata.offset = offset;
  const anchor = options.titleElement ?? chosen?.heading ?? h1;
  const nearTitle = anchor ? textNear(document, anchor) : '';

  // A <time> whose datetime does not parse ('02-12-2025') must not hide the next one.
  const isDatedTime = (element: Element) =>
    element.name === 'time' && normalizeDate(element.attribs.datetime ?? '') !== undefined;
  const timeElement =
    elements.find((element) => isDatedTime(element) && isPublishedTime(element)) ??
    elements.find(isDatedTime);
  const published = firstDefined(
    [
      meta.get('article:published_time'),
      stringOf(article?.datePublished),
      timeElement?.attribs.datetime,
      meta.get('pubdate'),
      meta.get('publishdate'),
      meta.get('publish-date'),
      meta.get('datepublished'),
      ...DATE_META.map((key) => meta.get(key)),
      meta.get('date'),
    ].map((value) => (value ? normalizeDate(value, offset) : undefined)),
  );
  // Then what the page prints: a date element marked as such near the headline, else a date just after it.
  const visibleDate = published
    ? undefined
    : (markedDate(elements, anchor, offset) ?? findVisibleDate(nearTitle, offset));
  if (published ?? visibleDate) metadata.published = published ?? visibleDate;
  const urlDate = options.pageUrl ? dateInUrl(options.pageUrl) : undefined;
  if (urlDate) metadata.urlDate = urlDate;

  const relAuthor = elements.find(
    (element) => element.name === 'a' && /\bauthor\b/i.test(element.attribs.rel ?? ''),
  );
  // Publishers often name themselves as the author; that says nothing about who wrote the piece, so a name
  // printed in the page (or the generic extractor's byline) comes first, and the publisher only last.
  const declaredAuthors = [
    meta.get('author'),
    meta.get('article:author'),
    jsonLdName(resolve(article?.author, jsonLd.nodes)),
    relAuthor ? textContent(relAuthor) : undefined,
  ].map(cleanAuthor);
  const isAuthor = (name: string | undefined): name is string => Boolean(name) && name !== siteName;
  // The page's author markup is read only when nothing declared one: it asks every element of the page.
  const author =
    declaredAuthors.find(isAuthor) ?? [markedAuthor(elements, anchor), bylineIn(nearTitle)].find(isAuthor);
  const publisherAuthor = declaredAuthors.find((name) => name && name === siteName);
  if (publisherAuthor) metadata.publisherAuthor = publisherAuthor;
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
    jsonLdImage(resolve(article?.image, jsonLd.nodes)),
  ];
  // og:image:width/height describe the first og:image; a declared icon-sized card is no lead picture either.
  const declaredSize = { width: meta.get('og:image:width'), height: meta.get('og:image:height') };
  for (const candidate of imageCandidates) {
    const src = candidate ? httpUrl(candidate, baseUrl) : undefined;
    const size = candidate === meta.get('og:image') ? declaredSize : {};
    if (src && !LOGO_IMAGE.test(new URL(src).pathname) && isLeadImageCandidate({ src, ...size })) {
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
