// Image sources (lazy attributes, srcset) and the image policy: mirrored copy, publisher URL, or alt text.
import type { Element, Root } from 'hast';
import { BUILT_IN_LABELS, fillLabel, type Labels } from '../../internal/labels.ts';
import type { ImagePolicy, ImageRef } from '../types.ts';
import { relativeLink } from './paths.ts';
import { propertyString, rewrite, textNode } from './tree.ts';

/** Lazy-loading attributes, most specific first: a real `src` is often a placeholder when these exist. */
const LAZY_SOURCE_PROPERTIES = ['dataSrc', 'dataOriginal', 'dataLazySrc', 'dataActualsrc', 'dataUrl'];

/** The words an image stand-in uses: the article's language's (default zh-Hans, as the original). */
export type ImageLabels = Pick<Labels, 'image' | 'imageNoAlt'>;

/** Text that stands in for an image a reader cannot see, e.g. `[图片：普京在北京]`. */
export function imagePlaceholder(
  alt: string | undefined,
  labels: ImageLabels = BUILT_IN_LABELS['zh-Hans'],
): string {
  const text = alt?.replace(/\s+/g, ' ').trim();
  return text ? fillLabel(labels.image, { alt: text }) : labels.imageNoAlt;
}

/** Absolute http(s) URL of the picture an <img> shows, or undefined when it has none usable. */
export function imageSource(image: Element, baseUrl?: string): string | undefined {
  const candidates: Array<string | undefined> = LAZY_SOURCE_PROPERTIES.map((name) =>
    propertyString(image, name),
  );
  const src = propertyString(image, 'src');
  if (src && !/^data:/i.test(src.trim())) candidates.push(src);
  candidates.push(bestSrcsetCandidate(image.properties?.srcSet));
  for (const candidate of candidates) {
    const url = absoluteHttpUrl(candidate, baseUrl);
    if (url) return url;
  }
  return undefined;
}

/** Absolute http(s) URL of `value` (resolved against `baseUrl`), or undefined. */
export function absoluteHttpUrl(value: string | undefined, baseUrl?: string): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  try {
    const url = baseUrl ? new URL(trimmed, baseUrl) : new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The widest candidate of a srcset (hast keeps it as a comma-separated array). */
function bestSrcsetCandidate(srcset: unknown): string | undefined {
  const entries = Array.isArray(srcset)
    ? srcset.map(String)
    : typeof srcset === 'string'
      ? srcset.split(',')
      : [];
  let best: { url: string; width: number } | undefined;
  for (const entry of entries) {
    const [url, descriptor = '1x'] = entry.trim().split(/\s+/);
    if (!url) continue;
    const width = Number.parseFloat(descriptor) || 1;
    if (best === undefined || width > best.width) best = { url, width };
  }
  return best?.url;
}

export interface ImagePolicyOptions {
  policy: ImagePolicy;
  pagePath: string;
  baseUrl?: string;
  assetPath: (src: string) => string | undefined;
  labels?: ImageLabels;
}

/** Where the page points for `src`, or undefined when the reader gets alt text instead. */
export function imageReference(src: string, options: ImagePolicyOptions): string | undefined {
  if (options.policy === 'hotlink') return src;
  if (options.policy === 'drop') return undefined;
  const asset = options.assetPath(src);
  return asset ? relativeLink(options.pagePath, asset) : undefined;
}

/**
 * Rewrite every <img> by policy and drop its size (the page's width decides) and every other way it could
 * load from elsewhere (srcset, <source>, lazy attributes, longdesc). An image the reader cannot get keeps
 * its alt text, so a failed download still says what was there.
 */
export function applyImagePolicy(root: Root, options: ImagePolicyOptions): void {
  rewrite(root, (node, ancestors) => {
    if (node.type !== 'element') return undefined;
    if (
      node.tagName === 'source' &&
      ancestors.some((a) => a.tagName === 'picture' || a.tagName === 'video')
    ) {
      return [];
    }
    if (node.tagName !== 'img') return undefined;
    const src = imageSource(node, options.baseUrl);
    const alt = propertyString(node, 'alt');
    const reference = src ? imageReference(src, options) : undefined;
    if (reference === undefined) {
      if (options.policy === 'drop' && !alt?.trim()) return [];
      return [textNode(imagePlaceholder(alt, options.labels))];
    }
    const title = propertyString(node, 'title');
    node.properties = { src: reference, ...(alt ? { alt } : {}), ...(title ? { title } : {}) };
    return undefined;
  });
}

/** The lead image as the page references it; undefined when the reader gets no picture. */
export function leadImageReference(
  lead: ImageRef | undefined,
  options: ImagePolicyOptions,
): ImageRef | undefined {
  if (!lead) return undefined;
  const src = absoluteHttpUrl(lead.src, options.baseUrl);
  const reference = src ? imageReference(src, options) : undefined;
  if (reference === undefined) return undefined;
  return lead.alt ? { src: reference, alt: lead.alt } : { src: reference };
}
