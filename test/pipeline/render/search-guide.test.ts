// search.md, the guide to searching the mirror with the git host's own search: the repository qualifier GitHub
// needs, links to every channel index that resolve from the guide's place, labels in the mirror's script.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mirrorSchema } from '../../../src/config/options.ts';
import { renderSearchGuide } from '../../../src/pipeline/render/search-guide.ts';
import { findElements, renderGfmLikeGitHub } from './gfm.ts';

const channels = [
  { id: 'china', title: '中国' },
  { id: 'world', title: '国际' },
];

test('on GitHub, the guide gives the repo: qualifier of the mirror and links every channel index', async () => {
  const mirror = mirrorSchema.parse({
    dir: 'm',
    title: '新闻镜像',
    publicUrl: 'https://github.com/someone/epoch-news/blob/main/',
  });
  const markdown = renderSearchGuide(mirror, channels);
  assert.match(markdown, /`repo:someone\/epoch-news 关键词`/);
  const html = await renderGfmLikeGitHub(markdown);
  const hrefs = findElements(html, 'a').map((anchor) => anchor.properties?.href);
  assert.deepEqual(hrefs, ['indexes/china.md', 'indexes/world.md']);
});

test('elsewhere no GitHub qualifier is offered, and labels follow the mirror script', () => {
  const mirror = mirrorSchema.parse({
    dir: 'm',
    title: '新聞鏡像',
    publicUrl: 'https://git.example.org/someone/news/',
    script: 'traditional',
  });
  const markdown = renderSearchGuide(mirror, channels);
  assert.doesNotMatch(markdown, /repo:/);
  assert.match(markdown, /搜索本鏡像|搜尋本鏡像/);
});
