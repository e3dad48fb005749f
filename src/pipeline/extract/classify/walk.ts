// The one walk over the parsed page that pageFeatures reads its numbers from. Everything is read from the DOM,
// nothing from the source text: regular expressions over the whole HTML (scripts included) were about a tenth of
// `extract`'s time. Prices and shopping words are read in visible text, schema.org types in JSON-LD scripts and
// itemtype attributes, og:type in its <meta>.
import { type AnyNode, type Document, type Element, isTag, isText } from 'domhandler';

/** Containers whose text no reader sees; only their metadata (JSON-LD, <meta>) is read. */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head']);
const HEADINGS = new Set(['h1', 'h2', 'h3']);
const ALL_HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const FORM_CONTROLS = new Set(['input', 'select', 'textarea', 'button']);
/** Page chrome: its links are navigation, not content. */
const CHROME = new Set(['nav', 'header', 'footer', 'aside']);

// A suffixed price is tried only where a run of digits starts (the lookbehind), so a long number is not
// rescanned once per digit.
const PRICE = /[$€£¥₹]\s?\d[\d,.]*|(?<![\d,.])\d[\d,.]*\s?(?:€|USD|EUR|元|円)/g;
const CART = /\b(?:add to (?:cart|bag|basket)|buy now|in stock|out of stock|checkout|free shipping)\b/i;
const CART_CJK = ['加入购物车', '立即购买'];
/** Button and link labels that ask the reader to get in touch or sign up: a service page's calls to action. */
const CALL_TO_ACTION =
  /\b(?:contact(?: us)?|get in touch|(?:get|request) a (?:free )?(?:quote|demo|consultation|estimate)|book (?:a |an |your )?(?:demo|call|consultation|appointment)|schedule (?:a )?(?:call|demo|consultation)|free (?:trial|consultation|quote)|get started|sign up|start (?:your )?free|talk to (?:us|sales|an expert)|call (?:us|now|today)|learn more|pricing|our services)\b/i;
/** Labels that say "more of a list": pagers and archive links. */
const PAGER =
  /^(?:next|previous|prev|older|newer|more|load more|show more|view all|see all|page \d+|\d{1,3}|»|«|›|‹|→|←)$/i;

export interface Counts {
  textChars: number;
  linkChars: number;
  paragraphChars: number;
  longParagraphs: number;
  longestParagraph: number;
  headings: number;
  distinctHeadings: Set<string>;
  linkedHeadings: number;
  articles: number;
  sections: number;
  listItems: number;
  images: number;
  formControls: number;
  contactInputs: number;
  forms: number;
  times: number;
  codeBlocks: number;
  links: number;
  contactLinks: number;
  longestRun: number;
  prices: number;
  cart: boolean;
  callsToAction: number;
  pagerLinks: number;
  /** Visible text outside nav/header/footer/aside, and its part inside links. */
  contentChars: number;
  contentLinkChars: number;
  /** Text in rows of three or more like siblings that each hold a link and a heading (cards, teasers). */
  cardChars: number;
  cards: number;
  /** Text in rows of three or more like siblings that each hold a link (any list of links), chrome left out. */
  linkRowChars: number;
  /** schema.org types named in JSON-LD and itemtype attributes, and og:type. */
  schemaTypes: string[];
  og: string;
}

/** What a subtree holds, for its parent's row test. */
interface Subtree {
  chars: number;
  link: boolean;
  heading: boolean;
  cardChars: number;
  linkRowChars: number;
}

const EMPTY: Subtree = { chars: 0, link: false, heading: false, cardChars: 0, linkRowChars: 0 };

function textOf(node: AnyNode): string {
  if (isText(node)) return node.data;
  if (!isTag(node) || HIDDEN.has(node.name)) return '';
  let text = '';
  for (const child of node.children) text += textOf(child);
  return text;
}

/** Visible characters, each text node trimmed. */
function textLength(node: AnyNode): number {
  if (isText(node)) return node.data.trim().length;
  if (!isTag(node) || HIDDEN.has(node.name)) return 0;
  let chars = 0;
  for (const child of node.children) chars += textLength(child);
  return chars;
}

