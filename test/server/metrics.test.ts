// GET /metrics of `serve`: Prometheus' text format with the mirror's runs, articles, failures, channels, pushes and
// the counter's totals, read from a real store at each scrape; and nothing about readers (no page path).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedArticle, startTestServer, type TestServer } from './helpers.ts';

/** `name{labels} value` lines as a map (HELP and TYPE lines left out). */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    map.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return map;
}

describe('serve /metrics', () => {
  let served: TestServer;
  const readPage = 'pages/world/secret-reading.md';
  before(async () => {
    served = await startTestServer({
      files: { [readPage]: '# read\n' },
      setup: async (store) => {
        await seedArticle(store, { id: 'secret-reading', channel: 'world', title: 'Read me' });
        await seedArticle(store, { id: 'n2', channel: 'world', title: 'Two' });
        const run = await store.runs.start('2026-01-06T10:00:00.000Z');
        await store.runs.finish(run, {
          finishedAt: '2026-01-06T10:00:30.000Z',
          newCount: 2,
          updated: 0,
          failed: 1,
          skipped: 0,
          bytes: 10,
        });
        await store.channelHealth.save({
          channelId: 'world',
          siteId: 'site',
          lastSuccessAt: '2026-01-06T10:00:01.000Z',
          consecutiveFailures: 0,
          recentLinks: [30, 28],
        });
        await store.channelHealth.save({
          channelId: 'china',
          siteId: 'site',
          lastFailureAt: '2026-01-06T10:00:01.000Z',
          lastError: 'answered 503',
          consecutiveFailures: 2,
          recentLinks: [],
        });
        await store.failures.record({
          url: 'https://news.example.org/n3.htm',
          siteId: 'site',
          code: 'http_500',
          message: 'answered 500',
          retryable: true,
          at: '2026-01-06T10:00:02.000Z',
        });
        await store.remotes.recordPush('origin', { at: '2026-01-06T10:00:29.000Z', ok: true, commit: 'abc' });
        await store.views.add([{ path: readPage, day: '2026-01-05', count: 7 }]);
      },
    });
  });
  after(async () => {
    await served?.close();
  });

  test('runs, articles, failures, channels, pushes and view totals, in the text exposition format', async () => {
    // One counted view, so the counter's totals move.
    assert.equal((await fetch(`${served.server.url}/epoch-news/${readPage}`)).status, 200);
    const response = await fetch(`${served.server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.match(text, /# TYPE newsmirror_articles gauge/);
    const got = samples(text);
    const expected: Record<string, number> = {
      newsmirror_runs_started: 1,
      newsmirror_last_run_start_timestamp_seconds: Date.parse('2026-01-06T10:00:00.000Z') / 1000,
      newsmirror_last_run_finish_timestamp_seconds: Date.parse('2026-01-06T10:00:30.000Z') / 1000,
      'newsmirror_last_run_status{status="finished"}': 1,
      'newsmirror_last_run_articles{outcome="new"}': 2,
      'newsmirror_last_run_articles{outcome="failed"}': 1,
      newsmirror_articles: 2,
      'newsmirror_failures_pending{kind="article_retrying"}': 1,
      'newsmirror_failures_pending{kind="article_given_up"}': 0,
      'newsmirror_failures_pending{kind="image"}': 0,
      'newsmirror_channel_consecutive_failures{site="site",channel="china"}': 2,
      'newsmirror_channel_consecutive_failures{site="site",channel="world"}': 0,
      'newsmirror_channel_links{site="site",channel="world"}': 28,
      'newsmirror_push_consecutive_failures{remote="origin"}': 0,
      newsmirror_views_stored: 7,
      'newsmirror_counter_views_since_start{outcome="counted"}': 1,
    };
    for (const [name, value] of Object.entries(expected)) assert.equal(got.get(name), value, name);
  });

  test('no page path, title or day reaches /metrics: totals only', async () => {
    const text = await (await fetch(`${served.server.url}/metrics`)).text();
    for (const secret of ['secret-reading', 'Read me', 'pages/', '2026-01-05', 'n3.htm']) {
      assert.ok(!text.includes(secret), `${secret} is in /metrics`);
    }
  });
});
