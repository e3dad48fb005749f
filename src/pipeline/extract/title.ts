// The article's headline: the page's visible heading when it is the story's (it agrees with what the page
// declares: og:title, twitter:title, JSON-LD headline, <title>), else the declared title; never the site's brand
// heading (a logo <h1>, the site name), and without the site name publishers put before or after it.
import { type Element, isTag } from 'domhandler';
import { textContent } from 'domutils';
import { cleanTitle, collapseWhitespace } from './fields.ts';

export interface TitleInput {
  /** Every element of the page, in document order. */
  elements: readonly Element[];
  /** Declared titles, most trusted first (og:title, twitter:title, JSON-LD headline). */
  declared: ReadonlyArray<string | undefined>;
  titleTagText?: string;
  /** Known names of the site: og:site_name and the like, the last segment of <title>. */
  siteNames: readonly string[];
  pageUrl?: string;
}

export interface ChosenTitle {
  title: string;
  /** The heading that shows it, when the title is a heading's text. */
  heading?: Element;
}

/** Share of a heading's words that must be in a declared title for the heading to be the same headline. */
const MIN_SHARED_WORDS = 0.5;
/** Share of the declared title a heading must cover (in words, or in characters when one holds the other). */
const MIN_TITLE_SHARE = 0.3;
/** Headings looked at: the headline is among the first ones, a long page's later ones are sections. */
const MAX_HEADINGS = 12;
/** A heading longer than this is a paragraph set in large type, not a headline. */
const MAX_HEADLINE_CHARS = 300;
/** Class and id words of the site's own header and logo. */
const BRAND_NAME =
  /(?:^|[\s_-])(?:logo|brand|branding|masthead|navbar|site-(?:title|name|logo|header|branding)|site_title|sitename|sitetitle)(?:$|[\s_-])/i;
/** Elements whose headings belong to the site, not the story. */
const FURNITURE_ELEMENTS = new Set(['nav', 'footer', 'aside', 'dialog', 'form']);
/** Class and id words of the comments under a story ("15 Replies to ..."). */
const COMMENTS_NAME = /comment|replies|respond|discussion-?list/i;
/** Ancestors searched for a brand or furniture marker: the logo's wrappers, not the page's outer layout. */
const BRAND_ANCESTORS = 4;

export function chooseTitle(input: TitleInput): ChosenTitle | undefined {
  const names = [...input.siteNames, hostName(input.pageUrl)].filter((name): name is string => Boolean(name));
  const isBrand = (text: string) => names.some((name) => comparable(name) === comparable(text));
  const usable = (title: string | undefined): title is string => Boolean(title) && !isBrand(title ?? '');
  const meta = input.declared
    .map((title) => (title ? stripSiteName(cleanTitle(title, names), names) : undefined))
    .filter(usable);
  const titleTag = input.titleTagText
    ? stripSiteName(cleanTitle(input.titleTagText, names, true), names)
    : undefined;
  const declared = usable(titleTag) ? [...meta, titleTag] : meta;

  const headings = (name: string) =>
    input.elements
      .filter((element) => element.name === name)
      .slice(0, MAX_HEADINGS)
      .map((element) => ({ element, text: collapseWhitespace(textContent(element)) }))
      .filter(
        ({ element, text }) =>
          comparable(text).length > 0 &&
          text.length <= MAX_HEADLINE_CHARS &&
          !isBrand(text) &&
          !isSiteHeading(element, input.pageUrl),
      );
  const h1s = headings('h1');
  const agreeing = (list: typeof h1s) =>
    list.find(({ text }) => declared.some((title) => agrees(text, title)));
  const heading = agreeing(h1s) ?? (h1s.length === 0 ? agreeing(headings('h2')) : undefined);
  if (heading) {
    // A heading that holds a declared title and more carries a kicker, a date or a count with it: the title is
    // the declared one. Not <title>'s: cutting its suffixes may have cut the headline's own tail.
    const inner = meta.find(
      (title) =>
        comparable(title) !== comparable(heading.text) &&
        comparable(heading.text).includes(comparable(title)),
    );
    return { title: inner ?? heading.text, heading: heading.element };
  }
  // No heading agrees: the meta tags' title, then the page's own heading, then <title> (the weakest: it is the
  // browser tab's, and often a shortened or SEO version).
  if (meta[0]) return { title: meta[0] };
  if (h1s[0]) return { title: h1s[0].text, heading: h1s[0].element };
  if (usable(titleTag)) return { title: titleTag };
  return input.titleTagText ? { title: input.titleTagText } : undefined;
}

