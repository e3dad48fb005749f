import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { measureMirror } from '../../../src/pipeline/publish/size.ts';

test('the size report counts files and bytes per top-level folder, and the git history', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nm-size-'));
  mkdirSync(join(dir, 'pages', 'world'), { recursive: true });
  mkdirSync(join(dir, 'assets', 'ab'), { recursive: true });
  writeFileSync(join(dir, 'pages', 'world', 'n1.md'), 'x'.repeat(1000));
  writeFileSync(join(dir, 'pages', 'world', 'n2.md'), 'y'.repeat(500));
  writeFileSync(join(dir, 'assets', 'ab', 'ab12.jpg'), Buffer.alloc(4096));
  writeFileSync(join(dir, 'README.md'), 'home');
  const before = await measureMirror(dir);
  assert.deepEqual(before.parts.pages, { files: 2, bytes: 1500 });
  assert.deepEqual(before.parts.assets, { files: 1, bytes: 4096 });
  assert.deepEqual(before.parts['.'], { files: 1, bytes: 4 });
  assert.equal(before.files, 4);
  assert.equal(before.historyBytes, undefined);

  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'one');
  const after = await measureMirror(dir);
  assert.equal(after.commits, 1);
  assert.ok((after.historyBytes ?? 0) > 0);
  assert.equal(after.files, 4, '.git is not counted as mirror files');
});
