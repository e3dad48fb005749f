// Forum threads: the opening post and every reply, in page order, as one main content (docs/extraction.md,
// "Forum threads").
//
// Forum engines render each post with one template: a row of sibling blocks with the same tag and class (or the
// same id stem), each carrying its own date (a <time>, a dated header line). Scoring picks the longest post, or
// the container of a thread whose replies sit in a comments-named box; either way the thread is the row, opened
// by a post of another template when one precedes it (a question above its answers). Only on pages that read as
// a forum (the classifier's guess, or posts marked up as a discussion), and only when the chosen block is one of
// the posts, holds them, or is far lighter than them: the comments under a news story are a row of dated posts
// too, but there the story was chosen, outside the row and heavier, and comments are no part of an article.
import { type Document, type Element, isTag } from 'domhandler';
import { findOne, textContent } from 'domutils';
import type { PageGuess } from '../classify/classify.ts';
import { accountFurniture } from './clean.ts';
import { containsDate } from './metadata.ts';
import { linkDensity, type TextStats, textWeight } from './text-stats.ts';

/** A post holds at least this much text (a one-word "Thanks!" reply is kept with its row, not counted). */
const MIN_POST_WEIGHT = 20;
/** A thread is an opening post and at least one reply. */
const MIN_POSTS = 2;
/** At least this share of the posts must carry a date of their own. */
const MIN_DATED_SHARE = 0.5;
/** Posts are written text: a row of mostly link text is a list of other threads (each with its date). */
const MAX_ROW_LINK_DENSITY = 0.4;
/** A row nested in the best one is preferred when it holds this share of its text (posts, not post groups). */
const INNER_ROW_SHARE = 0.6;
/** A chosen block that holds the row is the thread when the row is most of its text (not an article's comments). */
const MIN_ROW_SHARE = 0.7;
/** A row apart from the chosen block replaces it when it holds this multiple of its text. */
const MIN_GAIN_ELSEWHERE = 2;
/** Below this classifier probability for `forum`, the page needs discussion markup too. */
const MIN_FORUM_PROBABILITY = 0.5;

/** schema.org types of a discussion's posts, as forum engines mark them up (microdata). */
const DISCUSSION_TYPE =
  /schema\.org\/(?:Comment|Answer|Question|DiscussionForumPosting|SocialMediaPosting)\b/i;

const FAQ_TYPE = /schema\.org\/FAQPage\b/i;

interface Row {
  parent: Element;
  posts: Element[];
  weight: number;
}

/**
 * The posts of the thread the chosen `selection` belongs to (each post's body, and the short dated line above
 * it), in page order; undefined when the page is no forum thread or the selection is no part of one. `aside`
 * holds the furniture set aside (its text is out of its ancestors' stats; it is put back while rows are weighed).
 */
export function findThread(
  document: Document,
  selection: Element[],
  stats: Map<Element, TextStats>,
  aside: ReadonlySet<Element>,
  page: PageGuess | undefined,
): Element[] | undefined {
  const forum = page?.type === 'forum' && page.probability >= MIN_FORUM_PROBABILITY;
  if (!forum && !hasDiscussionMarkup(document, page)) return undefined;
  // Posts are often named like furniture (`comment-123_wrap`, `ipsComment`): weigh them with all their text.
  const furniture = [...aside];
  accountFurniture(furniture, stats, 1);
  try {
    return threadOf(document, selection, stats, aside, !forum);
  } finally {
    accountFurniture(furniture, stats, -1);
  }
}

function threadOf(
  document: Document,
  selection: Element[],
  stats: Map<Element, TextStats>,
  aside: ReadonlySet<Element>,
  markupOnly: boolean,
): Element[] | undefined {
  const rows: Row[] = [];
  const visit = (node: Element): void => {
    const row = rowOf(node, stats, markupOnly);
    if (row) rows.push(row);
    for (const child of node.children) if (isTag(child)) visit(child);
  };
  for (const child of document.children) if (isTag(child)) visit(child);
  if (rows.length === 0) return undefined;
  rows.sort((a, b) => b.weight - a.weight);
  let best = rows[0];
  // A row of post groups (a page's blocks: the thread, then similar threads) holds the row of posts: take that.
  for (const row of rows) {
    if (row !== best && row.weight >= INNER_ROW_SHARE * best.weight && contains(best.parent, row.parent)) {
      best = row;
    }
  }
  // The chosen block is one of the posts (the longest), or holds the row and little else (a thread's box).
  const inPost = selection.every((node) => best.posts.some((post) => contains(post, node)));
  const selected = selection.reduce((sum, node) => sum + weightOf(node, stats), 0);
  const holdsRow =
    selection.some((node) => contains(node, best.parent)) && best.weight >= MIN_ROW_SHARE * selected;
  const opening = openingPost(best, stats);
  const posts = opening ? [opening, ...best.posts] : best.posts;
  // Or it is the opening post, rendered by another template than the replies (a question above its answers).
  const isOpening = opening !== undefined && selection.every((node) => contains(opening, node));
  // Or it is a box of its own (a pop-up, a notice) and the thread, much longer, was set aside as comments.
  const elsewhere =
    !selection.some((node) => contains(best.parent, node) || contains(node, best.parent)) &&
    best.weight >= MIN_GAIN_ELSEWHERE * selected;
  if (!inPost && !holdsRow && !isOpening && !elsewhere) return undefined;
  return postBodies(posts, stats, aside);
}

