// The single writer on its own: results of jobs (plain data, as a queue would deliver them) applied to a real SQLite
// store and mirror folder. Shared images are written and recorded once; the id is decided inside the transaction;
// an article that cannot be stored leaves nothing half-applied.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { configSchema } from '../../../src/config/options.ts';
import { silentLogger } from '../../../src/internal/log.ts';
import { createMemoryBlobStore } from '../../../src/pipeline/job/blobs.ts';
import type { ExtractedResult, ImageOutcome } from '../../../src/pipeline/job/types.ts';
import { createMirrorWriter } from '../../../src/pipeline/steps/apply-result.ts';
import { noChanges } from '../../../src/pipeline/steps/changes.ts';
import type { PlannedArticle } from '../../../src/pipeline/steps/plan.ts';
import { emptySummary } from '../../../src/pipeline/steps/summary.ts';
import { openSqliteStore, type Store } from '../../../src/store/index.ts';

const config = configSchema.parse({
  mirror: { dir: 'mirror', title: 'Test' },
  sites: [
    {
      id: 'daily',
      name: 'Daily',
      base: 'https://daily.example/',
      channels: [{ id: 'world', title: 'World', feed: 'https://daily.example/feed.xml' }],
    },
  ],
});
const site = config.sites[0];
const PHOTO = Buffer.from('not really a photo, but bytes all the same');
const SHA = createHash('sha256').update(PHOTO).digest('hex');
const PHOTO_SRC = 'https://img.daily.example/photo.jpg';

function planned(url: string): PlannedArticle {
  return { url, site, channels: ['world'], signal: { title: url }, reason: 'new' };
}

function resultFor(
  url: string,
  images: ImageOutcome[],
  idCandidates = [url.replace(/^.*\/(\w+)\.html$/, '$1')],
): ExtractedResult {
  return {
    kind: 'article',
    url,
    finalUrl: url,
    extracted: {
      title: `Title of ${url}`,
      body: { type: 'root', children: [] },
      method: 'generic',
      ruleMisses: [],
    },
    contentHash: createHash('sha256').update(url).digest('hex'),
    aliases: [],
    idCandidates,
    refs: { images: images.map((image) => image.src), links: [] },
    images,
    validators: { etag: '"e1"' },
  };
}

const mirrored = (): ImageOutcome => ({
  src: PHOTO_SRC,
  status: 'mirrored',
  blob: {
    sha256: SHA,
    assetPath: `assets/${SHA.slice(0, 2)}/${SHA}.jpg`,
    bytes: PHOTO.length,
    originalBytes: 99,
    contentType: 'image/jpeg',
  },
});

