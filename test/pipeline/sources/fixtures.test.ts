import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { caseNames, FIXTURES_DIR, runCase } from './fixture-cases.ts';

describe('sources golden cases (test/fixtures/sources)', () => {
  const names = caseNames();

  test('the cases the brief asks for are all present', () => {
    assert.ok(names.length >= 7, `found only ${names.length} cases`);
  });

  for (const name of names) {
    test(name, () => {
      const expected = JSON.parse(readFileSync(join(FIXTURES_DIR, name, 'expected.json'), 'utf8'));
      assert.deepEqual(runCase(name), expected);
    });
  }
});
