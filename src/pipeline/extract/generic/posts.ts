// Pages that hold several posts of the same shape: a blog's archive page, or a forum or Q&A thread.
// Each post is a block with the same tag and class as its siblings, long enough to be an article and carrying its
// own date in its header or footer. Entries that each carry a heading linking to their own page are separate
// articles: the first (the blog page's newest entry) is the article. Posts without such headings reply to one
// another: the thread is the content, every post of that shape in page order, short replies included.
import { type Element, isTag } from 'domhandler';
import { findOne, textContent } from 'domutils';
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

/** What a run of similar dated posts is: one entry of several, or a thread whose posts all belong together. */
export type Posts = { entry: Element } | { thread: Element[] };

/** The posts `best` holds or sits inside, when it is in a run of similar dated posts; otherwise undefined. */
export function findPosts(best: Element, stats: Map<Element, TextStats>): Posts | undefined {
  // The container holds the posts (we picked the thread).
  let node: Element | undefined = best;
  for (let level = 0; node && level < MAX_POST_LEVELS; level++) {
    const posts = runOfPosts(node, stats);
    if (posts) return posts;
    node = heaviestChild(node, stats);
  }
  // The container is one post or part of one (we picked the longest post, not the first).
  let current: Element = best;
  for (let level = 0; level < MAX_POST_LEVELS; level++) {
    const parent = current.parent;
    if (!parent || !isTag(parent) || parent.name === 'body' || parent.name === 'html') return undefined;
    const posts = runOfPosts(parent, stats, current);
    if (posts) return posts;
    current = parent;
  }
  return undefined;
}

/** The qualifying run among `parent`'s children with the same shape as `like` (any shape if absent). */
function runOfPosts(parent: Element, stats: Map<Element, TextStats>, like?: Element): Posts | undefined {
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
    if (dated.length < MIN_POSTS) continue;
    if (!isDiscussion(parent) || dated.filter(hasOwnHeadingLink).length * 2 >= dated.length) {
      return { entry: dated[0] };
    }
    const key = shape(group[0]);
    return {
      thread: parent.children.filter((child): child is Element => isTag(child) && shape(child) === key),
    };
  }
  return undefined;
}

/** schema.org types of the posts of a discussion (Discourse, Stack Exchange, many forum engines mark them up). */
const DISCUSSION_TYPE =
  /schema\.org\/(?:Comment|Answer|Question|DiscussionForumPosting|SocialMediaPosting)\b/i;

/**
 * Only posts marked up as a discussion make a thread: a blog page of full entries looks the same (a dated post
 * each, same template) and there the first entry is the article.
 */
function isDiscussion(container: Element): boolean {
  const marked = (node: Element) => DISCUSSION_TYPE.test(node.attribs.itemtype ?? '');
  return marked(container) || Boolean(findOne(marked, container.children, true));
}

/** Headings that title a post (a thread's replies have none, or one for the whole page). */
const POST_HEADING = new Set(['h1', 'h2', 'h3', 'h4']);

/** An entry of a blog or news page has a heading that links to the entry's own page. */
function hasOwnHeadingLink(post: Element): boolean {
  const heading = findOne((node) => POST_HEADING.has(node.name), post.children, true);
  return Boolean(
    heading && findOne((node) => node.name === 'a' && Boolean(node.attribs.href), heading.children, true),
  );
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
