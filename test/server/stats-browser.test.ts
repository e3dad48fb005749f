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
