// The one rule of src/pipeline/README.md: imports go down the layers (flows -> steps -> per-article units -> stages),
// never up or sideways between stages. A violation names the file and the import.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const PIPELINE = resolve('src/pipeline');
const STAGES = ['sources', 'fetch', 'extract', 'transform', 'render', 'publish'];
const UNITS = ['job', 'threads'];
const LAYER = { flow: 3, step: 2, unit: 1, stage: 0 } as const;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Where a pipeline file sits: its layer and, for stages, which one; undefined outside src/pipeline. */
function placeOf(path: string): { layer: keyof typeof LAYER; folder: string } | undefined {
  const inside = relative(PIPELINE, path);
  if (inside.startsWith('..')) return undefined;
  const folder = inside.includes('/') ? inside.split('/')[0] : '';
  if (folder === '') return { layer: inside === 'types.ts' ? 'stage' : 'flow', folder: inside };
  if (folder === 'steps') return { layer: 'step', folder };
  if (UNITS.includes(folder)) return { layer: 'unit', folder };
  if (STAGES.includes(folder)) return { layer: 'stage', folder };
  return { layer: 'flow', folder };
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)[^'"]*?from '(\.[^']+)'/gm)].map((match) => match[1]);
}

/** Why importing `target` from `file` breaks the rule, or undefined when it does not. */
function violation(file: string, target: string): string | undefined {
  const from = placeOf(file);
  if (!from) return undefined;
  const to = placeOf(target);
  if (!to) {
    // Outside the pipeline: shared code and the store's ports, never the CLI or the server.
    if (/\/src\/(cli|server)\//.test(target)) return 'the CLI or server';
    if (from.layer === 'stage' && /\/src\/store\//.test(target)) return 'a stage using the store';
    return undefined;
  }
  if (to.folder === 'types.ts' || (from.layer === to.layer && from.folder === to.folder)) return undefined;
  if (LAYER[to.layer] > LAYER[from.layer]) return 'up a layer';
  if (from.layer === 'stage' && to.layer === 'stage') return 'another stage';
  return undefined;
}

test('pipeline imports go down the layers, and stages never import each other', () => {
  const violations: string[] = [];
  for (const file of filesUnder(PIPELINE)) {
    for (const specifier of importsOf(file)) {
      const why = violation(file, resolve(dirname(file), specifier));
      if (why) violations.push(`${relative(PIPELINE, file)} imports ${specifier} (${why})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the check itself catches each kind of violation', () => {
  const at = (path: string) => join(PIPELINE, path);
  assert.equal(violation(at('extract/x.ts'), at('fetch/client.ts')), 'another stage');
  assert.equal(violation(at('job/article-job.ts'), at('steps/plan.ts')), 'up a layer');
  assert.equal(violation(at('steps/plan.ts'), at('run.ts')), 'up a layer');
  assert.equal(violation(at('render/page.ts'), resolve('src/store/index.ts')), 'a stage using the store');
  assert.equal(violation(at('run.ts'), resolve('src/cli/run.ts')), 'the CLI or server');
  assert.equal(violation(at('run.ts'), at('steps/plan.ts')), undefined);
  assert.equal(violation(at('render/site/page.ts'), at('render/index.ts')), undefined);
});
