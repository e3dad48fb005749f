// The demo mirror pushed to two remotes through the whole pipeline: a bare repository by path and `git daemon`
// on 127.0.0.1. A remote that is down loses nothing and is caught up next run; a remote someone else pushed to
// is merged, keeping both sides' commits.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type DemoSite, serveDemoSite } from '../../harness/demo-site.ts';
import {
  type BareRemote,
  freePort,
  type GitDaemon,
  git,
  gitLog,
  isReachable,
  makeBareRemote,
  readRemoteFile,
  startGitDaemon,
} from '../../harness/git.ts';
import { formatSummary } from '../../src/cli/run.ts';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { type RunSummary, runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';

describe('two remotes: a bare repository and git daemon', () => {
  let site: DemoSite;
  let bare: BareRemote;
  let served: BareRemote;
  let daemon: GitDaemon | undefined;
  let daemonPort: number;
  let loaded: LoadedConfig;
  let store: Store;
  let http: HttpClient;
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-remotes-'));
  const servedBase = () => join(served.path, '..');
  const run = (): Promise<RunSummary> => runMirror({ loaded, store, http, log: silentLogger });

  /** A new article in the first listing channel (a copy of a demo article under a new id). */
  let added = 0;
  const addArticle = (): { id: string; page: string } => {
    added++;
    const id = `n4000000${added}`;
    const template = '/gb/23/10/16/n14097688.htm';
    const html = readFileSync(join(site.root, template), 'utf8')
      .replaceAll('n14097688', id)
      .replace(/<h1 class="title">[^<]+<\/h1>/, `<h1 class="title">远端测试新闻${added}</h1>`);
    writeFileSync(join(site.root, `/gb/23/10/16/${id}.htm`), html);
    const listing = join(site.root, '/gb/ncid1078159.htm');
    writeFileSync(
      listing,
      readFileSync(listing, 'utf8').replace(
        '<div class="post_list"><ul>',
        `<div class="post_list"><ul><li><div class="title"><a href="/gb/23/10/16/${id}.htm">远端测试新闻${added}</a></div></li>`,
      ),
    );
    return { id, page: `pages/ncid1078159/${id}.md` };
  };

  before(async () => {
    site = await serveDemoSite({ copy: true });
    bare = await makeBareRemote();
    served = await makeBareRemote();
    daemonPort = await freePort();
    daemon = await startGitDaemon(servedBase(), daemonPort);
    const text = site.configText
      .replace('dir: ./out/mirror', `dir: ${join(work, 'mirror')}`)
      .replace(
        '    - { name: origin, url: ./out/remote.git }',
        `    - { name: bare, url: ${bare.url} }\n    - { name: daemon, url: "${daemon.url('remote.git')}" }`,
      )
      .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`)
      .replace('allowPrivateAddresses: true', 'allowPrivateAddresses: true\n  retries: 0');
    loaded = parseConfigText(text, 'newsmirror.yaml', work);
    assert.equal(loaded.config.mirror.remotes.length, 2);
    store = await openSqliteStore(loaded.storePath);
    http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 10 });
  });

  after(async () => {
    await http?.close();
    await store?.close();
    await daemon?.stop();
    await site?.server.close();
    await bare?.cleanup();
    await served?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  test('both remotes receive the first run', async () => {
    const summary = await run();
    assert.deepEqual(
      summary.pushes.map((push) => [push.remote, push.ok]),
      [
        ['bare', true],
        ['daemon', true],
      ],
    );
    const head = (await git(loaded.mirrorDir, ['rev-parse', 'HEAD'])).trim();
    assert.equal((await gitLog(bare.path, 'main'))[0].sha, head);
    assert.equal((await gitLog(served.path, 'main'))[0].sha, head);
  });

  test('with the daemon down the bare remote is still pushed, and the failure is in the summary', async () => {
    await daemon!.stop();
    daemon = undefined;
    const article = addArticle();
    const summary = await run();
    assert.equal(summary.new, 1);
    const [toBare, toDaemon] = summary.pushes;
    assert.equal(toBare.ok, true);
    assert.equal(toDaemon.ok, false);
    assert.equal(toDaemon.remote, 'daemon');
    assert.equal(toDaemon.retryable, true);
    assert.match(toDaemon.error ?? '', /daemon/);
    assert.match(formatSummary(summary, loaded.mirrorDir), /push bare ok, daemon FAILED/);
    assert.ok(await readRemoteFile(bare.path, article.page));
    assert.equal(await readRemoteFile(served.path, article.page), null);
  });

  test('the next run, daemon back up, pushes everything it missed', async () => {
    daemon = await startGitDaemon(servedBase(), daemonPort);
    const summary = await run();
    assert.equal(summary.commit, null, 'nothing new to commit');
    assert.ok(
      summary.pushes.every((push) => push.ok),
      JSON.stringify(summary.pushes),
    );
    const head = (await git(loaded.mirrorDir, ['rev-parse', 'HEAD'])).trim();
    assert.equal((await gitLog(served.path, 'main'))[0].sha, head);
    assert.ok(await readRemoteFile(served.path, 'pages/ncid1078159/n40000001.md'));
  });

  test('a remote someone else pushed to is merged: both commits reachable, on both remotes', async () => {
    // Someone adds a file to the bare remote directly.
    const clone = mkdtempSync(join(tmpdir(), 'newsmirror-other-'));
    try {
      await git(clone, ['clone', '-q', bare.path, 'c']);
      const checkout = join(clone, 'c');
      writeFileSync(join(checkout, 'CONTRIBUTING.md'), '# How to help\n');
      await git(checkout, ['add', 'CONTRIBUTING.md']);
      await git(checkout, ['commit', '-q', '-m', 'someone else']);
      await git(checkout, ['push', '-q', 'origin', 'main']);
      const theirs = (await git(checkout, ['rev-parse', 'HEAD'])).trim();

      const article = addArticle();
      const summary = await run();
      assert.equal(summary.new, 1);
      assert.ok(
        summary.pushes.every((push) => push.ok),
        JSON.stringify(summary.pushes),
      );
      assert.equal(summary.pushes[0].merged, true, 'the bare remote had moved ahead');
      const ours = summary.commit!;
      for (const repo of [bare.path, served.path]) {
        assert.ok(await isReachable(repo, theirs), `their commit on ${repo}`);
        assert.ok(await isReachable(repo, ours), `our commit on ${repo}`);
        assert.equal(await readRemoteFile(repo, 'CONTRIBUTING.md'), '# How to help\n');
        assert.ok(await readRemoteFile(repo, article.page));
      }
      assert.equal((await git(loaded.mirrorDir, ['status', '--porcelain'])).trim(), '');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});

describe('growth: pages sharded by month, indexes with archive pages', () => {
  test('pages go to pages/<channel>/<yyyy-mm>/<id>.md, every link resolves, older titles sit on archive pages', async () => {
    const site = await serveDemoSite({ copy: true });
    const remote = await makeBareRemote();
    const work = mkdtempSync(join(tmpdir(), 'newsmirror-shard-'));
    try {
      const text = site.configText
        .replace(
          'dir: ./out/mirror',
          `dir: ${join(work, 'mirror')}\n  shardByMonth: true\n  indexPageSize: 5`,
        )
        .replace('url: ./out/remote.git', `url: ${remote.url}`)
        .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`);
      const loaded = parseConfigText(text, 'newsmirror.yaml', work);
      assert.equal(loaded.config.mirror.shardByMonth, true);
      const store = await openSqliteStore(loaded.storePath);
      const http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 10 });
      try {
        const summary = await runMirror({ loaded, store, http, log: silentLogger });
        assert.deepEqual(summary.failures, []);
      } finally {
        await http.close();
        await store.close();
      }
      const mirror = loaded.mirrorDir;
      for (const article of site.manifest.articles.filter((candidate) => candidate.siteId === 'epochtimes')) {
        const month = String((article as { published?: string }).published).slice(0, 7);
        const page = `pages/${article.homeChannel}/${month}/${article.id}.md`;
        assert.ok(existsSync(join(mirror, page)), page);
        assert.ok(await readRemoteFile(remote.path, page), `pushed: ${page}`);
        // Relative links from one level deeper still reach the mirror's files.
        for (const target of relativeLinks(readFileSync(join(mirror, page), 'utf8'))) {
          const resolved = posix.normalize(posix.join(posix.dirname(page), target));
          if (resolved.startsWith('..')) continue; // sister mirrors beside this one (the nav bar)
          assert.ok(existsSync(join(mirror, resolved)), `${page} links to ${target}`);
        }
      }
      // Channel ncid1078159 lists 8 articles: 5 on the newest index page, the oldest 5 on archive page 1.
      const channel = site.manifest.channels.find((candidate) => candidate.id === 'ncid1078159')!;
      const newest = readFileSync(join(mirror, 'indexes/ncid1078159.md'), 'utf8');
      const archive = readFileSync(join(mirror, 'indexes/ncid1078159/1.md'), 'utf8');
      const idsOn = (markdown: string) =>
        channel.articles
          .map((path) => site.manifest.articles.find((article) => article.path === path)!.id)
          .filter((id) => markdown.includes(`/${id}.md`));
      assert.equal(idsOn(newest).length, 5);
      assert.equal(idsOn(archive).length, 5);
      assert.equal(new Set([...idsOn(newest), ...idsOn(archive)]).size, channel.articles.length);
      for (const [file, markdown] of [
        ['indexes/ncid1078159.md', newest],
        ['indexes/ncid1078159/1.md', archive],
      ]) {
        for (const target of relativeLinks(markdown)) {
          const resolved = posix.normalize(posix.join(posix.dirname(file), target));
          if (!resolved.startsWith('..'))
            assert.ok(existsSync(join(mirror, resolved)), `${file} links to ${target}`);
        }
      }
      assert.ok(readdirSync(dirname(join(mirror, 'indexes/ncid1078159/1.md'))).length >= 1);
    } finally {
      await site.server.close();
      await remote.cleanup();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

/** Targets of Markdown links and images that are relative paths (query and fragment dropped). */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)|src="([^"]+)"/g)]
    .map((match) => decodeURI((match[1] ?? match[2]).split(/[?#]/)[0]))
    .filter((target) => target !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(target));
}
