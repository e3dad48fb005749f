// What the content itself says about the article: the title heading, a byline, a dateline, the lead image.
// Page metadata (meta tags, JSON-LD) is read by the caller; this covers pages that have none.
import { type AnyNode, type Document, type Element, isTag, isText } from 'domhandler';
import { textContent } from 'domutils';
import { MONTHS as MONTH_NUMBERS } from '../../../internal/months.ts';
import type { ImageRef } from '../../types.ts';
import { isLeadImageCandidate } from '../lead-image.ts';
import { cleanAuthor } from '../metadata.ts';

export interface ContentMetadata {
  title?: string;
  /** The heading element holding the title, removed from the body. */
  titleHeading?: Element;
  author?: string;
  published?: string;
  leadImage?: ImageRef;
  caption?: string;
}

/** Characters of text around the start of the article searched for a byline and dateline. */
const HEADER_WINDOW_CHARS = 600;

const NUMERIC_DATE =
  /((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})\s*[:：时]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?)?/;
const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec';
const WORD_DATE = new RegExp(`\\b(${MONTHS})[a-z]*\\.?\\s+(\\d{1,2}),?\\s+((?:19|20)\\d{2})\\b`, 'i');
/** A reporter credit without a label: "记者 张三", "（记者张三 李四）". */
const REPORTER =
  /记者\s*[:：]?\s*([\u4e00-\u9fff·]{2,4}?)(?=综合|报导|报道|编译|采访|撰文|整理|专访|发自|[）)\s,，、】\]/|]|$)/g;
/**
 * Bylines, most specific first; group 1 is the name. A labelled byline ("作者：X"), a reporter credit ("记者 X"),
 * a poster line ("由X发表", blogs and forums), "By X"; a source ("来源：") names a publication, not a writer.
 */
const AUTHOR_PATTERNS = [
  /(?:作者|撰文|文|撰稿)\s*[:：/／]\s*([^\s:：|｜,，。;；()（）【】[\]\d]{2,20})/g,
  REPORTER,
  /由\s*([^\s:：|｜,，。;；()（）【】\d]{2,16}?)\s*(?:张贴|发表|发布|发帖|上传)/g,
  /\bby\s+([A-Z][\p{L}'.-]+(?:\s+(?:[A-Z][\p{L}'.-]+|de|van|von|da|and))*)/gu,
];
/**
 * Labelled credits anywhere in the article or just after it ("作者：X", then "编辑：X": the editor who signed it
 * off when no writer is named); a colon-labelled credit is never prose.
 */
const CREDIT_PATTERNS = [
  AUTHOR_PATTERNS[0],
  /(?:责任编辑|编辑|责编)\s*[:：]\s*([^\s:：|｜,，。;；()（）【】[\]\d]{2,12})/g,
];
/** Chinese news ends with the reporter's name in brackets: "……。（张三）". */
const CLOSING_NAME = /[（(]\s*([\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*)\s*[)）]\s*$/;
/** Bracketed end marks that are not names: "（完）", "（待续）", "（全文完）". */
const END_MARK = /^(?:全文)?完$|^(?:未完)?待续$|^本文完$|^未完$|^续$/;
/** Characters at the end of the article (and after it) searched for closing credits. */
const TAIL_WINDOW_CHARS = 300;

export function findMetadata(
  document: Document,
  content: Element[],
  pageTitle: string | undefined,
  url: string,
): ContentMetadata {
  const metadata: ContentMetadata = {};
  const heading = findTitleHeading(document, content, pageTitle);
  if (heading) {
    metadata.titleHeading = heading;
    metadata.title = squash(textContent(heading));
  } else if (pageTitle) {
    // "Headline - Site name": the longest part is the headline.
    const parts = pageTitle.split(/\s+[-|_–—]\s+|_|｜|\||-{2,}|——/).map((part) => part.trim());
    metadata.title = parts.reduce((a, b) => (b.length > a.length ? b : a), '');
  }
  const window = heading
    ? headerText(heading, content)
    : `${precedingText(content[0])} ${headerText(content[0], content)}`;
  // A dateline may sit above the headline (with the section name) rather than under it.
  const date = parseDate(window) ?? (heading ? parseDate(precedingText(heading)) : undefined);
  if (date) metadata.published = date;
  const author =
    firstName(window, AUTHOR_PATTERNS) ??
    closingCredit(content) ??
    firstName(tailText(content), CREDIT_PATTERNS);
  if (author) metadata.author = author;
  const image = firstImage(content);
  if (image) {
    const src = image.attribs.src ?? image.attribs['data-src'];
    if (src) {
      metadata.leadImage = {
        src: absolute(src, url),
        ...(image.attribs.alt ? { alt: image.attribs.alt } : {}),
      };
      const caption = captionOf(image);
      if (caption) metadata.caption = caption;
    }
  }
  return metadata;
}

/**
 * Grammatical particles and prepositions: an unlabelled credit ("记者证实", "记者经历了") holding one is a phrase.
 * Labelled credits may hold them: nicknames such as "蓝蓝的天" do.
 */
const PHRASE_HAN = /[的了着过从在被把是将]/;

/** The first match of any pattern (in pattern order) that reads like a name. */
function firstName(text: string, patterns: RegExp[]): string | undefined {
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const name = cleanAuthor(match[1]);
      if (name && !(pattern === REPORTER && PHRASE_HAN.test(name))) return name;
    }
  }
  return undefined;
}

