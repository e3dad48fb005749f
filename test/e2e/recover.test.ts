// A store lost between runs, rebuilt from the mirror (`newsmirror recover`): every page comes back as an article
// with its channels and dates, a rebuild from the recovered store writes the mirror as it was, and the next run
// mirrors only what is new while the indexes keep listing the old pages. Built CLI (npm run build) on the demo site.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { addDemoArticle, type DemoSite, serveDemoSite } from '../../harness/demo-site.ts';
import { type BareRemote, git, makeBareRemote } from '../../harness/git.ts';
import { runCli } from '../helpers/cli.ts';

const cli = runCli;

/** Adds a copy of a demo article under a new id to the first listing channel. */
function addArticle(site: DemoSite, n: number): { path: string; title: string } {
  const title = `恢复测试新闻${n}`;
  return { path: addDemoArticle(site, `n6000000${n}`, title), title };
}

/** Every committed text file, with what changes on any re-render (cache busters, "updated at" times) blanked. */
async function committedText(mirror: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const list = await git(mirror, ['ls-tree', '-r', '--name-only', '-z', 'HEAD']);
  for (const path of list.split('\0').filter((name) => /\.(md|xml|csv)$/.test(name))) {
    files.set(path, comparable(readFileSync(join(mirror, path), 'utf8')));
  }
  return files;
}

function comparable(text: string): string {
  return text
    .replace(/\?[0-9a-z]{6,12}\)/g, '?)')
    .replace(/更新于 .*/g, '更新于')
    .replace(/<updated>[^<]*<\/updated>/, '<updated/>');
}

/** The store's articles and memberships, for comparing two stores of one mirror. */
function storeContent(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const articles = db
      .prepare('SELECT site_id, id, url, home_channel, page_path, title FROM articles ORDER BY site_id, id')
      .all();
    const memberships = db
      .prepare(
        `SELECT a.site_id, a.id, m.channel_id FROM memberships m JOIN articles a ON a.key = m.article_key
         ORDER BY a.site_id, a.id, m.channel_id`,
      )
      .all();
    return { articles, memberships };
  } finally {
    db.close();
  }
}

describe('recover: the store rebuilt from the mirror', () => {
  let site: DemoSite;
  let remote: BareRemote;
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-recover-'));
  const configFile = join(work, 'newsmirror.yaml');
  const mirror = join(work, 'mirror');
  const storeFile = join(work, 'store.sqlite');
  let original: ReturnType<typeof storeContent>;
  let pages = 0;

  before(async () => {
    site = await serveDemoSite({ copy: true });
    remote = await makeBareRemote();
    writeFileSync(
      configFile,
      site.configText
        .replace('dir: ./out/mirror', `dir: ${mirror}`)
        .replace('url: ./out/remote.git', `url: ${remote.url}`)
        .replace('path: ./out/store.sqlite', `path: ${storeFile}`),
    );
    // Two runs, so pages were first seen at different times.
    assert.equal((await cli(['run', '-c', configFile])).code, 0);
    addArticle(site, 1);
    const second = await cli(['run', '-c', configFile]);
    assert.equal(second.code, 0, second.out);
    original = storeContent(storeFile);
    pages = original.articles.length;
    assert.ok(pages >= 20, `${pages} articles`);
  });

  after(async () => {
    await site?.server.close();
    await remote?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  test('the store gone: every page comes back with its channels; a hand-made file is skipped and said', async () => {
    rmSync(storeFile);
    const notes = join(mirror, 'pages', 'ncid1078159', 'notes.md');
    writeFileSync(notes, '# My notes\n\nNot a page newsmirror wrote.\n');
    const result = await cli(['recover', '-c', configFile]);
    rmSync(notes);
    assert.equal(result.code, 1, result.out);
    assert.match(
      result.out,
      new RegExp(
        `recovered ${pages} articles and \\d+ images .*: ${pages} pages render back the same, 0 would change`,
      ),
    );
    assert.match(
      result.out,
      /skipped pages\/ncid1078159\/notes\.md: not a page newsmirror wrote: .*notes\.md:1/,
    );
    assert.deepEqual(storeContent(storeFile), original);
  });

  test('a store that holds articles is refused: recover fills an empty store only', async () => {
    const result = await cli(['recover', '-c', configFile]);
    assert.equal(result.code, 2, result.out);
    assert.match(
      result.out,
      new RegExp(`already holds ${pages} articles; recover fills an empty store only`),
    );
  });

  test('a rebuild from the recovered store writes every page, index and feed as they were', async () => {
    const before = await committedText(mirror);
    const rebuilt = await cli(['rebuild', '-c', configFile, '--no-commit']);
    assert.equal(rebuilt.code, 0, rebuilt.out);
    const after = await committedText(mirror);
    assert.equal(after.size, before.size);
    for (const [path, text] of before) assert.equal(after.get(path), text, path);
    await git(mirror, ['checkout', '--', '.']);
  });

  test('the next run mirrors only the new article, and the index lists it with the old ones', async () => {
    const added = addArticle(site, 2);
    const result = await cli(['run', '-c', configFile]);
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /new 1, updated 0, failed 0/);
    const index = readFileSync(join(mirror, 'indexes', 'ncid1078159.md'), 'utf8');
    assert.match(index, new RegExp(added.title));
    for (const article of original.articles as Array<{ home_channel: string; title: string }>) {
      if (article.home_channel === 'ncid1078159') assert.ok(index.includes(article.title), article.title);
    }
    assert.equal(storeContent(storeFile).articles.length, pages + 1);
    assert.equal(await git(mirror, ['status', '--porcelain']), '');
  });
});

describe('recover with retention: archived pages come back from the archive repository', () => {
  let site: DemoSite;
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-recover-archive-'));
  const configFile = join(work, 'newsmirror.yaml');
  const mirror = join(work, 'mirror');
  const archive = join(work, 'archive');
  const storeFile = join(work, 'store.sqlite');

  before(async () => {
    site = await serveDemoSite({ copy: true });
    writeFileSync(
      configFile,
      site.configText
        .replace(
          'dir: ./out/mirror',
          `dir: ${mirror}\n  keep: 3\n  archive: { dir: ${archive}, publicUrl: "https://example.org/archive/blob/main/" }`,
        )
        .replace(/ {2}remotes:\n(?: {4}- .*\n)+/, '  remotes: []\n')
        .replace('path: ./out/store.sqlite', `path: ${storeFile}`),
    );
    const first = await cli(['run', '-c', configFile]);
    assert.equal(first.code, 0, first.out);
  });

  after(async () => {
    await site?.server.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('every page of both repositories is stored again, and a rebuild writes both as they were', async () => {
    const original = storeContent(storeFile);
    const archived = (await git(archive, ['ls-files', 'pages']))
      .split('\n')
      .filter((path) => path.endsWith('.md'));
    assert.ok(archived.length > 0);
    rmSync(storeFile);
    const result = await cli(['recover', '-c', configFile]);
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /pages not compared \(retention is on\)/);
    assert.deepEqual(storeContent(storeFile), original);
    const before = [await committedText(mirror), await committedText(archive)];
    const rebuilt = await cli(['rebuild', '-c', configFile, '--no-commit']);
    assert.equal(rebuilt.code, 0, rebuilt.out);
    const after = [await committedText(mirror), await committedText(archive)];
    for (const [index, files] of before.entries()) {
      for (const [path, text] of files) assert.equal(after[index].get(path), text, path);
    }
  });
});
