import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { describe, test } from 'node:test';
import { mirrorSchema } from '../../../src/config/options.ts';
import {
  cacheBuster,
  type IndexEntry,
  renderChannelCsv,
  renderChannelIndexes,
  renderHome,
} from '../../../src/pipeline/render/index.ts';
import type { OutputFile } from '../../../src/pipeline/types.ts';
import { findElements, renderGfmLikeGitHub, textContent } from './gfm.ts';

const mirror = mirrorSchema.parse({
  title: '新闻镜像',
  nav: [{ text: '首页', href: 'README.md' }],
});
const NOW = new Date('2023-10-18T09:05:00Z');

/** `count` entries, newest first (n<count> is the newest). */
function entries(count: number, channelId = 'china'): IndexEntry[] {
  return Array.from({ length: count }, (_, index) => {
    const n = count - index;
    return {
      id: `n${n}`,
      title: `Title ${n}`,
      path: `pages/${channelId}/n${n}.md`,
      published: '2023-10-18T08:00:00+08:00',
      channelId,
    };
  });
}

function byPath(files: OutputFile[]): Map<string, string> {
  return new Map(files.map((file) => [file.path, String(file.content)]));
}

/** Titles linked from a rendered index page, in order. */
function listedIds(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(\.\.\/(?:\.\.\/)?pages\/[^/]+\/(n\d+)\.md\?/g)].map((match) => match[1]);
}

/** Every relative link of a page, resolved against the page's folder, without its query. */
function relativeTargets(path: string, markdown: string): string[] {
  const tree = renderGfmLikeGitHub(markdown);
  return findElements(tree, 'a')
    .map((a) => String(a.properties.href))
    .filter((href) => !/^[a-z]+:/i.test(href))
    .map((href) => posix.normalize(posix.join(posix.dirname(path), href.split('?')[0])));
}

test('cacheBuster is MMDDHHMM in UTC', () => {
  assert.equal(cacheBuster(NOW), '10180905');
  assert.equal(cacheBuster(new Date('2024-01-02T23:59:59+08:00')), '01021559');
});

describe('channel index paging', () => {
  test('65 entries: the newest page holds the newest 30, then two stable archive pages of 30', () => {
    const files = byPath(
      renderChannelIndexes({ id: 'china', title: '中国' }, entries(65), { mirror, now: NOW }),
    );
    assert.deepEqual([...files.keys()], ['indexes/china.md', 'indexes/china/1.md', 'indexes/china/2.md']);
    const newest = listedIds(files.get('indexes/china.md')!);
    assert.equal(newest.length, 30);
    assert.equal(newest[0], 'n65');
    assert.equal(newest[29], 'n36');
    assert.deepEqual(
      listedIds(files.get('indexes/china/1.md')!),
      entries(30).map((entry) => entry.id),
    );
    assert.deepEqual(
      listedIds(files.get('indexes/china/2.md')!),
      entries(60)
        .slice(0, 30)
        .map((entry) => entry.id),
    );
  });

  test('every entry is reachable, and no page lists more than the page size', () => {
    for (const count of [0, 1, 29, 30, 31, 59, 60, 61, 95]) {
      const files = renderChannelIndexes({ id: 'china', title: '中国' }, entries(count), {
        mirror,
        now: NOW,
      });
      const seen = new Set(files.flatMap((file) => listedIds(String(file.content))));
      assert.equal(seen.size, count, `count ${count}`);
      for (const file of files) assert.ok(listedIds(String(file.content)).length <= 30);
    }
  });

  test('archive pages do not change when new articles arrive or time passes', () => {
    const before = byPath(
      renderChannelIndexes({ id: 'china', title: '中国' }, entries(65), { mirror, now: NOW }),
    );
    const later = new Date('2023-10-19T10:00:00Z');
    const after = byPath(
      renderChannelIndexes({ id: 'china', title: '中国' }, entries(100), { mirror, now: later }),
    );
    assert.deepEqual(
      [...after.keys()],
      ['indexes/china.md', 'indexes/china/1.md', 'indexes/china/2.md', 'indexes/china/3.md'],
    );
    assert.equal(after.get('indexes/china/1.md'), before.get('indexes/china/1.md'));
    assert.equal(after.get('indexes/china/2.md'), before.get('indexes/china/2.md'));
    assert.notEqual(after.get('indexes/china.md'), before.get('indexes/china.md'));
  });

  test('the newest page stamps links with the cache buster; every footer link resolves to a page', () => {
    const files = renderChannelIndexes({ id: 'china', title: '中国' }, entries(65), { mirror, now: NOW });
    const paths = new Set(files.map((file) => file.path));
    const newest = String(files[0].content);
    assert.ok(newest.includes('](../pages/china/n65.md?10180905)'));
    assert.ok(newest.includes('[第 2 页](china/2.md?10180905)'));
    for (const file of files) {
      const targets = relativeTargets(file.path, String(file.content));
      for (const target of targets.filter((t) => t.startsWith('indexes/')))
        assert.ok(paths.has(target), `${file.path} -> ${target}`);
      const expected: Record<string, string[]> = {
        'indexes/china.md': ['indexes/china/2.md', 'indexes/china/1.md'],
        'indexes/china/2.md': ['indexes/china.md', 'indexes/china/1.md'],
        'indexes/china/1.md': ['indexes/china.md'],
      };
      for (const target of expected[file.path])
        assert.ok(targets.includes(target), `${file.path} links ${target}`);
      const links = findElements(renderGfmLikeGitHub(String(file.content)), 'a');
      for (const a of links)
        assert.match(String(a.properties.href), /\?[0-9a-z]{8}$/, 'every link has a cache buster');
    }
  });

  test('titles with Markdown, HTML and pipes stay literal and keep the table intact', () => {
    const hostile = [
      'a | b | c',
      '<script>alert(1)</script>',
      '](javascript:alert(1))',
      '# not a heading',
      '`x`',
    ];
    const list: IndexEntry[] = hostile.map((title, index) => ({
      id: `h${index}`,
      title,
      path: `pages/c/h${index}.md`,
      channelId: 'c',
    }));
    const [file] = renderChannelIndexes({ id: 'c', title: 'C | <b>' }, list, { mirror, now: NOW });
    const tree = renderGfmLikeGitHub(String(file.content));
    const rows = findElements(tree, 'tr').slice(1);
    assert.equal(rows.length, hostile.length);
    for (const [index, row] of rows.entries()) {
      const cells = findElements(row, 'td');
      assert.equal(cells.length, 2, 'date and title cells only');
      assert.equal(textContent(cells[1]), hostile[index]);
    }
    assert.equal(textContent(findElements(tree, 'h3')[0]), 'C | <b>');
    assert.equal(findElements(tree, 'script').length, 0);
  });
});

