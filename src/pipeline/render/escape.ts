// Text from publishers and config (titles, captions, link texts, URLs) must show as literal text: Markdown
// escaping goes through mdast-util-to-markdown (the same rules that parse it back), HTML escaping by hand.
import type { PhrasingContent, RootContent, Table } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown as mdastToMarkdown, type Options } from 'mdast-util-to-markdown';

/**
 * One Markdown style for the frame and the body: `-` bullets, `*` emphasis, fenced code, GFM tables without
 * column padding (padding cannot line up CJK text anyway, and one long new title would re-pad every row).
 */
export const MARKDOWN_OPTIONS: Options = {
  extensions: [gfmToMarkdown({ tablePipeAlign: false })],
  bullet: '-',
  emphasis: '*',
  strong: '*',
  rule: '-',
  fences: true,
  listItemIndent: 'one',
};

/** Serialise one mdast block with our Markdown style, without the trailing newline. */
export function serializeBlock(node: RootContent): string {
  return mdastToMarkdown(node, MARKDOWN_OPTIONS).replace(/\n+$/, '');
}

/**
 * Characters no title, caption or link text needs, removed: C0 and C1 controls other than whitespace (invalid in
 * the Atom feed's XML, terminal escapes in a CSV opened with `cat`) and the bidi embeddings, overrides and isolates
 * (U+202A-E, U+2066-9), which make a title display in another order than it reads ("gpj.exe" spoofing) and spill
 * into the table cells after it.
 */
const STRIPPED_CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Whitespace runs (newlines included) folded to one space, so a value stays on its line; controls dropped. */
export function oneLine(text: string): string {
  return text.replace(STRIPPED_CONTROLS, '').replace(/\s+/g, ' ').trim();
}

/**
 * Titles come from pages and feeds unbounded. A news headline is well under 100 characters; beyond this the
 * rest is cut (with an ellipsis) so one title cannot blow up every index, home and feed that lists it.
 */
export const MAX_TITLE_CHARS = 300;

/** A title as every output shows it: one line, no controls, at most `MAX_TITLE_CHARS` characters. */
export function titleText(title: string): string {
  const line = oneLine(title.length > MAX_TITLE_CHARS * 8 ? title.slice(0, MAX_TITLE_CHARS * 8) : title);
  const chars = Array.from(line);
  return chars.length <= MAX_TITLE_CHARS
    ? line
    : `${chars
        .slice(0, MAX_TITLE_CHARS - 1)
        .join('')
        .trimEnd()}…`;
}

export function text(value: string): PhrasingContent {
  return { type: 'text', value: oneLine(value) };
}

export function link(label: string, url: string): PhrasingContent {
  return { type: 'link', url, children: [text(label)] };
}

/** Raw inline Markdown/HTML we write ourselves (separators such as ` &nbsp;|&nbsp; `). */
export function raw(value: string): PhrasingContent {
  return { type: 'html', value };
}

/** `### title` with every Markdown and HTML character of the title escaped. */
export function heading(depth: 1 | 2 | 3 | 4 | 5 | 6, children: PhrasingContent[]): string {
  return serializeBlock({ type: 'heading', depth, children });
}

export function paragraph(children: PhrasingContent[]): string {
  return serializeBlock({ type: 'paragraph', children });
}

/** A GFM table; pipes and newlines in cells are escaped by the serialiser, so a title cannot break it. */
export function table(header: string[], rows: PhrasingContent[][][]): string {
  const node: Table = {
    type: 'table',
    align: header.map(() => null),
    children: [
      { type: 'tableRow', children: header.map((cell) => ({ type: 'tableCell', children: [text(cell)] })) },
      ...rows.map((row) => ({
        type: 'tableRow' as const,
        children: row.map((cell) => ({ type: 'tableCell' as const, children: cell })),
      })),
    ],
  };
  return serializeBlock(node);
}

/** `items` joined by ` &nbsp;|&nbsp; `, as the original's nav bar. */
export function separated(items: PhrasingContent[]): PhrasingContent[] {
  return items.flatMap((item, index) => (index === 0 ? [item] : [raw(' &nbsp;|&nbsp; '), item]));
}

export { escapeHtml } from '../../internal/html.ts';

/** http(s) URLs and scheme-less relative paths; anything else (javascript:, data:) is refused. */
export function isSafeUrl(url: string): boolean {
  if (/^https?:\/\//i.test(url)) return true;
  const beforePath = url.split(/[/?#]/, 1)[0];
  return !beforePath.includes(':');
}
