// Rule health against the demo site: all rules match; after a "redesign" the broken rules are reported and a run
// falls back to the generic extractor and says so.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type DemoSite, serveDemoSite } from '../../harness/demo-site.ts';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { checkSiteRules } from '../../src/pipeline/check.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore } from '../../src/store/index.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('newsmirror check', () => {
  let site: DemoSite;
  let loaded: LoadedConfig;
  let http: HttpClient;
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-check-'));

  before(async () => {
    site = await serveDemoSite({ copy: true });
    const text = site.configText
      .replace('dir: ./out/mirror', `dir: ${join(work, 'mirror')}`)
      .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`)
      .replace(/ {2}remotes:\n {4}- \{ name: origin, url: \.\/out\/remote\.git \}\n/, '');
    loaded = parseConfigText(text, 'newsmirror.yaml', work);
    http = createHttpClient(loaded.config.fetch);
  });

  after(async () => {
    await http?.close();
    await site?.server.close();
  });

  test('every rule of the demo site matches', async () => {
    const report = await checkSiteRules(loaded, http);
    assert.ok(report.checked >= 6, `checked ${report.checked}`);
    assert.deepEqual(report.problems, []);
  });

  test('after a redesign the body rule is reported broken and a run says it fell back', async () => {
    for (const file of filesUnder(join(site.root, 'gb', '23'))) {
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('id="artbody"', 'id="story-body"'));
    }
    const report = await checkSiteRules(loaded, http);
    const broken = report.problems.filter((problem) => problem.rule === 'body');
    assert.ok(broken.length >= 3, JSON.stringify(report.problems));
    assert.match(broken[0].detail, /"#artbody" matches nothing/);

    const store = await openSqliteStore(loaded.storePath);
    try {
      const summary = await runMirror({ loaded, store, http, log: silentLogger });
      assert.equal(summary.failed, 0);
      assert.ok(summary.fallbacks.length >= 10, `fallbacks: ${summary.fallbacks.length}`);
      assert.ok(summary.fallbacks.every((fallback) => fallback.misses.includes('body')));
    } finally {
      await store.close();
    }
  });
});
