// The "most read" index (indexes/popular.md), regenerated from the view counts: the same frame as the channel
// indexes, with a rank and a view count beside each linked title.
import type { PhrasingContent } from 'mdast';
import type { MirrorConfig } from '../../config/options.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import { heading, link, paragraph, table, text, titleText } from './escape.ts';
import { cacheBuster } from './indexes.ts';
import { renderNavBar } from './nav.ts';
import { relativeLink, withQuery } from './paths.ts';

/** Kept for callers of the render API; the path is MIRROR_LAYOUT's. */
export const POPULAR_INDEX_PATH = MIRROR_LAYOUT.popularIndex;

/** "Most read", the column headers (rank, title, views), "no data yet" and "counted up to … (UTC)". */
const POPULAR_TITLE = '最多阅读';
const POPULAR_COLUMNS = ['排名', '标题', '阅读'];
const EMPTY_LABEL = '暂无数据';
const countedUntil = (day: string) => `统计截至 ${day}（UTC）`;

export interface PopularRow {
  /** Mirror-root path of the page, e.g. 'pages/ncid1078159/n14097883.md'. */
  path: string;
  title: string;
  views: number;
}

/** `rows` most read first, as the caller ranked them. */
export function renderPopularIndex(mirror: MirrorConfig, rows: PopularRow[], now: Date): string {
  const buster = cacheBuster(now);
  const lines = [heading(3, [text(POPULAR_TITLE)]), '', '---', ''];
  const nav = renderNavBar(mirror.nav, POPULAR_INDEX_PATH, buster);
  if (nav) lines.push(nav, '');
  if (rows.length === 0) {
    lines.push(EMPTY_LABEL, '');
  } else {
    const cells: PhrasingContent[][][] = rows.map((row, index) => [
      [text(String(index + 1))],
      [
        link(
          row.title ? titleText(row.title) : row.path,
          withQuery(relativeLink(POPULAR_INDEX_PATH, row.path), buster),
        ),
      ],
      [text(String(row.views))],
    ]);
    lines.push(table(POPULAR_COLUMNS, cells), '');
  }
  lines.push('---', '', paragraph([text(countedUntil(now.toISOString().slice(0, 10)))]), '');
  return lines.join('\n');
}
