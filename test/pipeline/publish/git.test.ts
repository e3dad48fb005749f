import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  freePort,
  type GitDaemon,
  git,
  gitLog,
  isReachable,
  makeBareRemote,
  readRemoteFile,
  startGitDaemon,
} from '../../../harness/git.ts';
import { openGitMirror } from '../../../src/pipeline/publish/git.ts';
import { acquireMirrorLock } from '../../../src/pipeline/publish/lock.ts';
import { writeFilesAtomic } from '../../../src/pipeline/publish/write-files.ts';

let base: string;
let counter = 0;
const daemons: GitDaemon[] = [];

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'newsmirror-git-'));
  // Prove commits work on a machine with no git identity: no global config for this process.
  const emptyConfig = join(base, 'empty.gitconfig');
  await writeFile(emptyConfig, '');
  process.env.GIT_CONFIG_GLOBAL = emptyConfig;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
});
after(async () => {
  for (const daemon of daemons) await daemon.stop();
  await rm(base, { recursive: true, force: true });
});

async function newMirror(branch = 'main') {
  const dir = join(base, `mirror${counter++}`);
  const mirror = openGitMirror(dir, { branch });
  await mirror.ensureRepo();
  return { dir, mirror };
}

async function bareRepoIn(folder: string, name: string): Promise<string> {
  const path = join(folder, name);
  await git(folder, ['init', '-q', '--bare', '-b', 'main', path]);
  return path;
}

describe('commits', () => {
  test('ensureRepo creates the repository on the branch; commitAll commits, then returns null when clean', async () => {
    const { dir, mirror } = await newMirror('pages');
    await mirror.ensureRepo();
    assert.equal((await git(dir, ['symbolic-ref', 'HEAD'])).trim(), 'refs/heads/pages');
    assert.equal(await mirror.head(), null);
    assert.equal(await mirror.commitAll('nothing yet'), null);

    await writeFilesAtomic(dir, [{ path: 'README.md', content: '# 镜像\n' }]);
    assert.equal(await mirror.isClean(), false);
    const sha = await mirror.commitAll('同步于: 2024-01-01 00:00 (新 1)');
    assert.match(sha ?? '', /^[0-9a-f]{40}$/);
    assert.equal(await mirror.head(), sha);
    assert.equal(await mirror.isClean(), true);
    assert.equal(await mirror.commitAll('again'), null);

    const [commit] = await gitLog(dir);
    assert.equal(commit.subject, '同步于: 2024-01-01 00:00 (新 1)');
    assert.equal(
      (await git(dir, ['log', '-1', '--format=%an <%ae> / %cn <%ce>'])).trim(),
      'newsmirror <newsmirror@localhost> / newsmirror <newsmirror@localhost>',
    );
  });

  test('the run lock can be taken before the repository exists and is never committed', async () => {
    const dir = join(base, `locked${counter++}`);
    const release = await acquireMirrorLock(dir);
    try {
      const mirror = openGitMirror(dir, { branch: 'main' });
      await mirror.ensureRepo();
      await writeFilesAtomic(dir, [{ path: 'a.md', content: 'a\n' }]);
      assert.ok(await mirror.commitAll('first'));
      assert.equal((await git(dir, ['ls-files'])).trim(), 'a.md');
      assert.equal(await mirror.isClean(), true);
    } finally {
      await release();
    }
  });

  test('a mirror folder inside another repository is refused', async () => {
    const outer = join(base, `outer${counter++}`);
    await mkdir(outer);
    await git(outer, ['init', '-q']);
    const mirror = openGitMirror(join(outer, 'mirror'), { branch: 'main' });
    await assert.rejects(mirror.ensureRepo(), { code: 'inside_other_repo', message: /does not ignore it/ });

    // Where the outer repository ignores the folder (like demo/out/), the mirror gets its own repository.
    await writeFile(join(outer, '.gitignore'), '/out/\n');
    const ignoredDir = join(outer, 'out', 'mirror');
    const ignored = openGitMirror(ignoredDir, { branch: 'main' });
    await ignored.ensureRepo();
    await writeFilesAtomic(ignoredDir, [{ path: 'a.md', content: 'a\n' }]);
    assert.ok(await ignored.commitAll('own repository'));
    assert.equal(
      (await git(ignoredDir, ['rev-parse', '--show-toplevel'])).trim(),
      await realpath(ignoredDir),
    );
    assert.equal((await git(outer, ['status', '--porcelain'])).trim(), '?? .gitignore');
  });

  test('recoverInterruptedState removes a stale index.lock and aborts a half-done merge', async () => {
    const { dir, mirror } = await newMirror();
    await writeFilesAtomic(dir, [{ path: 'a.md', content: 'one\n' }]);
    await mirror.commitAll('first');
    assert.deepEqual(await mirror.recoverInterruptedState(), []);

    await writeFile(join(dir, '.git', 'index.lock'), '');
    await writeFilesAtomic(dir, [{ path: 'a.md', content: 'two\n' }]);
    await assert.rejects(mirror.commitAll('blocked'), { code: 'git_locked', retryable: true });
    assert.deepEqual(await mirror.recoverInterruptedState(), ['removed stale .git/index.lock']);
    assert.ok(await mirror.commitAll('second'));

    // A merge left with conflicts, as a kill in the middle of pushAll's merge would leave it.
    await git(dir, ['checkout', '-q', '-b', 'side', 'HEAD~1']);
    await writeFile(join(dir, 'a.md'), 'side\n');
    await git(dir, ['commit', '-q', '-am', 'side']);
    await git(dir, ['checkout', '-q', 'main']);
    await assert.rejects(git(dir, ['merge', 'side']));
    assert.deepEqual(await mirror.recoverInterruptedState(), ['aborted an unfinished merge']);
    assert.equal(await mirror.isClean(), true);
    assert.equal(await readFile(join(dir, 'a.md'), 'utf8'), 'two\n');
  });
});

