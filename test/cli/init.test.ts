// `newsmirror init --github-actions`: the workflow it writes is valid YAML with the structure GitHub needs to
// run the mirror hourly, one run at a time, with push rights and the store carried between runs.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import {
  GITHUB_ACTIONS_WORKFLOW_PATH,
  githubActionsWorkflow,
  writeGithubActionsWorkflow,
} from '../../src/cli/init-github-actions.ts';

const SOURCE = { repo: 'https://github.com/newsmirror/newsmirror.git', ref: 'a'.repeat(40) };

interface WorkflowShape {
  on: { schedule: Array<{ cron: string }>; workflow_dispatch: unknown };
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  env: Record<string, string>;
  jobs: { mirror: { steps: Step[] } };
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

describe('GitHub Actions workflow', () => {
  const workflow = parse(githubActionsWorkflow(SOURCE)) as WorkflowShape;
  const steps: Step[] = workflow.jobs.mirror.steps;
  const stepUsing = (action: string) => steps.filter((step) => step.uses?.startsWith(`${action}@`));

  test('runs hourly and on demand', () => {
    assert.deepEqual(Object.keys(workflow.on).sort(), ['schedule', 'workflow_dispatch']);
    assert.equal(workflow.on.schedule.length, 1);
    const [minute, hour, ...rest] = workflow.on.schedule[0].cron.split(' ');
    assert.match(minute, /^\d+$/, 'one fixed minute');
    assert.equal(hour, '*', 'every hour');
    assert.deepEqual(rest, ['*', '*', '*']);
  });

  test('may push, and never runs twice at once nor cancels a run in flight', () => {
    assert.deepEqual(workflow.permissions, { contents: 'write' });
    assert.ok(workflow.concurrency.group, 'a concurrency group');
    assert.equal(workflow.concurrency['cancel-in-progress'], false);
  });

  test('checks out the whole history, sets up Node 22, installs newsmirror at the pinned commit, runs it', () => {
    const [checkout] = stepUsing('actions/checkout');
    assert.equal(checkout.with?.['fetch-depth'], 0);
    const [node] = stepUsing('actions/setup-node');
    assert.equal(String(node.with?.['node-version']), '22');
    assert.equal(workflow.env.NEWSMIRROR_REPO, SOURCE.repo);
    assert.equal(workflow.env.NEWSMIRROR_REF, SOURCE.ref);
    const install = steps.find((step) => step.run?.includes('npm ci'));
    assert.ok(install, 'a step installs newsmirror');
    assert.doesNotMatch(githubActionsWorkflow(SOURCE), /npx/, 'no package name is looked up on the registry');
    const run = steps.find((step) => step.run?.includes(' run -c '));
    assert.ok(run, 'a step runs newsmirror');
    // The order matters: installed before it runs; the store restored before the run and saved after it.
    const index = (step?: Step) => steps.indexOf(step!);
    const [restore] = stepUsing('actions/cache/restore');
    const [save] = stepUsing('actions/cache/save');
    assert.ok(index(node) < index(install) && index(install) < index(run));
    assert.ok(index(checkout) < index(restore) && index(restore) < index(run) && index(run) < index(save));
  });

  test('its install and run steps work: a pinned commit of a git repository, exit 1 a warning, 3 a failure', () => {
    // A stand-in for the newsmirror repository: a package without dependencies whose CLI exits with FAKE_EXIT.
    const work = mkdtempSync(join(tmpdir(), 'newsmirror-workflow-'));
    const repo = join(work, 'repo');
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
        encoding: 'utf8',
      });
    try {
      execFileSync('git', ['init', '--quiet', repo]);
      const pkg = { name: 'newsmirror', version: '0.0.0', bin: { newsmirror: 'bin/newsmirror.js' } };
      writeFileSync(join(repo, 'package.json'), JSON.stringify(pkg));
      const lock = {
        name: 'newsmirror',
        version: '0.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: { '': pkg },
      };
      writeFileSync(join(repo, 'package-lock.json'), JSON.stringify(lock));
      execFileSync('mkdir', [join(repo, 'bin')]);
      writeFileSync(
        join(repo, 'bin', 'newsmirror.js'),
        "console.log('newsmirror', process.argv.slice(2).join(' ')); process.exit(Number(process.env.FAKE_EXIT));\n",
      );
      git('add', '.');
      git('commit', '--quiet', '-m', 'v1');
      const ref = git('rev-parse', 'HEAD').trim();
      git('commit', '--quiet', '--allow-empty', '-m', 'later, not pinned');
      const pinned = parse(githubActionsWorkflow({ repo, ref })) as WorkflowShape;
      const script = (needle: string) =>
        pinned.jobs.mirror.steps.find((step) => step.run?.includes(needle))!.run!;
      const githubEnv = join(work, 'github-env');
      writeFileSync(githubEnv, '');
      const env = {
        ...process.env,
        ...pinned.env,
        RUNNER_TEMP: join(work, 'runner-temp'),
        GITHUB_ENV: githubEnv,
      };
      execFileSync('mkdir', [env.RUNNER_TEMP]);
      const step = (text: string, extra: Record<string, string> = {}) =>
        spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', text], {
          env: { ...env, ...extra },
          encoding: 'utf8',
          timeout: 120_000,
        });
      const installed = step(script('npm ci'));
      assert.equal(installed.status, 0, installed.stderr);
      const bin = /^NEWSMIRROR_BIN=(.+)$/m.exec(readFileSync(githubEnv, 'utf8'))?.[1];
      assert.ok(bin, 'the install step exports NEWSMIRROR_BIN');
      assert.equal(
        execFileSync('git', ['-C', dirname(dirname(bin)), 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(),
        ref,
      );

      const runStep = script(' run -c ');
      const ok = step(runStep, { NEWSMIRROR_BIN: bin, FAKE_EXIT: '0' });
      assert.equal(ok.status, 0);
      assert.match(ok.stdout, /^newsmirror run -c newsmirror\.yaml$/m);
      assert.doesNotMatch(ok.stdout, /::(warning|error)/);
      const partial = step(runStep, { NEWSMIRROR_BIN: bin, FAKE_EXIT: '1' });
      assert.equal(partial.status, 0, 'only articles failed: the job stays green');
      assert.match(partial.stdout, /^::warning title=newsmirror::some articles failed/m);
      for (const code of [2, 3]) {
        const broken = step(runStep, { NEWSMIRROR_BIN: bin, FAKE_EXIT: String(code) });
        assert.equal(broken.status, code);
        assert.match(
          broken.stdout,
          new RegExp(`^::error title=newsmirror::the run failed with exit ${code}`, 'm'),
        );
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('carries the store in the cache: a key per run, restore-keys for the latest, saved even after failures', () => {
    const [restore] = stepUsing('actions/cache/restore');
    const [save] = stepUsing('actions/cache/save');
    assert.equal(restore.with?.key, save.with?.key);
    assert.match(String(save.with?.key), /\$\{\{ github\.run_id \}\}/);
    const prefix = String(save.with?.key).replace(/\$\{\{ github\.run_id \}\}$/, '');
    assert.deepEqual(String(restore.with?.['restore-keys']).trim().split('\n'), [prefix]);
    assert.equal(restore.with?.path, save.with?.path);
    assert.equal(save.if, 'always()');
    // ... and keeps it out of the mirror's commits.
    assert.ok(steps.some((step) => step.run?.includes('.git/info/exclude')));
  });

  test('is written where GitHub looks, and not over an existing file without force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsmirror-init-'));
    const write = process.stdout.write;
    const writeErr = process.stderr.write;
    try {
      process.stdout.write = (() => true) as typeof process.stdout.write;
      process.stderr.write = (() => true) as typeof process.stderr.write;
      const target = join(dir, GITHUB_ACTIONS_WORKFLOW_PATH);
      assert.equal(await writeGithubActionsWorkflow(target, false, SOURCE), 0);
      const path = join(dir, '.github/workflows/newsmirror.yml');
      assert.equal(readFileSync(path, 'utf8'), githubActionsWorkflow(SOURCE));
      writeFileSync(path, 'mine');
      assert.equal(await writeGithubActionsWorkflow(target, false, SOURCE), 2);
      assert.equal(readFileSync(path, 'utf8'), 'mine');
      assert.equal(await writeGithubActionsWorkflow(target, true, { ref: 'v1.0' }), 2, 'a tag is not a pin');
      // Without --ref, the commit of the clone newsmirror runs from.
      assert.equal(await writeGithubActionsWorkflow(target, true), 0);
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
      assert.match(readFileSync(path, 'utf8'), new RegExp(`NEWSMIRROR_REF: ${head}`));
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
