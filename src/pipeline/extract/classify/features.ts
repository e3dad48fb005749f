// What the page classifier looks at: a few dozen numbers read in one walk over the parsed page, before the
// extractor changes it. Counts are log-scaled (a listing has 50 teasers or 500; both are many).
import type { Document } from 'domhandler';
import { countPage } from './walk.ts';

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
  'card_text_share',
  'log_cards',
  'link_row_share',
  'content_link_share',
  'chrome_text_share',
  'log_distinct_headings',
  'linked_heading_share',
  'log_linked_headings',
  'log_sections',
  'log_forms',
  'log_contact_inputs',
  'log_contact_links',
  'log_calls_to_action',
  'log_pager_links',
  'url_service',
  'url_index',
] as const;

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
const URL_SERVICE =
  /\/(?:services?|solutions?|what-we-do|capabilities|consulting|pricing|plans|programs?|tools|calculators?)\b|-(?:services?|company|agency|consulting)\/?$/i;
/** A path that ends in a section word (or is the site's root): the index of a news site or blog. */
const URL_INDEX =
  /^\/?$|\/(?:news|blog|articles|posts|stories|latest|sections?|magazine|podcasts?|episodes|events|reviews|archive)\/?$/i;
const URL_DATE = /\/(?:19|20)\d{2}[/-]?(?:0[1-9]|1[0-2])\b/;

const log = (value: number) => Math.log1p(value);

/** The classifier's inputs for one page, in FEATURE_NAMES order. */
export function pageFeatures(document: Document, url: string): number[] {
  const counts = countPage(document);
  const text = Math.max(1, counts.textChars);
  const schema = counts.schemaTypes.join(' ');
  const og = counts.og;
  let path = '';
  let pathname = '';
  try {
    const parsed = new URL(url);
    pathname = parsed.pathname;
    path = parsed.pathname + parsed.search;
  } catch {
    // A file path or an invalid URL says nothing about the page.
  }
  const depth = path.split('/').filter(Boolean).length;
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
    log(counts.prices),
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
    flag(counts.cart),
    log(counts.longestRun),
    counts.cardChars / text,
    log(counts.cards),
    counts.linkRowChars / text,
    counts.contentLinkChars / Math.max(1, counts.contentChars),
    1 - counts.contentChars / text,
    log(counts.distinctHeadings.size),
    counts.distinctHeadings.size ? counts.linkedHeadings / counts.distinctHeadings.size : 0,
    log(counts.linkedHeadings),
    log(counts.sections),
    log(counts.forms),
    log(counts.contactInputs),
    log(counts.contactLinks),
    log(counts.callsToAction),
    log(counts.pagerLinks),
    flag(URL_SERVICE.test(path)),
    flag(URL_INDEX.test(pathname)),
  ];
}
