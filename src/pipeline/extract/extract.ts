// The extract stage: one page (HTML string) in, one article (or null) out. Site rules first, the generic
// extractor when there are none or they stopped matching (reported in ruleMisses), page metadata for
// whatever neither gave. Pure: no I/O, one parse per page.

import { type AnyNode, type Document, type Element, isTag, isText } from 'domhandler';
import { findAll, findOne, textContent } from 'domutils';
import type { ElementContent, Element as HastElement, Root as HastRoot, RootContent } from 'hast';
import { BLOCK_ELEMENTS } from '../../internal/block-elements.ts';
import { ExtractError } from '../../internal/errors.ts';
import type { ExtractedArticle, ImageRef, SiteRules } from '../types.ts';
import { classifyPage, type PageGuess } from './classify/classify.ts';
import { refusalOf } from './classify/refuse.ts';
import { domToHast, parseHtml } from './dom.ts';
import { extractGeneric, type GenericExtraction } from './generic/index.ts';
import { resolveLazyImages } from './lazy-images.ts';
import { collapseWhitespace, guessLang, httpUrl, type PageMetadata, readMetadata } from './metadata.ts';
import { revealNoscriptCopy } from './noscript.ts';
import { applyRemoveRules, type RuleValues, readRuleValues, safeSelectAll, selectRuleBody } from './rules.ts';

export interface ExtractOptions {
  /** The page's URL (after redirects): base for relative URLs unless the page has <base href>. */
  url: string;
  /** The site's rules; without them the generic extractor runs. */
  rules?: SiteRules;
  /** The site's configured language, used when the page declares none. */
  lang?: string;
  /**
   * `articles` (the default, for mirroring): listings, collections and pages without article prose give no
   * article. `any`: the best main content of whatever page this is (a listing's items, a product's description).
   */
  pages?: 'articles' | 'any';
}

/** An article, or why there is none; `page` is the classifier's guess when the generic extractor ran. */
export type Extraction =
  | { article: ExtractedArticle; page?: PageGuess }
  | { article: null; reason: string; page?: PageGuess };

/**
 * Below this much text (and with no image) a body rule's match is an empty shell left by a redesign,
 * not an article: a one-line brief still has more.
 */
const MIN_RULE_BODY_CHARS = 25;
/** Elements that only wrap a leading picture; looking through them finds the body's first real content. */
const WRAPPER_ELEMENTS = new Set([
  'a',
  'article',
  'center',
  'div',
  'figure',
  'header',
  'main',
  'p',
  'picture',
  'section',
  'span',
]);
/**
 * A page the generic extractor may read must hold one run of non-link text at least this long, in
 * Latin-letter equivalents (a CJK character counts CJK_CHAR_WEIGHT): one English sentence, or 34 Chinese
 * characters. Index-page teasers are shorter. Chosen low on purpose: on the 250 benchmark articles the
 * first one lost is at 120, so this only turns away pages no extractor should read as a story.
 */
const MIN_ARTICLE_PARAGRAPH = 100;
/** Information in one CJK character relative to one Latin letter (a Chinese word is ~1.5 characters). */
const CJK_CHAR_WEIGHT = 3;
const CJK_CHAR = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/g;
/** Elements whose text never counts toward a paragraph (links count zero but do not end one). */
const NON_PARAGRAPH_ELEMENTS = new Set([
  'a',
  'button',
  'head',
  'nav',
  'noscript',
  'option',
  'script',
  'select',
  'style',
  'template',
  'textarea',
  'title',
]);
/** Elements that end a run of paragraph text; every other element is inline (<br> too: old pages hard-wrap prose with it). */
const BLOCK_BREAK_ELEMENTS = new Set([
  ...BLOCK_ELEMENTS,
  'body',
  'details',
  'fieldset',
  'form',
  'html',
  'nav',
  'pre',
  'summary',
  'td',
  'th',
]);
/** URL-valued properties made absolute in the body. */
const URL_PROPERTIES = ['href', 'src', 'poster'];
/** Properties that could still point the reader's browser somewhere else once `src` is final. */
const LEFTOVER_SOURCE_PROPERTIES = ['srcSet', 'dataSrc', 'dataSrcset'];

/**
 * Extract the article in `html`. Returns null when the page is not an article (neither the rules nor the
 * generic extractor find a body); with `explain: true`, an Extraction that says why, and the classifier's guess.
 * Throws ExtractError only when `options.url` is not an absolute URL.
 */
