// The whole pipeline against the demo site on a loopback server, a real SQLite file and a real bare git remote:
// first run, an idle second run, a changed article, and articles that fail in three different ways.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { type DemoSite, serveDemoSite } from '../../harness/demo-site.ts';
import { type BareRemote, git, gitLog, makeBareRemote, readRemoteFile } from '../../harness/git.ts';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { type RunSummary, rebuildMirror, runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';

describe('mirror end to end (demo site, bare remote)', () => {
  let site: DemoSite;
  let remote: BareRemote;
  let loaded: LoadedConfig;
  let store: Store;
  let http: HttpClient;
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-e2e-'));

  const articlePaths = () => new Set(site.manifest.articles.map((article) => article.path));
  const pageOf = (articlePath: string) => {
    const article = site.manifest.articles.find((candidate) => candidate.path === articlePath)!;
    return join(loaded.mirrorDir, 'pages', article.homeChannel, `${article.id}.md`);
  };
  // Small write batches: a first run's pages go out in several batches, and still make one commit.
  const run = (): Promise<RunSummary> =>
    runMirror({ loaded, store, http, log: silentLogger, writeBatchFiles: 7 });

  before(async () => {
    site = await serveDemoSite({ copy: true });
    remote = await makeBareRemote();
    const text = site.configText
      .replace('dir: ./out/mirror', `dir: ${join(work, 'mirror')}`)
      .replace('url: ./out/remote.git', `url: ${remote.url}`)
      .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`)
      .replace(
        'allowPrivateAddresses: true',
        'allowPrivateAddresses: true\n  retries: 1\n  headersTimeoutMs: 1500\n  bodyTimeoutMs: 1500\n  connectTimeoutMs: 1500',
      );
    loaded = parseConfigText(text, 'newsmirror.yaml', work);
    store = await openSqliteStore(loaded.storePath);
    http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 10 });
  });

  after(async () => {
    await http?.close();
    await store?.close();
    await site?.server.close();
    await remote?.cleanup();
  });

  test('the first run mirrors every article once, with indexes, home page and feed, and pushes', async () => {
    const summary = await run();
    assert.deepEqual(summary.failures, []);
    assert.equal(summary.new, site.manifest.articles.length);
    assert.equal(summary.failed, 0);
    for (const article of site.manifest.articles) {
      const page = readFileSync(pageOf(article.path), 'utf8');
      assert.ok(
        page.startsWith(`### ${article.title}`) || page.includes(article.title),
        `title on ${article.path}`,
      );
      assert.match(page, /原文链接（需翻墙）：http:\/\/127\.0\.0\.1:\d+\//);
    }
    // An article listed in several channels is one page, listed in each channel's index.
    const shared = site.manifest.articles.find((article) => article.channels.length > 1)!;
    assert.ok(shared, 'the demo has an article in several channels');
    for (const channel of shared.channels) {
      assert.match(
        readFileSync(join(loaded.mirrorDir, 'indexes', `${channel}.md`), 'utf8'),
        new RegExp(shared.id),
      );
    }
    const pages = site.manifest.articles.map((article) => pageOf(article.path));
    assert.equal(new Set(pages).size, pages.length);
    for (const file of ['README.md', 'feed.xml', 'mirrors.md'])
      assert.ok(existsSync(join(loaded.mirrorDir, file)), file);
    // GBK pages arrive without mojibake.
    const gbk = site.manifest.articles.find((article) => article.charset === 'gbk')!;
    assert.ok(readFileSync(pageOf(gbk.path), 'utf8').includes(gbk.paragraphs[0].slice(0, 12)));
    // Pushed: the remote has the commit and the pages.
    const remoteLog = await gitLog(remote.path, 'main');
    assert.equal(remoteLog.length, 1);
    assert.match(remoteLog[0].subject, /^同步于: /);
    assert.equal(summary.pushes[0]?.ok, true);
    // Every batch is in that one commit.
    for (const article of site.manifest.articles) {
      assert.ok(
        await readRemoteFile(remote.path, `pages/${article.homeChannel}/${article.id}.md`),
        article.path,
      );
    }
    // The run commits the files it wrote, its images included, and nothing is left over.
    assert.equal(summary.images.mirrored > 0, true, 'the demo mirrors images');
    assert.equal(await git(loaded.mirrorDir, ['status', '--porcelain', '--untracked-files=all']), '');
  });

  test('a second run fetches no article again and makes no commit', async () => {
    const before = site.server.requests.length;
    const summary = await run();
    const requested = site.server.requests.slice(before).map((request) => request.path);
    const refetched = requested.filter((path) => articlePaths().has(path));
    assert.deepEqual(refetched, []);
    assert.equal(summary.new, 0);
    assert.equal(summary.updated, 0);
    assert.equal(summary.commit, null);
    assert.equal((await gitLog(loaded.mirrorDir)).length, 1);
  });

  test('an article changed at the source is updated in place, once', async () => {
    const channel = site.manifest.channels.find((candidate) => candidate.kind === 'listing')!;
    const articlePath = channel.articles[0];
    const article = site.manifest.articles.find((candidate) => candidate.path === articlePath)!;
    const newTitle = `${article.title}（更新）`;
    const listingFile = join(site.root, channel.path);
    writeFileSync(listingFile, readFileSync(listingFile, 'utf8').replaceAll(article.title, newTitle));
    const articleFile = join(site.root, articlePath);
    const changed = readFileSync(articleFile, 'utf8')
      .replaceAll(article.title, newTitle)
      .replace(
        '<!-- article content end -->',
        '<p>更正：本文首发时的一处数据有误，现已更正。</p><!-- article content end -->',
      );
    assert.notEqual(changed, readFileSync(articleFile, 'utf8'), 'the fixture has the content end marker');
    writeFileSync(articleFile, changed);
    // A file an operator left in the mirror is no file of the run's: it is not committed.
    writeFileSync(join(loaded.mirrorDir, 'operator-notes.md'), 'not for the mirror\n');

    const summary = await run();
    assert.equal(summary.updated, 1);
    assert.ok(summary.commit);
    assert.equal(
      await git(loaded.mirrorDir, ['status', '--porcelain', '--untracked-files=all']),
      '?? operator-notes.md\n',
    );
    assert.equal(summary.new, 0);
    const page = readFileSync(pageOf(articlePath), 'utf8');
    assert.ok(page.startsWith(`### ${newTitle}`));
    assert.match(page, /更正：本文首发时的一处数据有误/);
    assert.match(readFileSync(join(loaded.mirrorDir, 'indexes', `${channel.id}.md`), 'utf8'), /（更新）/);
    const csv = readFileSync(join(loaded.mirrorDir, 'indexes', `${channel.id}.csv`), 'utf8');
    assert.equal(
      csv.split('\n').filter((line) => line.startsWith(`${article.id},`)).length,
      1,
      'one CSV row',
    );

    const again = await run();
    assert.equal(again.updated, 0);
    assert.equal(again.commit, null);
    rmSync(join(loaded.mirrorDir, 'operator-notes.md'));
  });

  test('a 404, a 500 and a timeout each fail alone with a clear message and are retried next run', async () => {
    const channel = site.manifest.channels.find((candidate) => candidate.kind === 'listing')!;
    const listingFile = join(site.root, channel.path);
    const broken = ['n90000404', 'n90000500', 'n90000408'].map((id) => `/gb/23/11/01/${id}.htm`);
    const extraLinks = broken
      .map((path, index) => `<div class="title"><a href="${path}">坏链接${index}</a></div>`)
      .join('');
    writeFileSync(
      listingFile,
      readFileSync(listingFile, 'utf8').replace(
        '<div class="post_list"><ul>',
        `<div class="post_list"><ul>${extraLinks}`,
      ),
    );
    site.server.route(broken[1], (_req, res) => {
      res.writeHead(500);
      res.end('boom');
    });
    site.server.route(broken[2], () => {
      // never answers: the client's header timeout ends it
    });

    const summary = await run();
    assert.equal(summary.failed, 3);
    const byPath = new Map(summary.failures.map((failure) => [new URL(failure.url).pathname, failure]));
    assert.equal(byPath.get(broken[0])?.code, 'http_404');
    assert.match(byPath.get(broken[0])!.message, /n90000404\.htm answered 404/);
    assert.equal(byPath.get(broken[1])?.code, 'http_500');
    assert.equal(byPath.get(broken[1])?.retryable, true);
    assert.equal(byPath.get(broken[2])?.code, 'timeout');
    assert.equal(summary.new, 0, 'nothing else changed');

    const hitsBefore = broken.map((path) => site.server.hits(path).length);
    const retry = await run();
    const hitsAfter = broken.map((path) => site.server.hits(path).length);
    assert.equal(retry.failed, 3);
    for (const [index, hits] of hitsAfter.entries())
      assert.ok(hits > hitsBefore[index], `${broken[index]} retried`);
    // Nothing already mirrored was lost.
    for (const article of site.manifest.articles) assert.ok(existsSync(pageOf(article.path)));
  });

  test('rebuild re-renders every page from the store, byte for byte, and adds the most-read index from counts', async () => {
    const article = site.manifest.articles[0];
    const before = readFileSync(pageOf(article.path), 'utf8');
    const path = `pages/${article.homeChannel}/${article.id}.md`;
    await store.views.add([{ path, day: new Date().toISOString().slice(0, 10), count: 5 }]);
    const result = await rebuildMirror({ loaded, store, log: silentLogger });
    assert.equal(result.pages, site.manifest.articles.length);
    assert.equal(readFileSync(pageOf(article.path), 'utf8'), before);
    const popular = readFileSync(join(loaded.mirrorDir, 'indexes', 'popular.md'), 'utf8');
    assert.ok(popular.includes(article.title.slice(0, 10)), popular);
    assert.match((await gitLog(loaded.mirrorDir))[0].subject, /^重建于: /);
  });

  test('a page that cannot be rendered fails the rebuild with its error, and leaves nothing running', async () => {
    const article = site.manifest.articles[1];
    const before = readFileSync(pageOf(article.path), 'utf8');
    const db = new Database(loaded.storePath);
    const id = article.id;
    const { extracted } = db.prepare('SELECT extracted FROM articles WHERE id = ?').get(id) as {
      extracted: string;
    };
    db.prepare('UPDATE articles SET extracted = ? WHERE id = ?').run('{"broken', id);
    try {
      await assert.rejects(rebuildMirror({ loaded, store, log: silentLogger }), (error: Error) => {
        assert.match(error.message, /^render: pages\/.+JSON/);
        assert.ok(error.message.includes(`${id}.md`), error.message);
        return true;
      });
    } finally {
      db.prepare('UPDATE articles SET extracted = ? WHERE id = ?').run(extracted, id);
      db.close();
    }
    // The lock was released and the workers closed: the next rebuild runs, and the page is as before.
    const result = await rebuildMirror({ loaded, store, log: silentLogger });
    assert.equal(result.pages, site.manifest.articles.length);
    assert.equal(readFileSync(pageOf(article.path), 'utf8'), before);
  });

  test('a channel whose feed cannot be read is reported, and nothing mirrored from it is lost', async () => {
    const feed = site.manifest.channels.find((channel) => channel.kind !== 'listing')!;
    site.server.route(feed.path, (_req, res) => {
      res.writeHead(503);
      res.end('down');
    });
    const summary = await run();
    assert.deepEqual(
      summary.channelFailures.map((failure) => failure.channelId),
      [feed.id],
    );
    assert.match(summary.channelFailures[0].message, /503/);
    assert.equal(summary.failed, 3, 'only the three broken articles of the earlier test');
    for (const article of site.manifest.articles) assert.ok(existsSync(pageOf(article.path)));
  });
});
