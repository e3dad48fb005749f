import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMemoryStore, StoreError } from '../../src/store/index.ts';
import { article } from './helpers.ts';

test('pages showing an image or linking to a URL are found, and re-recording replaces the old references', async () => {
  const store = await openMemoryStore();
  await store.saveArticle(article('n1'));
  await store.saveArticle(article('n2'));
  await store.saveArticleRefs('epoch', 'n1', { images: ['https://x/a.jpg'], links: ['https://x/n9.htm'] });
  await store.saveArticleRefs('epoch', 'n2', { images: ['https://x/a.jpg'], links: [] });
  const showing = await store.articlesReferencing('https://x/a.jpg', 'image');
  assert.deepEqual(showing.map((key) => key.id).sort(), ['n1', 'n2']);
  assert.deepEqual(await store.articlesReferencing('https://x/n9.htm', 'link'), [
    { siteId: 'epoch', id: 'n1' },
  ]);
  assert.deepEqual(await store.articlesReferencing('https://x/n9.htm', 'image'), []);

  await store.saveArticleRefs('epoch', 'n1', { images: [], links: ['https://x/n8.htm'] });
  assert.deepEqual(
    (await store.articlesReferencing('https://x/a.jpg', 'image')).map((key) => key.id),
    ['n2'],
  );
  assert.deepEqual(await store.articlesReferencing('https://x/n9.htm', 'link'), []);
  await assert.rejects(store.saveArticleRefs('epoch', 'nope', { images: [], links: [] }), StoreError);
  await store.close();
});

test("an article's own references are read back; none recorded reads as empty lists", async () => {
  const store = await openMemoryStore();
  await store.saveArticle(article('n1'));
  await store.saveArticle(article('n2'));
  await store.saveArticleRefs('epoch', 'n1', {
    images: ['https://x/a.jpg', 'https://x/b.jpg'],
    links: ['https://x/n9.htm'],
  });
  const refs = await store.articleRefs('epoch', 'n1');
  assert.deepEqual([...refs.images].sort(), ['https://x/a.jpg', 'https://x/b.jpg']);
  assert.deepEqual(refs.links, ['https://x/n9.htm']);
  assert.deepEqual(await store.articleRefs('epoch', 'n2'), { images: [], links: [] });
  assert.deepEqual(await store.articleRefs('epoch', 'nope'), { images: [], links: [] });
  await store.close();
});