function rawText(node: Element): string {
  let text = '';
  for (const child of node.children) if (isText(child)) text += child.data;
  return text;
}

/** The metadata inside hidden containers: JSON-LD types, og:type. */
function readHidden(node: AnyNode, counts: Counts): void {
  if (!isTag(node)) return;
  if (node.name === 'script') {
    if ((node.attribs.type ?? '').trim().toLowerCase() === 'application/ld+json') {
      for (const match of rawText(node).matchAll(/"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")/g)) {
        counts.schemaTypes.push(match[1]);
      }
    }
    return;
  }
  if (node.name === 'meta' && !counts.og && (node.attribs.property ?? '').toLowerCase() === 'og:type') {
    counts.og = (node.attribs.content ?? '').trim().toLowerCase();
  }
  readItemtype(node, counts);
  for (const child of node.children) readHidden(child, counts);
}

function readItemtype(node: Element, counts: Counts): void {
  const itemtype = node.attribs.itemtype;
  if (!itemtype) return;
  for (const match of itemtype.matchAll(/schema\.org\/([A-Za-z]+)/g)) counts.schemaTypes.push(match[1]);
}

function readText(data: string, counts: Counts, inLink: boolean, inChrome: boolean): Subtree {
  const text = data.trim();
  const chars = text.length;
  if (!chars) return EMPTY;
  counts.textChars += chars;
  if (inLink) counts.linkChars += chars;
  if (!inChrome) {
    counts.contentChars += chars;
    if (inLink) counts.contentLinkChars += chars;
  }
  if (counts.prices < 200 && /\d/.test(text)) counts.prices += text.match(PRICE)?.length ?? 0;
  if (!counts.cart && (CART.test(text) || CART_CJK.some((phrase) => text.includes(phrase))))
    counts.cart = true;
  if (chars <= 40) {
    if (CALL_TO_ACTION.test(text)) counts.callsToAction++;
    if (inLink && PAGER.test(text)) counts.pagerLinks++;
  }
  return { chars, link: false, heading: false, cardChars: 0, linkRowChars: 0 };
}

/**
 * Children grouped by tag and class: the longest run of like siblings, and the text of rows of three or more
 * whose members each hold a link (and a heading, for cards). A row inside a row counts once, as the outer row.
 */
