import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PublishError } from '../../../src/internal/errors.ts';
import {
  removeFiles,
  removeTempFiles,
  WRITING_MARKER,
  writeFilesAtomic,
} from '../../../src/pipeline/publish/write-files.ts';

let base: string;
before(async () => {
  base = await mkdtemp(join(tmpdir(), 'newsmirror-write-'));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

let counter = 0;
async function freshDir(): Promise<string> {
  const dir = join(base, `m${counter++}`);
  await mkdir(dir);
  return dir;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

describe('writeFilesAtomic', () => {
  test('writes nested files with their exact bytes and leaves no temp files', async () => {
    const dir = await freshDir();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const summary = await writeFilesAtomic(dir, [
      { path: 'README.md', content: '# 首页\n' },
      { path: 'pages/news/n123.md', content: '### 标题\n' },
      { path: 'assets/ab/abcdef.png', content: png },
    ]);
    assert.deepEqual(
      { ...summary, writtenPaths: summary.writtenPaths.toSorted() },
      {
        written: 3,
        unchanged: 0,
        bytes: Buffer.byteLength('# 首页\n') + Buffer.byteLength('### 标题\n') + 8,
        writtenPaths: ['README.md', 'assets/ab/abcdef.png', 'pages/news/n123.md'],
      },
    );
    assert.deepEqual(await listFiles(dir), ['README.md', 'assets/ab/abcdef.png', 'pages/news/n123.md']);
    assert.equal(await readFile(join(dir, 'pages/news/n123.md'), 'utf8'), '### 标题\n');
    assert.deepEqual(new Uint8Array(await readFile(join(dir, 'assets/ab/abcdef.png'))), png);
  });

  test('identical files are not rewritten (mtime kept); changed ones are replaced', async () => {
    const dir = await freshDir();
    await writeFilesAtomic(dir, [
      { path: 'a.md', content: 'same' },
      { path: 'b.md', content: 'old' },
    ]);
    const past = new Date('2001-02-03T04:05:06Z');
    await utimes(join(dir, 'a.md'), past, past);
    await utimes(join(dir, 'b.md'), past, past);
    const summary = await writeFilesAtomic(dir, [
      { path: 'a.md', content: 'same' },
      { path: 'b.md', content: 'new!' },
    ]);
    assert.deepEqual(summary, { written: 1, unchanged: 1, bytes: 4, writtenPaths: ['b.md'] });
    assert.equal((await stat(join(dir, 'a.md'))).mtime.getTime(), past.getTime());
    assert.notEqual((await stat(join(dir, 'b.md'))).mtime.getTime(), past.getTime());
    assert.equal(await readFile(join(dir, 'b.md'), 'utf8'), 'new!');
    assert.deepEqual(await listFiles(dir), ['a.md', 'b.md']);
  });

  test('unsafe paths are refused before anything is written', async () => {
    const dir = await freshDir();
    const unsafe = [
      '/etc/passwd',
      '../outside.md',
      'pages/../../outside.md',
      'pages\\x.md',
      'a\0b.md',
      '.git/config',
      '',
      'pages//x.md',
      './x.md',
      'C:/x.md',
    ];
    for (const path of unsafe) {
      await assert.rejects(
        writeFilesAtomic(dir, [
          { path: 'good.md', content: 'x' },
          { path, content: 'bad' },
        ]),
        (error: unknown) => {
          assert.ok(error instanceof PublishError, `${JSON.stringify(path)} should give a PublishError`);
          assert.equal(error.code, 'unsafe_path');
          assert.equal(error.retryable, false);
          assert.match(error.message, /refusing to write/);
          return true;
        },
      );
    }
    assert.deepEqual(await listFiles(dir), []);
    assert.deepEqual(await readdir(base).then((names) => names.includes('outside.md')), false);
  });

  test('a symlinked folder leading outside the mirror is refused', async () => {
    const dir = await freshDir();
    const outside = await freshDir();
    await symlink(outside, join(dir, 'escape'));
    await assert.rejects(writeFilesAtomic(dir, [{ path: 'escape/x.md', content: 'x' }]), {
      code: 'unsafe_path',
    });
    assert.deepEqual(await listFiles(outside), []);
  });

  test('the same path twice in one batch is refused', async () => {
    const dir = await freshDir();
    await assert.rejects(
      writeFilesAtomic(dir, [
        { path: 'x.md', content: '1' },
        { path: 'x.md', content: '2' },
      ]),
      { code: 'duplicate_path' },
    );
  });
});

describe('removeTempFiles and removeFiles', () => {
  test('removeTempFiles removes only our temp pattern, outside .git, and the marker a killed writer left', async () => {
    const dir = await freshDir();
    await mkdir(join(dir, 'pages/news'), { recursive: true });
    await mkdir(join(dir, '.git'), { recursive: true });
    // What a writer killed mid-way leaves: its marker and its temp files.
    await writeFile(join(dir, '.git', WRITING_MARKER), '4242 2024-01-01T00:00:00.000Z\n');
    await writeFile(join(dir, 'pages/news/n1.md.tmp-4242-0123456789ab'), 'half');
    await writeFile(join(dir, 'README.md.tmp-1-abcdefabcdef'), 'half');
    await writeFile(join(dir, 'pages/news/n1.md'), 'whole');
    await writeFile(join(dir, 'notes.tmp'), 'not ours');
    await writeFile(join(dir, '.git/index.tmp-1-abcdefabcdef'), 'git internals are left alone');
    assert.equal(await removeTempFiles(dir), 2);
    assert.deepEqual(await listFiles(dir), [
      '.git/index.tmp-1-abcdefabcdef',
      'notes.tmp',
      'pages/news/n1.md',
    ]);
    assert.equal(await removeTempFiles(join(dir, 'missing')), 0);
  });

  test('in a git mirror without the marker, removeTempFiles walks nothing unless told to', async () => {
    const dir = await freshDir();
    await mkdir(join(dir, '.git'));
    await mkdir(join(dir, 'pages/news'), { recursive: true });
    // A temp-named file with no marker: no writer of ours was killed, so the cheap path leaves it (and every other
    // file) untouched; `always` (after an interrupted run, or a rebuild) walks and removes it.
    await writeFile(join(dir, 'pages/news/n1.md.tmp-4242-0123456789ab'), 'stray');
    assert.equal(await removeTempFiles(dir), 0);
    assert.deepEqual(await listFiles(dir), ['pages/news/n1.md.tmp-4242-0123456789ab']);
    assert.equal(await removeTempFiles(dir, { always: true }), 1);
    assert.deepEqual(await listFiles(dir), []);

    // Outside a git repository there is no marker to trust: the tree is always walked.
    const plain = await freshDir();
    await writeFile(join(plain, 'x.md.tmp-1-abcdefabcdef'), 'half');
    assert.equal(await removeTempFiles(plain), 1);
  });

  test('writeFilesAtomic holds the marker while it writes and removes it when the last write ends', async () => {
    const dir = await freshDir();
    await mkdir(join(dir, '.git'));
    const marker = join(dir, '.git', WRITING_MARKER);
    const files = (tag: string) =>
      Array.from({ length: 20 }, (_, i) => ({ path: `pages/${tag}/n${i}.md`, content: `${tag} ${i}\n` }));
    // Poll on every turn of the event loop while three overlapping writes run.
    let seen = false;
    let polling = true;
    const poll = () => {
      if (existsSync(marker)) seen = true;
      if (polling) setImmediate(poll);
    };
    poll();
    const results = await Promise.all(['a', 'b', 'c'].map((tag) => writeFilesAtomic(dir, files(tag))));
    polling = false;
    assert.deepEqual(
      results.map((result) => result.written),
      [20, 20, 20],
    );
    assert.ok(seen, 'the marker exists while files are written');
    assert.equal(existsSync(marker), false, 'and is gone once every write finished');
    // Each write had its marker: the next run has nothing to walk.
    assert.equal(await removeTempFiles(dir), 0);

    // Nothing to write, and paths refused before writing: no marker is made.
    await writeFilesAtomic(dir, []);
    await assert.rejects(writeFilesAtomic(dir, [{ path: '../x.md', content: 'x' }]), { code: 'unsafe_path' });
    assert.equal(existsSync(marker), false);
  });

  test('a write failing half-way leaves no temp file and no marker', async () => {
    const dir = await freshDir();
    await mkdir(join(dir, '.git'));
    // A folder where a file should go: its rename fails (EISDIR) while other files are being written.
    await mkdir(join(dir, 'pages/news/n7.md'), { recursive: true });
    await writeFile(join(dir, 'pages/news/n7.md/keep'), 'in the way');
    const files = Array.from({ length: 40 }, (_, i) => ({
      path: `pages/news/n${i}.md`,
      content: 'x'.repeat(16 * 1024),
    }));
    await assert.rejects(writeFilesAtomic(dir, files), { code: 'write_failed' });
    const left = await listFiles(dir);
    assert.deepEqual(
      left.filter((file) => /\.tmp-/.test(file)),
      [],
    );
    assert.equal(existsSync(join(dir, '.git', WRITING_MARKER)), false);
  });

  test('removeFiles deletes files, prunes emptied folders, ignores missing ones, refuses unsafe paths', async () => {
    const dir = await freshDir();
    await writeFilesAtomic(dir, [
      { path: 'pages/a/x.md', content: 'x' },
      { path: 'pages/b/y.md', content: 'y' },
      { path: 'pages/b/z.md', content: 'z' },
    ]);
    await removeFiles(dir, ['pages/a/x.md', 'pages/b/y.md', 'pages/none.md']);
    assert.deepEqual(await listFiles(dir), ['pages/b/z.md']);
    assert.deepEqual((await readdir(join(dir, 'pages'))).sort(), ['b']);
    await assert.rejects(removeFiles(dir, ['../x']), { code: 'unsafe_path' });
  });
});

describe('crash safety', () => {
  const WRITE_MODULE = fileURLToPath(
    new URL('../../../src/pipeline/publish/write-files.ts', import.meta.url),
  );
  /** Kills per run of this file: each costs a process start, and together they cover early, middle and late kills. */
  const KILLS = 6;
  const FILES = 40;
  /** Big enough that a torn write would show as a short or mixed file. */
  const FILE_BYTES = 64 * 1024;

  test('SIGKILL during writes leaves each file wholly old or wholly new, and only temp files to clean', async () => {
    const dir = await freshDir();
    // As in a mirror: a .git folder, where the writer keeps its marker.
    await mkdir(join(dir, '.git'));
    const marker = join(dir, '.git', WRITING_MARKER);
    const paths = Array.from({ length: FILES }, (_, i) => `pages/c${i % 4}/n${i}.md`);
    const body = (generation: number) => String(generation % 10).repeat(FILE_BYTES);
    await writeFilesAtomic(
      dir,
      paths.map((path) => ({ path, content: body(0) })),
    );
    for (let kill = 1; kill <= KILLS; kill++) {
      // The child rewrites every file with generation `kill` in a loop until it is killed.
      const script = `import { writeFilesAtomic } from ${JSON.stringify(WRITE_MODULE)};
const paths = ${JSON.stringify(paths)};
const content = ${JSON.stringify(String(kill % 10))}.repeat(${FILE_BYTES});
process.stdout.write('go\\n');
for (let round = 0; ; round++) {
  await writeFilesAtomic(${JSON.stringify(dir)}, paths.map((path, i) => ({ path, content: content + (round % 2 ? ' ' : '') })));
}`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 40)));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;

      // A kill that left temp files always left the marker too, so the walk that removes them is not skipped.
      const temps = (await listFiles(dir)).filter((file) => /\.tmp-/.test(file));
      if (temps.length > 0) assert.ok(existsSync(marker), `after kill ${kill}: temp files but no marker`);
      assert.equal(await removeTempFiles(dir), temps.length);
      assert.equal(existsSync(marker), false, `after kill ${kill}: the marker is removed with the leftovers`);
      assert.deepEqual(
        await listFiles(dir),
        [...paths].sort(),
        `after kill ${kill}: only the real files remain`,
      );
      for (const path of paths) {
        const text = await readFile(join(dir, path), 'utf8');
        const whole = [body(kill - 1), body(kill - 1) + ' ', body(kill), body(kill) + ' '];
        assert.ok(whole.includes(text), `after kill ${kill}: ${path} is torn (${text.length} bytes)`);
      }
      // Bring every file to a known generation before the next kill.
      await writeFilesAtomic(
        dir,
        paths.map((path) => ({ path, content: body(kill) })),
      );
    }
  });
});
