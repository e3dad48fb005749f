// What the page classifier looks at: a few dozen numbers read in one walk over the parsed page, before the
// extractor changes it. Counts are log-scaled (a listing has 50 teasers or 500; both are many).
import { type AnyNode, type Document, type Element, isTag, isText } from 'domhandler';

/** Feature names in model order; the model file (model.json) stores weights in this order. */
export const FEATURE_NAMES = [
  'log_text_chars',
  'link_text_share',
  'paragraph_text_share',
  'log_long_paragraphs',
  'log_longest_paragraph',
  'log_headings',
  'log_article_elements',
  'log_list_items',
  'log_images',
  'log_form_controls',
  'log_prices',
  'log_times',
  'log_code_blocks',
  'log_links',
  'mean_link_text',
  'schema_article',
  'schema_product',
  'schema_discussion',
  'schema_collection',
  'schema_service',
  'schema_docs',
  'og_article',
  'og_product',
  'url_depth',
  'url_date',
  'url_ends_slash',
  'url_discussion',
  'url_product',
  'url_collection',
  'url_docs',
  'url_article_word',
  'cart_words',
  'log_sibling_run',
] as const;

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head']);
const HEADINGS = new Set(['h1', 'h2', 'h3']);
const FORM_CONTROLS = new Set(['input', 'select', 'textarea', 'button']);
// Both run over the whole page, scripts included. A suffixed price is tried only where a run of digits starts
// (the lookbehind): from every digit, a long number in a script was rescanned once per digit (a tenth of
// `extract`'s time on Scrapinghub). The counts are the same.
const PRICE = /[$€£¥₹]\s?\d[\d,.]*|(?<![\d,.])\d[\d,.]*\s?(?:€|USD|EUR|元|円)/g;
// The Chinese phrases by includes(): in one alternation with the \b words they made every position a candidate.
const CART = /\b(?:add to (?:cart|bag|basket)|buy now|in stock|out of stock|checkout|free shipping)\b/i;
const CART_CJK = ['加入购物车', '立即购买'];

const SCHEMA = {
  article: /\b(?:NewsArticle|Article|BlogPosting|ReportageNewsArticle|OpinionNewsArticle|LiveBlogPosting)\b/,
  product: /\b(?:Product|Offer|AggregateOffer|IndividualProduct)\b/,
  discussion: /\b(?:DiscussionForumPosting|QAPage|Question|Answer|Comment)\b/,
  collection: /\b(?:CollectionPage|ItemList|SearchResultsPage|OfferCatalog)\b/,
  service: /\b(?:Service|LocalBusiness|Organization|FAQPage|ProfessionalService|Corporation)\b/,
  docs: /\b(?:TechArticle|APIReference|SoftwareSourceCode|HowTo)\b/,
};

const URL_DISCUSSION = /\/(?:t|threads?|topics?|forums?|questions|discussions?|community|comments|d|r)\//i;
const URL_PRODUCT = /\/(?:products?|p|dp|item|shop|store|buy)\/|\.(?:html?)\?.*sku/i;
const URL_COLLECTION =
  /\/(?:category|categories|tags?|topics|collections?|section|archives?|list|browse|search)\b/i;
const URL_DOCS = /\/(?:docs?|documentation|reference|api|manual|guide|wiki|library)\b/i;
const URL_ARTICLE = /\/(?:news|article|story|blog|posts?|\d{4}\/\d{2})\b|\.s?html?$/i;
const URL_DATE = /\/(?:19|20)\d{2}[/-]?(?:0[1-9]|1[0-2])\b/;

interface Counts {
  textChars: number;
  linkChars: number;
  paragraphChars: number;
  longParagraphs: number;
  longestParagraph: number;
  headings: number;
  articles: number;
  listItems: number;
  images: number;
  formControls: number;
  times: number;
  codeBlocks: number;
  links: number;
  longestRun: number;
}

const log = (value: number) => Math.log1p(value);

function textOf(node: AnyNode): number {
  if (isText(node)) return node.data.trim().length;
  if (!isTag(node) || SKIPPED.has(node.name)) return 0;
  let chars = 0;
  for (const child of node.children) chars += textOf(child);
  return chars;
}

/** Longest run of element siblings with one tag and class that each hold a link: cards, teasers, rows. */
function siblingRun(node: Element): number {
  const runs = new Map<string, number>();
  let longest = 0;
  for (const child of node.children) {
    if (!isTag(child) || !child.children.length) continue;
    const key = `${child.name}.${child.attribs.class ?? ''}`;
    const count = (runs.get(key) ?? 0) + 1;
    runs.set(key, count);
    if (count > longest) longest = count;
  }
  return longest;
}

