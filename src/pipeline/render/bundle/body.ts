// An article's sanitised body as a bundle carries it: elements an EPUB reading system (XHTML 5) and a browser both
// accept, attributes kept to what a reader needs, images pointed at the bundle's own copies, links at the
// bundle's own articles (or the mirror's public URL, or plain text), ids unique across the whole file.
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { fragmentOf, mirrorPathOf } from './paths.ts';

export interface BundleBodyOptions {
  /** Mirror-root path of the page the body comes from. */
  pagePath: string;
  /** The bundle's reference to a mirror file a link points at (a page, with its fragment), or undefined. */
  link: (mirrorPath: string, fragment: string | undefined) => string | undefined;
  /** The bundle's reference to a mirrored image, or undefined to leave the image out. */
  image: (mirrorPath: string) => string | undefined;
  /** Prefix of every id, so several articles can share one file. */
  idPrefix: string;
}

/** Elements kept; any other is replaced by its children (its text stays). */
const KEPT = new Set(
  (
    'a abbr b bdi bdo blockquote br caption cite code dd del details dfn div dl dt em figcaption figure ' +
    'h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp rt ruby s samp small span strong sub summary sup ' +
    'table tbody td tfoot th thead tr u ul var wbr'
  ).split(' '),
);
/** Elements dropped with what they hold (nothing a reader reads). */
const DROPPED = new Set(['input', 'button', 'select', 'textarea', 'form', 'svg', 'math', 'video', 'audio']);

/** Elements that hold blocks: a `<p>` holding one becomes a `<div>`, a phrasing element holding one is unwrapped. */
const FLOW = new Set(
  'address article aside blockquote details div dl figcaption figure footer h1 h2 h3 h4 h5 h6 header hr main nav ol p pre section table ul'.split(
    ' ',
  ),
);
const PHRASING_ONLY = new Set(
  'h1 h2 h3 h4 h5 h6 pre span em strong b i u s small sub sup code kbd samp var mark abbr cite dfn q bdi bdo dt summary caption'.split(
    ' ',
  ),
);
/** Elements valid only inside one of these parents: elsewhere they become a `<div>` (or are unwrapped). */
const PARENTS: Record<string, { parents: string[]; otherwise: 'div' | 'unwrap' }> = {
  li: { parents: ['ol', 'ul'], otherwise: 'div' },
  dt: { parents: ['dl'], otherwise: 'div' },
  dd: { parents: ['dl'], otherwise: 'div' },
  figcaption: { parents: ['figure'], otherwise: 'div' },
  summary: { parents: ['details'], otherwise: 'div' },
  caption: { parents: ['table'], otherwise: 'unwrap' },
  thead: { parents: ['table'], otherwise: 'unwrap' },
  tbody: { parents: ['table'], otherwise: 'unwrap' },
  tfoot: { parents: ['table'], otherwise: 'unwrap' },
  tr: { parents: ['table', 'thead', 'tbody', 'tfoot'], otherwise: 'unwrap' },
  td: { parents: ['tr'], otherwise: 'unwrap' },
  th: { parents: ['tr'], otherwise: 'unwrap' },
  rt: { parents: ['ruby'], otherwise: 'unwrap' },
  rp: { parents: ['ruby'], otherwise: 'unwrap' },
};

interface Context {
  parent: string;
  inLink: boolean;
}

export function bundleBody(tree: Root, options: BundleBodyOptions): Root {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  collectIds(tree, options.idPrefix, ids, used);
  const children = cleanChildren(tree.children, options, ids, new Set(), { parent: 'body', inLink: false });
  return { type: 'root', children: children as RootContent[] };
}

/** First occurrence wins: later duplicates lose their id (an EPUB with two equal ids is invalid). */
function collectIds(node: Root | Element, prefix: string, ids: Map<string, string>, used: Set<string>): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    const id = child.properties.id;
    if (typeof id === 'string' && id && !ids.has(id)) {
      const safe = `${prefix}${id.replace(/^user-content-/, '').replace(/[^\p{L}\p{N}_-]/gu, '_')}`;
      if (!used.has(safe)) {
        ids.set(id, safe);
        used.add(safe);
      }
    }
    collectIds(child, prefix, ids, used);
  }
}

function cleanChildren(
  children: Array<RootContent | ElementContent>,
  options: BundleBodyOptions,
  ids: Map<string, string>,
  given: Set<string>,
  context: Context,
): ElementContent[] {
  const out: ElementContent[] = [];
  for (const child of children) {
    if (child.type === 'text') out.push({ type: 'text', value: child.value });
    else if (child.type === 'element') out.push(...cleanElement(child, options, ids, given, context));
  }
  return out;
}