/** Levels above the row searched for an opening post of its own template. */
const OPENING_LEVELS = 3;
/** An opening post is written text: this much, with sentences and few links. */
const MIN_OPENING_WEIGHT = 150;
const MIN_OPENING_PUNCTUATION = 2;
const MAX_OPENING_LINK_DENSITY = 0.3;

/**
 * The thread's opening post when the replies' row does not start with it: the nearest block with text before
 * the row (at its level or up to OPENING_LEVELS above), when it reads as a dated post. A forum's title bar or
 * pager has too little prose to count; the row's first post is the opening post on most engines, and then what
 * precedes the row is that title bar.
 */
function openingPost(row: Row, stats: Map<Element, TextStats>): Element | undefined {
  let current: Element = row.parent;
  for (let level = 0; level < OPENING_LEVELS; level++) {
    for (let node = current.prev; node; node = node.prev) {
      if (!isTag(node)) continue;
      const own = stats.get(node);
      if (!own || textWeight(own) < MIN_POST_WEIGHT) continue;
      const readsAsPost =
        textWeight(own) >= MIN_OPENING_WEIGHT &&
        own.punctuation >= MIN_OPENING_PUNCTUATION &&
        linkDensity(own) <= MAX_OPENING_LINK_DENSITY &&
        hasDate(node);
      return readsAsPost ? node : undefined;
    }
    const parent = current.parent;
    if (!parent || !isTag(parent) || parent.name === 'body') return undefined;
    current = parent;
  }
  return undefined;
}

/** A post's body holds at least this share of the post's text; the rest is the poster's card and the post's bar. */
const BODY_SHARE = 0.6;
/** Wrappers a post's body is looked for in; below them are the body's own paragraphs, lists and quotes. */
const FURNITURE_BODY_SHARE = 0.9;
/** A post's header line (poster, date, post number) is short; a poster's card with rank and counts is longer. */
const MAX_HEADER_WEIGHT = 40;
const WRAPPER_TAGS = new Set(['div', 'article', 'section', 'main', 'table', 'tbody', 'tr', 'td']);

/**
 * The posts' text without their frame. The frame (the poster's card with rank, join date and post count,
 * reaction counts, reply buttons) repeats in every post and is no part of what was written. In a long post the
 * body is found by walking down while one child holds BODY_SHARE of the text; all posts come from one template,
 * so the way down most posts take is taken in the short ones too ("Thanks!" weighs less than its poster's card).
 * A short dated line above the body (when it was written, by whom where the line says so) stays with it.
 */
