// The command line as an operator meets it: real processes, exit codes 0 / 1 / 2, messages naming what is wrong.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

function newsmirror(args: string[], cwd = process.cwd()) {
  const result = spawnSync(process.execPath, [join(process.cwd(), 'bin', 'newsmirror.js'), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('newsmirror command line', () => {
  test('a bad config exits 2 naming the file, line and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nm-cli-'));
    const file = join(dir, 'newsmirror.yaml');
    writeFileSync(file, 'mirror:\n  title: x\n  images: sometimes\nsites: []\n');
    const result = newsmirror(['run', '-c', file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /newsmirror\.yaml:3: mirror\.images: /);
    assert.match(result.stderr, /sites: /);
  });

  test('an unknown command or a missing option exits 2', () => {
    assert.equal(newsmirror(['frobnicate']).code, 2);
    assert.equal(newsmirror(['run']).code, 2);
    assert.equal(newsmirror(['extract', 'x.html', '--format', 'pdf']).code, 2);
    const pages = newsmirror(['extract', 'x.html', '--pages', 'some']);
    assert.equal(pages.code, 2);
    assert.match(pages.stderr, /--pages must be articles or any/);
  });

  test('init writes a starter config that run accepts as valid, and refuses to overwrite it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nm-cli-'));
    assert.equal(newsmirror(['init'], dir).code, 0);
    assert.match(readFileSync(join(dir, 'newsmirror.yaml'), 'utf8'), /^# newsmirror\.yaml/);
    assert.equal(newsmirror(['init'], dir).code, 2);
    assert.equal(newsmirror(['init', '--github-actions'], dir).code, 0);
    assert.match(readFileSync(join(dir, '.github/workflows/newsmirror.yml'), 'utf8'), /cron:/);
  });

  test('-c defaults to ./newsmirror.yaml; without one the command says so (2); site gives 2 for a bad --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nm-cli-'));
    const missing = newsmirror(['run'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /run: no config: pass -c FILE, or run it where \.\/newsmirror\.yaml is/);
    assert.equal(newsmirror(['init'], dir).code, 0);
    const site = newsmirror(['site', '--out', join('mirror', 'html')], dir);
    assert.equal(site.code, 2, site.stderr);
    assert.match(site.stderr, /must not contain each other/);
  });

  test('extract reads raw GBK bytes, detects the charset and prints one JSON object per file', () => {
    const gbk = join('demo', 'site', 'gbk', 'a', '1042.html');
    const article = join('demo', 'site', 'gb', '23', '10', '18', 'n14097883.htm');
    const result = newsmirror(['extract', gbk, article, '--url', 'http://127.0.0.1/x.htm']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(lines.length, 2);
    assert.equal(lines[0].file, gbk);
    assert.match(lines[0].text, /[\u4e00-\u9fff]{10}/);
    assert.doesNotMatch(lines[0].text, /\ufffd|锟斤拷/);
    for (const key of [
      'file',
      'url',
      'title',
      'author',
      'published',
      'lang',
      'leadImage',
      'caption',
      'text',
      'markdown',
    ]) {
      assert.ok(key in lines[1], key);
    }
    const markdown = newsmirror(['extract', article, '--format', 'markdown']);
    assert.equal(markdown.code, 0);
    assert.match(markdown.stdout, /^# .+\n/);
    assert.doesNotMatch(markdown.stdout, /<script|twitter-widget/);
  });

  test('extract of many files on worker threads prints what one thread prints, in input order', () => {
    const pages = ['demo/site/gb/23/10/18/n14097883.htm', 'demo/site/gbk/a/1042.html'].map((page) =>
      join(...page.split('/')),
    );
    // Enough inputs for a worker to start, a missing file among them: its error keeps its place.
    const inputs = Array.from({ length: 40 }, (_, i) => (i === 17 ? 'no-such-page.html' : pages[i % 2]));
    const one = newsmirror(['extract', ...inputs, '--threads', '1', '--format', 'text']);
    const three = newsmirror(['extract', ...inputs, '--threads', '3', '--format', 'text']);
    assert.equal(one.code, 1, one.stderr);
    assert.equal(three.code, 1, three.stderr);
    assert.equal(three.stdout, one.stdout);
    const files = [...one.stdout.matchAll(/^<!-- (\S+)(?::| -->)/gm)].map((match) => match[1]);
    assert.deepEqual(files, inputs);
    assert.match(one.stdout, /<!-- no-such-page\.html: .*ENOENT/);
    const json = newsmirror(['extract', ...inputs, '--threads', '2'])
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      json.map((result) => result.file),
      inputs,
    );
    assert.ok(json[0].markdown.length > 0, 'JSON carries the Markdown');
    assert.equal(newsmirror(['extract', 'x.html', '--threads', '0']).code, 2);
  });

  test('extract of a missing file exits 1 and says which', () => {
    const result = newsmirror(['extract', 'no-such-page.html']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /no-such-page\.html/);
  });
});

describe('newsmirror run, as installed', () => {
  test('mirrors the demo site from the bundled CLI, extracting and rendering in its page worker', async () => {
    const { serveDemoSite } = await import('../../harness/demo-site.ts');
    const { promisify } = await import('node:util');
    const { execFile } = await import('node:child_process');
    const site = await serveDemoSite();
    const work = mkdtempSync(join(tmpdir(), 'nm-cli-run-'));
    try {
      const config = site.configText
        .replace('dir: ./out/mirror', `dir: ${join(work, 'mirror')}`)
        .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`)
        .replace(/remotes:[\s\S]*?(\n\S)/, '$1');
      const file = join(work, 'newsmirror.yaml');
      writeFileSync(file, config);
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [join(process.cwd(), 'bin', 'newsmirror.js'), 'run', '-c', file, '--no-push'],
        { encoding: 'utf8', timeout: 120_000 },
      );
      assert.match(stdout, new RegExp(`new ${site.manifest.articles.length}, updated 0, failed 0`));
      // Every page went through the worker: none had to fall back to the main thread.
      assert.doesNotMatch(stderr, /main thread/);
    } finally {
      await site.server.close();
    }
  });
});
