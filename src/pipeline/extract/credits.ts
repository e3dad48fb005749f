// Bylines and publication dates the page marks up without declaring them in <head>: elements whose itemprop,
// class or id says author / byline / datePublished / post-date, and links to an author page ('/author/jane-doe').
// Of several, the one nearest the headline wins (related-story cards and comments carry names and dates too).
import { type Element, isTag, isText } from 'domhandler';
import { findVisibleDate } from './dates.ts';
import { cleanAuthor, collapseWhitespace } from './fields.ts';

/** class/id words of an element holding the writer's name. */
const AUTHOR_MARK =
  /(?:^|[\s_-])(?:author|authors|author-?name|byline|byline-?name|writer|posted-?by|written-?by)(?:$|[\s_-])/i;
/** class/id words of a date element. */
const DATE_MARK =
  /(?:^|[\s_-])(?:published|publish-?date|pub-?date|post-?date|posted-?on|entry-?date|date-?published|article-?date|blog-?date|story-?date|dateline|date)(?:$|[\s_-])/i;
/** Words that make a marked element something else: the author's picture or biography, a "last updated" date. */
const NOT_CREDIT_MARK = /avatar|photo|image|img|bio\b|bio-|description|follow|social|updated|modified/i;
/** Links to a writer's page. */
const AUTHOR_PAGE =
  /\/(?:author|authors|writers?|contributors?|people|staff|profiles?|columnists?)\/[^/?#]+\/?$/i;
/** Ancestors whose names and dates are not the article's: comments, navigation, related stories. */
const FOREIGN_ANCESTOR = /comment|related|recommend|sidebar|widget|footer|promo|teaser|more-?stories/i;
const FOREIGN_ELEMENTS = new Set(['nav', 'footer', 'aside', 'form']);
/** Longer text in a marked element is a biography or a byline box, not a name or a date. */
const MAX_CREDIT_CHARS = 100;
/** Text lines of a date element searched for the date. */
const MAX_DATE_PARTS = 4;
/** Labels before a name ("Written by", "Author:"). */
const NAME_LABEL = /^(?:(?:written|posted|published|words|story)\s+)?by\s*:?\s*|^(?:author|writer)s?\s*:\s*/i;

/** A text node that is only a label or a separator. */
const BARE_LABEL =
  /^(?:(?:written|posted|published|words|story)\s+)?by\s*:?$|^(?:author|writer)s?\s*:?$|^[|,·•:–—-]$/i;

interface Found<T> {
  value: T;
  index: number;
}

/** The writer's name from the page's byline markup, nearest to `anchor` (the headline) when there are several. */
export function markedAuthor(elements: readonly Element[], anchor: Element | undefined): string | undefined {
  const found: Array<Found<string>> = [];
  elements.forEach((element, index) => {
    if (element.name === 'meta' || element.name === 'link' || element.name === 'img') return;
    const name = authorOf(element);
    if (name && !isForeign(element)) found.push({ value: name, index });
  });
  return nearest(found, anchor ? elements.indexOf(anchor) : -1);
}

/** The publication date from the page's date markup, nearest to `anchor`, as ISO 8601. */
export function markedDate(
  elements: readonly Element[],
  anchor: Element | undefined,
  offset: string | undefined,
): string | undefined {
  const found: Array<Found<string>> = [];
  elements.forEach((element, index) => {
    if (element.name === 'meta' || element.name === 'script' || element.name === 'style') return;
    const date = dateOf(element, offset);
    if (date && !isForeign(element)) found.push({ value: date, index });
  });
  return nearest(found, anchor ? elements.indexOf(anchor) : -1);
}

function authorOf(element: Element): string | undefined {
  const { itemprop = '', class: className = '', id = '', rel = '', href } = element.attribs;
  // Most elements carry none of these: asked of every element of the page.
  if (!itemprop && !className && !id && !rel && href === undefined) return undefined;
  const names = `${className} ${id}`;
  const marked =
    /\bauthor\b/i.test(itemprop) ||
    (AUTHOR_MARK.test(names) && !NOT_CREDIT_MARK.test(names)) ||
    (element.name === 'a' && (/\bauthor\b/i.test(rel) || (href !== undefined && AUTHOR_PAGE.test(href))));
  if (!marked) return undefined;
  // A microdata author holds its name in an itemprop="name" child.
  const nameElement = /\bauthor\b/i.test(itemprop) ? itempropChild(element, 'name') : undefined;
  const parts = textParts(nameElement ?? element);
  const text = parts.join(' ');
  if (!text) return undefined;
  // An author box (name, job title, biography): its first line is the name.
  if (text.length > MAX_CREDIT_CHARS) return cleanAuthor(parts[0]?.replace(NAME_LABEL, ''));
  // "By" in one span and the name in the next; the name, then a date or a job title in a span of its own.
  const name = parts.map((part) => part.replace(NAME_LABEL, '')).find((part) => part.length > 0);
  return cleanAuthor(name) ?? cleanAuthor(text.replace(NAME_LABEL, ''));
}

/** The element's text nodes, whitespace collapsed, empty ones and bare labels ("By", "Author:") dropped. */
function textParts(element: Element): string[] {
  const parts: string[] = [];
  const visit = (node: Element): void => {
    for (const child of node.children) {
      if (isText(child)) {
        const text = collapseWhitespace(child.data);
        if (text && !BARE_LABEL.test(text)) parts.push(text);
      } else if (isTag(child) && child.name !== 'script' && child.name !== 'style') visit(child);
    }
  };
  visit(element);
  return parts;
}

function dateOf(element: Element, offset: string | undefined): string | undefined {
  const { itemprop = '', class: className = '', id = '' } = element.attribs;
  const names = `${className} ${id}`;
  const published = /\bdatePublished\b/i.test(itemprop);
  if (!published && !(DATE_MARK.test(names) && !NOT_CREDIT_MARK.test(names))) return undefined;
  const attribute = element.attribs.datetime ?? element.attribs.content;
  if (attribute) return findVisibleDate(attribute, offset);
  // A dateline box ("Posted on April 13, 2023", then tags): the first few lines that hold a date.
  for (const part of textParts(element).slice(0, MAX_DATE_PARTS)) {
    const date = part.length <= MAX_CREDIT_CHARS ? findVisibleDate(part, offset) : undefined;
    if (date) return date;
  }
  return undefined;
}

function itempropChild(element: Element, prop: string): Element | undefined {
  for (const child of element.children) {
    if (!isTag(child)) continue;
    const childElement = child;
    if (new RegExp(`\\b${prop}\\b`, 'i').test(childElement.attribs.itemprop ?? '')) return childElement;
    const deeper = itempropChild(childElement, prop);
    if (deeper) return deeper;
  }
  return undefined;
}

function isForeign(element: Element): boolean {
  for (let node = element.parent; node && isTag(node); node = node.parent) {
    const parent = node;
    if (FOREIGN_ELEMENTS.has(parent.name)) return true;
    if (FOREIGN_ANCESTOR.test(`${parent.attribs.class ?? ''} ${parent.attribs.id ?? ''}`)) return true;
  }
  return false;
}

/** The candidate nearest to the anchor in document order; one before it counts twice its distance. */
function nearest<T>(found: ReadonlyArray<Found<T>>, anchorIndex: number): T | undefined {
  if (anchorIndex < 0) return found[0]?.value;
  let best: Found<T> | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of found) {
    const distance =
      candidate.index >= anchorIndex ? candidate.index - anchorIndex : (anchorIndex - candidate.index) * 2;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best?.value;
}