export function extractArticle(html: string, options: ExtractOptions & { explain: true }): Extraction;
export function extractArticle(html: string, options: ExtractOptions): ExtractedArticle | null;
export function extractArticle(
  html: string,
  options: ExtractOptions & { explain?: boolean },
): Extraction | ExtractedArticle | null {
  const extraction = extract(html, options);
  return options.explain ? extraction : extraction.article;
}

function extract(html: string, options: ExtractOptions): Extraction {
  const anyPage = options.pages === 'any';
  const document = parseHtml(html);
  const baseUrl = documentBaseUrl(document, options.url);
  const rules = options.rules;

  // Read everything from the untouched page first: remove rules may name the header holding the title.
  const firstPass = readMetadata(document, { baseUrl, pageUrl: options.url });
  const ruleValues: RuleValues = rules
    ? readRuleValues(document, rules, baseUrl, firstPass.offset)
    : { misses: [] };
  const metadata = ruleValues.titleElement
    ? readMetadata(document, { baseUrl, pageUrl: options.url, titleElement: ruleValues.titleElement })
    : firstPass;

  const removeMisses = rules?.remove ? applyRemoveRules(document, rules.remove) : [];
  resolveLazyImages(document, baseUrl);

  const ruleBody = rules ? selectRuleBody(document, rules) : [];
  const useRules = ruleBody.length > 0 && !isTrivialBody(ruleBody);
  const leadBeforeBody = ruleValues.leadImage ?? metadata.leadImage;
  const figcaptionBeforeBody = leadBeforeBody ? figcaptionOf(document, leadBeforeBody.src) : undefined;

  let body: HastRoot;
  let generic: GenericExtraction | null = null;
  let page: PageGuess | undefined;
  if (useRules) {
    body = domToHast(ruleBody);
  } else {
    revealNoscriptCopy(document);
    page = classifyPage(document, classifierUrl(options.url, metadata));
    const refusal = anyPage ? undefined : notAnArticle(document, page);
    if (refusal) return { article: null, reason: refusal, page };
    generic = extractGeneric(document, baseUrl, { anyPage, page });
    if (!generic) {
      const reason = anyPage ? 'no main content found' : 'no article body found (too short, or mostly links)';
      return { article: null, reason, page };
    }
    body = generic.body;
  }
  absolutizeUrls(body, baseUrl);

  const title = ruleValues.title ?? metadata.title ?? generic?.title ?? '';
  if (title) removeTitleHeading(body, title);
  const leadImage = absoluteImage(leadBeforeBody ?? generic?.leadImage, baseUrl);
  const removedCaption = leadImage ? removeLeadingImage(body, leadImage.src) : undefined;
  const caption =
    ruleValues.caption ??
    (leadImage && !leadBeforeBody ? generic?.caption : undefined) ??
    figcaptionBeforeBody ??
    removedCaption ??
    (leadImage ? figcaptionOf(document, leadImage.src) : undefined);

  const author = ruleValues.author ?? metadata.author ?? generic?.author ?? metadata.publisherAuthor;
  const published = ruleValues.published ?? metadata.published ?? generic?.published ?? metadata.urlDate;
  const lang = metadata.lang ?? options.lang ?? guessLang(`${title}\n${hastText(body)}`);
  const ruleMisses: string[] = [];
  if (rules?.body && !useRules) ruleMisses.push('body');
  ruleMisses.push(...ruleValues.misses, ...removeMisses.map((selector) => `remove:${selector}`));

  // Optional fields only when known, in the order a reader of a JSON dump looks for them.
  const article: ExtractedArticle = {
    title,
    ...(author && { author }),
    ...(published && { published }),
    ...(lang && { lang }),
    ...(metadata.canonicalUrl && { canonicalUrl: metadata.canonicalUrl }),
    ...(leadImage && { leadImage }),
    ...(caption && { caption }),
    body,
    method: useRules ? 'rules' : 'generic',
    ruleMisses,
  };
  return page ? { article, page } : { article };
}

/**
 * The URL the classifier reads the page's path from: a saved file's own (`file:///tmp/page.html`) says nothing, so
 * the canonical address the page declares for itself stands in for it.
 */
