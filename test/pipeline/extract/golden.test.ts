// Golden cases: every folder under test/fixtures/extract/ is extracted and compared with its expected
// files. After an intended change, regenerate with `node bin/run-ts.js scripts/add-fixture.ts all`
// and review the diff of the expected files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  expectationFor,
  FIXTURE_ROOT,
  listFixtureCases,
  readExpectation,
  readFixtureCase,
} from '../../../harness/extract-fixtures.ts';

const cases = listFixtureCases();

describe('extract golden fixtures', () => {
  test('the fixture folder holds the cases this stage promises', () => {
    for (const name of [
      'epochtimes-article',
      'epochtimes-redesign',
      'missing-remove-target',
      'lazy-images',
      'index-page',
      'gbk-decoded',
      'generic-noscript-app',
      'generic-en-discussion-thread',
      'listing-refused',
      'listing-any',
    ]) {
      assert.ok(cases.includes(name), `missing fixture ${name}`);
    }
  });

  for (const name of cases) {
    test(name, () => {
      const dir = join(FIXTURE_ROOT, name);
      const source = readFileSync(join(dir, 'source.html'), 'utf8');
      const actual = expectationFor(source, readFixtureCase(dir));
      const expected = readExpectation(dir);
      const hint = `${dir}: regenerate with "node bin/run-ts.js scripts/add-fixture.ts all" if the change is intended`;
      assert.deepEqual(actual.json, expected.json, hint);
      assert.equal(actual.markdown, expected.markdown, hint);
      assert.deepEqual(actual.verdict, expected.verdict, hint);
    });
  }
});
