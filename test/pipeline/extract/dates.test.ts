import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dateOffset, findVisibleDate, normalizeDate } from '../../../src/pipeline/extract/dates.ts';

describe('normalizeDate', () => {
  test('keeps the offset an ISO 8601 value carries', () => {
    assert.equal(normalizeDate('2023-10-18T09:30:00+08:00'), '2023-10-18T09:30:00+08:00');
    assert.equal(normalizeDate('2023-10-18T01:30:00.123Z'), '2023-10-18T01:30:00Z');
    assert.equal(normalizeDate('2023-10-18T09:30:00+0800'), '2023-10-18T09:30:00+08:00');
    assert.equal(normalizeDate('2023-10-18 09:30'), '2023-10-18T09:30:00');
    assert.equal(normalizeDate('2023-10-18'), '2023-10-18');
  });

  test('invents no time zone, but uses the page offset for times without one', () => {
    assert.equal(normalizeDate('2023-10-18 09:30'), '2023-10-18T09:30:00');
    assert.equal(normalizeDate('2023-10-18 09:30', '+08:00'), '2023-10-18T09:30:00+08:00');
    assert.equal(normalizeDate('2023-10-18T09:30:00-04:00', '+08:00'), '2023-10-18T09:30:00-04:00');
    // A date alone cannot carry an offset.
    assert.equal(normalizeDate('2023-10-18', '+08:00'), '2023-10-18');
  });

  test('reads RFC 2822 dates from feeds and meta tags', () => {
    assert.equal(normalizeDate('Wed, 18 Oct 2023 09:30:00 +0800'), '2023-10-18T09:30:00+08:00');
    assert.equal(normalizeDate('Wed, 18 Oct 2023 01:30:00 GMT'), '2023-10-18T01:30:00Z');
  });

  test('rejects impossible dates and junk', () => {
    assert.equal(normalizeDate('2023-02-30'), undefined);
    assert.equal(normalizeDate('2023-13-01'), undefined);
    assert.equal(normalizeDate('not a date'), undefined);
    assert.equal(normalizeDate(''), undefined);
    assert.equal(normalizeDate('1066-10-14'), undefined);
  });
});

describe('findVisibleDate', () => {
  const cases: Array<[string, string]> = [
    ['发布时间：2023-10-18 09:30 来源：本报', '2023-10-18T09:30:00'],
    ['更新于 2023/10/18', '2023-10-18'],
    ['2023.10.18 09:30:05', '2023-10-18T09:30:05'],
    ['2023年10月18日 09:30', '2023-10-18T09:30:00'],
    ['2023年10月18日', '2023-10-18'],
    ['2023年10月18日下午3时05分', '2023-10-18T15:05:00'],
    ['Published Oct 18, 2023', '2023-10-18'],
    ['Updated October 18th, 2023 at 9:30 p.m.', '2023-10-18T21:30:00'],
    ['Sept. 5, 2023 12:10 am', '2023-09-05T00:10:00'],
    ['18 October 2023', '2023-10-18'],
    ['Monday 18 Oct 2023 07:05', '2023-10-18T07:05:00'],
  ];
  for (const [text, expected] of cases) {
    test(`"${text}"`, () => assert.equal(findVisibleDate(text), expected));
  }

  test('takes the first date in the text, whatever its format', () => {
    assert.equal(findVisibleDate('Oct 18, 2023 (updated 2023-10-20)'), '2023-10-18');
  });

  test('applies the page offset only to dates with a time', () => {
    assert.equal(findVisibleDate('2023年10月18日 09:30', '+08:00'), '2023-10-18T09:30:00+08:00');
    assert.equal(findVisibleDate('2023年10月18日', '+08:00'), '2023-10-18');
  });

  test('ignores numbers that only look like dates', () => {
    assert.equal(findVisibleDate('电话 12023-10-188 转 3'), undefined);
    assert.equal(findVisibleDate('no date here'), undefined);
  });
});

test('dateOffset reads the offset of an ISO date-time', () => {
  assert.equal(dateOffset('2023-10-18T09:30:00+08:00'), '+08:00');
  assert.equal(dateOffset('2023-10-18T09:30:00Z'), 'Z');
  assert.equal(dateOffset('2023-10-18T09:30:00'), undefined);
  assert.equal(dateOffset('2023-10-18'), undefined);
});
