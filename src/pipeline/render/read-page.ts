// An article page read back: the inverse of page.ts, for `newsmirror recover` (a lost store rebuilt from the
// mirror). Pure: the caller reads the file. The frame is matched line by line as page.ts writes it; anything else
// is a page this version did not write, refused with what was expected where, so a hand-made file is never taken
// for an article.
import type { RootContent as MdastContent, Root as MdastRoot } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import type { MirrorConfig } from '../../config/options.ts';
import { BUILT_IN_LABELS, type LabelOverrides, labelsFor } from '../../internal/labels.ts';
import { renderNavBar } from './nav.ts';
import { inScript } from './script.ts';

export interface PageReadContext {
  mirror: MirrorConfig;
  /** Mirror-root path of the page, e.g. `pages/china/n1.md`. */
  pagePath: string;
  /** The article id (the file's name): the nav bar's query. */
  id: string;
  siteLabels?: LabelOverrides;
  /** The site's `lang`, tried first when telling the page's language from its labels. */
  siteLang?: string;
}

export interface PageReadBack {
  title: string;
  /** The publisher's URL, from the original-link line. */
  url: string;
  /** A language whose labels the page shows (the site's when they match), or undefined for the default's. */
  lang?: string;
  /** `src` as the page shows it: a mirror-relative asset path, or the publisher's URL when hotlinked. */
  leadImage?: { src: string; alt: string };
  caption?: string;
  /** The body's Markdown, as toMarkdown wrote it. */
  bodyMarkdown: string;
  /** The retraction notice's date and whether the text was removed with it. */
  retracted?: { date: string; removeText: boolean };
}

export class PageFormatError extends Error {}

/**
 * The Markdown of one page parsed with the GFM parts the renderer writes. Not GFM's literal autolinks: the
 * renderer writes every link explicitly, and a URL in text (escaped as `http\://`) is text, which the autolink
 * pass would turn into a link despite the escape.
 */
export function parseMarkdown(markdown: string): MdastRoot {
  return fromMarkdown(markdown, {
    extensions: [gfmTable(), gfmStrikethrough(), gfmTaskListItem()],
    mdastExtensions: [gfmTableFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTaskListItemFromMarkdown()],
  });
}

/** The literal text of inline Markdown (escapes and autolinks undone). */
export function inlineText(markdown: string): string {
  let value = '';
  const visit = (node: MdastContent | MdastRoot): void => {
    if (node.type === 'text' || node.type === 'inlineCode') value += node.value;
    else if ('children' in node) for (const child of node.children) visit(child as MdastContent);
  };
  visit(parseMarkdown(markdown));
  return value;
}

const LEAD_BLOCK = /^<div>(?:<img alt="([^"]*)" src="([^"]*)"\/>)?(?:\n<div>([^<]*)<\/div>)?<\/div><hr\/>$/;
const COUNTER_LINE = /^<img src='[^']*' width='0px' height='0px'\/>$/;

export function readPage(markdown: string, context: PageReadContext): PageReadBack {
  const lines = markdown.split('\n');
  const fail = (line: number, expected: string): never => {
    throw new PageFormatError(`${context.pagePath}:${line + 1}: expected ${expected}`);
  };
  if (!lines[0]?.startsWith('### ')) fail(0, 'the title heading (### …)');
  if (lines[1] !== '' || lines[2] !== '---' || lines[3] !== '') fail(1, 'a rule under the title');
  const title = inlineText(lines[0]);
  let at = 4;
  if (renderNavBar(context.mirror.nav, context.pagePath, context.id) !== undefined) {
    // Any nav bar: the config's may have changed since the page was written.
    if (!lines[at]?.startsWith('#### ')) fail(at, 'the nav bar (#### …)');
    at += 3;
  }
  const { source, lang, labels } =
    findSourceLine(lines, context) ?? fail(lines.length - 1, 'the original link');
  const url = inlineText(lines[source].slice(labels.source.length)).trim();
  if (!/^https?:\/\//i.test(url)) fail(source, 'an http(s) URL after the original-link label');

  let retracted: PageReadBack['retracted'];
  if (lines[at]?.startsWith('> ')) {
    const notice = inlineText(lines[at].slice(2));
    for (const removeText of [false, true]) {
      const date = dateInNotice(notice, removeText ? labels.retractedRemoved : labels.retracted);
      if (date) retracted = { date, removeText };
    }
    // Anything else is the body opening with a quotation.
    if (retracted) at += 3;
  }

  let leadImage: PageReadBack['leadImage'];
  let caption: string | undefined;
  for (const size of [1, 2]) {
    const lead = LEAD_BLOCK.exec(lines.slice(at, at + size).join('\n'));
    if (!lead) continue;
    if (lead[2] !== undefined) leadImage = { src: unescapeHtml(lead[2]), alt: unescapeHtml(lead[1] ?? '') };
    if (lead[3] !== undefined) caption = unescapeHtml(lead[3]);
    at += size + 1;
    break;
  }

  // The body ends before the counter image (when there is one) and the rule above the original link.
  let end = source - 2;
  while (end > at && lines[end - 1] === '') end--;
  if (end > at && COUNTER_LINE.test(lines[end - 1] ?? '')) end--;
  // Leading blank lines are kept: they are breaks the body starts with (read-body.ts).
  const bodyMarkdown = lines.slice(at, end).join('\n').trimEnd();
  return {
    title,
    url,
    ...(lang ? { lang } : {}),
    ...(leadImage ? { leadImage } : {}),
    ...(caption !== undefined ? { caption } : {}),
    bodyMarkdown: bodyMarkdown ? `${bodyMarkdown}\n` : '',
    ...(retracted ? { retracted } : {}),
  };
}

/** The original-link line (`label + URL` after a rule) and the language whose label it shows. */
function findSourceLine(
  lines: string[],
  context: PageReadContext,
):
  | { source: number; lang?: string; labels: { source: string; retracted: string; retractedRemoved: string } }
  | undefined {
  const candidates = [context.siteLang, ...Object.keys(BUILT_IN_LABELS)];
  for (let line = lines.length - 1; line >= 4; line--) {
    if (lines[line - 1] !== '' || lines[line - 2] !== '---') continue;
    for (const lang of candidates) {
      const found = labelsFor(lang, context.mirror.labels, context.siteLabels);
      const label = (value: string) => inScript(value, context.mirror.script);
      const source = label(found.source);
      if (!lines[line].startsWith(source)) continue;
      return {
        source: line,
        // The reference's language needs no tag: an article without one gets its labels.
        lang: lang === 'zh-Hans' && context.siteLang === undefined ? undefined : lang,
        labels: {
          source,
          retracted: label(found.retracted),
          retractedRemoved: label(found.retractedRemoved),
        },
      };
    }
  }
  return undefined;
}

/** The `{date}` a filled-in notice label carries, or undefined when the notice is not this label. */
function dateInNotice(notice: string, label: string): string | undefined {
  const [before, after] = label.split('{date}');
  if (after === undefined) return undefined;
  const date = /^\d{4}-\d{2}-\d{2}/.exec(notice.slice(before.length))?.[0];
  return notice.startsWith(before) && date && notice.slice(before.length + date.length) === after
    ? date
    : undefined;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** The inverse of escapeHtml (src/internal/html.ts): only the five it writes. */
function unescapeHtml(value: string): string {
  return value.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => HTML_ENTITIES[entity]);
}
