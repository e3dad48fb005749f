// Shared by the store tests: a fresh SQLite file per test, and article records with sensible defaults.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArticleRecord } from '../../src/store/index.ts';

/** A path for a store file in a new temp folder, and a function that removes the folder. */
export function tempStorePath(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'newsmirror-store-'));
  return { path: join(dir, 'store.sqlite'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const SEEN = '2026-01-10T08:00:00.000Z';

export function article(id: string, overrides: Partial<ArticleRecord> = {}): ArticleRecord {
  const homeChannel = overrides.homeChannel ?? 'world';
  return {
    siteId: 'epoch',
    id,
    url: `https://news.example/gb/${id}.htm`,
    homeChannel,
    pagePath: `pages/${homeChannel}/${id}.md`,
    title: `Title ${id}`,
    contentHash: `hash-${id}`,
    extracted: JSON.stringify({ title: `Title ${id}` }),
    firstSeen: SEEN,
    updatedAt: SEEN,
    ...overrides,
  };
}