/** The article's text and the text right after it, where closing credits and poster lines sit. */
function tailText(content: Element[]): string {
  const last = content.at(-1);
  if (!last) return '';
  let after: AnyNode | null = last;
  while (after && !after.next) after = after.parent;
  const following = after?.next ? headerText(after.next, []).slice(0, TAIL_WINDOW_CHARS) : '';
  return `${content.map(spacedText).join(' ')} ${following}`;
}

/** A reporter named at the very end of the article, bracketed or after "记者". */
function closingCredit(content: Element[]): string | undefined {
  const last = content.at(-1);
  if (!last) return undefined;
  const end = spacedTextEnd(last, TAIL_WINDOW_CHARS);
  const bracketed = end.match(CLOSING_NAME)?.[1];
  return (
    (bracketed && !END_MARK.test(bracketed) ? cleanAuthor(bracketed) : undefined) ??
    firstName(end, [REPORTER])
  );
}

/** Text with a space between text nodes, so a credit never runs into the next paragraph. */
function spacedText(node: Element): string {
  const parts: string[] = [];
  const visit = (current: AnyNode): void => {
    if (isText(current)) parts.push(current.data);
    else if (isTag(current)) for (const child of current.children) visit(child);
  };
  visit(node);
  return squash(parts.join(' '));
}

/**
 * The last `chars` characters of spacedText(node), reading only as many text nodes from the end as that takes:
 * the last block is often the whole article. Squashing a suffix gives the same end as squashing the whole text.
 */
