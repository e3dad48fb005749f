// The demo mirror pushed to two remotes through the whole pipeline: a bare repository by path and `git daemon`
// on 127.0.0.1. A remote that is down loses nothing and is caught up next run; a remote someone else pushed to
// is merged, keeping both sides' commits.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatSummary } from '../../src/cli/run.ts';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { type RunSummary, runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';
import { type DemoSite, serveDemoSite } from '../helpers/demo-site.ts';
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
} from '../helpers/git.ts';

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
