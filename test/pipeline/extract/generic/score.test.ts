import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  hanCharTokens,
  scoreAll,
  scorePage,
  shingles,
  summarize,
  wordTokens,
} from '../../../../harness/bench/score.ts';

describe('benchmark metric', () => {
  test('tokens are runs of letters, digits and underscore; a Han run is one token unless split', () => {
    assert.deepEqual(wordTokens("It's 2019, snake_case!"), ['It', 's', '2019', 'snake_case']);
    assert.deepEqual(wordTokens('我爱北京，天安门'), ['我爱北京', '天安门']);
    assert.deepEqual(hanCharTokens('我爱BJ，2号'), ['我', '爱', 'BJ', '2', '号']);
  });

  test('shingles are 4-token windows counted as a multiset; short texts are one shingle', () => {
    assert.deepEqual(
      [...shingles(['a', 'b', 'c', 'd', 'e'])],
      [
        ['a b c d', 1],
        ['b c d e', 1],
      ],
    );
    assert.deepEqual([...shingles(['a', 'b'])], [['a b', 1]]);
    assert.equal(shingles([]).size, 0);
    assert.equal(shingles(['x', 'x', 'x', 'x', 'x']).get('x x x x'), 2);
  });

  test('a perfect prediction scores tp 1 and is exact, whitespace and punctuation aside', () => {
    const score = scorePage('One two three four five.', 'One  two, three four five');
    assert.deepEqual(score, { tp: 1, fp: 0, fn: 0, exact: true });
  });

  test('extra and missing shingles are normalised by tp+fp+fn', () => {
    // truth shingles: {a b c d, b c d e}; prediction: {a b c d, b c d f} -> tp 1, fp 1, fn 1
    const score = scorePage('a b c d e', 'a b c d f');
    assert.ok(Math.abs(score.tp - 1 / 3) < 1e-12);
    assert.ok(Math.abs(score.fp - 1 / 3) < 1e-12);
    assert.ok(Math.abs(score.fn - 1 / 3) < 1e-12);
    assert.equal(score.exact, false);
  });

  test('precision skips pages with no prediction, recall pages with no truth', () => {
    const perfect = scorePage('a b c d', 'a b c d');
    const empty = scorePage('a b c d', '');
    const spurious = scorePage('', 'a b c d');
    const summary = summarize([perfect, empty, spurious]);
    // precision over perfect (1) and spurious (0); recall over perfect (1) and empty (0)
    assert.equal(summary.precision, 0.5);
    assert.equal(summary.recall, 0.5);
    assert.equal(summary.f1, 0.5);
    assert.ok(Math.abs(summary.accuracy - 1 / 3) < 1e-12);
  });

  test('scoreAll counts a page missing from the predictions as empty output', () => {
    const truth = new Map([
      ['p1', 'w x y z'],
      ['p2', 'w x y z'],
    ]);
    const summary = scoreAll(truth, new Map([['p1', 'w x y z']]));
    assert.equal(summary.precision, 1);
    assert.equal(summary.recall, 0.5);
    assert.equal(summary.pages, 2);
  });

  test('one wrong Han character costs a whole run under word tokens, a few shingles under Han tokens', () => {
    const truth = '今天天气很好我们去公园散步吧';
    const prediction = '今天天气很好我们去公园散步啊';
    assert.equal(scorePage(truth, prediction, wordTokens).tp, 0);
    assert.ok(scorePage(truth, prediction, hanCharTokens).tp > 0.7);
  });
});