function postBodies(
  posts: Element[],
  stats: Map<Element, TextStats>,
  aside: ReadonlySet<Element>,
): Element[] {
  const paths = posts.map((post) => bodyPath(post, stats, aside));
  const counts = new Map<string, number>();
  for (const path of paths) {
    const key = path.map(shapeKey).join('>');
    if (path.length > 0) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const common = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return posts.flatMap((post, i) => {
    const own = paths[i];
    const path = own.map(shapeKey).join('>') === common ? own : (follow(post, common) ?? own);
    return withHeader(post, path, stats);
  });
}

/**
 * The children walked through from a post down to its body. A furniture-named child (the comments under an
 * answer) is no body, unless it wraps nearly all of the post (`comment-123_wrap` around a forum post).
 */
function bodyPath(post: Element, stats: Map<Element, TextStats>, aside: ReadonlySet<Element>): Element[] {
  const path: Element[] = [];
  let body = post;
  for (;;) {
    const total = weightOf(body, stats);
    const child = body.children.find(
      (node): node is Element =>
        isTag(node) &&
        WRAPPER_TAGS.has(node.name) &&
        weightOf(node, stats) >= (aside.has(node) ? FURNITURE_BODY_SHARE : BODY_SHARE) * total,
    );
    if (!child) return path;
    path.push(child);
    body = child;
  }
}

/** The same way down in another post of the template, if it has one. */
function follow(post: Element, key: string | undefined): Element[] | undefined {
  if (!key) return undefined;
  const path: Element[] = [];
  let node = post;
  for (const step of key.split('>')) {
    const child = node.children.find((child): child is Element => isTag(child) && shapeKey(child) === step);
    if (!child) return undefined;
    path.push(child);
    node = child;
  }
  return path;
}

function withHeader(post: Element, path: Element[], stats: Map<Element, TextStats>): Element[] {
  if (path.length === 0) return [post];
  const header: Element[] = [];
  let parent = post;
  for (const child of path) {
    for (const node of parent.children) {
      if (node === child) break;
      if (isTag(node) && weightOf(node, stats) <= MAX_HEADER_WEIGHT && hasDate(node)) header.push(node);
    }
    parent = child;
  }
  return [...header, parent];
}

function shapeKey(node: Element): string {
  return `${node.name}.${node.attribs.class ?? ''}`;
}

/** Posts marked up as a discussion, on a page the classifier does not read as an article. */
function hasDiscussionMarkup(document: Document, page: PageGuess | undefined): boolean {
  if (page?.type === 'article') return false;
  let marked = 0;
  const visit = (node: Element): boolean => {
    const type = node.attribs.itemtype ?? '';
    // An FAQ's questions and answers are one page's sections, not posts.
    if (FAQ_TYPE.test(type)) return false;
    if (DISCUSSION_TYPE.test(type) && ++marked >= MIN_POSTS) return true;
    return node.children.some((child) => isTag(child) && visit(child));
  };
  return document.children.some((child) => isTag(child) && visit(child));
}

/**
 * The heaviest qualifying row of posts among `parent`'s children, if any. With `markupOnly` (the classifier did
 * not read the page as a forum) entries whose headings link to pages of their own are a blog's or a feed's, not
 * replies to each other; on a forum such a heading is the poster's name linking to the profile.
 */
function rowOf(parent: Element, stats: Map<Element, TextStats>, markupOnly: boolean): Row | undefined {
  const groups = new Map<string, Element[]>();
  for (const child of parent.children) {
    if (!isTag(child)) continue;
    const key = shape(child);
    if (!key) continue;
    const group = groups.get(key);
    if (group) group.push(child);
    else groups.set(key, [child]);
  }
  let best: Row | undefined;
  for (const group of groups.values()) {
    const posts = group.filter((node) => weightOf(node, stats) >= MIN_POST_WEIGHT);
    if (posts.length < MIN_POSTS) continue;
    let weight = 0;
    let links = 0;
    for (const post of group) {
      const own = stats.get(post);
      if (!own) continue;
      weight += textWeight(own);
      links += linkDensity(own) * textWeight(own);
    }
    if (links / weight > MAX_ROW_LINK_DENSITY || (best && weight <= best.weight)) continue;
    // Dates last: reading the posts' text is the costly test.
    const dated = posts.filter(hasDate).length;
    if (dated < MIN_POSTS || dated < MIN_DATED_SHARE * posts.length) continue;
    if (markupOnly && posts.filter(hasOwnHeadingLink).length * 2 >= posts.length) continue;
    best = { parent, posts: group, weight };
  }
  return best;
}

/** Blocks that are paragraphs or inline runs, never whole posts. */
const NOT_POSTS = new Set([
  'p',
  'span',
  'a',
  'b',
  'strong',
  'em',
  'i',
  'font',
  'br',
  'img',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'code',
  'blockquote',
  'tr',
  'td',
  'th',
  'dd',
  'dt',
]);

/**
 * Tag and template: the first class word, or without a class the id with its number taken out (`post_123`,
 * `edit123`); posts differ in state words (`is-unread`, `odd`) and numbers, not in their template's name.
 */
function shape(node: Element): string | undefined {
  if (NOT_POSTS.has(node.name)) return undefined;
  const firstClass = (node.attribs.class ?? '').trim().split(/\s+/)[0];
  if (firstClass) return `${node.name}.${firstClass.replace(/\d+/g, '')}`;
  const id = node.attribs.id;
  if (id && /\d/.test(id)) return `${node.name}#${id.replace(/\d+/g, '')}`;
  return undefined;
}

/** A post carries its own date: a <time> element, a timestamp attribute, or a date or "… ago" in its text. */
function hasDate(post: Element): boolean {
  const stamped = (node: Element): boolean =>
    node.name === 'time' ||
    'datetime' in node.attribs ||
    'data-time' in node.attribs ||
    'data-timestamp' in node.attribs ||
    node.children.some((child) => isTag(child) && stamped(child));
  if (stamped(post)) return true;
  const text = textContent(post);
  return containsDate(text) || /\b\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b/i.test(text);
}

const POST_HEADINGS = new Set(['h1', 'h2', 'h3', 'h4']);

function hasOwnHeadingLink(post: Element): boolean {
  const heading = findOne((node) => POST_HEADINGS.has(node.name), post.children, true);
  return Boolean(
    heading && findOne((node) => node.name === 'a' && Boolean(node.attribs.href), heading.children),
  );
}

function weightOf(node: Element, stats: Map<Element, TextStats>): number {
  const own = stats.get(node);
  return own ? textWeight(own) : 0;
}

function contains(ancestor: Element, node: Element): boolean {
  for (let current: Element | null = node; current; ) {
    if (current === ancestor) return true;
    const parent: Element['parent'] = current.parent;
    current = parent && isTag(parent) ? parent : null;
  }
  return false;
}
