// The stage times of `run --verbose`: steps in the order they start, their parts after them, the time of items that
// overlap counted once in `activeMs` and each time in `busyMs`. Spans are given start times in the past, so the
// figures checked hold however slow the machine is.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger } from '../../src/internal/log.ts';
import { createStageTimes, logStageTimes } from '../../src/internal/stage-times.ts';

describe('stage times', () => {
  test('steps in start order with their parts; overlapping items count once as active time', async () => {
    const times = createStageTimes();
    await times.step('sources', async () => {});
    await times.step('mirror', async () => {
      const now = performance.now();
      // Two items in flight together over the same last 100 ms: 200 ms busy, 100 ms active.
      times.span('fetch', 'articles', now - 100);
      times.span('fetch', 'articles', now - 100);
      times.add('extract', 40, 'pages', 2);
    });
    const lines = times.lines();
    assert.deepEqual(
      lines.map((line) => line.name),
      ['sources', 'mirror', 'fetch', 'extract', 'total'],
    );
    const fetch = lines.find((line) => line.name === 'fetch');
    assert.ok(fetch?.kind === 'part');
    assert.equal(fetch.count, 2);
    assert.equal(fetch.unit, 'articles');
    assert.ok(fetch.busyMs >= 200, `busy ${fetch.busyMs}`);
    assert.ok(fetch.activeMs !== undefined && fetch.activeMs >= 100 && fetch.activeMs < fetch.busyMs);
    const extract = lines.find((line) => line.name === 'extract');
    assert.deepEqual(extract, { name: 'extract', kind: 'part', busyMs: 40, unit: 'pages', count: 2 });
    const mirror = lines.find((line) => line.name === 'mirror');
    assert.ok(mirror?.kind === 'step' && mirror.peakRssMb >= mirror.rssMb && mirror.rssMb > 0);
  });

  test('a step that throws is still timed; the lines go to the log at debug level only', async () => {
    const times = createStageTimes();
    await assert.rejects(
      times.step('commit', async () => {
        throw new Error('git failed');
      }),
      /git failed/,
    );
    const written: string[] = [];
    logStageTimes(times, createLogger({ level: 'info', write: (line) => written.push(line) }));
    assert.equal(written.length, 0);
    logStageTimes(times, createLogger({ level: 'debug', write: (line) => written.push(line) }));
    assert.match(written[0], /^debug stage commit wall_ms=\d+ cpu_ms=\d+ rss_mb=\d+ peak_rss_mb=\d+$/);
    assert.match(written[1], /^debug stage total wall_ms=\d+ /);
  });
});