function classifierUrl(pageUrl: string, metadata: PageMetadata): string {
  if (/^https?:/i.test(pageUrl)) return pageUrl;
  return metadata.canonicalUrl ?? pageUrl;
}

/** Why a page the rules did not read is no article, or undefined when the generic extractor may try. */
function notAnArticle(document: Document, page: PageGuess): string | undefined {
  // Listing and section pages are full of short teasers a generic extractor can mistake for a story.
  if (!hasArticleParagraph(document))
    return 'no paragraph of article prose (about 20 words in one run of text)';
  return refusalOf(page);
}

/** The page's base URL: <base href> resolved against the page URL, else the page URL. */
function documentBaseUrl(document: Document, pageUrl: string): string {
  let page: URL;
  try {
    page = new URL(pageUrl);
  } catch (error) {
    throw new ExtractError(
      `extract: page URL "${pageUrl}" is not an absolute URL; pass the URL the page came from`,
      {
        code: 'bad_url',
        where: pageUrl,
        retryable: false,
        cause: error,
      },
    );
  }
  // A walk, not a CSS selector: this runs on every page and css-select compiles the selector each time.
  const base = findOne((element) => element.name === 'base' && 'href' in element.attribs, document.children);
  return httpUrl(base?.attribs.href, page.href) ?? page.href;
}

function isTrivialBody(elements: Element[]): boolean {
  const text = elements.map((element) => textContent(element)).join('');
  if (text.replace(/\s+/g, '').length >= MIN_RULE_BODY_CHARS) return false;
  return !elements.some((element) => element.name === 'img' || safeSelectAll('img', element).length > 0);
}

/**
 * Cheap check before the generic extractor (in the spirit of Readability's isProbablyReaderable): is there
 * one run of non-link text, unbroken by block elements, of at least MIN_ARTICLE_PARAGRAPH?
 */
function hasArticleParagraph(document: Document): boolean {
  let found = false;
  // Returns the weight of the inline text run that `node` contributes to its block.
  const visit = (node: AnyNode): number => {
    if (found) return 0;
    if (isText(node)) return textWeight(node.data);
    if (!isTag(node)) {
      if ('children' in node) for (const child of node.children) closeRun(visit(child));
      return 0;
    }
    if (NON_PARAGRAPH_ELEMENTS.has(node.name)) return 0;
    let run = 0;
    for (const child of node.children) {
      const weight = visit(child);
      if (isTag(child) && BLOCK_BREAK_ELEMENTS.has(child.name)) {
        closeRun(run);
        run = 0;
      } else run += weight;
    }
    if (!BLOCK_BREAK_ELEMENTS.has(node.name)) return run;
    closeRun(run);
    return 0;
  };
  const closeRun = (weight: number): void => {
    if (weight >= MIN_ARTICLE_PARAGRAPH) found = true;
  };
  visit(document);
  return found;
}

function textWeight(text: string): number {
  const compact = text.replace(/\s+/g, ' ').trim();
  const cjk = compact.match(CJK_CHAR)?.length ?? 0;
  return compact.length + cjk * (CJK_CHAR_WEIGHT - 1);
}

function absoluteImage(image: ImageRef | undefined, baseUrl: string): ImageRef | undefined {
  const src = httpUrl(image?.src, baseUrl);
  return image && src ? { ...image, src } : undefined;
}

/** The figcaption of the <figure> holding the image with this source, if any. */
function figcaptionOf(document: Document, src: string): string | undefined {
  const key = imageKey(src);
  // The first <img> inside a <figure> showing the same picture; its nearest figure's caption.
  for (const img of findAll((element) => element.name === 'img', document.children)) {
    if (!img.attribs.src) continue;
    let figure = img.parent;
    while (figure && !(isTag(figure) && figure.name === 'figure')) figure = figure.parent;
    if (!figure || imageKey(img.attribs.src) !== key) continue;
    const figcaption = findOne((element) => element.name === 'figcaption', (figure as Element).children);
    const text = figcaption ? collapseWhitespace(textContent(figcaption)) : '';
    return text || undefined;
  }
  return undefined;
}

/**
 * Two URLs of the same picture: same host and path, ignoring the scheme and a WordPress-style size
 * suffix ('photo-600x400.jpg' is 'photo.jpg' resized).
 */
function imageKey(src: string): string {
  try {
    const url = new URL(src);
    const path = url.pathname.replace(/-\d{2,5}x\d{2,5}(?=\.[A-Za-z0-9]+$)/, '');
    return `${url.host.toLowerCase()}${path}${url.search}`;
  } catch {
    return src;
  }
}