describe('commitPaths', () => {
  const committedFiles = async (dir: string) =>
    (await git(dir, ['-c', 'core.quotepath=false', 'ls-tree', '-r', '--name-only', 'HEAD']))
      .split('\n')
      .filter(Boolean)
      .sort();
  const status = async (dir: string) =>
    (await git(dir, ['-c', 'core.quotepath=false', 'status', '--porcelain', '--untracked-files=all'])).trim();

  test('stages exactly the named paths: other changed and untracked files stay as they are', async () => {
    const { dir, mirror } = await newMirror();
    assert.equal(await mirror.commitPaths('nothing named', []), null);
    await writeFilesAtomic(dir, [
      { path: 'README.md', content: 'home\n' },
      { path: 'pages/news/n1.md', content: '一\n' },
      { path: 'notes.md', content: 'an operator note\n' },
    ]);
    const first = await mirror.commitPaths('first', ['README.md', 'pages/news/n1.md']);
    assert.match(first ?? '', /^[0-9a-f]{40}$/);
    assert.equal(await mirror.head(), first);
    assert.deepEqual(await committedFiles(dir), ['README.md', 'pages/news/n1.md']);
    assert.equal(await status(dir), '?? notes.md');
    const [commit] = await gitLog(dir);
    assert.equal(commit.subject, 'first');

    // A tracked file changed outside the run is not swept in either; the named ones are.
    await writeFilesAtomic(dir, [
      { path: 'README.md', content: 'home, edited by hand\n' },
      { path: 'pages/news/n2.md', content: '二\n' },
    ]);
    assert.ok(await mirror.commitPaths('second', ['pages/news/n2.md', 'pages/news/n2.md']));
    assert.deepEqual(await committedFiles(dir), ['README.md', 'pages/news/n1.md', 'pages/news/n2.md']);
    assert.equal(await status(dir), 'M README.md\n?? notes.md');
    assert.equal(await git(dir, ['show', 'HEAD:README.md']), 'home\n');

    // Named paths that changed nothing make no commit.
    assert.equal(await mirror.commitPaths('again', ['pages/news/n1.md', 'pages/news/n2.md']), null);
    assert.equal(await mirror.head(), (await gitLog(dir))[0].sha);
  });

  test('paths are literal (no globs), may hold spaces and CJK, and a deleted path is committed as removed', async () => {
    const { dir, mirror } = await newMirror();
    await writeFilesAtomic(dir, [
      { path: 'pages/a*.md', content: 'star\n' },
      { path: 'pages/ab.md', content: 'ab\n' },
      { path: 'pages/[x].md', content: 'brackets\n' },
      { path: 'pages/x.md', content: 'x\n' },
      { path: '页面/新 闻.md', content: '新闻\n' },
    ]);
    assert.ok(await mirror.commitPaths('first', ['pages/a*.md', 'pages/[x].md', '页面/新 闻.md']));
    assert.deepEqual(await committedFiles(dir), ['pages/[x].md', 'pages/a*.md', '页面/新 闻.md']);
    assert.equal(await status(dir), '?? pages/ab.md\n?? pages/x.md');

    await rm(join(dir, 'pages/a*.md'));
    await rm(join(dir, '页面'), { recursive: true });
    // A path neither on disk nor in git is no error: there is nothing to record for it.
    assert.ok(await mirror.commitPaths('removed', ['pages/a*.md', '页面/新 闻.md', 'pages/never.md']));
    assert.deepEqual(await committedFiles(dir), ['pages/[x].md']);
    assert.equal(await status(dir), '?? pages/ab.md\n?? pages/x.md');
  });

  test('tens of thousands of paths go to git on stdin, not on the command line', async () => {
    const { dir, mirror } = await newMirror();
    // 20,000 long names are ~2.6 MB, more than a command line holds (Linux: 2 MB by default). Every tenth is written;
    // the others are names of files that do not exist, which stage nothing (and keep the test quick).
    const paths = Array.from(
      { length: 20_000 },
      (_, i) => `pages/c${i % 5}/${'长标题'.repeat(12)}-${String(i).padStart(5, '0')}.md`,
    );
    const written = paths.filter((_, i) => i % 10 === 0);
    for (let c = 0; c < 5; c++) await mkdir(join(dir, `pages/c${c}`), { recursive: true });
    await Promise.all(written.map((path, i) => writeFile(join(dir, path), `${i}\n`)));
    await writeFile(join(dir, 'untracked.md'), 'left alone\n');
    assert.ok(Buffer.byteLength(paths.join('\0')) > 2 * 1024 * 1024);
    assert.ok(await mirror.commitPaths('many', paths));
    assert.deepEqual(await committedFiles(dir), [...written].sort());
    assert.equal(await status(dir), '?? untracked.md');
  });

  test('commits as `git commit` would: message, identity, parent, reflog, and automatic packing', async () => {
    const { dir, mirror } = await newMirror();
    // gc.auto 1: pack as soon as gc --auto sees loose objects; in the foreground, so the test sees it done.
    await git(dir, ['config', 'gc.auto', '1']);
    await git(dir, ['config', 'gc.autoDetach', 'false']);
    await writeFilesAtomic(dir, [{ path: 'a.md', content: 'a\n' }]);
    const first = await mirror.commitPaths('同步于: 2024-01-01 00:00 UTC\n\nnew 1, updated 0  \n\n', [
      'a.md',
    ]);
    // gc --auto estimates the loose objects from those in .git/objects/17: more than one there, with gc.auto 1.
    const inFolder17: string[] = [];
    for (let i = 0; inFolder17.length < 2; i++) {
      const candidate = `b ${i}\n`;
      const id = createHash('sha1')
        .update(`blob ${Buffer.byteLength(candidate)}\0${candidate}`)
        .digest('hex');
      if (id.startsWith('17')) inFolder17.push(candidate);
    }
    await writeFilesAtomic(dir, [
      { path: 'b.md', content: inFolder17[0] },
      { path: 'c.md', content: inFolder17[1] },
    ]);
    const second = await mirror.commitPaths('second', ['b.md', 'c.md']);
    assert.equal(
      await git(dir, ['log', '-1', '--format=%P%n%an <%ae> / %cn <%ce>%n%B', second!]),
      `${first}\nnewsmirror <newsmirror@localhost> / newsmirror <newsmirror@localhost>\nsecond\n\n`,
    );
    assert.equal(
      await git(dir, ['log', '-1', '--format=%B', first!]),
      '同步于: 2024-01-01 00:00 UTC\n\nnew 1, updated 0\n\n',
    );
    assert.equal((await git(dir, ['rev-parse', 'refs/heads/main'])).trim(), second);
    assert.deepEqual((await git(dir, ['reflog', '--format=%gs', 'main'])).trim().split('\n'), [
      'commit: second',
      'commit: 同步于: 2024-01-01 00:00 UTC',
    ]);
    const counts = await git(dir, ['count-objects', '-v']);
    assert.match(counts, /^count: 0$/m);
    assert.match(counts, /^in-pack: [1-9]/m);
  });

  test('paths outside the mirror, in .git or named like temp files are refused before git runs', async () => {
    const { dir, mirror } = await newMirror();
    await writeFilesAtomic(dir, [{ path: 'a.md', content: 'a\n' }]);
    for (const path of ['../outside.md', '/etc/passwd', '.git/config', 'a.md.tmp-42-0123456789ab', 'a\0b']) {
      await assert.rejects(mirror.commitPaths('bad', ['a.md', path]), { code: 'unsafe_path' });
    }
    assert.equal(await mirror.head(), null);
    assert.equal(await status(dir), '?? a.md');
  });
});

