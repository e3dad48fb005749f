import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { UNDATED_FOLDER } from '../../src/internal/ids.ts';
import { MIRROR_LAYOUT } from '../../src/internal/mirror-layout.ts';

const SHA256 = 'ab'.repeat(32);
/** Sample values for the placeholders of the documented paths. */
const SAMPLES: Record<string, string> = {
  '<channel>': 'world',
  '<id>': 'n1',
  '<n>': '2',
  '<yyyy-mm>': '2024-05',
  '<xx>': SHA256.slice(0, 2),
  '<sha256>': SHA256,
  '<ext>': 'webp',
  '<period>': '2024-05-20',
  '<format>': 'epub',
};

/** Every file of the table, filled in with the samples; the keys not named here must be folders. */
const TABLE_FILES: Record<string, string> = {
  home: MIRROR_LAYOUT.home,
  feed: MIRROR_LAYOUT.feed,
  mirrors: MIRROR_LAYOUT.mirrors,
  searchGuide: MIRROR_LAYOUT.searchGuide,
  popularIndex: MIRROR_LAYOUT.popularIndex,
  channelIndex: MIRROR_LAYOUT.channelIndex('world'),
  channelArchive: MIRROR_LAYOUT.channelArchive('world', 2),
  channelCsv: MIRROR_LAYOUT.channelCsv('world'),
  page: MIRROR_LAYOUT.page('world', 'n1'),
  pageByMonth: MIRROR_LAYOUT.page('world', 'n1', {
    shardByMonth: true,
    published: '2024-05-20T08:00:00+08:00',
  }),
  qrCode: MIRROR_LAYOUT.qrCode(MIRROR_LAYOUT.page('world', 'n1')),
  asset: MIRROR_LAYOUT.asset(SHA256, 'webp'),
  channelBundle: MIRROR_LAYOUT.channelBundle('world', '2024-05-20', 'epub'),
  combinedBundle: MIRROR_LAYOUT.combinedBundle('2024-05-20', 'epub'),
};
const FOLDERS = ['pagesFolder', 'indexesFolder', 'assetsFolder', 'bundlesFolder'] as const;

/** The first column of the code block in README.md's layout section, placeholders filled in. */
function documentedPaths(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf("## The mirror's layout"));
  const block = /```\n([\s\S]*?)```/.exec(section);
  assert.ok(block, "README.md has a code block under '## The mirror's layout'");
  return block[1]
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) =>
      line.split(/\s+/)[0].replace(/<[^>]+>/g, (placeholder) => SAMPLES[placeholder] ?? placeholder),
    );
}

test("README.md's layout lists exactly the files of MIRROR_LAYOUT", () => {
  assert.deepEqual(documentedPaths().sort(), Object.values(TABLE_FILES).sort());
});

test('every entry of MIRROR_LAYOUT is either a documented file or a folder', () => {
  const covered = new Set([...Object.keys(TABLE_FILES), ...FOLDERS]);
  for (const key of Object.keys(MIRROR_LAYOUT))
    assert.ok(covered.has(key), `${key} is not checked against README.md`);
});

test('every file lies at the root or in one of the folders of the table', () => {
  const folders = new Set<string>(FOLDERS.map((key) => MIRROR_LAYOUT[key]));
  for (const path of Object.values(TABLE_FILES)) {
    const slash = path.indexOf('/');
    if (slash !== -1) assert.ok(folders.has(path.slice(0, slash)), path);
  }
});

test('page paths keep their existing shape, undated sharded pages included', () => {
  assert.equal(MIRROR_LAYOUT.page('world', 'n1'), 'pages/world/n1.md');
  assert.equal(
    MIRROR_LAYOUT.page('world', 'n1', { shardByMonth: true }),
    `pages/world/${UNDATED_FOLDER}/n1.md`,
  );
  assert.equal(MIRROR_LAYOUT.qrCode('pages/world/n1.md'), 'pages/world/n1.md.png');
  assert.equal(MIRROR_LAYOUT.asset(SHA256, 'jpg'), `assets/ab/${SHA256}.jpg`);
});
