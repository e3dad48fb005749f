// Bundles written by `run` (config `bundles:`) on the demo mirror: the EPUB of a channel-day passes epubcheck, the
// files are in the run's commit, the home page and the channel index link them, only the newest `keep` periods stay;
// a run with nothing new leaves every bundle byte-identical and makes no commit; `rebuild` makes the same files and
// removes a bundle no longer kept.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { git } from '../../harness/git.ts';
import { parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { rebuildMirror } from '../../src/pipeline/run.ts';
import { daysOf, periodOf, plannedBundles } from '../../src/pipeline/steps/scheduled-bundles.ts';
import { dayOf } from '../../src/pipeline/steps/write-bundle.ts';
import { buildDemoMirror, type DemoMirror } from '../helpers/mirror-build.ts';

const run = promisify(execFile);
const EPUBCHECK_JAR = process.env.EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar';
const CHANNEL = 'ncid1078159';

const BUNDLES = `bundles:
  - { format: epub, every: day, keep: 2 }
  - { format: html, every: week, combined: true, keep: 1 }
`;

async function epubcheck(file: string): Promise<{ errors: number; output: string }> {
  const { stdout, stderr } = await run('java', ['-jar', EPUBCHECK_JAR, file], { maxBuffer: 1 << 24 }).catch(
    (error: { stdout: string; stderr: string }) => error,
  );
  const output = `${stdout}\n${stderr}`;
  const summary = /(\d+) fatals \/ (\d+) errors/.exec(output);
  assert.ok(summary, `epubcheck printed no summary:\n${output}`);
  return { errors: Number(summary[1]) + Number(summary[2]), output };
}

/** Path -> sha256 of every tracked file under bundles/. */
async function bundleHashes(mirrorDir: string): Promise<Map<string, string>> {
  const tracked = (await git(mirrorDir, ['ls-files', 'bundles'])).split('\n').filter(Boolean);
  return new Map(
    tracked.map((path) => [
      path,
      createHash('sha256')
        .update(readFileSync(join(mirrorDir, path)))
        .digest('hex'),
    ]),
  );
}

test('periods: UTC days, and ISO weeks from Monday to Sunday named by the year of their Thursday', () => {
  assert.equal(periodOf('2024-05-20', 'day'), '2024-05-20');
  assert.equal(periodOf('2024-05-20', 'week'), '2024-W21');
  assert.equal(periodOf('2024-05-26', 'week'), '2024-W21');
  assert.equal(periodOf('2021-01-03', 'week'), '2020-W53');
  assert.equal(periodOf('2024-12-30', 'week'), '2025-W01');
  assert.deepEqual(daysOf('2020-W53'), { since: '2020-12-28', until: '2021-01-03' });
  assert.deepEqual(daysOf('2025-W01'), { since: '2024-12-30', until: '2025-01-05' });
  assert.deepEqual(daysOf('2024-05-20'), { since: '2024-05-20', until: '2024-05-20' });
});

test('bundles: naming an unknown channel, or two entries writing the same files, is refused with the line', () => {
  const config = (bundles: string) =>
    `mirror: { dir: m, title: t }\nsites:\n  - { id: s, name: S, base: "https://x.example/", channels: [{ id: world, title: W, feed: "https://x.example/f.xml" }] }\nbundles:\n${bundles}`;
  assert.throws(
    () => parseConfigText(config('  - { channels: [nope] }\n'), 'newsmirror.yaml', tmpdir()),
    /newsmirror\.yaml:\d+: bundles\[0\]\.channels\[0\]: no channel "nope"/,
  );
  assert.throws(
    () =>
      parseConfigText(config('  - { every: day }\n  - { channels: [world] }\n'), 'newsmirror.yaml', tmpdir()),
    /bundles 0 and 1 both write the daily epub of world/,
  );
  const ok = parseConfigText(
    config('  - { every: week, combined: true }\n  - { every: day }\n'),
    'x.yaml',
    tmpdir(),
  );
  assert.deepEqual(ok.config.bundles[1], {
    format: 'epub',
    every: 'day',
    combined: false,
    finished: false,
    keep: 7,
  });
});

describe('run with bundles:', () => {
  let mirror: DemoMirror;
  before(async () => {
    mirror = await buildDemoMirror({ configExtra: BUNDLES });
  });
  after(() => mirror?.close());

  test('the run writes and commits the newest periods; the EPUB passes epubcheck; home and index link them', async (t) => {
    const { config } = mirror.loaded;
    const targets = await plannedBundles(config, mirror.store, new Date());
    const hashes = await bundleHashes(mirror.mirrorDir);
    assert.deepEqual([...hashes.keys()].sort(), targets.map((target) => target.path).sort());
    assert.equal(await git(mirror.mirrorDir, ['status', '--porcelain', 'bundles']), '', 'all committed');
    // keep: 2 — the channel's two newest days, each with its own book.
    const days = [...new Set((await mirror.store.channels.entries(CHANNEL, {})).map(dayOf))].sort().reverse();
    const kept = targets.filter((target) => target.channelId === CHANNEL).map((target) => target.period);
    assert.deepEqual(kept, days.slice(0, 2));
    assert.ok(days.length > 2, 'the demo channel has more days than are kept');
    assert.ok(targets.some((target) => target.path === `bundles/${periodOf(days[0], 'week')}.html`));
    // finished: the day under way is left out, the two before it are kept.
    const finished = { format: 'epub', every: 'day', keep: 2, finished: true, combined: false } as const;
    const during = await plannedBundles(
      { ...config, bundles: [{ ...finished, channels: [CHANNEL] }] },
      mirror.store,
      new Date(`${days[0]}T12:00:00Z`),
    );
    assert.deepEqual(
      during.map((target) => target.period),
      days.slice(1, 3),
    );

    const book = join(mirror.mirrorDir, `bundles/${CHANNEL}/${days[0]}.epub`);
    const check = await epubcheck(book);
    assert.equal(check.errors, 0, check.output);
    t.diagnostic(`one channel-day EPUB (${CHANNEL} ${days[0]}): ${readFileSync(book).length} bytes`);

    const home = readFileSync(join(mirror.mirrorDir, 'README.md'), 'utf8');
    assert.match(home, /#### 下载新闻（离线阅读）/);
    assert.ok(home.includes(`](bundles/${CHANNEL}/${days[0]}.epub)`), 'home links the newest day');
    assert.ok(!home.includes(`](bundles/${CHANNEL}/${days[1]}.epub)`), 'home links only the newest');
    const index = readFileSync(join(mirror.mirrorDir, `indexes/${CHANNEL}.md`), 'utf8');
    for (const day of days.slice(0, 2))
      assert.ok(index.includes(`](../bundles/${CHANNEL}/${day}.epub)`), day);
  });

  test('a run with nothing new leaves every bundle byte-identical and makes no commit', async () => {
    const head = await git(mirror.mirrorDir, ['rev-parse', 'HEAD']);
    const hashes = await bundleHashes(mirror.mirrorDir);
    const summary = await mirror.run();
    assert.equal(summary.new, 0);
    assert.equal(summary.commit, null);
    assert.equal(await git(mirror.mirrorDir, ['rev-parse', 'HEAD']), head);
    assert.deepEqual(await bundleHashes(mirror.mirrorDir), hashes);
  });

  test('rebuild makes the same files and removes a bundle no longer kept', async () => {
    const hashes = await bundleHashes(mirror.mirrorDir);
    const head = (await git(mirror.mirrorDir, ['rev-parse', 'HEAD'])).trim();
    const stale = `bundles/${CHANNEL}/2001-01-01.epub`;
    mkdirSync(join(mirror.mirrorDir, 'bundles', CHANNEL), { recursive: true });
    writeFileSync(join(mirror.mirrorDir, stale), 'old');
    const other = join(mirror.mirrorDir, 'bundles', 'notes.txt');
    writeFileSync(other, 'not a bundle');
    await rebuildMirror({ loaded: mirror.loaded, store: mirror.store, log: silentLogger });
    assert.ok(!existsSync(join(mirror.mirrorDir, stale)));
    assert.ok(existsSync(other), 'files not named like bundles are left alone');
    assert.equal(
      await git(mirror.mirrorDir, ['diff', '--name-only', head, 'HEAD', '--', `bundles/${CHANNEL}`]),
      '',
    );
    const after = await bundleHashes(mirror.mirrorDir);
    after.delete('bundles/notes.txt');
    assert.deepEqual(after, hashes);
  });
});
