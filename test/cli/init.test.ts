// `newsmirror init --github-actions`: the workflow it writes is valid YAML with the structure GitHub needs to
// run the mirror hourly, one run at a time, with push rights and the store carried between runs.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import {
  GITHUB_ACTIONS_WORKFLOW_PATH,
  githubActionsWorkflow,
  writeGithubActionsWorkflow,
} from '../../src/cli/init-github-actions.ts';

interface WorkflowShape {
  on: { schedule: Array<{ cron: string }>; workflow_dispatch: unknown };
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
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
  const workflow = parse(githubActionsWorkflow()) as WorkflowShape;
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

  test('checks out the whole history, sets up Node 20, runs newsmirror', () => {
    const [checkout] = stepUsing('actions/checkout');
    assert.equal(checkout.with?.['fetch-depth'], 0);
    const [node] = stepUsing('actions/setup-node');
    assert.equal(String(node.with?.['node-version']), '20');
    const run = steps.find((step) => step.run?.includes('newsmirror run'));
    assert.ok(run, 'a step runs newsmirror');
    assert.match(run.run!, /^npx (--yes )?newsmirror run -c /);
    // The order matters: the store is restored before the run and saved after it.
    const index = (step?: Step) => steps.indexOf(step!);
    const [restore] = stepUsing('actions/cache/restore');
    const [save] = stepUsing('actions/cache/save');
    assert.ok(index(checkout) < index(restore) && index(restore) < index(run) && index(run) < index(save));
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
      assert.equal(await writeGithubActionsWorkflow(target), 0);
      const path = join(dir, '.github/workflows/newsmirror.yml');
      assert.equal(readFileSync(path, 'utf8'), githubActionsWorkflow());
      writeFileSync(path, 'mine');
      assert.equal(await writeGithubActionsWorkflow(target), 2);
      assert.equal(readFileSync(path, 'utf8'), 'mine');
      assert.equal(await writeGithubActionsWorkflow(target, true), 0);
      assert.equal(readFileSync(path, 'utf8'), githubActionsWorkflow());
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
