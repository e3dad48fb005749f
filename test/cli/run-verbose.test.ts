// `newsmirror run --verbose` as an operator runs it (the built CLI over the demo site on loopback): after the run,
// one `stage` line per step and part saying where the time went. No timings are asserted, only that every stage is
// named and its figures are numbers that add up as they must.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { serveDemoSite } from '../../harness/demo-site.ts';

const CLI = join(process.cwd(), 'bin', 'newsmirror.js');

const STEPS = ['open', 'sources', 'plan', 'mirror', 'render', 'commit', 'confirm', 'push', 'finish', 'total'];
/** Parts and what they count: the demo site mirrors its images (some articles have none), so every part shows. */
const PARTS: Record<string, string> = {
  fetch: 'articles',
  extract: 'pages',
  images: 'articles',
  store: 'articles',
  'transform+render': 'pages',
  write: 'files',
  indexes: 'files',
};

async function demoRun(args: string[]) {
  const site = await serveDemoSite();
  const work = mkdtempSync(join(tmpdir(), 'nm-cli-verbose-'));
  try {
    const remote = join(work, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', remote]);
    const config = site.configText
      .replace('dir: ./out/mirror', `dir: ${join(work, 'mirror')}`)
      .replace('path: ./out/store.sqlite', `path: ${join(work, 'store.sqlite')}`)
      .replace('url: ./out/remote.git', `url: ${JSON.stringify(remote)}`);
    const file = join(work, 'newsmirror.yaml');
    writeFileSync(file, config);
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [CLI, 'run', '-c', file, ...args],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    return { stdout, stderr, articles: site.manifest.articles.length };
  } finally {
    await site.server.close();
  }
}

/** `debug stage NAME key=value ...` lines, as { NAME: { key: value } }. */
function stageLines(stderr: string): Map<string, Record<string, string>> {
  const stages = new Map<string, Record<string, string>>();
  for (const line of stderr.split('\n')) {
    const match = /^debug stage (\S+)((?: \w+=\S+)*)$/.exec(line);
    if (!match) continue;
    const fields = Object.fromEntries(
      match[2]
        .trim()
        .split(' ')
        .map((pair) => pair.split('=') as [string, string]),
    );
    stages.set(match[1], fields);
  }
  return stages;
}

const number = (text: string | undefined, what: string): number => {
  assert.match(text ?? '', /^\d+$/, `${what} is a whole number: ${text}`);
  return Number(text);
};

describe('newsmirror run --verbose', () => {
  test('ends with a stage line per step and part: wall, CPU, RSS; busy time and counts', async () => {
    const { stdout, stderr, articles } = await demoRun(['--verbose']);
    assert.match(stdout, new RegExp(`new ${articles}, updated 0, failed 0`));
    const stages = stageLines(stderr);
    assert.deepEqual(
      [...stages.keys()].filter((name) => STEPS.includes(name)),
      STEPS,
      `every step, in run order:\n${stderr}`,
    );
    const total = stages.get('total') ?? {};
    let stepsWall = 0;
    for (const name of STEPS) {
      const fields = stages.get(name) ?? {};
      const wall = number(fields.wall_ms, `${name} wall_ms`);
      number(fields.cpu_ms, `${name} cpu_ms`);
      const rss = number(fields.rss_mb, `${name} rss_mb`);
      assert.ok(
        number(fields.peak_rss_mb, `${name} peak_rss_mb`) >= rss,
        `${name}: the peak is at least the RSS`,
      );
      if (name !== 'total') stepsWall += wall;
    }
    // The steps run one after another inside the run: together no longer than it (rounding aside).
    assert.ok(stepsWall <= number(total.wall_ms, 'total') + STEPS.length, `${stepsWall} ms of steps`);
    for (const [name, unit] of Object.entries(PARTS)) {
      const fields = stages.get(name);
      assert.ok(fields, `a ${name} line:\n${stderr}`);
      number(fields.busy_ms, `${name} busy_ms`);
      const count = number(fields[unit], `${name} ${unit}`);
      if (name === 'images') assert.ok(count > 0 && count <= articles, `articles with images: ${count}`);
      else if (unit === 'articles' || name === 'extract')
        assert.equal(count, articles, `${name}: every article`);
      else assert.ok(count > 0, `${name}: ${count} files`);
    }
    // Parts timed on the main thread also say how long at least one was in flight: no longer than the sum.
    for (const name of ['fetch', 'images', 'store', 'write']) {
      const fields = stages.get(name) ?? {};
      assert.ok(number(fields.active_ms, `${name} active_ms`) <= number(fields.busy_ms, name) + 1, name);
    }
    // Parts measured on the worker thread have no in-flight time.
    assert.equal(stages.get('extract')?.active_ms, undefined);
  });

  test('with --log-json the stage lines are JSON objects; without --verbose there are none', async () => {
    const json = await demoRun(['--verbose', '--log-json', '--no-push']);
    const lines = json.stderr
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const fetch = lines.find((line) => line.msg === 'stage fetch');
    assert.equal(fetch?.level, 'debug');
    assert.equal(fetch?.articles, json.articles);
    assert.equal(typeof fetch?.busy_ms, 'number');
    const total = lines.find((line) => line.msg === 'stage total');
    assert.equal(typeof total?.peak_rss_mb, 'number');
    // --no-push: no push step.
    assert.equal(
      lines.some((line) => line.msg === 'stage push'),
      false,
    );

    const plain = await demoRun(['--no-push']);
    assert.match(plain.stdout, /new \d+, updated 0, failed 0/);
    assert.doesNotMatch(plain.stderr, /stage /);
  });
});