describe('pushAll', () => {
  test('pushes to a bare remote by path and to a git daemon remote', async () => {
    const { dir, mirror } = await newMirror();
    const bare = await makeBareRemote();
    const served = join(base, `served${counter++}`);
    await mkdir(served);
    const daemonRepo = await bareRepoIn(served, 'mirror.git');
    const daemon = await startGitDaemon(served);
    daemons.push(daemon);

    await writeFilesAtomic(dir, [{ path: 'pages/news/n1.md', content: '### 一\n' }]);
    const sha = await mirror.commitAll('first');
    const results = await mirror.pushAll([
      { name: 'origin', url: bare.url },
      { name: 'daemon', url: daemon.url('mirror.git') },
    ]);
    assert.deepEqual(results, [
      { remote: 'origin', ok: true, commit: sha, retryable: false, merged: false },
      { remote: 'daemon', ok: true, commit: sha, retryable: false, merged: false },
    ]);
    assert.equal(await readRemoteFile(bare.path, 'pages/news/n1.md'), '### 一\n');
    assert.equal(await readRemoteFile(daemonRepo, 'pages/news/n1.md'), '### 一\n');

    // Remotes are now configured by name; the string form refers to them.
    await writeFilesAtomic(dir, [{ path: 'pages/news/n2.md', content: '### 二\n' }]);
    const second = await mirror.commitAll('second');
    const again = await mirror.pushAll(['origin', 'daemon']);
    assert.ok(again.every((result) => result.ok && result.commit === second));
    assert.equal((await gitLog(daemonRepo, 'main')).length, 2);

    const unknown = await mirror.pushAll(['nosuchremote']);
    assert.equal(unknown[0].ok, false);
    assert.equal(unknown[0].retryable, false);
    assert.match(unknown[0].error ?? '', /nosuchremote/);
    await bare.cleanup();
  });

  test('one remote down never stops the others; the next pushAll delivers everything once it is up', async () => {
    const { dir, mirror } = await newMirror();
    const bare = await makeBareRemote();
    const served = join(base, `served${counter++}`);
    await mkdir(served);
    const downRepo = await bareRepoIn(served, 'late.git');
    const port = await freePort();
    const downUrl = `git://127.0.0.1:${port}/late.git`;

    await writeFilesAtomic(dir, [{ path: 'a.md', content: 'a\n' }]);
    const first = await mirror.commitAll('first');
    const results = await mirror.pushAll([
      { name: 'late', url: downUrl },
      { name: 'origin', url: bare.url },
    ]);
    assert.equal(results[0].remote, 'late');
    assert.equal(results[0].ok, false);
    assert.equal(results[0].retryable, true);
    assert.match(results[0].error ?? '', /push to remote late failed: .*(refused|unable to connect)/i);
    assert.deepEqual(results[1], {
      remote: 'origin',
      ok: true,
      commit: first,
      retryable: false,
      merged: false,
    });

    await writeFilesAtomic(dir, [{ path: 'b.md', content: 'b\n' }]);
    const second = await mirror.commitAll('second');
    daemons.push(await startGitDaemon(served, port));
    const retried = await mirror.pushAll(['late', 'origin']);
    assert.ok(retried.every((result) => result.ok && result.commit === second));
    assert.deepEqual(
      (await gitLog(downRepo, 'main')).map((commit) => commit.sha),
      [second, first],
    );
    await bare.cleanup();
  });

  test('a remote that moved ahead is merged, keeping both sides, and ours wins conflicts', async () => {
    const { dir, mirror } = await newMirror();
    const bare = await makeBareRemote();
    await writeFilesAtomic(dir, [
      { path: 'README.md', content: '# home v1\n' },
      { path: 'pages/old.md', content: 'old\n' },
    ]);
    await mirror.commitAll('first');
    assert.ok((await mirror.pushAll([{ name: 'origin', url: bare.url }]))[0].ok);

    // Someone else pushes: a new file, a change to a generated file, and an edit to a page we then delete.
    const other = join(base, `other${counter++}`);
    await git(base, ['clone', '-q', bare.url, other]);
    await writeFile(join(other, 'CONTRIBUTING.md'), 'theirs\n');
    await writeFile(join(other, 'README.md'), '# home edited by hand\n');
    await writeFile(join(other, 'pages/old.md'), 'old, edited\n');
    await git(other, ['commit', '-q', '-am', 'their change', '--allow-empty']);
    await git(other, ['add', 'CONTRIBUTING.md']);
    await git(other, ['commit', '-q', '-m', 'their file']);
    await git(other, ['push', '-q', 'origin', 'main']);
    const theirs = (await git(other, ['rev-parse', 'HEAD'])).trim();

    await writeFilesAtomic(dir, [{ path: 'README.md', content: '# home v2\n' }]);
    await rm(join(dir, 'pages/old.md'));
    const ours = await mirror.commitAll('second');
    const [result] = await mirror.pushAll(['origin']);
    assert.equal(result.ok, true, result.error);
    assert.equal(result.merged, true);
    assert.ok(result.commit && result.commit !== ours);
    assert.ok(await isReachable(bare.path, theirs), 'their commit is kept on the remote');
    assert.ok(await isReachable(bare.path, ours!), 'our commit is on the remote');
    assert.equal(await readRemoteFile(bare.path, 'README.md'), '# home v2\n');
    assert.equal(await readRemoteFile(bare.path, 'CONTRIBUTING.md'), 'theirs\n');
    assert.equal(await readRemoteFile(bare.path, 'pages/old.md'), null);
    assert.equal(await mirror.isClean(), true);
    assert.equal(await stat(join(dir, '.git', 'MERGE_HEAD')).catch(() => null), null);
    await bare.cleanup();
  });

  test('a remote with an unrelated history is merged too, and credentials never reach the error', async () => {
    const { dir, mirror } = await newMirror();
    const bare = await makeBareRemote();
    const seeded = join(base, `seed${counter++}`);
    await git(base, ['clone', '-q', bare.url, seeded]);
    await writeFile(join(seeded, 'LICENSE'), 'MIT\n');
    await git(seeded, ['add', 'LICENSE']);
    await git(seeded, ['commit', '-q', '-m', 'initial commit made on the host']);
    await git(seeded, ['push', '-q', 'origin', 'HEAD:main']);

    await writeFilesAtomic(dir, [{ path: 'README.md', content: 'mirror\n' }]);
    await mirror.commitAll('first');
    const port = await freePort();
    const [merged, down] = await mirror.pushAll([
      bare.url,
      `http://newsmirror:s3cret-token@127.0.0.1:${port}/x.git`,
    ]);
    assert.equal(merged.ok, true, merged.error);
    assert.equal(merged.merged, true);
    assert.equal(await readRemoteFile(bare.path, 'LICENSE'), 'MIT\n');
    assert.equal(await readRemoteFile(bare.path, 'README.md'), 'mirror\n');
    assert.equal(down.ok, false);
    assert.equal(down.retryable, true);
    assert.doesNotMatch(`${down.remote} ${down.error}`, /s3cret/);
    await bare.cleanup();
  });

  test('a remote that accepts but never answers is cut off by the push timeout and reported retryable', async () => {
    const { dir } = await newMirror();
    const mirror = openGitMirror(dir, { branch: 'main', pushTimeoutMs: 1_000 });
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await writeFilesAtomic(dir, [{ path: 'a.md', content: 'a\n' }]);
      await mirror.commitAll('first');
      const [result] = await mirror.pushAll([{ name: 'stuck', url: `git://127.0.0.1:${port}/x.git` }]);
      assert.equal(result.ok, false);
      assert.equal(result.retryable, true);
      assert.match(result.error ?? '', /push to remote stuck failed: git push timed out after 1 s/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