function walk(node: AnyNode, counts: Counts, inLink: boolean): void {
  if (isText(node)) {
    const chars = node.data.trim().length;
    counts.textChars += chars;
    if (inLink) counts.linkChars += chars;
    return;
  }
  if (!isTag(node) || SKIPPED.has(node.name)) {
    if ('children' in node) for (const child of node.children) walk(child, counts, inLink);
    return;
  }
  const name = node.name;
  if (name === 'p') {
    const chars = textOf(node);
    counts.paragraphChars += chars;
    if (chars >= 150) counts.longParagraphs++;
    if (chars > counts.longestParagraph) counts.longestParagraph = chars;
  } else if (HEADINGS.has(name)) counts.headings++;
  else if (name === 'article') counts.articles++;
  else if (name === 'li') counts.listItems++;
  else if (name === 'img') counts.images++;
  else if (FORM_CONTROLS.has(name)) counts.formControls++;
  else if (name === 'time') counts.times++;
  else if (name === 'pre' || name === 'code') counts.codeBlocks++;
  const link = name === 'a' && Boolean(node.attribs.href);
  if (link) counts.links++;
  const run = siblingRun(node);
  if (run > counts.longestRun) counts.longestRun = run;
  for (const child of node.children) walk(child, counts, inLink || link);
}

/** Every schema.org type named in JSON-LD or microdata, and og:type, as one string to test. */
function declaredTypes(html: string): { schema: string; og: string } {
  const types: string[] = [];
  for (const match of html.matchAll(/"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")/g)) types.push(match[1]);
  for (const match of html.matchAll(/itemtype\s*=\s*["']?[^"'\s>]*schema\.org\/([A-Za-z]+)/g))
    types.push(match[1]);
  const og = /<meta[^>]+property\s*=\s*["']og:type["'][^>]*content\s*=\s*["']([^"']*)/i.exec(html)?.[1] ?? '';
  return { schema: types.join(' '), og: og.toLowerCase() };
}

/** The classifier's inputs for one page, in FEATURE_NAMES order. `html` is the page's source text. */
export function pageFeatures(document: Document, html: string, url: string): number[] {
  const counts: Counts = {
    textChars: 0,
    linkChars: 0,
    paragraphChars: 0,
    longParagraphs: 0,
    longestParagraph: 0,
    headings: 0,
    articles: 0,
    listItems: 0,
    images: 0,
    formControls: 0,
    times: 0,
    codeBlocks: 0,
    links: 0,
    longestRun: 0,
  };
  for (const child of document.children) walk(child, counts, false);
  const text = Math.max(1, counts.textChars);
  const { schema, og } = declaredTypes(html);
  let path = '';
  try {
    const parsed = new URL(url);
    path = parsed.pathname + parsed.search;
  } catch {
    // A file path or an invalid URL says nothing about the page.
  }
  const depth = path.split('/').filter(Boolean).length;
  const prices = Math.min(200, (html.match(PRICE) ?? []).length);
  const flag = (value: boolean) => (value ? 1 : 0);
  return [
    log(counts.textChars),
    counts.linkChars / text,
    counts.paragraphChars / text,
    log(counts.longParagraphs),
    log(counts.longestParagraph),
    log(counts.headings),
    log(counts.articles),
    log(counts.listItems),
    log(counts.images),
    log(counts.formControls),
    log(prices),
    log(counts.times),
    log(counts.codeBlocks),
    log(counts.links),
    counts.links ? counts.linkChars / counts.links / 100 : 0,
    flag(SCHEMA.article.test(schema)),
    flag(SCHEMA.product.test(schema)),
    flag(SCHEMA.discussion.test(schema)),
    flag(SCHEMA.collection.test(schema)),
    flag(SCHEMA.service.test(schema)),
    flag(SCHEMA.docs.test(schema)),
    flag(og === 'article'),
    flag(og.includes('product')),
    Math.min(depth, 8) / 8,
    flag(URL_DATE.test(path)),
    flag(path.endsWith('/') || path === ''),
    flag(URL_DISCUSSION.test(path)),
    flag(URL_PRODUCT.test(path)),
    flag(URL_COLLECTION.test(path)),
    flag(URL_DOCS.test(path)),
    flag(URL_ARTICLE.test(path)),
    flag(CART.test(html) || CART_CJK.some((phrase) => html.includes(phrase))),
    log(counts.longestRun),
  ];
}
