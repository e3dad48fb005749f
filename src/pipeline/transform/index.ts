// The transform stage: pure tree functions from an extracted article to the body a page shows.
// Order matters: clutter goes first (its images are never collected), sanitising comes last.
import type { Root } from 'hast';
import type {
  ExtractedArticle,
  HastRoot,
  ImagePolicy,
  ImageRef,
  LinkPolicy,
  ScriptPolicy,
} from '../types.ts';
import { dropClutter, dropEmptyWrappers } from './clutter.ts';
import { separateFigures } from './figures.ts';
import { demoteHeadings } from './headings.ts';
import {
  absoluteHttpUrl,
  applyImagePolicy,
  type ImageLabels,
  type ImagePolicyOptions,
  imagePlaceholder,
  imageSource,
  leadImageReference,
} from './images.ts';
import { applyLinkPolicy } from './links.ts';
import { normalizeTree } from './normalize.ts';
import { sanitizeBody } from './sanitize.ts';
import { convertScript, convertText } from './script.ts';
import { collapseWhitespace, elements } from './tree.ts';

export { SANITIZE_SCHEMA } from './schema.ts';

export interface TransformOptions {
  /** Mirror-root-relative path of the page being produced, e.g. `pages/china/n1.md`. */
  pagePath: string;
  links: LinkPolicy;
  /** Mirror-root path of the mirrored page for an absolute URL; undefined when it is not mirrored. */
  mirroredPath: (url: string) => string | undefined;
  images: ImagePolicy;
  /** Mirror-root path of a mirrored image; undefined when it failed or is not stored yet. */
  assetPath: (src: string) => string | undefined;
  script: ScriptPolicy;
  /** Image stand-ins in the article's language (default zh-Hans). */
  labels?: ImageLabels;
}

export interface TransformedArticle {
  title: string;
  caption?: string;
  /** `src` as the page references it (relative asset path, or the publisher's URL with `hotlink`). */
  leadImage?: ImageRef;
  body: HastRoot;
  /** Absolute http(s) URLs the body links to, without fragments. */
  linkedUrls: string[];
}

/** Lead and body image sources a page will show: absolute http(s), deduplicated, clutter excluded. */
export function collectImageUrls(extracted: ExtractedArticle): string[] {
  const found = new Set<string>();
  const lead = absoluteHttpUrl(extracted.leadImage?.src, extracted.canonicalUrl);
  if (lead) found.add(lead);
  const body = normalizeTree(extracted.body);
  dropClutter(body, extracted.title);
  for (const element of elements(body)) {
    if (element.tagName !== 'img') continue;
    const src = imageSource(element, extracted.canonicalUrl);
    if (src) found.add(src);
  }
  return [...found];
}

export function transformArticle(extracted: ExtractedArticle, options: TransformOptions): TransformedArticle {
  const baseUrl = extracted.canonicalUrl;
  const imageOptions: ImagePolicyOptions = {
    policy: options.images,
    pagePath: options.pagePath,
    baseUrl,
    assetPath: options.assetPath,
    labels: options.labels,
  };
  const body: Root = normalizeTree(extracted.body);
  dropClutter(body, extracted.title);
  demoteHeadings(body);
  separateFigures(body);
  applyImagePolicy(body, imageOptions);
  const linkedUrls = applyLinkPolicy(body, {
    policy: options.links,
    pagePath: options.pagePath,
    baseUrl,
    mirroredPath: options.mirroredPath,
  });
  dropEmptyWrappers(body);
  convertScript(body, options.script);

  const title = convertText(collapseWhitespace(extracted.title), options.script);
  const leadImage = leadImageReference(extracted.leadImage, imageOptions);
  const caption = leadCaption(extracted, leadImage, title, options.labels);
  return {
    title,
    ...(caption ? { caption: convertText(caption, options.script) } : {}),
    ...(leadImage
      ? {
          leadImage: {
            ...leadImage,
            ...(leadImage.alt ? { alt: convertText(leadImage.alt, options.script) } : {}),
          },
        }
      : {}),
    body: sanitizeBody(body),
    linkedUrls,
  };
}

/**
 * The caption under the lead image. When the image itself cannot be shown (dropped, or its download failed),
 * its alt text joins the caption so the reader still learns what was there, unless it only repeats the title.
 */
function leadCaption(
  extracted: ExtractedArticle,
  shown: ImageRef | undefined,
  title: string,
  labels: ImageLabels | undefined,
): string | undefined {
  const caption = extracted.caption ? collapseWhitespace(extracted.caption) : '';
  if (!extracted.leadImage || shown) return caption || undefined;
  const alt = extracted.leadImage.alt ? collapseWhitespace(extracted.leadImage.alt) : '';
  const placeholder =
    alt && alt !== collapseWhitespace(extracted.title) && alt !== title ? imagePlaceholder(alt, labels) : '';
  return [placeholder, caption].filter(Boolean).join(' ') || undefined;
}