/**
 * Whether a heading and a declared title are the same headline: one holds the other, or they share most of the
 * heading's words and a fair part of the title's (a one-word heading such as "Menu" agrees with nothing long).
 */
function agrees(heading: string, title: string): boolean {
  const a = comparable(heading);
  const b = comparable(title);
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.includes(short) && short.length >= long.length * MIN_TITLE_SHARE) return true;
  const words = wordsOf(heading);
  const titleWords = new Set(wordsOf(title));
  const shared = words.filter((word) => titleWords.has(word)).length;
  return (
    words.length > 0 &&
    shared / words.length >= MIN_SHARED_WORDS &&
    shared / titleWords.size >= MIN_TITLE_SHARE
  );
}

/** A heading inside page furniture, named as the logo or brand, or that only links to the home page. */
function isSiteHeading(heading: Element, pageUrl: string | undefined): boolean {
  let node: Element | null = heading;
  for (let depth = 0; node && depth <= BRAND_ANCESTORS; depth++) {
    if (FURNITURE_ELEMENTS.has(node.name)) return true;
    const names = `${node.attribs.class ?? ''} ${node.attribs.id ?? ''}`;
    if (BRAND_NAME.test(names) || COMMENTS_NAME.test(names)) return true;
    node = node.parent && isTag(node.parent) ? node.parent : null;
  }
  const links = heading.children.filter((child): child is Element => isTag(child) && child.name === 'a');
  const only = links.length === 1 && comparable(textContent(links[0])) === comparable(textContent(heading));
  return only && isHomeLink(links[0].attribs.href, pageUrl);
}

function isHomeLink(href: string | undefined, pageUrl: string | undefined): boolean {
  if (href === undefined) return false;
  try {
    const url = new URL(href, pageUrl ?? 'http://x.invalid/');
    return /^\/(?:index\.\w+)?$/.test(url.pathname) && !url.search;
  } catch {
    return false;
  }
}

/** Drops a known site name before or after the title ('Site | Title', 'Title - Site'), compared loosely. */
export function stripSiteName(title: string, names: readonly string[]): string {
  const known = new Set(names.map(comparable).filter(Boolean));
  let result = title;
  for (let i = 0; i < 2; i++) {
    const first = SEPARATOR.exec(result);
    if (first && known.has(comparable(result.slice(0, first.index)))) {
      result = result.slice(first.index + first[0].length).trim();
      continue;
    }
    const parts = [...result.matchAll(SEPARATOR_GLOBAL)];
    const last = parts.at(-1);
    if (last?.index !== undefined && known.has(comparable(result.slice(last.index + last[0].length)))) {
      result = result.slice(0, last.index).trim();
      continue;
    }
    break;
  }
  return result || title;
}

const SEPARATOR = /\s+[-–—|·•:]\s+|\s*[｜丨|]\s*/;
const SEPARATOR_GLOBAL = new RegExp(SEPARATOR.source, 'g');

/** The site's own name as its host spells it ('www.leadfeeder.com' -> 'leadfeeder'). */
function hostName(pageUrl: string | undefined): string | undefined {
  if (!pageUrl) return undefined;
  try {
    const labels = new URL(pageUrl).hostname.split('.').filter((label) => label !== 'www');
    return labels.length >= 2 ? labels[labels.length - 2] : undefined;
  } catch {
    return undefined;
  }
}

/** Lower case letters and digits only: 'Rick Steves' and 'rick-steves' compare equal. */
function comparable(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/\p{Script=Han}|[\p{L}\p{N}]+/gu) ?? []
  );
}