type HastParent = HastRoot | HastElement;

function absolutizeUrls(root: HastRoot, baseUrl: string): void {
  visitElements(root, (element) => {
    for (const name of URL_PROPERTIES) {
      const value = element.properties[name];
      if (typeof value !== 'string') continue;
      const absolute = /^\s*(?:mailto|tel):/i.test(value) ? value.trim() : httpUrl(value, baseUrl);
      if (absolute) element.properties[name] = absolute;
      else delete element.properties[name];
    }
    if (element.tagName === 'img')
      for (const name of LEFTOVER_SOURCE_PROPERTIES) delete element.properties[name];
  });
}

/**
 * When the body opens with the lead image (possibly wrapped in a figure, link or paragraph), remove it so
 * the page does not show the picture twice. Returns the caption of a removed figure.
 */
function removeLeadingImage(root: HastRoot, leadSrc: string): string | undefined {
  const found = leadingImage(root, []);
  if (found.kind !== 'img') return undefined;
  const src = found.img.properties.src;
  if (typeof src !== 'string' || imageKey(src) !== imageKey(leadSrc)) return undefined;
  const ancestors: HastParent[] = [root, ...found.path];
  let removed: ElementContent | RootContent = found.img;
  let caption: string | undefined;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const parent = ancestors[i];
    parent.children = parent.children.filter((child) => child !== removed) as typeof parent.children;
    if (i === 0 || parent.type !== 'element') break;
    if (parent.tagName === 'figure') {
      const figcaption = parent.children.find(
        (child): child is HastElement => child.type === 'element' && child.tagName === 'figcaption',
      );
      caption = figcaption ? collapseWhitespace(hastText(figcaption)) || undefined : undefined;
      removed = parent;
      continue;
    }
    if (hasContent(parent)) break;
    removed = parent;
  }
  return caption;
}

type LeadingContent =
  | { kind: 'img'; img: HastElement; path: HastElement[] }
  | { kind: 'content' }
  | { kind: 'empty' };

function leadingImage(parent: HastParent, path: HastElement[]): LeadingContent {
  for (const child of parent.children) {
    if (child.type === 'comment' || child.type === 'doctype') continue;
    if (child.type === 'text') {
      if (child.value.trim()) return { kind: 'content' };
      continue;
    }
    if (child.type !== 'element') return { kind: 'content' };
    if (child.tagName === 'br') continue;
    if (child.tagName === 'img') return { kind: 'img', img: child, path };
    if (!WRAPPER_ELEMENTS.has(child.tagName)) return { kind: 'content' };
    const inner = leadingImage(child, [...path, child]);
    if (inner.kind !== 'empty') return inner;
  }
  return { kind: 'empty' };
}

function hasContent(node: HastParent): boolean {
  return node.children.some(
    (child) =>
      (child.type === 'text' && child.value.trim() !== '') ||
      (child.type === 'element' && child.tagName !== 'br' && (child.tagName === 'img' || hasContent(child))),
  );
}

/** Remove the first <h1> whose text is the title: the page already shows the title above the body. */
function removeTitleHeading(root: HastRoot, title: string): void {
  const wanted = comparableText(title);
  const remove = (parent: HastParent): boolean => {
    for (const child of parent.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'h1' && comparableText(hastText(child)) === wanted) {
        parent.children = parent.children.filter((node) => node !== child) as typeof parent.children;
        return true;
      }
      if (remove(child)) return true;
    }
    return false;
  };
  remove(root);
}

function comparableText(text: string): string {
  return text.replace(/[\s\p{P}]+/gu, '').toLowerCase();
}

function hastText(node: HastParent): string {
  let text = '';
  visit(node);
  return text;
  function visit(parent: HastParent): void {
    for (const child of parent.children) {
      if (child.type === 'text') text += child.value;
      else if (child.type === 'element') {
        visit(child);
        if (child.tagName === 'p' || child.tagName === 'br' || /^h\d$/.test(child.tagName)) text += '\n';
      }
    }
  }
}

function visitElements(parent: HastParent, callback: (element: HastElement) => void): void {
  for (const child of parent.children) {
    if (child.type !== 'element') continue;
    callback(child);
    visitElements(child, callback);
  }
}
