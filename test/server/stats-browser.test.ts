// What an operator sees: headless Chromium (JavaScript off, as the page must not need it) opens /stats from a seeded
// database and the chart's bars are really drawn, with sizes that follow the counts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { NOW, seedViews, startTestServer, type TestServer } from './helpers.ts';

describe('stats page in Chromium', () => {
  let served: TestServer;
  let browser: Browser;

  before(async () => {
    served = await startTestServer({
      now: () => NOW,
      files: { 'pages/world/n1.md': '### World one\n\nThe body.\n' },
      setup: seedViews,
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await served?.close();
  });

  test('draws one bar per day, bars with views have a visible size proportional to them', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const response = await page.goto(`${served.server.url}/stats`);
    assert.equal(response?.status(), 200);

    const chart = page.locator('svg.chart');
    const chartBox = await chart.boundingBox();
    assert.ok(chartBox && chartBox.width > 100 && chartBox.height > 100, 'the chart has a size on screen');

    const bars = page.locator('svg.chart rect.bar');
    assert.equal(await bars.count(), 30);
    const drawn: Array<{ views: number; height: number; width: number }> = [];
    for (let i = 0; i < 30; i++) {
      const bar = bars.nth(i);
      const views = Number(await bar.getAttribute('data-views'));
      const box = await bar.boundingBox();
      if (views > 0) {
        assert.ok(box, `bar ${i} is rendered`);
        assert.ok(box.width > 0 && box.height > 0, `bar ${i} (${views} views) has a visible size`);
        drawn.push({ views, height: box.height, width: box.width });
      }
    }
    // Days with views: 0, 3, 10 and 29 days before NOW.
    assert.equal(drawn.length, 4);
    const tallest = drawn.reduce((a, b) => (b.views > a.views ? b : a));
    for (const bar of drawn) {
      assert.ok(
        Math.abs(bar.height / tallest.height - bar.views / tallest.views) < 0.05,
        'height follows views',
      );
    }
    // Everything came from the server itself.
    const origin = new URL(served.server.url).origin;
    assert.ok(
      requested.every((url) => url.startsWith(origin)),
      `requests: ${requested.join(', ')}`,
    );
    await context.close();
  });

  test('at phone width (360 px) the chart fits: no sideways scroll, every bar and label on screen, labels legible', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
      isMobile: true,
      deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    await page.goto(`${served.server.url}/stats`);
    const widths = await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]');
    assert.deepEqual(widths, [360, 360], 'the page is as wide as the screen, not wider');
    const chartBox = await page.locator('svg.chart').boundingBox();
    assert.ok(
      chartBox && chartBox.x >= 0 && chartBox.x + chartBox.width <= 360,
      `chart at ${JSON.stringify(chartBox)}`,
    );
    assert.ok(chartBox.width > 280, 'the chart uses the width it has');
    const bars = page.locator('svg.chart rect.bar');
    for (let i = 0; i < (await bars.count()); i++) {
      const box = await bars.nth(i).boundingBox();
      if (box)
        assert.ok(
          box.x >= chartBox.x - 0.5 && box.x + box.width <= chartBox.x + chartBox.width + 0.5,
          `bar ${i}`,
        );
    }
    const labels = page.locator('svg.chart text');
    assert.ok((await labels.count()) > 3);
    const boxes: Array<{ x: number; y: number; width: number; height: number }> = [];
    for (let i = 0; i < (await labels.count()); i++) {
      const box = await labels.nth(i).boundingBox();
      assert.ok(box, `label ${i} is drawn`);
      assert.ok(
        box.x >= 0 && box.x + box.width <= 360,
        `label ${i} (${await labels.nth(i).textContent()}) is on screen`,
      );
      assert.ok(box.height >= 8, `label ${i} is ${box.height.toFixed(1)} px tall: legible`);
      boxes.push(box);
    }
    // Labels on one line (the days below the bars) do not overlap.
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const sameLine = Math.abs(a.y - b.y) < 1;
        if (sameLine) assert.ok(a.x + a.width <= b.x || b.x + b.width <= a.x, 'day labels overlap');
      }
    }
    await context.close();
  });

  test('a top page links to its rendered preview', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${served.server.url}/stats`);
    await page.locator('table.top[data-days="1"] a', { hasText: 'World <one>' }).click();
    await page.waitForURL(/\/pages\/world\/n1\.md$/);
    assert.equal(await page.locator('article.markdown-body h3').textContent(), 'World one');
    await context.close();
  });
});
