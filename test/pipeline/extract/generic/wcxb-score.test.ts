import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scoreWcxb, snippetRate, type WcxbPage, wcxbWords, wordF1 } from '../../../../harness/bench/wcxb.ts';

const page = (id: string, type: string, truth: string, extra: Partial<WcxbPage> = {}): WcxbPage => ({
  id,
  url: `https://example.org/${id}`,
  bytes: new Uint8Array(),
  html: '',
  truth,
  type,
  with: [],
  without: [],
  ...extra,
});

describe("WCXB's metric", () => {
  test('words are lowercased runs of letters, digits and underscore; a Han run is one word', () => {
    assert.deepEqual(wcxbWords("It's 2025, Snake_Case!"), ['it', 's', '2025', 'snake_case']);
    assert.deepEqual(wcxbWords('我爱北京，天安门'), ['我爱北京', '天安门']);
  });

  test('word F1 counts words as multisets, ignoring order', () => {
    const score = wordF1('b a a x', 'a b a c');
    assert.equal(score.precision, 3 / 4);
    assert.equal(score.recall, 3 / 4);
    assert.equal(score.f1, 3 / 4);
    assert.deepEqual(wordF1('', 'a b'), { precision: 0, recall: 0, f1: 0 });
  });

  test('an empty reference scores 1 for an empty output and 0 otherwise', () => {
    assert.equal(wordF1('', '').f1, 1);
    assert.equal(wordF1('menu', '').f1, 0);
  });

  test('snippets are case-insensitive substrings; no snippets count 1', () => {
    assert.equal(snippetRate('Hello World', ['hello', 'world!', 'WORLD']), 2 / 3);
    assert.equal(snippetRate('anything', []), 1);
  });

  test('figures are means over pages, overall and per type', () => {
    const pages = [
      page('1', 'article', 'a b c d', { with: ['a b'], without: ['menu'] }),
      page('2', 'article', 'e f', { with: ['e f'] }),
      page('3', 'forum', 'g h'),
    ];
    const outputs = new Map([
      ['1', 'a b c d menu'],
      ['2', ''],
    ]);
    const summary = scoreWcxb(pages, (id) => outputs.get(id) ?? '');
    const f1First = (2 * (4 / 5) * 1) / (4 / 5 + 1);
    assert.equal(summary.overall.f1, f1First / 3);
    assert.equal(summary.byType.get('article')?.f1, f1First / 2);
    assert.equal(summary.byType.get('forum')?.f1, 0);
    assert.equal(summary.withRate, (1 + 0 + 1) / 3);
    assert.equal(summary.withoutRate, (1 + 1 + 1) / 3);
    assert.equal(summary.withoutRateListed, 1);
  });
});
