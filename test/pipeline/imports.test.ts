// The one rule of src/pipeline/README.md: imports go down the layers (flows -> steps -> per-article units -> stages),
// never up or sideways between stages. A violation names the file and the import.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const PIPELINE = resolve('src/pipeline');
const STAGES = ['sources', 'fetch', 'extract', 'transform', 'render', 'publish'];
const UNITS = ['job', 'threads', 'queue'];
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
  // A new folder must be given its layer here (and in README.md) before anything in it can pass.
  throw new Error(`src/pipeline/${folder}/ is in no layer of src/pipeline/README.md`);
}

interface Import {
  specifier: string;
  /** `import type` / `export type`: erased at build time, so no code runs across it. */
  typeOnly: boolean;
}

/** Relative imports in every form: `import … from`, `export … from`, side-effect `import '…'`, `import('…')`. */
function importsOf(file: string): Import[] {
  const source = readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const match of source.matchAll(/^(import|export)(\s+type\b)?[^'"]*?from\s+'(\.[^']+)'/gm)) {
    found.push({ specifier: match[3], typeOnly: match[2] !== undefined });
  }
  for (const match of source.matchAll(/^import\s+'(\.[^']+)'/gm))
    found.push({ specifier: match[1], typeOnly: false });
  for (const match of source.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)) {
    found.push({ specifier: match[1], typeOnly: false });
  }
  return found;
}

/** Why importing `target` from `file` breaks the rule, or undefined when it does not. */
function violation(file: string, target: string, typeOnly = false): string | undefined {
  const from = placeOf(file);
  if (!from) return undefined;
  const to = placeOf(target);
  if (!to) {
    // Outside the pipeline: shared code and the store's ports, never the CLI or the server.
    if (/\/src\/(cli|server)\//.test(target)) return 'the CLI or server';
    if (/\/src\/store\//.test(target)) {
      if (from.layer === 'stage') return 'a stage using the store';
      // The job and the threads must run anywhere: they may name the store's records, never call it.
      if (from.layer === 'unit' && !typeOnly) return 'a per-article unit using the store';
    }
    return undefined;
  }
  if (to.folder === 'types.ts' || (from.layer === to.layer && from.folder === to.folder)) return undefined;
  if (LAYER[to.layer] > LAYER[from.layer]) return 'up a layer';
  if (from.layer === 'stage' && to.layer === 'stage') return 'another stage';
  if (from.layer === 'flow' && to.layer === 'flow') return 'another flow';
  return undefined;
}

test('pipeline imports go down the layers, and stages never import each other', () => {
  const violations: string[] = [];
  for (const file of filesUnder(PIPELINE)) {
    for (const { specifier, typeOnly } of importsOf(file)) {
      const why = violation(file, resolve(dirname(file), specifier), typeOnly);
      if (why) violations.push(`${relative(PIPELINE, file)} imports ${specifier} (${why})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('every import form is seen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsmirror-imports-'));
  try {
    const sample = join(dir, 'sample.ts');
    writeFileSync(
      sample,
      [
        "import { a } from './a.ts';",
        "import type { B } from './b.ts';",
        "export { c } from './c.ts';",
        "import './d.ts';",
        "const e = await import('./e.ts');",
        "import { f } from 'node:fs';",
      ].join('\n'),
    );
    assert.deepEqual(importsOf(sample), [
      { specifier: './a.ts', typeOnly: false },
      { specifier: './b.ts', typeOnly: true },
      { specifier: './c.ts', typeOnly: false },
      { specifier: './d.ts', typeOnly: false },
      { specifier: './e.ts', typeOnly: false },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the check itself catches each kind of violation', () => {
  const at = (path: string) => join(PIPELINE, path);
  assert.equal(violation(at('extract/x.ts'), at('fetch/client.ts')), 'another stage');
  assert.equal(violation(at('job/article-job.ts'), at('steps/plan.ts')), 'up a layer');
  assert.equal(violation(at('steps/plan.ts'), at('run.ts')), 'up a layer');
  assert.equal(violation(at('render/page.ts'), resolve('src/store/index.ts')), 'a stage using the store');
  assert.equal(violation(at('run.ts'), resolve('src/cli/run.ts')), 'the CLI or server');
  assert.equal(violation(at('check.ts'), at('run.ts')), 'another flow');
  assert.equal(
    violation(at('job/images.ts'), resolve('src/store/index.ts')),
    'a per-article unit using the store',
  );
  assert.equal(violation(at('job/types.ts'), resolve('src/store/index.ts'), true), undefined);
  assert.throws(() => placeOf(at('misc/x.ts')), /in no layer/);
  assert.equal(violation(at('run.ts'), at('steps/plan.ts')), undefined);
  assert.equal(violation(at('render/site/page.ts'), at('render/index.ts')), undefined);
});
