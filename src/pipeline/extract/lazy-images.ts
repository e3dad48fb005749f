// Lazy-loaded images: publishers put a placeholder in `src` and the real picture in a data attribute,
// a srcset, a <picture> source or a <noscript> copy that a script swaps in. We have no script, so each
// <img> gets its real source in `src` (absolute) here, on the DOM, before domToHast drops <noscript>.

import { type AnyNode, type Document, type Element, isTag, isText } from 'domhandler';
import { removeElement, replaceElement } from 'domutils';
import { parseHtml } from './dom.ts';

/** Attributes lazy-loading scripts read the real source from, most common first. */
const LAZY_SOURCE_ATTRIBUTES = ['data-src', 'data-original', 'data-lazy-src', 'data-actualsrc', 'data-url'];
/** Attributes that only served the lazy loader or responsive selection; dropped once `src` is final. */
const SPENT_ATTRIBUTES = [
  ...LAZY_SOURCE_ATTRIBUTES,
  'srcset',
  'data-srcset',
  'data-lazy-srcset',
  'sizes',
  'data-sizes',
  'loading',
];
/** File names lazy loaders use as stand-ins while the real picture loads. */
const PLACEHOLDER_FILE =
  /(?:^|[/_-])(?:blank|spacer|pixel|placeholder|lazy|loading|grey|gray|transparent|1x1)\.(?:gif|png|svg|jpe?g|webp)(?:$|\?)/i;

interface SrcsetCandidate {
  url: string;
  /** Width descriptor ('800w'), or undefined. */
  width?: number;
  /** Density descriptor ('2x'); 1 when the candidate has no descriptor. */
  density: number;
}

/** Give every <img> under `root` its real, absolute source; drop tracking pixels and unresolvable placeholders. */
export function resolveLazyImages(root: Document | Element, baseUrl: string): void {
  for (const noscript of findAll(root, 'noscript')) resolveNoscript(noscript, baseUrl);
  for (const picture of findAll(root, 'picture')) resolvePicture(picture, baseUrl);
  for (const img of findAll(root, 'img')) {
    if (isTrackingPixel(img)) {
      removeElement(img);
      continue;
    }
    const src = imageSource(img, baseUrl);
    if (!src) {
      removeElement(img);
      continue;
    }
    img.attribs.src = src;
    for (const name of SPENT_ATTRIBUTES) delete img.attribs[name];
  }
}

/**
 * The real source of one <img>, absolute: the widest srcset candidate (or highest density), else a lazy
 * data attribute, else `src` unless it is a placeholder; a placeholder followed by a <noscript> copy
 * yields the copy's source. undefined when the image has no real source.
 */
export function imageSource(img: Element, baseUrl: string, extraSrcsets: string[] = []): string | undefined {
  const srcsets = [
    img.attribs['data-srcset'],
    img.attribs['data-lazy-srcset'],
    img.attribs.srcset,
    ...extraSrcsets,
  ];
  const best = bestSrcsetCandidate(srcsets.flatMap((value) => (value ? parseSrcset(value) : [])));
  const candidates = [
    best?.url,
    ...LAZY_SOURCE_ATTRIBUTES.map((name) => img.attribs[name]),
    isPlaceholderSource(img.attribs.src) ? undefined : img.attribs.src,
  ];
  for (const candidate of candidates) {
    const url = candidate ? absoluteUrl(candidate, baseUrl) : undefined;
    if (url) return url;
  }
  const noscriptCopy = noscriptImageAfter(img);
  return noscriptCopy ? imageSource(noscriptCopy, baseUrl) : undefined;
}

/**
 * Parse a srcset attribute ('a.jpg 400w, b.jpg 800w' or 'a.jpg, b.jpg 2x') the way browsers do: a URL
 * runs to the next whitespace (so it may hold commas), a comma right after it ends the candidate.
 * data: candidates are skipped.
 */
export function parseSrcset(srcset: string): SrcsetCandidate[] {
  const candidates: SrcsetCandidate[] = [];
  let position = 0;
  while (position < srcset.length) {
    position = skip(srcset, position, /[\s,]/);
    if (position >= srcset.length) break;
    const urlEnd = skip(srcset, position, /\S/);
    let url = srcset.slice(position, urlEnd);
    position = urlEnd;
    let descriptor = '';
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      const descriptorEnd = srcset.indexOf(',', position);
      const end = descriptorEnd === -1 ? srcset.length : descriptorEnd;
      descriptor = srcset.slice(position, end).trim();
      position = end + 1;
    }
    if (!url || url.startsWith('data:')) continue;
    const width = /^\d+w$/.test(descriptor) ? Number.parseInt(descriptor, 10) : undefined;
    const density = /^\d*\.?\d+x$/.test(descriptor) ? Number.parseFloat(descriptor) : 1;
    candidates.push({ url, width, density });
  }
  return candidates;
}

/** Index of the first character at or after `from` that does not match `pattern`. */
function skip(text: string, from: number, pattern: RegExp): number {
  let index = from;
  while (index < text.length && pattern.test(text[index])) index++;
  return index;
}