/** What is left of an element once its children are clean, so that the result is valid XHTML where it stands. */
function placed(tag: string, children: ElementContent[], context: Context): { tag: string } | 'unwrap' {
  const rule = PARENTS[tag];
  if (rule && !rule.parents.includes(context.parent))
    return rule.otherwise === 'div' ? { tag: 'div' } : 'unwrap';
  if (tag === 'a' && context.inLink) return 'unwrap';
  const holdsBlock = children.some((child) => child.type === 'element' && FLOW.has(child.tagName));
  if (holdsBlock && tag === 'p') return { tag: 'div' };
  if (holdsBlock && PHRASING_ONLY.has(tag)) return 'unwrap';
  return { tag };
}

/** A list holds list items only: anything else in it is wrapped in one. */
function listItems(children: ElementContent[]): ElementContent[] {
  return children.flatMap((child): ElementContent[] => {
    if (child.type === 'element' && child.tagName === 'li') return [child];
    if (child.type === 'text' && !child.value.trim()) return [child];
    return [{ type: 'element', tagName: 'li', properties: {}, children: [child] }];
  });
}

function cleanElement(
  element: Element,
  options: BundleBodyOptions,
  ids: Map<string, string>,
  given: Set<string>,
  context: Context,
): ElementContent[] {
  const original = element.tagName;
  if (DROPPED.has(original)) return [];
  const inner: Context = { parent: original, inLink: context.inLink || original === 'a' };
  let children = cleanChildren(element.children, options, ids, given, KEPT.has(original) ? inner : context);
  if (!KEPT.has(original)) return children;
  const place = placed(original, children, context);
  if (place === 'unwrap') return children;
  const tag = place.tag;
  if (tag === 'ol' || tag === 'ul') children = listItems(children);
  const props = element.properties;
  const kept: Element['properties'] = {};
  const id = typeof props.id === 'string' ? ids.get(props.id) : undefined;
  if (id && !given.has(id)) {
    kept.id = id;
    given.add(id);
  }
  for (const name of ['title', 'lang', 'dir'] as const) {
    if (typeof props[name] === 'string' && props[name]) kept[name] = props[name];
  }
  if (tag === 'img') {
    const path = typeof props.src === 'string' ? mirrorPathOf(options.pagePath, props.src) : undefined;
    const src = path ? options.image(path) : undefined;
    // An image the bundle does not carry keeps its alt text, as a page keeps it for a failed download.
    if (!src) return typeof props.alt === 'string' && props.alt ? [{ type: 'text', value: props.alt }] : [];
    kept.src = src;
    kept.alt = typeof props.alt === 'string' ? props.alt : '';
  } else if (tag === 'a') {
    const href = typeof props.href === 'string' ? linkOf(props.href, options, ids) : undefined;
    if (!href) return children;
    kept.href = href;
  } else if (tag === 'td' || tag === 'th') {
    for (const name of ['colSpan', 'rowSpan'] as const) {
      const value = Number(props[name]);
      if (Number.isInteger(value) && value > 1) kept[name] = value;
    }
  } else if (tag === 'ol') {
    const start = Number(props.start);
    if (Number.isInteger(start) && start !== 1) kept.start = start;
  }
  if ((tag === 'a' || tag === 'span' || tag === 'div') && Object.keys(kept).length === 0) return children;
  return [{ type: 'element', tagName: tag, properties: kept, children }];
}

function linkOf(href: string, options: BundleBodyOptions, ids: Map<string, string>): string | undefined {
  if (/^https?:\/\//i.test(href)) return href;
  if (href.startsWith('#')) {
    const fragment = href.slice(1);
    const id = ids.get(fragment) ?? ids.get(`user-content-${fragment}`);
    return id ? `#${id}` : undefined;
  }
  const path = mirrorPathOf(options.pagePath, href);
  return path ? options.link(path, fragmentOf(href)) : undefined;
}

/** Every image of a body (and of a page's lead image), as mirror-root paths. */
export function imagePathsOf(tree: Root, pagePath: string): string[] {
  const found: string[] = [];
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'img' && typeof child.properties.src === 'string') {
        const path = mirrorPathOf(pagePath, child.properties.src);
        if (path) found.push(path);
      }
      walk(child);
    }
  };
  walk(tree);
  return found;
}
