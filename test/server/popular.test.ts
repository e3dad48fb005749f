// renderPopularIndex lives in src/pipeline/render/popular.ts; its test sits here with the rest of the server's part.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { mirrorSchema } from '../../src/config/options.ts';
import { POPULAR_INDEX_PATH, renderPopularIndex } from '../../src/pipeline/render/popular.ts';

const mirror = mirrorSchema.parse({ title: '镜像', nav: [{ text: '首页', href: 'README.md' }] });
const NOW = new Date('2024-05-01T10:20:00Z');

type Node = { type: string; url?: string; value?: string; children?: Node[] };
const parse = (markdown: string) =>
  unified().use(remarkParse).use(remarkGfm).parse(markdown) as unknown as Node;
const all = (node: Node, type: string): Node[] =>
  (node.type === type ? [node] : []).concat((node.children ?? []).flatMap((child) => all(child, type)));
const textOf = (node: Node): string => node.value ?? (node.children ?? []).map(textOf).join('');

test('lists pages most read first with relative links and counts', () => {
  const markdown = renderPopularIndex(
    mirror,
    [
      { path: 'pages/world/n1.md', title: 'First', views: 120 },
      { path: 'pages/china/n2.md', title: 'Second', views: 7 },
    ],
    NOW,
  );
  assert.equal(POPULAR_INDEX_PATH, 'indexes/popular.md');
  const tree = parse(markdown);
  const rows = all(tree, 'tableRow').slice(1);
  assert.deepEqual(
    rows.map((row) => row.children?.map(textOf)),
    [
      ['1', 'First', '120'],
      ['2', 'Second', '7'],
    ],
  );
  const links = all(tree, 'link').map((link) => link.url);
  assert.deepEqual(links, [
    '../README.md?05011020',
    '../pages/world/n1.md?05011020',
    '../pages/china/n2.md?05011020',
  ]);
  assert.match(markdown, /统计截至 2024-05-01/);
});

test('titles that look like Markdown or HTML stay literal text', () => {
  const title = 'A | *b* [c](https://evil.example) <img src=x onerror=y> `code`';
  const markdown = renderPopularIndex(mirror, [{ path: 'pages/world/n1.md', title, views: 1 }], NOW);
  const tree = parse(markdown);
  const links = all(tree, 'link');
  assert.equal(links.length, 2, 'only the nav link and the page link');
  assert.equal(textOf(links[1]), title);
  assert.equal(all(tree, 'html').length, 0);
  assert.equal(all(tree, 'tableRow').length, 2);
});

test('an empty list says there is no data yet', () => {
  const markdown = renderPopularIndex(mirror, [], NOW);
  assert.match(markdown, /暂无数据/);
  assert.equal(all(parse(markdown), 'table').length, 0);
});

test('is pure: the same input gives the same text', () => {
  const rows = [{ path: 'pages/world/n1.md', title: 'One', views: 3 }];
  assert.equal(renderPopularIndex(mirror, rows, NOW), renderPopularIndex(mirror, rows, NOW));
});
