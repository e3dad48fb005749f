import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { StatsSnapshot } from '../../src/server/index.ts';
import { dayBefore, renderViewsChart, topPagesPerChannel } from '../../src/server/index.ts';
import { niceCeiling } from '../../src/server/stats-page.ts';
import { openMemoryStore } from '../../src/store/index.ts';
import { NOW, seedViews, startTestServer, type TestServer } from './helpers.ts';

describe('stats over HTTP', () => {
  let served: TestServer;

  before(async () => {
    served = await startTestServer({
      now: () => NOW,
      files: { 'pages/world/n1.md': '### World one\n' },
      setup: seedViews,
    });
  });
  after(() => served.close());

  test('/stats.json gives views per day and the top pages of 1, 7 and 30 days', async () => {
    const response = await fetch(`${served.server.url}/stats.json`);
    assert.equal(response.status, 200);
    const data = (await response.json()) as StatsSnapshot;
    assert.equal(data.today, '2024-05-20');
    assert.equal(data.perDay.length, 30);
    assert.deepEqual(data.perDay[0], { day: '2024-04-21', views: 7 });
    assert.deepEqual(data.perDay.at(-1), { day: '2024-05-20', views: 7 });
    assert.deepEqual(data.perDay.at(-4), { day: '2024-05-17', views: 30 });
    assert.equal(
      data.perDay.reduce((sum: number, row: { views: number }) => sum + row.views, 0),
      84,
    );
    const windows = Object.fromEntries(
      data.top.map((w: { days: number; total: number; pages: Array<{ path: string; views: number }> }) => [
        w.days,
        { total: w.total, pages: w.pages.map((p) => [p.path, p.views]) },
      ]),
    );
    assert.deepEqual(windows[1], {
      total: 7,
      pages: [
        ['pages/world/n1.md', 5],
        ['pages/world/n2.md', 2],
      ],
    });
    assert.deepEqual(windows[7], {
      total: 37,
      pages: [
        ['pages/china/n3.md', 20],
        ['pages/world/n1.md', 15],
        ['pages/world/n2.md', 2],
      ],
    });
    assert.deepEqual(windows[30], {
      total: 84,
      pages: [
        ['pages/world/n2.md', 42],
        ['pages/china/n3.md', 27],
        ['pages/world/n1.md', 15],
      ],
    });
    assert.equal(data.top[0].pages[0].title, 'World <one> & "quoted"');
  });

  test('/stats draws the chart and links each top page to its preview, with titles escaped', async () => {
    const html = await (await fetch(`${served.server.url}/stats`)).text();
    assert.equal((html.match(/<rect class="bar"/g) ?? []).length, 30);
    assert.match(html, /data-day="2024-05-17" data-views="30"/);
    assert.match(html, /<a href="\/pages\/world\/n1.md">World &lt;one&gt; &amp; &quot;quoted&quot;<\/a>/);
    assert.doesNotMatch(html, /<script/i);
    const linked = await fetch(`${served.server.url}/pages/world/n1.md`);
    assert.equal(linked.status, 200);
    await linked.arrayBuffer();
  });

  test('?days= changes the chart span within bounds', async () => {
    const data = (await (await fetch(`${served.server.url}/stats.json?days=7`)).json()) as StatsSnapshot;
    assert.equal(data.perDay.length, 7);
    const clamped = (await (
      await fetch(`${served.server.url}/stats.json?days=100000`)
    ).json()) as StatsSnapshot;
    assert.equal(clamped.perDay.length, 366);
  });
});

describe('stats helpers', () => {
  test('topPagesPerChannel groups by the pages/<channel>/ folder, busiest channel first', async () => {
    const store = await openMemoryStore();
    await seedViews(store);
    await store.views.add([{ path: 'README.md', day: dayBefore(NOW, 0), count: 3 }]);
    const groups = await topPagesPerChannel(store, { sinceDay: dayBefore(NOW, 29), perChannel: 1 });
    assert.deepEqual(
      groups.map((g) => [g.channelId, g.total, g.pages.map((p) => p.path)]),
      [
        ['world', 57, ['pages/world/n2.md']],
        ['china', 27, ['pages/china/n3.md']],
        [undefined, 3, ['README.md']],
      ],
    );
    await store.close();
  });

  test('niceCeiling rounds up to 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual(
      [0, 1, 3, 7, 10, 11, 42, 99, 101, 4999].map(niceCeiling),
      [1, 1, 5, 10, 10, 20, 50, 100, 200, 5000],
    );
  });

  test('bar heights are proportional to the views', () => {
    const svg = renderViewsChart([
      { day: '2024-01-01', views: 0 },
      { day: '2024-01-02', views: 25 },
      { day: '2024-01-03', views: 50 },
    ]);
    const heights = [...svg.matchAll(/<rect class="bar"[^>]* height="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.equal(heights.length, 3);
    assert.equal(heights[0], 0);
    assert.ok(Math.abs(heights[2] - 2 * heights[1]) < 0.2);
  });
});
