import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from '../../../src/pipeline/fetch/retry.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-04-01T08:00:00Z');
  test('delta-seconds', () => {
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
  });
  test('an HTTP date, never negative', () => {
    assert.equal(parseRetryAfter('Tue, 01 Apr 2025 08:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Mon, 31 Mar 2025 08:00:00 GMT', now), 0);
  });
  test('absent or unreadable values give undefined', () => {
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
  });
});

describe('backoffDelay', () => {
  test('doubles per attempt with half of it jittered', () => {
    assert.equal(
      backoffDelay(1, 100, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(1, 100, () => 1),
      100,
    );
    assert.equal(
      backoffDelay(3, 100, () => 0),
      200,
    );
    assert.equal(
      backoffDelay(3, 100, () => 1),
      400,
    );
  });
  test('is capped however many attempts failed', () => {
    assert.ok(backoffDelay(40, 1000, () => 1) <= 30_000);
  });
});

describe('isRetryableStatus', () => {
  test('429, 408 and 5xx are retryable; other 4xx are not', () => {
    for (const status of [408, 429, 500, 502, 503, 504])
      assert.equal(isRetryableStatus(status), true, String(status));
    for (const status of [400, 401, 403, 404, 410, 451])
      assert.equal(isRetryableStatus(status), false, String(status));
  });
});
