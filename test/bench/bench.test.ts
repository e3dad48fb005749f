// Smoke test of the speed benchmark's parts on a few articles (no timing): the generated site, the baseline, the
// case runner; and the incremental index rendering the scale benchmark relies on gives the same files as a full one.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runBaseline } from '../../harness/bench/baseline.ts';
import { runCase } from '../../harness/bench/case.ts';
import { runE2eCase, runE2eSite, runStartup } from '../../harness/bench/e2e.ts';
import {
  articleInfo,
  type BenchSite,
  benchConfigYaml,
  renderArticlePage,
  startBenchSite,
} from '../../harness/bench/site-generator.ts';
import { parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient } from '../../src/pipeline/fetch/client.ts';
import { renderChannelCsv, renderChannelIndexes } from '../../src/pipeline/render/index.ts';
import { runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore } from '../../src/store/index.ts';

describe('bench site generator', () => {
  test('pages are deterministic, 150-250 KB, with the story, images and clutter', () => {
    for (const index of [0, 1, 7]) {
      const page = renderArticlePage(index, 'http://127.0.0.1:1');
      assert.equal(page, renderArticlePage(index, 'http://127.0.0.1:1'));
      const bytes = Buffer.byteLength(page);
      assert.ok(bytes >= 150 * 1024 && bytes <= 250 * 1024, `page ${index} is ${bytes} bytes`);
      const info = articleInfo(index);
      assert.ok(page.includes(`<h1 class="headline">${info.title}</h1>`));
      for (const image of info.images) assert.ok(page.includes(image), image);
      for (const clutter of ['<nav', '<aside', 'class="comments"', '<script>', '<style'])
        assert.ok(page.includes(clutter), clutter);
    }
    assert.notEqual(renderArticlePage(0, 'http://a'), renderArticlePage(1, 'http://a'));
  });

  test('portal pages are 140-200 KB with the clutter, small ones under 20 KB with the same story', () => {
    for (const index of [0, 1, 7]) {
      const portal = renderArticlePage(index, 'http://a', { pages: 'portal', channels: 3 });
      const small = renderArticlePage(index, 'http://a', { pages: 'small', channels: 3 });
      const bytes = Buffer.byteLength(portal);
      assert.ok(bytes >= 140 * 1024 && bytes <= 200 * 1024, `portal page ${index} is ${bytes} bytes`);
      assert.ok(Buffer.byteLength(small) < 20 * 1024, `small page ${index}`);
      for (const clutter of ['<aside', 'class="comments"', '<script>', '<style'])
        assert.ok(portal.includes(clutter) && !small.includes(clutter), clutter);
      assert.match(small, new RegExp(`<h1 class="headline">${articleInfo(index, 3).title}</h1>`));
      assert.ok(small.includes('<div class="article-body" id="article-body">'));
    }
  });
});

describe('end-to-end bench (whole processes) on a few articles', () => {
  test('newsmirror run, the seed-style Python script and the Readability baseline each write every article', async () => {
    // No timing is asserted: the figures only have to be there. Needs the built CLI (npm run build).
    // The mirrored case is left to the in-process smoke test below: here it would only add sharp's start-up.
    const cases = ['hotlink', 'seed', 'readability'] as const;
    const run = await runE2eSite('small', 6, cases, 1, () => {});
    assert.deepEqual(
      run.results.map((result) => [result.case, result.written]),
      cases.map((kind) => [kind, 6]),
    );
    for (const result of run.results) assert.ok(result.seconds > 0 && result.peakRssMb > 0, result.label);
    assert.ok(run.results[0].summarySeconds !== undefined);
  });

  test('a case that writes fewer articles than listed fails the bench', async () => {
    const site = await startBenchSite({ articles: 6, shape: { pages: 'small', channels: 3 } });
    try {
      await assert.rejects(runE2eCase('seed', site.origin, 7), /written 6 of 7/);
    } finally {
      await site.close();
    }
  });

  test('start-up: bare node, --version, --help and extract of one page, each measured', async () => {
    const rows = await runStartup(1);
    assert.deepEqual(
      rows.map((row) => row.label.split(' (')[0]),
      ['node -e 0', 'newsmirror --version', 'newsmirror --help', 'newsmirror extract'],
    );
    for (const row of rows) assert.ok(row.seconds > 0 && row.peakRssMb > 0, row.label);
  });
});

describe('bench harness on a few articles', () => {
  const articles = 22;
  let site: BenchSite;
  before(async () => {
    site = await startBenchSite({ articles, unpublished: 7 });
  });
  after(() => site.close());

  test('newsmirror mirrors the listed articles with their images, the baseline writes the same pages', async () => {
    const ours = await runCase({
      kind: 'ours',
      origin: site.origin,
      articles,
      images: 'mirror',
      links: 'mirror',
    });
    assert.equal(ours.failed, 0);
    assert.equal(ours.articles, articles - 7);
    assert.ok(ours.cpuSeconds > 0 && ours.peakRssMb > 0);
    assert.ok(ours.imageBytesPerArticle && ours.imageBytesPerArticle.mirrored > 0);
    const out = mkdtempSync(join(tmpdir(), 'newsmirror-bench-test-'));
    try {
      const baseline = await runBaseline({ origin: site.origin, outDir: out });
      assert.deepEqual(baseline, { written: articles - 7, failed: 0 });
      const info = articleInfo(7);
      assert.match(readFileSync(join(out, `${1000000 + 7}.md`), 'utf8'), new RegExp(`^### ${info.title}`));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('indexes after a run with new articles equal indexes rendered whole from the store', async () => {
    const work = mkdtempSync(join(tmpdir(), 'newsmirror-bench-test-'));
    const loaded = parseConfigText(
      benchConfigYaml({
        origin: site.origin,
        mirrorDir: join(work, 'mirror'),
        storePath: join(work, 'store.sqlite'),
        images: 'hotlink',
        links: 'inert',
        indexPageSize: 5,
      }),
      'bench.yaml',
      work,
    );
    const store = await openSqliteStore(loaded.storePath);
    const http = createHttpClient(loaded.config.fetch);
    try {
      const first = await runMirror({ loaded, store, http, log: silentLogger, push: false });
      assert.equal(first.new, articles - 7);
      site.publishAll();
      const second = await runMirror({ loaded, store, http, log: silentLogger, push: false });
      assert.equal(second.new, 7);
      for (const channel of loaded.config.sites[0].channels) {
        const entries = await store.channels.entries(channel.id, {});
        const whole = renderChannelIndexes({ id: channel.id, title: channel.title }, entries, {
          mirror: loaded.config.mirror,
          now: new Date(),
        });
        // The newest page carries the run's time in its links; archive pages and the CSV must match exactly.
        for (const file of whole.filter((candidate) => candidate.path.includes(`/${channel.id}/`))) {
          assert.equal(readFileSync(join(loaded.mirrorDir, file.path), 'utf8'), file.content, file.path);
        }
        assert.equal(
          readFileSync(join(loaded.mirrorDir, `indexes/${channel.id}.csv`), 'utf8'),
          renderChannelCsv(entries),
        );
      }
    } finally {
      await http.close();
      await store.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
