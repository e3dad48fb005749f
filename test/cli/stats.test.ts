import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { statsCommand } from '../../src/cli/stats.ts';
import { ConfigError } from '../../src/internal/errors.ts';
import { dayBefore } from '../../src/server/index.ts';
import { openSqliteStore } from '../../src/store/index.ts';

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
      - { id: world, title: 国际, feed: https://news.example.org/world.xml }
      - { id: china, title: 中国, feed: https://news.example.org/china.xml }
`;

/** Runs the command with stdout captured. */
async function run(options: { config: string; days?: number }): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await statsCommand(options);
    return { code, out: chunks.join('') };
  } finally {
    process.stdout.write = write;
  }
}

describe('newsmirror stats', () => {
  let dir: string;
  let config: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsmirror-stats-'));
    config = join(dir, 'newsmirror.yaml');
    writeFileSync(config, CONFIG);
    const store = await openSqliteStore(join(dir, 'state', 'store.sqlite'));
    const now = new Date();
    const at = '2024-01-01T00:00:00.000Z';
    for (const [id, channel, title] of [
      ['n1', 'world', 'World one'],
      ['n2', 'world', 'World two'],
      ['n3', 'china', '中国新闻 三'],
    ]) {
      await store.articles.save({
        siteId: 'site',
        id,
        url: `https://news.example.org/${id}.htm`,
        homeChannel: channel,
        pagePath: `pages/${channel}/${id}.md`,
        title,
        contentHash: id,
        extracted: '{}',
        firstSeen: at,
        updatedAt: at,
      });
    }
    await store.views.add([
      { path: 'pages/world/n1.md', day: dayBefore(now, 0), count: 4 },
      { path: 'pages/world/n2.md', day: dayBefore(now, 1), count: 9 },
      { path: 'pages/china/n3.md', day: dayBefore(now, 2), count: 30 },
      // Only inside a 30-day window.
      { path: 'pages/world/n1.md', day: dayBefore(now, 20), count: 100 },
    ]);
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('prints the most viewed pages per channel with their counts, busiest channel first', async () => {
    const { code, out } = await run({ config });
    assert.equal(code, 0);
    const lines = out.split('\n');
    assert.match(lines[0], /^Most viewed pages since \d{4}-\d{2}-\d{2} \(7 days, UTC\)$/);
    const china = lines.indexOf('china 中国: 30 views');
    const world = lines.indexOf('world 国际: 13 views');
    assert.ok(china > 0 && world > china, out);
    assert.match(lines[china + 2], /^\s+30 {2}pages\/china\/n3\.md {2}中国新闻 三$/);
    assert.match(lines[world + 2], /^\s+9 {2}pages\/world\/n2\.md {2}World two$/);
    assert.match(lines[world + 3], /^\s+4 {2}pages\/world\/n1\.md {2}World one$/);
  });

  test('--days widens the window', async () => {
    const { out } = await run({ config, days: 30 });
    assert.match(out, /world 国际: 113 views/);
    assert.match(out, /\n\s+104 {2}pages\/world\/n1\.md/);
  });

  test('a bad --days is a usage error', async () => {
    await assert.rejects(run({ config, days: 0 }), ConfigError);
    await assert.rejects(run({ config, days: Number.NaN }), ConfigError);
  });

  test('says so when nothing was viewed', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'newsmirror-stats-empty-'));
    try {
      const emptyConfig = join(emptyDir, 'newsmirror.yaml');
      writeFileSync(emptyConfig, CONFIG);
      const { code, out } = await run({ config: emptyConfig, days: 1 });
      assert.equal(code, 0);
      assert.match(out, /No views recorded\./);
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});
