// Pages that hold several posts of the same shape (a blog's archive page, a forum thread): the article is one post.
// Each post is a block with the same tag and class as its siblings, long enough to be an article and carrying its
// own date in its header or footer. The first one is taken: a thread's opening post (the rest reply to it), a blog page's newest entry.
import { type Element, isTag } from 'domhandler';
import { textContent } from 'domutils';
import { containsDate } from './metadata.ts';
import { emptyStats, type TextStats, textWeight } from './text-stats.ts';

/** A post must carry this much text weight (as an article must) to count. */
const MIN_POST_WEIGHT = 250;
/** How many such posts make a page of posts. */
const MIN_POSTS = 2;
/** The posts must hold this share of the container's text, or they are a minor part of one article. */
const MIN_POSTS_SHARE = 0.6;
/** Levels searched above and below the chosen container for the row of posts (a layout table costs three). */
const MAX_POST_LEVELS = 8;
/** Below the container, follow a child only while it holds this share of its parent's text. */
const DESCEND_SHARE = 0.5;

/** The first post when `best` holds or sits inside a run of similar dated posts; otherwise undefined. */
export function firstPost(best: Element, stats: Map<Element, TextStats>): Element | undefined {
  // The container holds the posts (we picked the thread).
  let node: Element | undefined = best;
  for (let level = 0; node && level < MAX_POST_LEVELS; level++) {
    const post = firstOfRun(node, stats);
    if (post) return post;
    node = heaviestChild(node, stats);
  }
  // The container is one post or part of one (we picked the longest post, not the first).
  let current: Element = best;
  for (let level = 0; level < MAX_POST_LEVELS; level++) {
    const parent = current.parent;
    if (!parent || !isTag(parent) || parent.name === 'body' || parent.name === 'html') return undefined;
    const post = firstOfRun(parent, stats, current);
    if (post) return post;
    current = parent;
  }
  return undefined;
}

/** The first qualifying post among `parent`'s children with the same shape as `like` (any shape if absent). */
function firstOfRun(parent: Element, stats: Map<Element, TextStats>, like?: Element): Element | undefined {
  const groups = new Map<string, Element[]>();
  for (const child of parent.children) {
    if (!isTag(child)) continue;
    const own = stats.get(child);
    if (!own || textWeight(own) < MIN_POST_WEIGHT || !hasParts(child)) continue;
    const key = shape(child);
    if (like && key !== shape(like)) continue;
    const group = groups.get(key);
    if (group) group.push(child);
    else groups.set(key, [child]);
  }
  const total = textWeight(stats.get(parent) ?? emptyStats());
  for (const group of groups.values()) {
    if (group.length < MIN_POSTS) continue;
    const weight = group.reduce((sum, post) => sum + textWeight(stats.get(post) as TextStats), 0);
    if (weight < MIN_POSTS_SHARE * total) continue;
    const dated = group.filter(datedAtEdge);
    if (dated.length >= MIN_POSTS) return dated[0];
  }
  return undefined;
}

/**
 * Characters at each end of a post's text searched for its date. A post's date sits in its header or footer
 * (byline, "posted at"); a date deep inside a block is content: the example output in one section of a manual,
 * an event in a history, and sections of one long document are not posts.
 */
const DATE_EDGE_CHARS = 300;

function datedAtEdge(post: Element): boolean {
  const text = textContent(post).replace(/\s+/g, ' ').trim();
  if (text.length <= 2 * DATE_EDGE_CHARS) return containsDate(text);
  return containsDate(text.slice(0, DATE_EDGE_CHARS)) || containsDate(text.slice(-DATE_EDGE_CHARS));
}

/** Tag and class: posts are rendered by one template. */
function shape(node: Element): string {
  return `${node.name}.${node.attribs.class ?? ''}`;
}

/** Text blocks that are paragraphs or list items, never whole posts (a dated timeline is one article). */
const TEXT_BLOCK_TAGS = new Set([
  'p',
  'li',
  'dd',
  'dt',
  'blockquote',
  'pre',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'span',
  'a',
  'font',
  'b',
  'strong',
  'em',
  'br',
]);

/** A post has parts (a header line, a body): a block with only inline text is a paragraph. */
function hasParts(node: Element): boolean {
  return (
    !TEXT_BLOCK_TAGS.has(node.name) &&
    node.children.some((child) => isTag(child) && !TEXT_BLOCK_TAGS.has(child.name))
  );
}

function heaviestChild(node: Element, stats: Map<Element, TextStats>): Element | undefined {
  const total = textWeight(stats.get(node) as TextStats);
  for (const child of node.children) {
    if (!isTag(child)) continue;
    const own = stats.get(child);
    if (own && textWeight(own) >= DESCEND_SHARE * total) return child;
  }
  return undefined;
}