describe('the single writer', () => {
  let work: string;
  let store: Store;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'newsmirror-writer-'));
    store = await openSqliteStore(join(work, 'store.sqlite'));
  });
  after(async () => {
    await store?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('two articles showing one picture: one file, one record, counted once; both stored', async () => {
    const blobs = createMemoryBlobStore();
    await blobs.put(SHA, PHOTO);
    const summary = emptySummary();
    const changes = noChanges();
    const mirrorDir = join(work, 'shared');
    const writer = createMirrorWriter({
      config,
      mirrorDir,
      store,
      blobs,
      summary,
      changes,
      log: silentLogger,
      now: () => new Date(),
    });
    await Promise.all([
      writer.applyArticle(
        planned('https://daily.example/a1.html'),
        resultFor('https://daily.example/a1.html', [mirrored()]),
      ),
      writer.applyArticle(
        planned('https://daily.example/a2.html'),
        resultFor('https://daily.example/a2.html', [mirrored()]),
      ),
    ]);
    assert.deepEqual(summary.failures, []);
    assert.equal(summary.new, 2);
    assert.equal(summary.images.mirrored, 1);
    const asset = join(mirrorDir, 'assets', SHA.slice(0, 2), `${SHA}.jpg`);
    assert.deepEqual(readFileSync(asset), PHOTO);
    assert.equal((await store.images.get(PHOTO_SRC))?.sha256, SHA);
    assert.equal(await blobs.get(SHA), undefined, 'the blob is let go once in the mirror');
    assert.deepEqual(changes.assetPaths, [`assets/${SHA.slice(0, 2)}/${SHA}.jpg`]);
    assert.equal(changes.renderKeys.length, 2);
    assert.deepEqual(await store.fetchCache.get('https://daily.example/a1.html'), {
      etag: '"e1"',
      contentHash: createHash('sha256').update('https://daily.example/a1.html').digest('hex'),
    });
  });

  test('same id from two URLs in flight together: the second gets its own id, nothing is overwritten', async () => {
    const summary = emptySummary();
    const writer = createMirrorWriter({
      config,
      mirrorDir: join(work, 'ids'),
      store,
      blobs: createMemoryBlobStore(),
      summary,
      changes: noChanges(),
      log: silentLogger,
      now: () => new Date(),
    });
    const urls = ['https://daily.example/2024/01/index.html', 'https://daily.example/2024/02/index.html'];
    await Promise.all(urls.map((url) => writer.applyArticle(planned(url), resultFor(url, [], ['index']))));
    assert.equal(summary.new, 2);
    const first = await store.articles.getByUrl(urls[0]);
    const second = await store.articles.getByUrl(urls[1]);
    assert.ok(first && second);
    assert.notEqual(first.id, second.id);
    assert.deepEqual(
      [first.title, second.title],
      urls.map((url) => `Title of ${url}`),
    );
  });

  test('an article with no id is a recorded failure; its picture is mirrored with the next article showing it', async () => {
    const blobs = createMemoryBlobStore();
    const other = Buffer.from('another picture');
    const sha = createHash('sha256').update(other).digest('hex');
    await blobs.put(sha, other);
    const outcome: ImageOutcome = {
      src: 'https://img.daily.example/other.png',
      status: 'mirrored',
      blob: {
        sha256: sha,
        assetPath: `assets/${sha.slice(0, 2)}/${sha}.png`,
        bytes: other.length,
        originalBytes: 10,
        contentType: 'image/png',
      },
    };
    const summary = emptySummary();
    const mirrorDir = join(work, 'noid');
    const writer = createMirrorWriter({
      config,
      mirrorDir,
      store,
      blobs,
      summary,
      changes: noChanges(),
      log: silentLogger,
      now: () => new Date(),
    });
    await writer.applyArticle(
      planned('https://daily.example/x/'),
      resultFor('https://daily.example/x/', [outcome], []),
    );
    assert.deepEqual(
      summary.failures.map((failure) => failure.code),
      ['no_article_id'],
    );
    assert.equal((await store.failures.get('https://daily.example/x/'))?.code, 'no_article_id');
    assert.equal(await store.articles.getByUrl('https://daily.example/x/'), undefined);
    assert.equal(await store.images.get(outcome.src), undefined);
    assert.equal(existsSync(join(mirrorDir, outcome.blob.assetPath)), false);

    await writer.applyArticle(
      planned('https://daily.example/b1.html'),
      resultFor('https://daily.example/b1.html', [outcome]),
    );
    assert.equal((await store.images.get(outcome.src))?.sha256, sha);
    assert.ok(existsSync(join(mirrorDir, outcome.blob.assetPath)));
    assert.equal(summary.images.mirrored, 1);
  });

  test('an article listed under two URLs (its AMP page and its canonical one) is one article, whichever comes first', async () => {
    const summary = emptySummary();
    const writer = createMirrorWriter({
      config,
      mirrorDir: join(work, 'amp'),
      store,
      blobs: createMemoryBlobStore(),
      summary,
      changes: noChanges(),
      log: silentLogger,
      now: () => new Date(),
    });
    const amp = 'https://daily.example/amp/s123.html';
    const canonical = 'https://daily.example/news/s123.html';
    // The AMP page names its canonical URL (an alias); the canonical page names none.
    await writer.applyArticle(planned(amp), { ...resultFor(amp, [], ['s123']), aliases: [canonical] });
    await writer.applyArticle(planned(canonical), resultFor(canonical, [], ['s123']));
    assert.deepEqual(summary.failures, []);
    assert.equal(summary.new, 1);
    const byAmp = await store.articles.getByUrl(amp);
    const byCanonical = await store.articles.getByUrl(canonical);
    assert.equal(byAmp?.id, 's123');
    assert.equal(byCanonical?.id, 's123');
  });

  test('an article with no id writes none of its images into the mirror', async () => {
    const blobs = createMemoryBlobStore();
    const bytes = Buffer.from('a picture of an article that has no id');
    const sha = createHash('sha256').update(bytes).digest('hex');
    await blobs.put(sha, bytes);
    const mirrorDir = join(work, 'noid-images');
    const summary = emptySummary();
    const changes = noChanges();
    const writer = createMirrorWriter({
      config,
      mirrorDir,
      store,
      blobs,
      summary,
      changes,
      log: silentLogger,
      now: () => new Date(),
    });
    const outcome: ImageOutcome = {
      src: 'https://img.daily.example/lonely.png',
      status: 'mirrored',
      blob: {
        sha256: sha,
        assetPath: `assets/${sha.slice(0, 2)}/${sha}.png`,
        bytes: bytes.length,
        originalBytes: 10,
        contentType: 'image/png',
      },
    };
    await writer.applyArticle(
      planned('https://daily.example/y/'),
      resultFor('https://daily.example/y/', [outcome], []),
    );
    assert.deepEqual(
      summary.failures.map((failure) => failure.code),
      ['no_article_id'],
    );
    assert.equal(existsSync(join(mirrorDir, outcome.blob.assetPath)), false);
    assert.deepEqual(changes.assetPaths, []);
  });
});
