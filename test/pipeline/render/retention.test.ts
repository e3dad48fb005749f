// Where a page lives with mirror.keep (pure placement), and the config checks retention needs.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseConfigText } from '../../../src/config/load.ts';
import { ConfigError } from '../../../src/internal/errors.ts';
import {
  ARCHIVE_REPO,
  archiveKeyOf,
  archiveMirror,
  hrefFrom,
  keepOf,
  MAIN_REPO,
  otherReposFooter,
  type Placement,
  retains,
} from '../../../src/pipeline/render/retention.ts';

function configText(mirror: string, channelKeep = ''): string {
  return `mirror:
  title: News
${mirror}
sites:
  - id: s
    name: S
    base: https://news.example/
    channels:
      - { id: a, title: A, feed: https://news.example/a.xml${channelKeep} }
      - { id: b, title: B, feed: https://news.example/b.xml }
`;
}

const PER_YEAR = `  publicUrl: https://example.org/news/
  keep: 300
  archive: { dir: "./archive-{year}", publicUrl: "https://example.org/archive-{year}/" }`;

function errorOf(text: string): string {
  try {
    parseConfigText(text, 'newsmirror.yaml', tmpdir());
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail('the config was accepted');
}

function placementOf(text: string, kept: string[]): Placement {
  const { config } = parseConfigText(text, 'newsmirror.yaml', tmpdir());
  return { config, archive: config.mirror.archive!, kept: new Set(kept) };
}

describe('retention placement', () => {
  test('keep: a channel overrides the mirror; none anywhere retains nothing', () => {
    const { config } = parseConfigText(configText(PER_YEAR, ', keep: 50'), 'newsmirror.yaml', tmpdir());
    assert.equal(keepOf(config, 'a'), 50);
    assert.equal(keepOf(config, 'b'), 300);
    assert.equal(retains(config), true);
    const plain = parseConfigText(configText('  publicUrl: https://example.org/news/'), 'n.yaml', tmpdir());
    assert.equal(retains(plain.config), false);
  });

  test('the archive dir is resolved beside the config; {year} picks the year an index sorts by', () => {
    const { config } = parseConfigText(configText(PER_YEAR), join(tmpdir(), 'n.yaml'), tmpdir());
    assert.equal(config.mirror.archive!.dir, join(tmpdir(), 'archive-{year}'));
    const archive = config.mirror.archive!;
    assert.equal(
      archiveKeyOf(archive, { published: '2023-12-31T23:00:00-05:00', firstSeen: '2025-01-01T00:00:00Z' }),
      '2024',
    );
    // A published time after first seen is not trusted: the year of first seen.
    assert.equal(
      archiveKeyOf(archive, { published: '2030-01-01T00:00:00Z', firstSeen: '2025-06-01T00:00:00Z' }),
      '2025',
    );
    const single = parseConfigText(
      configText(
        '  publicUrl: https://example.org/news/\n  keep: 3\n  archive: { dir: ./old, publicUrl: "https://example.org/old/" }',
      ),
      'n.yaml',
      tmpdir(),
    );
    assert.equal(
      archiveKeyOf(single.config.mirror.archive!, { firstSeen: '2025-06-01T00:00:00Z' }),
      ARCHIVE_REPO,
    );
  });

  test('a link within one repository is relative; to another, that repository public URL', () => {
    const placement = placementOf(configText(PER_YEAR), ['pages/a/new.md']);
    const kept = { path: 'pages/a/new.md', firstSeen: '2025-01-01T00:00:00Z' };
    const old = {
      path: 'pages/a/old.md',
      published: '2023-05-01T00:00:00Z',
      firstSeen: '2025-01-01T00:00:00Z',
    };
    assert.equal(hrefFrom(placement, MAIN_REPO, kept), 'pages/a/new.md');
    assert.equal(hrefFrom(placement, MAIN_REPO, old), 'https://example.org/archive-2023/pages/a/old.md');
    assert.equal(hrefFrom(placement, '2023', old), 'pages/a/old.md');
    assert.equal(hrefFrom(placement, '2023', kept), 'https://example.org/news/pages/a/new.md');
    assert.equal(archiveMirror(placement, '2023').publicUrl, 'https://example.org/archive-2023/');
    assert.equal(archiveMirror(placement, '2023').title, 'News（存档） 2023');
  });

  test('footers link the same file in the other repositories', () => {
    const placement = placementOf(configText(PER_YEAR), []);
    const main = otherReposFooter(placement, MAIN_REPO, ['2023', '2024', MAIN_REPO], 'indexes/a.md');
    assert.ok(main.indexOf('https://example.org/archive-2024/indexes/a.md') < main.indexOf('archive-2023'));
    assert.ok(!main.includes('https://example.org/news/'));
    const archived = otherReposFooter(placement, '2023', ['2023', '2024'], 'README.md');
    assert.ok(archived.includes('https://example.org/news/README.md'));
    assert.ok(archived.includes('https://example.org/archive-2024/README.md'));
    assert.ok(!archived.includes('archive-2023'));
    assert.equal(otherReposFooter(placement, MAIN_REPO, [MAIN_REPO], 'README.md'), '');
  });

  test('the config refuses keep without an archive, an archive without publicUrl, {year} on one side only', () => {
    assert.match(errorOf(configText('  keep: 300')), /mirror\.archive/);
    assert.match(
      errorOf(configText('  title2: x', ', keep: 3').replace('  title2: x\n', '')),
      /mirror\.archive/,
    );
    assert.match(
      errorOf(configText('  keep: 3\n  archive: { dir: ./old, publicUrl: "https://example.org/old/" }')),
      /mirror\.publicUrl/,
    );
    assert.match(
      errorOf(
        configText(
          '  publicUrl: https://example.org/news/\n  keep: 3\n  archive: { dir: "./old-{year}", publicUrl: "https://example.org/old/" }',
        ),
      ),
      /\{year\}/,
    );
  });
});