function rows(node: Element, children: readonly Subtree[], counts: Counts, inChrome: boolean) {
  if (node.children.length < 3) return shortRow(node, children, counts);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < node.children.length; i++) {
    const child = node.children[i];
    if (!isTag(child) || !child.children.length) continue;
    const key = `${child.name}.${child.attribs.class ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  const inCard = new Set<number>();
  const inLinkRow = new Set<number>();
  for (const group of groups.values()) {
    if (group.length > counts.longestRun) counts.longestRun = group.length;
    const cards = group.filter((i) => children[i].link && children[i].heading);
    if (cards.length >= 3) {
      for (const i of cards) inCard.add(i);
      counts.cards += cards.length;
    }
    const linked = group.filter((i) => children[i].link);
    if (linked.length >= 3 && !inChrome) for (const i of linked) inLinkRow.add(i);
  }
  let cardChars = 0;
  let linkRowChars = 0;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    cardChars += inCard.has(i) ? child.chars : child.cardChars;
    linkRowChars += inLinkRow.has(i) ? child.chars : child.linkRowChars;
  }
  return { cardChars, linkRowChars };
}

/** rows() for one or two children (most elements), which cannot form a row of three: no map, no sets. */
function shortRow(node: Element, children: readonly Subtree[], counts: Counts) {
  let cardChars = 0;
  let linkRowChars = 0;
  let first: Element | undefined;
  let run = 0;
  for (let i = 0; i < node.children.length; i++) {
    const child = node.children[i];
    cardChars += children[i].cardChars;
    linkRowChars += children[i].linkRowChars;
    if (!isTag(child) || !child.children.length) continue;
    if (!first) {
      first = child;
      run = 1;
    } else if (child.name === first.name && (child.attribs.class ?? '') === (first.attribs.class ?? ''))
      run = 2;
  }
  if (run > counts.longestRun) counts.longestRun = run;
  return { cardChars, linkRowChars };
}

function countElement(node: Element, counts: Counts, inLink: boolean): void {
  const name = node.name;
  if (name === 'p') {
    const chars = textLength(node);
    counts.paragraphChars += chars;
    if (chars >= 150) counts.longParagraphs++;
    if (chars > counts.longestParagraph) counts.longestParagraph = chars;
  } else if (ALL_HEADINGS.has(name)) {
    if (HEADINGS.has(name)) counts.headings++;
    const text = textOf(node).replace(/\s+/g, ' ').trim().toLowerCase();
    if (text) counts.distinctHeadings.add(text);
    if (inLink || node.children.some((child) => isTag(child) && hasLink(child))) counts.linkedHeadings++;
  } else if (name === 'article') counts.articles++;
  else if (name === 'section') counts.sections++;
  else if (name === 'li') counts.listItems++;
  else if (name === 'img') counts.images++;
  else if (name === 'form') counts.forms++;
  else if (name === 'time') counts.times++;
  else if (name === 'pre' || name === 'code') counts.codeBlocks++;
  if (FORM_CONTROLS.has(name)) {
    counts.formControls++;
    const type = (node.attribs.type ?? '').toLowerCase();
    if (name === 'textarea' || type === 'email' || type === 'tel') counts.contactInputs++;
  }
}

function hasLink(node: Element): boolean {
  if (node.name === 'a' && node.attribs.href) return true;
  return node.children.some((child) => isTag(child) && hasLink(child));
}

function walk(node: AnyNode, counts: Counts, inLink: boolean, inChrome: boolean): Subtree {
  if (isText(node)) return readText(node.data, counts, inLink, inChrome);
  if (!isTag(node)) return EMPTY;
  if (HIDDEN.has(node.name) || node.name === 'meta') {
    readHidden(node, counts);
    return EMPTY;
  }
  readItemtype(node, counts);
  countElement(node, counts, inLink);
  const href = node.name === 'a' ? node.attribs.href : undefined;
  if (href) {
    counts.links++;
    if (/^(?:tel|mailto):/i.test(href)) counts.contactLinks++;
  }
  const chrome = inChrome || CHROME.has(node.name);
  const childInLink = inLink || Boolean(href);
  const children: Subtree[] = new Array(node.children.length);
  for (let i = 0; i < children.length; i++) children[i] = walk(node.children[i], counts, childInLink, chrome);
  const { cardChars, linkRowChars } = rows(node, children, counts, chrome);
  let chars = 0;
  let link = Boolean(href);
  let heading = ALL_HEADINGS.has(node.name);
  for (const child of children) {
    chars += child.chars;
    link ||= child.link;
    heading ||= child.heading;
  }
  return { chars, link, heading, cardChars, linkRowChars };
}

/** Every count pageFeatures needs, in one walk over the document. */
export function countPage(document: Document): Counts {
  const counts: Counts = {
    textChars: 0,
    linkChars: 0,
    paragraphChars: 0,
    longParagraphs: 0,
    longestParagraph: 0,
    headings: 0,
    distinctHeadings: new Set(),
    linkedHeadings: 0,
    articles: 0,
    sections: 0,
    listItems: 0,
    images: 0,
    formControls: 0,
    contactInputs: 0,
    forms: 0,
    times: 0,
    codeBlocks: 0,
    links: 0,
    contactLinks: 0,
    longestRun: 0,
    prices: 0,
    cart: false,
    callsToAction: 0,
    pagerLinks: 0,
    contentChars: 0,
    contentLinkChars: 0,
    cardChars: 0,
    cards: 0,
    linkRowChars: 0,
    schemaTypes: [],
    og: '',
  };
  let cardChars = 0;
  let linkRowChars = 0;
  for (const child of document.children) {
    const subtree = walk(child, counts, false, false);
    cardChars += subtree.cardChars;
    linkRowChars += subtree.linkRowChars;
  }
  counts.cardChars = cardChars;
  counts.linkRowChars = linkRowChars;
  counts.prices = Math.min(200, counts.prices);
  return counts;
}
