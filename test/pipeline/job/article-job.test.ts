// The per-article job on a real loopback server: plain data in, plain data out (it survives JSON, as on a queue),
// the same result when retried, typed failures, a conditional GET, and images left as content-addressed blobs.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type FixtureServer, startFixtureServer } from '../../../harness/fixture-server.ts';
import { fetchSchema } from '../../../src/config/options.ts';
import { createHttpClient, type HttpClient } from '../../../src/pipeline/fetch/client.ts';
import { runArticleJob } from '../../../src/pipeline/job/article-job.ts';
import { createMemoryBlobStore } from '../../../src/pipeline/job/blobs.ts';
import type { ArticleJobInput } from '../../../src/pipeline/job/types.ts';
import { createPageWorkers } from '../../../src/pipeline/threads/page-workers.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
  'base64',
);

const ARTICLE = `<!doctype html><html lang="en"><head><title>Floods reach the valley</title>
<link rel="canonical" href="/news/floods.html"></head><body><article><h1>Floods reach the valley</h1>
<img src="/img/river.png" alt="the river"><img src="/img/missing.png" alt="gone">
${'<p>The river rose through the night and by morning the lower streets of the town were under water, residents said.</p>'.repeat(6)}
<p>See <a href="/news/earlier.html?utm_source=x">the earlier report</a>.</p></article></body></html>`;

/** Paths of values JSON would not carry as they are (Maps, Buffers, class instances, functions): none may exist. */
function nonPlainValues(value: unknown, path = '$'): string[] {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return [];
  if (Array.isArray(value)) return value.flatMap((item, index) => nonPlainValues(item, `${path}[${index}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).flatMap(([key, item]) => nonPlainValues(item, `${path}.${key}`));
  }
  return [path];
}

describe('the per-article job', () => {
  let server: FixtureServer;
  let http: HttpClient;
  const workers = createPageWorkers({ threads: 0 });

  before(async () => {
    server = await startFixtureServer();
    server.route('/news/floods-2.html', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag: '"v1"' });
      res.end(ARTICLE);
    });
    server.route('/img/river.png', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG);
    });
    http = createHttpClient(fetchSchema.parse({ allowPrivateAddresses: true, retries: 0 }));
  });

  after(async () => {
    await http?.close();
    await server?.close();
    await workers.close();
  });

  const inputFor = (path: string, extra: Partial<ArticleJobInput> = {}): ArticleJobInput => ({
    url: `${server.origin}${path}`,
    site: { id: 'valley', base: `${server.origin}/`, articleId: '/news/([a-z0-9-]+)\\.html$' },
    images: 'mirror',
    maxImageBytes: 1_000_000,
    ...extra,
  });
  const portsWith = (blobs = createMemoryBlobStore(), mirrored = new Set<string>()) => ({
    http,
    blobs,
    extract: workers.extract,
    isMirrored: async (src: string) => mirrored.has(src),
  });

  test('returns the article, its ids, aliases, references and images as plain data that survives JSON', async () => {
    const blobs = createMemoryBlobStore();
    const result = await runArticleJob(inputFor('/news/floods-2.html'), portsWith(blobs));
    assert.equal(result.kind, 'article');
    if (result.kind !== 'article') return;
    assert.deepEqual(nonPlainValues(result), []);
    assert.equal(result.extracted.title, 'Floods reach the valley');
    assert.deepEqual(result.aliases, [`${server.origin}/news/floods.html`]);
    assert.deepEqual(result.idCandidates, ['floods-2', 'floods']);
    assert.deepEqual(result.refs.links, [`${server.origin}/news/earlier.html`]);
    assert.deepEqual(result.validators, { etag: '"v1"', lastModified: undefined });
    const [river, missing] = result.images;
    assert.equal(river.status, 'mirrored');
    assert.equal(missing.status, 'failed');
    if (river.status !== 'mirrored' || missing.status !== 'failed') return;
    assert.equal(missing.code, 'http_404');
    // The bytes wait in the blob store under their own hash, at a content-addressed path.
    const bytes = await blobs.get(river.blob.sha256);
    assert.ok(bytes);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), river.blob.sha256);
    assert.match(
      river.blob.assetPath,
      new RegExp(`^assets/${river.blob.sha256.slice(0, 2)}/${river.blob.sha256}\\.`),
    );
  });

  test('run again with the same input, it gives the same result (a retried job is harmless)', async () => {
    const first = await runArticleJob(inputFor('/news/floods-2.html'), portsWith());
    const second = await runArticleJob(inputFor('/news/floods-2.html'), portsWith());
    assert.deepEqual(second, first);
  });

  test('an image already mirrored is not downloaded again', async () => {
    const src = `${server.origin}/img/river.png`;
    const before = server.hits('/img/river.png').length;
    const result = await runArticleJob(inputFor('/news/floods-2.html'), portsWith(undefined, new Set([src])));
    assert.equal(result.kind === 'article' && result.images[0].status, 'known');
    assert.equal(server.hits('/img/river.png').length, before);
  });

  test('the stored copy’s validators make a conditional GET; 304 is not_modified', async () => {
    const result = await runArticleJob(
      inputFor('/news/floods-2.html', { validators: { etag: '"v1"' } }),
      portsWith(),
    );
    assert.deepEqual(result, { kind: 'not_modified', url: `${server.origin}/news/floods-2.html` });
  });

  test('failures come back typed, never thrown: a 404, and a page that is no article', async () => {
    const gone = await runArticleJob(inputFor('/news/gone.html'), portsWith());
    assert.equal(gone.kind, 'failed');
    assert.equal(gone.kind === 'failed' && gone.failure.code, 'http_404');
    assert.equal(gone.kind === 'failed' && gone.failure.retryable, false);
    server.route('/news/empty.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body><nav><a href="/">home</a></nav></body></html>');
    });
    const empty = await runArticleJob(inputFor('/news/empty.html'), portsWith());
    assert.equal(empty.kind === 'failed' && empty.failure.code, 'not_article');
  });
});
