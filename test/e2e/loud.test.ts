// Every breakage loud, as an operator meets it through the built CLI: a wrong selector or a feed URL that is an
// HTML page fails its channel (exit 3, named, with a hint) and keeps no validators, so the fixed config mirrors
// on the very next run; a deleted mirror folder with a populated store asks for `newsmirror rebuild`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type DemoSite, serveDemoSite } from '../../harness/demo-site.ts';
import { openSqliteStore } from '../../src/store/index.ts';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function newsmirror(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(process.cwd(), 'bin', 'newsmirror.js'), ...args],
      { encoding: 'utf8', timeout: 120_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout: string; stderr: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('breakages are loud (built CLI, demo site)', () => {
  let site: DemoSite;
  const work = mkdtempSync(join(tmpdir(), 'nm-loud-'));
  const file = join(work, 'newsmirror.yaml');
  const mirrorDir = join(work, 'mirror');
  const selector = '.post_list .title a, .arttitle a';
  let goodConfig: string;
  let listingUrl: string;

  before(async () => {
    site = await serveDemoSite();
    goodConfig = site.configText
      .replace('dir: ./out/mirror', `dir: ${mirrorDir}`)
      .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`)
      .replace(/remotes:[\s\S]*?(\n\S)/, '$1');
    listingUrl = `${site.server.origin}/gb/ncid1078159.htm`;
  });
  after(async () => {
    await site?.server.close();
  });

  test('a wrong selector and a feed that is an HTML page fail their channels, named, with exit 3', async () => {
    const broken = goodConfig
      .replace(
        `links: "${selector}" }\n      - id: ncid1146487`,
        `links: ".no-such-list a" }\n      - id: ncid1146487`,
      )
      .replace(`${site.server.origin}/gb/rss/news.xml`, `${site.server.origin}/gb/ncid1146487.htm`);
    assert.notEqual(broken, goodConfig);
    writeFileSync(file, broken);
    const result = await newsmirror(['run', '-c', file, '--no-push']);
    assert.equal(result.code, 3, result.stderr);
    assert.match(
      result.stderr,
      /channel failed: epochtimes\/ncid1078159: listing \S+ncid1078159\.htm: the selector "\.no-such-list a" matched 0 link\(s\), and no article: check the selector/,
    );
    // One line, not an XML parser's error.
    const feedLine = result.stderr
      .split('\n')
      .find((line) => line.startsWith('channel failed: epochtimes/news:'));
    assert.match(feedLine ?? '', /feed \S+ncid1146487\.htm is an HTML page, not RSS or Atom: /);
    assert.match(result.stdout, /, channels failed 2 /);
    // The empty listing's validators were not kept: the site would otherwise answer 304 after the fix.
    const store = await openSqliteStore(join(work, 'store.sqlite'));
    try {
      assert.equal(await store.fetchCache.get(listingUrl), undefined);
    } finally {
      await store.close();
    }
  });

  test('with the selector fixed, the next run mirrors that channel', async () => {
    writeFileSync(file, goodConfig);
    const result = await newsmirror(['run', '-c', file, '--no-push']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /failed 0, skipped \d+, channels failed 0 /);
    const listed = site.manifest.articles.filter((article) => article.channels.includes('ncid1078159'));
    assert.ok(listed.length > 0);
    const store = await openSqliteStore(join(work, 'store.sqlite'));
    try {
      const entries = await store.channels.entries('ncid1078159', {});
      assert.deepEqual(
        new Set(entries.map((entry) => entry.id)),
        new Set(listed.map((article) => article.id)),
      );
      for (const entry of entries) assert.ok(existsSync(join(mirrorDir, entry.path)), entry.path);
    } finally {
      await store.close();
    }
  });

  test('a deleted mirror folder with a populated store says to run rebuild; rebuild brings it back', async () => {
    rmSync(mirrorDir, { recursive: true, force: true });
    const refused = await newsmirror(['run', '-c', file, '--no-push']);
    assert.equal(refused.code, 3);
    assert.match(
      refused.stderr,
      /the mirror \S+ is missing .* the store holds \d+ article\(s\): run `newsmirror rebuild -c /,
    );
    assert.equal(existsSync(mirrorDir), false, 'nothing was created in its place');
    const rebuilt = await newsmirror(['rebuild', '-c', file]);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    const again = await newsmirror(['run', '-c', file, '--no-push']);
    assert.equal(again.code, 0, again.stderr);
    const article = site.manifest.articles[0];
    assert.ok(existsSync(join(mirrorDir, 'pages', article.homeChannel, `${article.id}.md`)));
  });
});
