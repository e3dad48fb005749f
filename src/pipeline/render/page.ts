// One article page in the reference format (shared/reference/000_0efe02b8cc3565da.txt), point by point:
// title, rule, nav bar, lead image + caption, body, counter image, rule, original link, then the share block.
// The labels are the article's language's (zh-Hans, the reference's, when it has none); a retracted article gets
// a notice under the nav bar.
import type { MirrorConfig } from '../../config/options.ts';
import { BUILT_IN_LABELS, fillLabel, type LabelOverrides, labelsFor } from '../../internal/labels.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import type { Article } from '../types.ts';
import { escapeHtml, heading, isSafeUrl, oneLine, paragraph, text, titleText } from './escape.ts';
import { toMarkdown } from './markdown.ts';
import { renderNavBar } from './nav.ts';
import { publicUrlOf, relativeLink } from './paths.ts';
import { inScript } from './script.ts';

export interface PageContext {
  mirror: MirrorConfig;
  /** Mirror-root-relative path of this page, e.g. `pages/ncid1078159/n14097883.md`. */
  pagePath: string;
  channelTitle: string;
  /** The site's `labels`, over `mirror.labels`. */
  siteLabels?: LabelOverrides;
  /** The source took the article down at `at` (ISO 8601); `removeText` leaves only the notice. */
  retracted?: { at: string; removeText: boolean };
}

/** "Original link (needs circumvention):", as the original footer. */
export const ORIGINAL_LINK_LABEL = BUILT_IN_LABELS['zh-Hans'].source;
/** "On a phone, long-press and copy the link or QR code below to share this article." */
export const SHARE_LABEL = BUILT_IN_LABELS['zh-Hans'].share;

export function renderPage(article: Article, context: PageContext): string {
  const { mirror, pagePath, retracted } = context;
  const labels = labelsFor(article.lang, mirror.labels, context.siteLabels);
  const label = (value: string) => inScript(value, mirror.script);
  const lines: string[] = [heading(3, [text(titleText(article.title))]), '', '---', ''];
  const nav = renderNavBar(mirror.nav, pagePath, article.id);
  if (nav) lines.push(nav, '', '');
  if (retracted) {
    const notice = retracted.removeText ? labels.retractedRemoved : labels.retracted;
    const date = retracted.at.slice(0, 10);
    lines.push(`> ${paragraph([text(label(fillLabel(notice, { date })))])}`, '', '');
  }
  const lead = retracted?.removeText ? undefined : leadBlock(article);
  if (lead) lines.push(lead, '');
  const body = retracted?.removeText ? '' : toMarkdown(article.body).trimEnd();
  if (body) lines.push(body, '', '');
  if (mirror.counter) lines.push(counterImage(mirror.counter, pagePath), '');
  lines.push('---', '', label(labels.source) + urlAsText(article.url));
  if (mirror.publicUrl) {
    const url = publicUrlOf(mirror.publicUrl, pagePath);
    const qrCode = encodeURI(relativeLink(pagePath, MIRROR_LAYOUT.qrCode(pagePath)));
    lines.push('', label(labels.share), '', `<${url}>`, '', `![](${qrCode})`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The lead image and its caption as one HTML block: no blank line inside, so GFM renders it as HTML, and
 * only what GitHub keeps (img alt/src, div). The caption is HTML-escaped: Markdown is not read inside HTML.
 */
function leadBlock(article: Article): string | undefined {
  const image = article.leadImage && isSafeUrl(article.leadImage.src) ? article.leadImage : undefined;
  const caption = article.caption ? oneLine(article.caption) : '';
  if (!image && !caption) return undefined;
  const img = image
    ? `<img alt="${escapeHtml(image.alt ? oneLine(image.alt) : titleText(article.title))}" src="${escapeHtml(image.src)}"/>`
    : '';
  const captionDiv = caption ? `\n<div>${escapeHtml(caption)}</div>` : '';
  return `<div>${img}${captionDiv}</div><hr/>`;
}

/**
 * The original URL as text, as the reference shows it (the full-width colon before it keeps GFM from
 * linking it). Escaped through the serialiser only when it holds a character Markdown could read as markup.
 */
function urlAsText(url: string): string {
  const oneLineUrl = oneLine(url);
  return MARKDOWN_SIGNIFICANT_IN_URL.test(oneLineUrl) ? paragraph([text(oneLineUrl)]) : oneLineUrl;
}

/** Characters that could start emphasis, code, links, HTML or a character reference inside a URL. */
const MARKDOWN_SIGNIFICANT_IN_URL = /[*_[\]`<>~|\\!]|&#?[a-z0-9]+;/i;

/** A 0x0 image on the hit counter, `{path}` being this page's path in the mirror. */
function counterImage(counter: string, pagePath: string): string {
  const src = counter.replaceAll('{path}', encodeURI(pagePath));
  return `<img src='${escapeHtml(src)}' width='0px' height='0px'/>`;
}
