// The metadata scorer of the extraction bench: the rules docs/extraction.md states for title, author and date.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  authorMatches,
  dateMatches,
  scoreMetadata,
  titleMatches,
} from '../../harness/bench/metadata-score.ts';

describe('metadata scoring', () => {
  test('titles match when equal but for case, whitespace and punctuation', () => {
    assert.ok(titleMatches('A Beginner’s Guide:  SEO', "a beginner's guide - seo"));
    assert.ok(!titleMatches('A Beginner’s Guide to SEO', 'A Beginner’s Guide'));
    assert.ok(!titleMatches(undefined, 'x'));
  });

  test('authors match as a run of words at least half as long', () => {
    assert.ok(
      authorMatches(
        'Danielle DeSiato, Donna Enzmann, Natalie Nguyen',
        'Danielle DeSiato, Donna Enzmann, and Natalie Nguyen',
      ),
    );
    assert.ok(authorMatches('By Dylan Bailey', 'Dylan Bailey, MS, RD'));
    assert.ok(authorMatches('蔡雪婧', '蔡雪婧'));
    assert.ok(!authorMatches('Sandra', 'Alexsandra'));
    assert.ok(!authorMatches('Danielle DeSiato', 'Danielle DeSiato, Donna Enzmann, and Natalie Nguyen'));
  });

  test('dates match on the calendar day as written', () => {
    assert.ok(dateMatches('2005-05-07T21:23:57+08:00', '2005-5-7 21:23:57'));
    assert.ok(dateMatches('2005年5月7日', '2005-05-07'));
    assert.ok(!dateMatches('2023-05-17T23:00:00-04:00', '2023-05-18'));
  });

  test('only labelled pages count for author and date; UNKNOWN is no label', () => {
    const score = scoreMetadata(
      [
        { id: 'a', title: 'T', author: 'UNKNOWN', date: '2020-01-02' },
        { id: 'b', title: 'U', author: 'Ann Lee' },
      ],
      (id) => (id === 'a' ? { text: '', title: 't', published: '2020-01-02' } : { text: '', author: 'Bo' }),
    );
    assert.deepEqual(score, {
      title: { right: 1, all: 2 },
      author: { right: 0, all: 1 },
      date: { right: 1, all: 1 },
    });
  });
});
