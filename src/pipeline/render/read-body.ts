import type { Element, ElementContent, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { Image, Link, RootContent as MdastContent } from 'mdast';
import { type Handler, toHast } from 'mdast-util-to-hast';
import { mirrorPathOf } from '../../internal/paths.ts';
import type { ExtractedArticle } from '../types.ts';
import { type PageReadBack, parseMarkdown } from './read-page.ts';

export interface BodyReadOptions {
  /** Mirror-root path of the page the body is on (relative links resolve against it). */
  pagePath: string;
  /** Absolute source for a mirror-root path the page shows as an image, or undefined to keep alt text only. */
  imageSource: (mirrorPath: string) => string | undefined;
  /** The publisher's URL of the page at a mirror-root path, or undefined when that is no mirrored page. */
  pageUrl: (mirrorPath: string) => string | undefined;
  /** The publisher's URL of a page linked by its public URL (a page in another repository, `mirror.archive`). */
  publicPageUrl?: (publicUrl: string) => string | undefined;
}

/** The prefix the sanitiser puts on ids, and so on in-page links (transform/links.ts); markdown.ts drops it. */
const ANCHOR_PREFIX = 'user-content-';

/** Page level -> the body level that the transform demotes to it (h4 was h1 or h2; h6 keeps its lowest origin). */
const PROMOTED_LEVEL: Readonly<Record<string, string>> = { h4: 'h2', h5: 'h3', h6: 'h4' };

// Destinations exactly as written: the default handlers percent-encode them, and the page would change.
const linkHandler: Handler = (state, node: Link) => {
  const element: Element = {
    type: 'element',
    tagName: 'a',
    properties: { href: node.url, ...(node.title ? { title: node.title } : {}) },
    children: state.all(node),
  };
  state.patch(node, element);
  return state.applyData(node, element);
};

const imageHandler: Handler = (state, node: Image) => {
  const element: Element = {
    type: 'element',
    tagName: 'img',
    properties: { src: node.url, alt: node.alt ?? '', ...(node.title ? { title: node.title } : {}) },
    children: [],
  };
  state.patch(node, element);
  return state.applyData(node, element);
};

/** The article as the extract stage would have handed it over, rebuilt from what its page shows. */
export function extractedFromPage(
  page: PageReadBack,
  pagePath: string,
  published: string | undefined,
  imageSource: (mirrorPath: string) => string | undefined,
  pageUrl: (mirrorPath: string) => string | undefined,
  publicPageUrl?: (publicUrl: string) => string | undefined,
): ExtractedArticle {
  const body = readBody(page.bodyMarkdown, { pagePath, imageSource, pageUrl, publicPageUrl });
  const lead = page.leadImage;
  const leadSrc = lead ? absoluteSource(lead.src, pagePath, imageSource) : undefined;
  return {
    title: page.title,
    ...(published ? { published } : {}),
    ...(page.lang ? { lang: page.lang } : {}),
    // No canonical URL: the page does not show it, and every link and image read back is absolute already (a
    // base would turn links to the page itself plus a fragment into in-page links the page never had).
    ...(lead && leadSrc ? { leadImage: { src: leadSrc, alt: lead.alt } } : {}),
    ...(page.caption !== undefined ? { caption: page.caption } : {}),
    body,
    method: 'generic',
    ruleMisses: [],
  };
}

export function readBody(markdown: string, options: BodyReadOptions): Root {
  const mdast = parseMarkdown(markdown);
  mdast.children = withStrayBreaks(mdast.children);
  const tree = toHast(mdast, {
    allowDangerousHtml: true,
    handlers: { link: linkHandler, image: imageHandler },
  }) as Root;
  return restore(tree, options) as Root;
}

/**
 * A `<br>` between blocks writes as two more blank lines (and Markdown reads them as nothing): each such pair
 * between top-level blocks, or before the first, is a break again.
 */
function withStrayBreaks(blocks: MdastContent[]): MdastContent[] {
  const result: MdastContent[] = [];
  let previousEnd = 0;
  for (const block of blocks) {
    const start = block.position?.start.line;
    if (start !== undefined) {
      const blankLines = start - previousEnd - 1 - (previousEnd === 0 ? 0 : 1);
      for (let pair = 0; pair < Math.floor(blankLines / 2); pair++) result.push({ type: 'break' });
      previousEnd = block.position?.end.line ?? start;
    }
    result.push(block);
  }
  return result;
}

/** Raw HTML parsed (the renderer writes it only for anchors), headings promoted, sources made absolute. */
function restore(parent: Root | Element, options: BodyReadOptions): Root | Element {
  const children: Array<RootContent | ElementContent> = [];
  for (const child of parent.children) {
    if (child.type === 'raw') {
      children.push(...(fromHtml(child.value, { fragment: true }).children as ElementContent[]));
      continue;
    }
    if (child.type !== 'element') {
      children.push(child);
      continue;
    }
    restore(child, options);
    const promoted = PROMOTED_LEVEL[child.tagName];
    if (promoted) child.tagName = promoted;
    if (child.tagName === 'img') {
      const src = absoluteSource(String(child.properties.src ?? ''), options.pagePath, options.imageSource);
      if (src) child.properties.src = src;
      else delete child.properties.src;
    } else if (child.tagName === 'a' && typeof child.properties.href === 'string') {
      const href = child.properties.href;
      if (href.startsWith(`#${ANCHOR_PREFIX}`))
        child.properties.href = `#${href.slice(ANCHOR_PREFIX.length + 1)}`;
      else if (!href.startsWith('#')) {
        const target =
          options.publicPageUrl?.(href) ?? absoluteSource(href, options.pagePath, options.pageUrl);
        // A relative link to no page of the mirror: its text is what the reader had that can be kept.
        if (target === undefined) {
          children.push(...child.children);
          continue;
        }
        child.properties.href = target;
      }
    }
    children.push(child);
  }
  (parent as Element).children = withIdsFromAnchors(children) as ElementContent[];
  const first = parent.children[0];
  // An anchor first inside an element was that element's id (markdown.ts puts it there).
  if (parent.type === 'element' && first !== undefined && anchorName(first) !== undefined) {
    parent.properties.id ??= anchorName(first);
    parent.children.shift();
  }
  return parent;
}

/** The name of an empty `<a name>` (what markdown.ts writes for an id), or undefined for any other node. */
function anchorName(node: RootContent | ElementContent): string | undefined {
  if (node.type !== 'element' || node.tagName !== 'a' || node.children.length > 0) return undefined;
  const { name, href } = node.properties;
  return typeof name === 'string' && href === undefined ? name : undefined;
}

/**
 * An anchor before an element (alone in its paragraph when Markdown put it there) was that element's id: images,
 * tables, lists and the like cannot hold one inside.
 */
function withIdsFromAnchors(
  children: Array<RootContent | ElementContent>,
): Array<RootContent | ElementContent> {
  const result: Array<RootContent | ElementContent> = [];
  for (let index = 0; index < children.length; index++) {
    const child = children[index];
    const onlyChild =
      child.type === 'element' && child.tagName === 'p' && child.children.length === 1
        ? child.children[0]
        : child;
    const name = anchorName(onlyChild);
    const next = children
      .slice(index + 1)
      .find((node) => !(node.type === 'text' && node.value.trim() === ''));
    if (name !== undefined && next?.type === 'element' && anchorName(next) === undefined) {
      next.properties.id ??= name;
      continue;
    }
    result.push(child);
  }
  return result;
}

/** An absolute URL kept as it is; a relative one resolved to a mirror-root path and looked up (fragment kept). */
function absoluteSource(
  value: string,
  pagePath: string,
  lookUp: (mirrorPath: string) => string | undefined,
): string | undefined {
  // Absolute (the publisher's http(s), mailto:): the transform applies the link policy to it again.
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  const mirrorPath = mirrorPathOf(pagePath, value);
  const found = mirrorPath === undefined ? undefined : lookUp(mirrorPath);
  const hash = value.indexOf('#');
  return found === undefined ? undefined : found + (hash >= 0 ? value.slice(hash) : '');
}
