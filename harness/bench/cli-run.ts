// The real CLI over a set of pages, for the extraction bench: the quality figures come from it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Output } from './peers.ts';

export interface Run {
  outputs: Map<string, Output>;
  seconds: number;
}

/**
 * `newsmirror extract FILE... --format json` in one process per dataset, as a user would run it: raw bytes in
 * (the CLI detects the charset), text out. The quality figures.
 */
export function runCli(pages: readonly { id: string; bytes: Uint8Array }[], extraArgs: string[] = []): Run {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-extract-'));
  try {
    const byFile = new Map<string, string>();
    for (const page of pages) {
      const file = join(scratch, `${page.id}.html`);
      writeFileSync(file, page.bytes);
      byFile.set(file, page.id);
    }
    const start = performance.now();
    const run = spawnSync(
      process.execPath,
      ['bin/newsmirror.js', 'extract', ...byFile.keys(), '--format', 'json', ...extraArgs],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      },
    );
    const seconds = (performance.now() - start) / 1000;
    if (run.error) throw new Error(`bench: could not run newsmirror extract (${run.error.message})`);
    const outputs = new Map<string, Output>();
    for (const row of run.stdout.split('\n')) {
      if (!row.trim()) continue;
      const result = JSON.parse(row) as {
        file: string;
        text: string;
        title: string | null;
        author: string | null;
        published: string | null;
      };
      const id = byFile.get(result.file);
      if (id)
        outputs.set(id, {
          text: result.text,
          title: result.title ?? undefined,
          author: result.author ?? undefined,
          published: result.published ?? undefined,
        });
    }
    if (outputs.size === 0)
      throw new Error(
        `bench: newsmirror extract gave no output (exit ${run.status}): ${run.stderr.slice(0, 500)}`,
      );
    return { outputs, seconds };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
