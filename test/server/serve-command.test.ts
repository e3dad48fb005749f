// `newsmirror serve` as a process: it listens, counts, and on SIGTERM writes the pending counts and exits 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../../src/store/index.ts';
import { writeMirrorFile } from './helpers.ts';

const CONFIG = `mirror:
  title: 镜像
  dir: mirror
  counter: https://counter.example.org/news/{path}
store:
  path: state/store.sqlite
sites:
  - id: site
    name: Site
    base: https://news.example.org
    channels:
      - { id: world, title: World, feed: https://news.example.org/world.xml }
`;

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`serve counts until ${signal}, then writes the pending counts and exits 0`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsmirror-serve-cmd-'));
    try {
      writeFileSync(join(dir, 'newsmirror.yaml'), CONFIG);
      writeMirrorFile(join(dir, 'mirror'), 'pages/world/n1.md', '### One\n');
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('serve-child.ts', import.meta.url)),
          join(dir, 'newsmirror.yaml'),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
          const match = /listening on (http:\/\/[^\s]+)/.exec(stderr);
          if (match) resolve(match[1]);
        });
        child.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
      });
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${url}/news/pages/world/n1.md`);
        assert.equal(response.status, 200);
        await response.arrayBuffer();
      }
      child.kill(signal);
      assert.equal(await exited, 0, stderr);
      // The flush timer (5 s) had no time to run: the counts were written at shutdown.
      const store = await openSqliteStore(join(dir, 'state', 'store.sqlite'));
      try {
        const rows = await store.views.top({ sinceDay: '2000-01-01', limit: 5 });
        assert.deepEqual(
          rows.map((row) => [row.path, row.views]),
          [['pages/world/n1.md', 3]],
        );
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
