// The link policy: a relative link to the mirrored copy, plain text, or the publisher's absolute URL; and
// in-page anchors that keep working on the git host, which prefixes every id with `user-content-`.
import type { Element, ElementContent, Root } from 'hast';
import type { LinkPolicy } from '../types.ts';
import { relativeLink } from './paths.ts';
import { elements, propertyString, rewrite } from './tree.ts';

/** The prefix GitHub (and hast-util-sanitize's default schema) puts before every id and name. */
export const ANCHOR_PREFIX = 'user-content-';

export interface LinkPolicyOptions {
  policy: LinkPolicy;
  pagePath: string;
  /** The page's own URL, to resolve relative links and recognise links to the page itself. */
  baseUrl?: string;
  mirroredPath: (url: string) => string | undefined;
}

/** Rewrite every <a> by policy; returns the absolute http(s) URLs the body links to (no fragments, deduped). */
export function applyLinkPolicy(root: Root, options: LinkPolicyOptions): string[] {
  const targets = anchorTargets(root);
  const linkedUrls = new Set<string>();
  const usedTargets = new Set<string>();
  rewrite(root, (node) => {
    if (node.type !== 'element' || node.tagName !== 'a') return undefined;
    const href = propertyString(node, 'href')?.trim();
    const fragment = href === undefined ? undefined : inPageFragment(href, options.baseUrl);
    if (fragment !== undefined) {
      if (!targets.has(fragment)) return node.children;
      usedTargets.add(fragment);
      node.properties = { href: `#${ANCHOR_PREFIX}${fragment}` };
      return undefined;
    }
    const absolute = href === undefined ? undefined : resolve(href, options.baseUrl);
    if (absolute === undefined) return unwrapKeepingAnchor(node);
    const isHttp = absolute.protocol === 'http:' || absolute.protocol === 'https:';
    if (isHttp) linkedUrls.add(withoutFragment(absolute));
    const target = linkTarget(href!, absolute, isHttp, options);
    if (target === undefined) return unwrapKeepingAnchor(node);
    node.properties = { href: target };
    return undefined;
  });
  keepOnlyUsedAnchors(root, usedTargets);
  return [...linkedUrls];
}

function linkTarget(
  href: string,
  absolute: URL,
  isHttp: boolean,
  options: LinkPolicyOptions,
): string | undefined {
  if (options.policy === 'keep') return isHttp || absolute.protocol === 'mailto:' ? absolute.href : undefined;
  if (options.policy === 'inert' || !isHttp) return undefined;
  // The pipeline keys mirrored pages by the href as extracted; the resolved URL covers relative hrefs.
  const mirrored =
    options.mirroredPath(href) ??
    options.mirroredPath(absolute.href) ??
    options.mirroredPath(withoutFragment(absolute));
  return mirrored === undefined ? undefined : relativeLink(options.pagePath, mirrored);
}

/** The fragment when `href` points into this page (`#x`, or the page's own URL + `#x`). */
function inPageFragment(href: string, baseUrl?: string): string | undefined {
  if (href.startsWith('#')) return decodeFragment(href.slice(1));
  if (!baseUrl || !href.includes('#')) return undefined;
  const absolute = resolve(href, baseUrl);
  const base = resolve(baseUrl);
  if (!absolute || !base || withoutFragment(absolute) !== withoutFragment(base)) return undefined;
  return decodeFragment(absolute.hash.slice(1));
}

function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

function resolve(href: string, baseUrl?: string): URL | undefined {
  try {
    return baseUrl ? new URL(href, baseUrl) : new URL(href);
  } catch {
    return undefined;
  }
}

function withoutFragment(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

/** Ids and old-style `<a name>` anchors present in the body. */
function anchorTargets(root: Root): Set<string> {
  const found = new Set<string>();
  for (const element of elements(root)) {
    const id = propertyString(element, 'id');
    if (id) found.add(id);
    const name = element.tagName === 'a' ? propertyString(element, 'name') : undefined;
    if (name) found.add(name);
  }
  return found;
}

/** An <a> without a usable link becomes its text; a named anchor survives as a <span id>. */
function unwrapKeepingAnchor(link: Element): ElementContent[] {
  const anchor = propertyString(link, 'id') ?? propertyString(link, 'name');
  if (!anchor) return link.children;
  return [{ type: 'element', tagName: 'span', properties: { id: anchor }, children: link.children }];
}

/** Ids nothing links to are noise in the page (and can clash with the git host's own heading ids). */
function keepOnlyUsedAnchors(root: Root, used: ReadonlySet<string>): void {
  for (const element of elements(root)) {
    const properties = element.properties ?? {};
    const id = propertyString(element, 'id');
    const name = propertyString(element, 'name');
    delete properties.id;
    delete properties.name;
    const anchor = [id, name].find((value) => value !== undefined && used.has(value));
    if (anchor !== undefined) properties.id = anchor;
  }
}