describe('CSV', () => {
  test('id,title rows oldest first, quoted as RFC 4180 says; a title stays on one line', () => {
    const list: IndexEntry[] = [
      { id: 'n3', title: 'has "quotes"', path: '', channelId: 'c' },
      { id: 'n2', title: 'a, b', path: '', channelId: 'c' },
      { id: 'n1', title: 'plain 标题', path: '', channelId: 'c' },
      { id: 'n0', title: 'line\nbreak', path: '', channelId: 'c' },
    ];
    assert.equal(renderChannelCsv(list), 'n0,line break\nn1,plain 标题\nn2,"a, b"\nn3,"has ""quotes"""\n');
  });
});

describe('home page', () => {
  test('links every channel index and the newest articles, relative, with the cache buster', () => {
    const home = renderHome(
      { ...mirror, homeSize: 2 },
      [
        { id: 'china', title: '中国', count: 65 },
        { id: 'world', title: '国际 | 世界', count: 3 },
      ],
      [...entries(2, 'world'), ...entries(3, 'china')],
      NOW,
    );
    const tree = renderGfmLikeGitHub(home);
    const hrefs = findElements(tree, 'a').map((a) => String(a.properties.href));
    assert.ok(hrefs.includes('indexes/china.md?10180905'));
    assert.ok(hrefs.includes('indexes/world.md?10180905'));
    assert.ok(hrefs.includes('pages/world/n2.md?10180905'));
    assert.ok(!hrefs.includes('pages/china/n3.md?10180905'), 'homeSize limits the list');
    assert.ok(hrefs.includes('mirrors.md?10180905'));
    assert.ok(hrefs.includes('README.md?10180905'), 'nav bar');
    const channelCells = findElements(tree, 'td').map(textContent);
    assert.ok(channelCells.includes('国际 | 世界'));
  });
});

describe('script of the mirror', () => {
  test('traditional: index titles, channel titles and labels are converted, links are not', () => {
    const traditional = { ...mirror, script: 'traditional' as const };
    const list: IndexEntry[] = [
      { id: 'n1', title: '国家经济', path: 'pages/国家/n1.md', channelId: 'china' },
    ];
    const [file] = renderChannelIndexes({ id: 'china', title: '中国' }, list, {
      mirror: traditional,
      now: NOW,
    });
    const page = String(file.content);
    assert.ok(page.startsWith('### 中國\n'));
    assert.ok(page.includes('[國家經濟](../pages/国家/n1.md?10180905)'));
    assert.ok(page.includes('| 日期 | 標題 |'));
    const home = renderHome(traditional, [{ id: 'china', title: '中国', count: 1 }], list, NOW);
    assert.ok(home.includes('#### 最新文章'));
    assert.ok(home.includes('| 中國 | [國家經濟](pages/国家/n1.md?10180905) |'));
  });
});
