// Clutter that survived extraction: comments, embeds and widgets, share/ad/recommendation blocks named by
// their class or id words, hidden elements, a repeated title, and the empty wrappers all that leaves behind.
import type { Element, ElementContent, Root } from 'hast';
import { collapseWhitespace, propertyString, rewrite, textOf } from './tree.ts';

/** Elements that never carry article text a reader can use on a static page. */
const CLUTTER_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'canvas',
  'audio',
  'video',
  'form',
  'button',
  'input',
  'select',
  'textarea',
  'nav',
  'aside',
  'dialog',
  'link',
  'meta',
  'base',
]);

/**
 * Words of class, id and custom tag names that mark non-article blocks (`below_article_ad`, `shareBar`,
 * `recommend_post`, `twitter-widget`). Matched as whole words so `shadow` or `header` never match `ad`.
 */
const CLUTTER_WORDS = new Set([
  'ad',
  'ads',
  'adsbygoogle',
  'advert',
  'adverts',
  'advertisement',
  'advertising',
  'sponsor',
  'sponsored',
  'promo',
  'promotion',
  'share',
  'sharing',
  'sharebar',
  'social',
  'recommend',
  'recommended',
  'recommendation',
  'recommendations',
  'related',
  'newsletter',
  'subscribe',
  'subscription',
  'widget',
  'toolbar',
  'popup',
  'outbrain',
  'taboola',
  'disqus',
  'comments',
]);

/**
 * A block named like clutter is still kept when it holds more than this share of the body's text: a
 * wrapper such as `<div class="content has-share-buttons">` around the whole article must survive.
 */
const CLUTTER_MAX_TEXT_SHARE = 0.5;

/** Wrappers removed when nothing a reader sees (text, image, rule, table) is left inside them. */
const WRAPPER_TAGS = new Set([
  'div',
  'span',
  'p',
  'section',
  'article',
  'header',
  'footer',
  'figure',
  'figcaption',
  'font',
  'center',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'small',
  'a',
  'ul',
  'ol',
  'li',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

/** Content that makes an element non-empty even without text. */
const VISIBLE_WITHOUT_TEXT = new Set(['img', 'picture', 'hr', 'table']);

export function dropClutter(root: Root, title?: string): void {
  const bodyTextLength = collapseWhitespace(textOf(root)).length;
  const normalizedTitle = title ? collapseWhitespace(title) : '';
  let titleDropped = false;
  rewrite(root, (node) => {
    if (node.type === 'comment') return [];
    if (node.type !== 'element') return undefined;
    if (CLUTTER_TAGS.has(node.tagName) || isHidden(node)) return [];
    if (hasClutterName(node) && !isEmbeddedPost(node) && !isBuilderProse(node)) {
      const share = bodyTextLength === 0 ? 0 : collapseWhitespace(textOf(node)).length / bodyTextLength;
      if (share <= CLUTTER_MAX_TEXT_SHARE) return [];
    }
    // The page frame shows the title; a copy of it at the top of the body is noise.
    if (!titleDropped && /^h[1-2]$/.test(node.tagName) && normalizedTitle !== '') {
      if (collapseWhitespace(textOf(node)) === normalizedTitle) {
        titleDropped = true;
        return [];
      }
    }
    return undefined;
  });
  dropEmptyWrappers(root);
}

/**
 * An embedded post (a tweet, a Weibo or Facebook post) is a quotation the article relies on: its static form is a
 * blockquote inside a box named like a social widget. Its script is already gone; its text stays.
 */
function isEmbeddedPost(node: Element): boolean {
  if (node.tagName === 'blockquote') return true;
  const blockquote = node.children.find(
    (child): child is Element => child.type === 'element' && child.tagName === 'blockquote',
  );
  if (!blockquote) return false;
  const quoted = collapseWhitespace(textOf(blockquote)).length;
  return quoted > 0 && quoted >= collapseWhitespace(textOf(node)).length * EMBED_QUOTE_SHARE;
}

/** Most of an embed box's text is the quoted post; the rest is a "view on X" line or an author name. */
const EMBED_QUOTE_SHARE = 0.6;

/** Remove empty wrappers bottom-up, so a wrapper holding only empty wrappers goes too; anchors stay. */
export function dropEmptyWrappers(parent: Root | Element): void {
  const kept: ElementContent[] = [];
  for (const child of parent.children as ElementContent[]) {
    if (child.type === 'element') {
      dropEmptyWrappers(child);
      if (WRAPPER_TAGS.has(child.tagName) && !isAnchor(child) && isEmpty(child)) continue;
    }
    kept.push(child);
  }
  (parent as Element).children = kept;
}

/** An empty element with an id or name may be the target of an in-page link. */
function isAnchor(element: Element): boolean {
  return propertyString(element, 'id') !== undefined || propertyString(element, 'name') !== undefined;
}

function isEmpty(element: Element): boolean {
  for (const child of element.children) {
    if (child.type === 'text' && child.value.trim() !== '') return false;
    if (child.type === 'element') {
      if (VISIBLE_WITHOUT_TEXT.has(child.tagName)) return false;
      if (child.tagName !== 'br' && !isEmpty(child)) return false;
    }
  }
  return true;
}

function isHidden(element: Element): boolean {
  const properties = element.properties ?? {};
  if (properties.hidden !== undefined && properties.hidden !== false && properties.hidden !== null)
    return true;
  const style = propertyString(element, 'style');
  return style !== undefined && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

function hasClutterName(element: Element, except?: ReadonlySet<string>): boolean {
  const names = [propertyString(element, 'className'), propertyString(element, 'id')];
  if (element.tagName.includes('-')) names.push(element.tagName);
  for (const name of names) {
    if (name === undefined) continue;
    for (const word of words(name)) if (CLUTTER_WORDS.has(word) && !except?.has(word)) return true;
  }
  return false;
}

/** The word page builders give every block (Elementor's `elementor-widget-text-editor`, HubSpot's `widget-span`). */
const BUILDER_WORDS: ReadonlySet<string> = new Set(['widget', 'widgets']);
/** Prose has sentences and few links: under this share of its text inside links. */
const PROSE_MAX_LINK_SHARE = 0.25;
const SENTENCE_MARKS = /[.!?;:,。！？；：，]/g;
const MIN_PROSE_CHARS = 60;

/**
 * A block named clutter only by its page builder's word for every block, whose text reads as prose: the
 * extractor kept it as the article's text (generic/clean.ts `isBuilderProse`), and a link box named so still goes.
 */
function isBuilderProse(node: Element): boolean {
  if (hasClutterName(node, BUILDER_WORDS)) return false;
  const text = collapseWhitespace(textOf(node));
  // About two sentences at least: "Like this: Like Loading..." is a widget's label.
  if (text.length < MIN_PROSE_CHARS || (text.match(SENTENCE_MARKS) ?? []).length < 2) return false;
  let linked = 0;
  const visit = (element: Element): void => {
    for (const child of element.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'a') linked += collapseWhitespace(textOf(child)).length;
      else visit(child);
    }
  };
  visit(node);
  return linked < PROSE_MAX_LINK_SHARE * text.length;
}

/** `below_article_ad shareBar` -> below, article, ad, share, bar. */
function words(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}