function spacedTextEnd(node: Element, chars: number): string {
  const texts: string[] = [];
  const visit = (current: AnyNode): void => {
    if (isText(current)) texts.push(current.data);
    else if (isTag(current)) for (const child of current.children) visit(child);
  };
  visit(node);
  let rawChars = 0;
  // Whitespace shrinks when squashed: check once the raw text could be long enough, then at twice the length
  // each time, so a tail of many blank text nodes is not joined over and over.
  let checkAt = chars;
  for (let first = texts.length - 1; first > 0; first--) {
    rawChars += texts[first].length + 1;
    if (rawChars < checkAt) continue;
    const tail = squash(texts.slice(first).join(' '));
    if (tail.length >= chars) return tail.slice(-chars);
    checkAt = rawChars * 2;
  }
  return squash(texts.join(' ')).slice(-chars);
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function findTitleHeading(
  document: Document,
  content: Element[],
  pageTitle: string | undefined,
): Element | undefined {
  const headings: Element[] = [];
  const collect = (node: AnyNode): void => {
    if (!isTag(node)) return;
    if (node.name === 'h1' || node.name === 'h2') headings.push(node);
    for (const child of node.children) collect(child);
  };
  for (const child of document.children) collect(child);
  const compactTitle = (pageTitle ?? '').replace(/\s+/g, '');
  const matchesTitle = (heading: Element) => {
    const text = textContent(heading).replace(/\s+/g, '');
    return text.length >= 4 && compactTitle.includes(text);
  };
  return (
    headings.find((h) => h.name === 'h1' && matchesTitle(h)) ??
    headings.find(matchesTitle) ??
    headings.find((h) => h.name === 'h1' && content.some((node) => contains(node, h))) ??
    (headings.filter((h) => h.name === 'h1').length === 1 ? headings.find((h) => h.name === 'h1') : undefined)
  );
}

function contains(ancestor: Element, node: Element): boolean {
  for (let current: Element | null = node; current; current = current.parent as Element | null) {
    if (current === ancestor) return true;
  }
  return false;
}

/** Text from `start` onwards in document order, up to the window size. */
function headerText(start: AnyNode | null | undefined, content: Element[]): string {
  if (!start) return '';
  let text = '';
  let node: AnyNode | null = start;
  const append = (current: AnyNode): boolean => {
    if (isText(current)) text += `${current.data} `;
    else if (isTag(current)) for (const child of current.children) if (append(child)) return true;
    return text.length >= HEADER_WINDOW_CHARS;
  };
  while (node && text.length < HEADER_WINDOW_CHARS) {
    if (append(node)) break;
    while (node && !node.next) node = node.parent;
    node = node?.next ?? null;
  }
  if (!text && content[0]) text = textContent(content[0]).slice(0, HEADER_WINDOW_CHARS);
  return squash(text);
}

/** Characters of text before the article searched for a dateline when no title heading marks its start. */
const PRECEDING_WINDOW_CHARS = 300;

/** Text just before `node` in document order (earlier siblings, then the parents' earlier siblings). */
function precedingText(node: Element | undefined): string {
  const parts: string[] = [];
  let length = 0;
  for (
    let current: AnyNode | null = node ?? null;
    current && length < PRECEDING_WINDOW_CHARS;
    current = current.parent
  ) {
    for (let sibling = current.prev; sibling && length < PRECEDING_WINDOW_CHARS; sibling = sibling.prev) {
      const text = squash(isText(sibling) ? sibling.data : isTag(sibling) ? textContent(sibling) : '');
      if (!text) continue;
      parts.unshift(text);
      length += text.length;
    }
  }
  return parts.join(' ').slice(-PRECEDING_WINDOW_CHARS);
}

/** Whether `text` holds a calendar date (numeric or with a month name). */
export function containsDate(text: string): boolean {
  return NUMERIC_DATE.test(text) || WORD_DATE.test(text);
}

function parseDate(text: string): string | undefined {
  const numeric = text.match(NUMERIC_DATE);
  if (numeric) {
    const [, year, month, day, hour, minute, second] = numeric;
    if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31) return undefined;
    const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    return hour ? `${date}T${hour.padStart(2, '0')}:${minute}:${second ?? '00'}` : date;
  }
  const word = text.match(WORD_DATE);
  if (word) {
    // Month numbers from the shared table: an index into MONTHS (which lists 'sept' too) was one off from October.
    const month = MONTH_NUMBERS[word[1].toLowerCase().slice(0, 3)];
    if (!month || Number(word[2]) < 1 || Number(word[2]) > 31) return undefined;
    return `${word[3]}-${String(month).padStart(2, '0')}-${word[2].padStart(2, '0')}`;
  }
  return undefined;
}

/** The first image of the article that can be its picture (not an icon, logo, avatar, badge or pixel). */
function firstImage(content: Element[]): Element | undefined {
  const find = (node: Element): Element | undefined => {
    if (node.name === 'img' && isLeadImageCandidate(imageAttributes(node))) return node;
    for (const child of node.children) {
      if (!isTag(child)) continue;
      const found = find(child);
      if (found) return found;
    }
    return undefined;
  };
  for (const node of content) {
    const found = find(node);
    if (found) return found;
  }
  return undefined;
}

function imageAttributes(image: Element) {
  const { width, height, srcset, style, id, alt } = image.attribs;
  const src = image.attribs.src ?? image.attribs['data-src'];
  return {
    src,
    width,
    height,
    srcset: srcset ?? image.attribs['data-srcset'],
    style,
    class: image.attribs.class,
    id,
    alt,
  };
}

function captionOf(image: Element): string | undefined {
  for (let node = image.parent; node && isTag(node); node = node.parent) {
    if (node.name === 'figure') {
      const caption = node.children.find((child) => isTag(child) && child.name === 'figcaption');
      return caption ? squash(textContent(caption)) || undefined : undefined;
    }
  }
  return undefined;
}

function absolute(src: string, base: string): string {
  try {
    return new URL(src, base).href;
  } catch {
    return src;
  }
}
