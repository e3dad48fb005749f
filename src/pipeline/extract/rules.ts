// Site rules: CSS selector lists read against the parsed page. Every selector is tried on its own, so an
// invalid or outdated one costs only its own field (the original ran all cleanup in one try block and one
// missing element left every later ad in place). Whatever finds nothing is reported as a miss.

import { selectAll } from 'css-select';
import type { AnyNode, Document, Element } from 'domhandler';
import { removeElement, textContent } from 'domutils';
import type { ImageRef, SiteRules } from '../types.ts';
import { normalizeDate } from './dates.ts';
import { imageSource } from './lazy-images.ts';
import { cleanAuthor, collapseWhitespace } from './metadata.ts';

/** The rule fields read as values (everything but `body` and `remove`), in the order misses are reported. */
export const RULE_VALUE_FIELDS = ['title', 'leadImage', 'caption', 'date', 'author'] as const;

export interface RuleValues {
  title?: string;
  /** The element the title rule matched: bylines and visible dates are looked for after it. */
  titleElement?: Element;
  leadImage?: ImageRef;
  caption?: string;
  published?: string;
  author?: string;
  /** Fields whose selectors matched nothing usable, e.g. ['caption']. */
  misses: string[];
}

/**
 * Split a selector list on its top-level commas ('a, b[title="x,y"], c:is(d, e)' has three alternatives),
 * so each alternative can be tried, and fail, on its own.
 */
export function splitSelectorList(list: string): string[] {
  const alternatives: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let i = 0; i < list.length; i++) {
    const char = list[i];
    if (quote) {
      if (char === '\\') {
        current += char + (list[i + 1] ?? '');
        i++;
        continue;
      }
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth = Math.max(0, depth - 1);
    else if (char === ',' && depth === 0) {
      if (current.trim()) alternatives.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim()) alternatives.push(current.trim());
  // An unclosed bracket or quote would swallow every later alternative: fall back to plain commas, so
  // one broken alternative still fails alone.
  if (depth > 0 || quote)
    return list
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  return alternatives;
}

/** All matches of one selector; an invalid selector matches nothing instead of throwing. */
export function safeSelectAll(selector: string, root: AnyNode | AnyNode[]): Element[] {
  try {
    return selectAll(selector, root);
  } catch {
    return [];
  }
}

/**
 * Matches of the first alternative in `list` that matches anything (older templates come later in the
 * list), outermost elements only, in document order.
 */
export function selectFirstAlternative(list: string, root: AnyNode | AnyNode[]): Element[] {
  for (const alternative of splitSelectorList(list)) {
    const matches = safeSelectAll(alternative, root);
    if (matches.length > 0) return outermost(matches);
  }
  return [];
}

/**
 * Remove everything each `remove` entry matches, each entry (and each comma alternative inside it) on its
 * own. Returns the entries that matched nothing, invalid ones included.
 */
export function applyRemoveRules(root: Document, remove: readonly string[]): string[] {
  const missed: string[] = [];
  for (const entry of remove) {
    let matched = false;
    for (const alternative of splitSelectorList(entry)) {
      const matches = safeSelectAll(alternative, root);
      if (matches.length > 0) matched = true;
      for (const element of matches) removeElement(element);
    }
    if (!matched) missed.push(entry);
  }
  return missed;
}

/** The body rule's elements, or [] when the rule is absent or matches nothing. */
export function selectRuleBody(root: Document, rules: SiteRules): Element[] {
  return rules.body ? selectFirstAlternative(rules.body, root) : [];
}

/**
 * Read title, lead image, caption, date and author through the rules. Call before removing anything: the
 * `remove` list may well name the header that holds the title, or the lazy-image placeholders.
 */
export function readRuleValues(
  root: Document,
  rules: SiteRules,
  baseUrl: string,
  pageOffset: string | undefined,
): RuleValues {
  const values: RuleValues = { misses: [] };
  const first = (list: string | undefined): Element | undefined =>
    list ? selectFirstAlternative(list, root)[0] : undefined;

  if (rules.title) {
    const element = first(rules.title);
    const title = element ? collapseWhitespace(textContent(element)) : '';
    if (title && element) {
      values.title = title;
      values.titleElement = element;
    } else values.misses.push('title');
  }
  if (rules.leadImage) {
    const element = first(rules.leadImage);
    const img = element && (element.name === 'img' ? element : safeSelectAll('img', element)[0]);
    const src = img ? imageSource(img, baseUrl) : undefined;
    if (img && src) {
      const alt = collapseWhitespace(img.attribs.alt ?? '');
      values.leadImage = alt ? { src, alt } : { src };
    } else values.misses.push('leadImage');
  }
  if (rules.caption) {
    const element = first(rules.caption);
    const caption = element ? collapseWhitespace(textContent(element)) : '';
    if (caption) values.caption = caption;
    else values.misses.push('caption');
  }
  if (rules.date) {
    const element = first(rules.date);
    const raw = element
      ? [element.attribs.datetime, element.attribs.content, textContent(element)].filter(Boolean)
      : [];
    const published = raw.map((value) => normalizeDate(value as string, pageOffset)).find(Boolean);
    if (published) values.published = published;
    else values.misses.push('date');
  }
  if (rules.author) {
    const element = first(rules.author);
    const author = element ? cleanAuthor(textContent(element)) : undefined;
    if (author) values.author = author;
    else values.misses.push('author');
  }
  return values;
}

/** Drop elements nested inside other matches, so a body made of several matches has no repeats. */
function outermost(elements: Element[]): Element[] {
  const set = new Set(elements);
  return elements.filter((element) => {
    for (let parent = element.parent; parent; parent = parent.parent) {
      if (set.has(parent as Element)) return false;
    }
    return true;
  });
}
