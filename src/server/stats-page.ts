// The stats page: a bar chart of views per day drawn as inline SVG on the server (no script, no external file) and
// the most read pages over 1, 7 and 30 days, each linked to its page in the preview.
import { escapeHtml, htmlPage, previewHref } from './html.ts';
import type { StatsSnapshot, TopWindow } from './stats.ts';

const CHART_WIDTH = 760;
const CHART_HEIGHT = 240;
/**
 * Room for the y-axis labels on the left and the day labels below. The chart scales down to the screen (CSS in
 * html.ts); on a phone its labels are drawn twice as large in chart units, so they stay legible, and need the room.
 */
const MARGIN = { top: 12, right: 12, bottom: 32, left: 72 };
/** Day labels every few bars, so they never overlap at 30-90 bars. */
const MAX_DAY_LABELS = 10;

/** The smallest 1, 2 or 5 times a power of ten at or above `value` (at least 1), for a readable y axis. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

const formatNumber = (value: number) => value.toLocaleString('en-US');

/** The chart as an `<svg>` element: one `rect.bar` per day, its height proportional to the day's views. */
export function renderViewsChart(perDay: StatsSnapshot['perDay']): string {
  const plotWidth = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = niceCeiling(Math.max(0, ...perDay.map((row) => row.views)));
  const slot = plotWidth / Math.max(1, perDay.length);
  const barWidth = Math.max(1, slot * 0.8);
  const y = (views: number) => MARGIN.top + plotHeight - (views / top) * plotHeight;
  const parts: string[] = [];

  for (const tick of [0, top / 2, top]) {
    const tickY = y(tick).toFixed(1);
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${CHART_WIDTH - MARGIN.right}" y1="${tickY}" y2="${tickY}"/>`,
      `<text x="${MARGIN.left - 6}" y="${tickY}" text-anchor="end" dominant-baseline="middle">${formatNumber(tick)}</text>`,
    );
  }
  const labelEvery = Math.max(1, Math.ceil(perDay.length / MAX_DAY_LABELS));
  perDay.forEach((row, index) => {
    const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
    const height = (row.views / top) * plotHeight;
    parts.push(
      `<rect class="bar" data-day="${row.day}" data-views="${row.views}" x="${x.toFixed(1)}" y="${y(row.views).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}"><title>${row.day}: ${formatNumber(row.views)}</title></rect>`,
    );
    // The last day is always labelled; a regular label too close before it would overlap it.
    const last = perDay.length - 1;
    if ((index % labelEvery === 0 && last - index >= labelEvery * 0.75) || index === last) {
      parts.push(
        `<text x="${(x + barWidth / 2).toFixed(1)}" y="${CHART_HEIGHT - 8}" text-anchor="middle">${row.day.slice(5)}</text>`,
      );
    }
  });
  const baseY = MARGIN.top + plotHeight;
  parts.push(
    `<line class="axis" x1="${MARGIN.left}" x2="${CHART_WIDTH - MARGIN.right}" y1="${baseY}" y2="${baseY}"/>`,
  );
  const first = perDay[0]?.day ?? '';
  const last = perDay.at(-1)?.day ?? '';
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" aria-label="Views per day from ${first} to ${last} (UTC)">${parts.join('')}</svg>`;
}

function topTable(window: TopWindow, previewBase: string): string {
  const heading = `<h2>Top pages, ${window.days === 1 ? 'today' : `last ${window.days} days`} <small>(${formatNumber(window.total)} views since ${window.sinceDay})</small></h2>`;
  if (window.pages.length === 0) return `${heading}\n<p>No views yet.</p>`;
  const rows = window.pages.map(
    (page, index) =>
      `<tr><td>${index + 1}</td><td><a href="${escapeHtml(previewHref(previewBase, page.path))}">${escapeHtml(page.title ?? page.path)}</a></td><td>${escapeHtml(page.channelId ?? '')}</td><td class="views">${formatNumber(page.views)}</td></tr>`,
  );
  return `${heading}
<table class="top" data-days="${window.days}"><thead><tr><th>#</th><th>Page</th><th>Channel</th><th>Views</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

export function renderStatsPage(
  snapshot: StatsSnapshot,
  context: { title: string; previewBase: string; pending: number },
): string {
  const days = snapshot.perDay;
  const dayRows = [...days]
    .reverse()
    .map((row) => `<tr><td>${row.day}</td><td class="views">${formatNumber(row.views)}</td></tr>`)
    .join('');
  const body = `<h1>${escapeHtml(context.title)}: views</h1>
<p>Views per UTC day, last ${days.length} days. Counts are written every few seconds (${formatNumber(context.pending)} pages waiting now). Nothing about readers is recorded, only the page and the day.</p>
<figure>${renderViewsChart(days)}</figure>
<details><summary>Numbers per day</summary><table class="top"><tbody>${dayRows}</tbody></table></details>
${snapshot.top.map((window) => topTable(window, context.previewBase)).join('\n')}
<p><a href="stats.json">stats.json</a> · generated ${escapeHtml(snapshot.generatedAt)}</p>`;
  return htmlPage({
    title: `${context.title}: views`,
    header: `<a href="${escapeHtml(context.previewBase)}">Mirror preview</a> · <strong>Stats</strong>`,
    body,
  });
}
