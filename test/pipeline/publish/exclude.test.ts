import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { excludeFromMirror } from '../../../src/pipeline/publish/exclude.ts';

test('a store folder inside the mirror is excluded from git once; one outside is left alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nm-exclude-'));
  mkdirSync(join(dir, '.git', 'info'), { recursive: true });
  assert.equal(await excludeFromMirror(dir, join(dir, '.newsmirror')), true);
  assert.equal(await excludeFromMirror(dir, join(dir, '.newsmirror')), false);
  assert.equal(await excludeFromMirror(dir, join(tmpdir(), 'elsewhere')), false);
  assert.equal(readFileSync(join(dir, '.git', 'info', 'exclude'), 'utf8'), '/.newsmirror\n');
});