/** Widest candidate when widths are given, else the highest density. */
function bestSrcsetCandidate(candidates: SrcsetCandidate[]): SrcsetCandidate | undefined {
  let best: SrcsetCandidate | undefined;
  for (const candidate of candidates) {
    if (!best) best = candidate;
    else if ((candidate.width ?? 0) !== (best.width ?? 0)) {
      if ((candidate.width ?? 0) > (best.width ?? 0)) best = candidate;
    } else if (candidate.density > best.density) best = candidate;
  }
  return best;
}

function isPlaceholderSource(src: string | undefined): boolean {
  if (!src?.trim()) return true;
  const value = src.trim();
  return value.startsWith('data:') || value.startsWith('about:') || PLACEHOLDER_FILE.test(value);
}

/** A 1x1 (or 0x0) image declared by its attributes: a counter or ad beacon, never content. */
function isTrackingPixel(img: Element): boolean {
  const width = Number.parseInt(img.attribs.width ?? '', 10);
  const height = Number.parseInt(img.attribs.height ?? '', 10);
  return width <= 1 && height <= 1;
}

/**
 * <noscript><img></noscript>: when an image placeholder stands right before it, the copy replaces the
 * placeholder; alone, the copy takes the noscript's place. Anything else in a noscript is left for
 * domToHast to drop (tracking pixels, "enable JavaScript" notices).
 */
function resolveNoscript(noscript: Element, baseUrl: string): void {
  let children = noscript.children;
  // Some parsers keep noscript content as text; read it as HTML then.
  if (
    children.length > 0 &&
    children.every(isText) &&
    children.some((child) => child.data.includes('<img'))
  ) {
    children = parseHtml(children.map((child) => child.data).join('')).children;
  }
  const images = children.filter((child): child is Element => isTag(child) && child.name === 'img');
  const onlyImages = children.every(
    (child) => (isText(child) && !child.data.trim()) || images.includes(child as Element),
  );
  if (images.length !== 1 || !onlyImages) return;
  const copy = images[0];
  if (isTrackingPixel(copy) || !imageSource(copy, baseUrl)) return;
  const before = placeholderBefore(noscript);
  if (before && !isLazyPlaceholder(before) && imageSource(before, baseUrl) === imageSource(copy, baseUrl)) {
    removeElement(noscript);
    return;
  }
  const placeholder = before && isLazyPlaceholder(before) ? before : undefined;
  if (placeholder) {
    // Keep the placeholder's alt/class when the copy has none; the copy's source wins.
    copy.attribs = { ...placeholderAttributes(placeholder.attribs), ...copy.attribs };
    replaceElement(placeholder, copy);
    removeElement(noscript);
  } else {
    replaceElement(noscript, copy);
  }
}

/** An <img> a script is meant to fill in: placeholder source, lazy attributes or a lazy-loader class. */
function isLazyPlaceholder(img: Element): boolean {
  return (
    isPlaceholderSource(img.attribs.src) ||
    LAZY_SOURCE_ATTRIBUTES.some((name) => img.attribs[name]) ||
    /lazy/i.test(img.attribs.class ?? '')
  );
}

function placeholderAttributes(attribs: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ['alt', 'title', 'class']) if (attribs[name]) kept[name] = attribs[name];
  return kept;
}

/** The <img> (directly, or alone inside a wrapper like <a>) just before `node`, ignoring whitespace. */
function placeholderBefore(node: AnyNode): Element | undefined {
  let previous = node.prev;
  while (previous && isText(previous) && !previous.data.trim()) previous = previous.prev;
  if (!previous || !isTag(previous)) return undefined;
  if (previous.name === 'img') return previous;
  const inner = findAll(previous, 'img');
  return inner.length === 1 && previous.name !== 'noscript' ? inner[0] : undefined;
}

/** The <img> inside a <noscript> that directly follows `img` (or its lone wrapper). */
function noscriptImageAfter(img: Element): Element | undefined {
  for (let node: AnyNode | null = img; node && isTag(node); node = node.parent) {
    let next = node.next;
    while (next && isText(next) && !next.data.trim()) next = next.next;
    if (next && isTag(next) && next.name === 'noscript') {
      return findAll(next, 'img')[0];
    }
    if (next || !node.parent || !isTag(node.parent) || node.parent.name === 'body') return undefined;
  }
  return undefined;
}

/** <picture>: the widest <source srcset> or the img's own candidates go into the img; the img replaces the picture. */
function resolvePicture(picture: Element, baseUrl: string): void {
  const img = findAll(picture, 'img')[0];
  if (!img) return;
  const sourceSrcsets = findAll(picture, 'source')
    .filter((source) => !source.attribs.type || source.attribs.type.startsWith('image/'))
    .map((source) => source.attribs.srcset ?? source.attribs['data-srcset'] ?? '')
    .filter(Boolean);
  const src = imageSource(img, baseUrl, sourceSrcsets);
  if (src) img.attribs.src = src;
  replaceElement(picture, img);
}

function absoluteUrl(value: string, baseUrl: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed || trimmed.startsWith('data:')) return undefined;
  try {
    const url = new URL(trimmed, baseUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function findAll(root: AnyNode, name: string): Element[] {
  const found: Element[] = [];
  const visit = (node: AnyNode): void => {
    if (isTag(node) && node.name === name) found.push(node);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  if ('children' in root) for (const child of root.children) visit(child);
  return found;
}
