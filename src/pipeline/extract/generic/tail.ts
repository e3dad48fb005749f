// What follows an article inside the container chosen for it: the author's bio, "you might also like", a
// disclaimer, the comments. Such a run opens with a heading (or a line on its own) that says so; from there to the
// end nothing is the article's. Only in the container's last half, so an article that starts with one is kept.
import type { ChildNode, Element } from 'domhandler';
import { isTag, isText } from 'domhandler';
import { removeElement, textContent } from 'domutils';

/** Headings that open what comes after an article, in English and Chinese; matched against the whole line. */
const TAIL_HEADING = new RegExp(
  [
    '^about the (?:authors?|reviewers?|writers?|contributors?|experts?)',
    '^(?:you )?(?:might|may) also (?:like|enjoy|want|be interested)',
    '^(?:more|other) (?:from|by|articles|stories|posts|news) ?',
    '^(?:related|recommended|popular|trending|latest) (?:articles|posts|stories|reading|content|news|guides|topics)',
    '^recommended for you',
    '^(?:read|see) (?:next|also)',
    '^(?:disclaimer|medical disclaimer)',
    '^(?:leave a (?:reply|comment)|(?:\\d+ )?comments?|join the (?:discussion|conversation)|post navigation)',
    '^(?:作者简介|关于作者|相关阅读|相关新闻|相关文章|延伸阅读|推荐阅读|热门推荐|猜你喜欢|免责声明|网友评论)',
  ]
    .map((pattern) => `(?:${pattern})`)
    .join('|'),
  'i',
);
/** Punctuation and words a tail heading may end with ("Disclaimer:", "You might also be interested in…"). */
const TAIL_END = /^[^.!?。！？]{0,60}[:：…]?\.{0,3}$/;
const HEADING_TAGS = new Set(['h2', 'h3', 'h4', 'h5', 'h6']);
/** A line on its own: a short paragraph, a label block, bold text. */
const LINE_TAGS = new Set(['p', 'div', 'strong', 'b', 'span', 'header']);
/** The heading must come after this share of the container's text. */
const MIN_TEXT_BEFORE = 0.5;

/** Longest tail heading, in characters. */
const MAX_HEADING_CHARS = 70;

function isTailHeading(node: Element): boolean {
  if (!HEADING_TAGS.has(node.name) && !LINE_TAGS.has(node.name)) return false;
  const text = shortText(node, MAX_HEADING_CHARS);
  if (!text || text.length > MAX_HEADING_CHARS || !TAIL_END.test(text)) return false;
  // A line element counts only when it is the heading alone, not a paragraph that starts like one, nor a
  // sentence ("Comments were mixed.").
  if (!HEADING_TAGS.has(node.name)) {
    if (node.children.some((child) => isTag(child) && child.name === 'p')) return false;
    if (/[^.]\.$/.test(text)) return false;
  }
  return TAIL_HEADING.test(text);
}

/**
 * The element's text, whitespace collapsed, or undefined as soon as it has more than `max` visible characters: every
 * div of the container's second half is asked, and reading each one's whole text made the walk quadratic.
 */
function shortText(node: Element, max: number): string | undefined {
  const parts: string[] = [];
  let visible = 0;
  const walk = (current: ChildNode): boolean => {
    if (isText(current)) {
      visible += current.data.replace(/\s+/g, '').length;
      parts.push(current.data);
      return visible <= max;
    }
    if (isTag(current) || current.type === 'cdata') {
      for (const child of (current as Element).children) if (!walk(child)) return false;
    }
    return true;
  };
  for (const child of node.children) if (!walk(child)) return undefined;
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** Removes, in place, the tail that follows an article in `nodes` (the chosen blocks, in page order). */
export function cutTail(nodes: Element[]): Element[] {
  const total = nodes.reduce((sum, node) => sum + textContent(node).replace(/\s+/g, '').length, 0);
  if (total === 0) return nodes;
  let before = 0;
  let cut: Element | undefined;
  const visit = (node: ChildNode): boolean => {
    if (isText(node)) {
      before += node.data.replace(/\s+/g, '').length;
      return false;
    }
    if (!isTag(node)) return false;
    if (before >= MIN_TEXT_BEFORE * total && isTailHeading(node)) {
      cut = node;
      return true;
    }
    for (const child of node.children) if (visit(child)) return true;
    return false;
  };
  let rootIndex = nodes.findIndex((node) => visit(node));
  if (cut === undefined || rootIndex < 0) return nodes;
  const root = nodes[rootIndex];
  // Everything after the heading in page order, up to the chosen block that holds it, then the heading.
  for (let node: Element = cut; node !== root && node.parent; node = node.parent as Element) {
    for (const sibling of [...node.parent.children].slice(node.parent.children.indexOf(node) + 1)) {
      removeElement(sibling);
    }
  }
  if (cut === root) rootIndex--;
  else removeElement(cut);
  return nodes.slice(0, rootIndex + 1);
}
