// Trains the page classifier (src/pipeline/extract/classify/) on WCXB's development split, read at run time from
// ../shared/bench-data, and writes its weights to src/pipeline/extract/classify/model.ts.
//   node bin/run-ts.js scripts/train-page-classifier.ts [--check]
// Prints the confusion matrix of a 5-fold cross-validation whose folds split by domain (pages of one site never
// train the model that is scored on them), then trains on every page. --check writes nothing.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadWcxb, type WcxbPage } from '../harness/bench/wcxb.ts';
import { type PageModel, softmaxScores } from '../src/pipeline/extract/classify/classify.ts';
import { FEATURE_NAMES, pageFeatures } from '../src/pipeline/extract/classify/features.ts';
import { REFUSE_PROBABILITY, REFUSED_TYPES } from '../src/pipeline/extract/classify/refuse.ts';
import { parseHtml } from '../src/pipeline/extract/dom.ts';

const { values: options } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const DATA_ROOT = resolve(process.env.NEWSMIRROR_BENCH_DATA ?? join('..', 'shared', 'bench-data'));
const MODEL_FILE = join('src', 'pipeline', 'extract', 'classify', 'model.ts');
const CLASSES = ['article', 'collection', 'documentation', 'forum', 'listing', 'product', 'service'];
const FOLDS = 5;
const ITERATIONS = 1500;
const LEARNING_RATE = 0.5;
/** L2 penalty: keeps weights small so one rare feature cannot decide a page. */
const L2 = 0.003;

interface Sample {
  page: WcxbPage;
  x: number[];
  y: number;
  fold: number;
}

function hostFold(url: string): number {
  let host = url;
  try {
    host = new URL(url).hostname.replace(/^www\./, '');
  } catch {}
  let hash = 0;
  for (const char of host) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % FOLDS;
}

function train(samples: readonly Sample[]): PageModel {
  const n = samples.length;
  const d = FEATURE_NAMES.length;
  const mean = Array.from({ length: d }, (_, j) => samples.reduce((s, e) => s + e.x[j], 0) / n);
  const scale = Array.from({ length: d }, (_, j) => {
    const variance = samples.reduce((s, e) => s + (e.x[j] - mean[j]) ** 2, 0) / n;
    return Math.sqrt(variance) || 1;
  });
  const weights = CLASSES.map(() => new Array<number>(d + 1).fill(0));
  const model: PageModel = { classes: CLASSES, features: FEATURE_NAMES, mean, scale, weights };
  const standardized = samples.map((s) => s.x.map((v, j) => (v - mean[j]) / scale[j]));
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const gradient = CLASSES.map(() => new Array<number>(d + 1).fill(0));
    samples.forEach((sample, i) => {
      const p = softmaxScores(model, sample.x);
      for (let k = 0; k < CLASSES.length; k++) {
        const error = p[k] - (sample.y === k ? 1 : 0);
        const row = gradient[k];
        for (let j = 0; j < d; j++) row[j] += error * standardized[i][j];
        row[d] += error;
      }
    });
    for (let k = 0; k < CLASSES.length; k++) {
      for (let j = 0; j <= d; j++) {
        const penalty = j < d ? L2 * weights[k][j] : 0;
        weights[k][j] -= LEARNING_RATE * (gradient[k][j] / n + penalty);
      }
    }
  }
  return model;
}

function predict(model: PageModel, x: number[]): { type: number; probability: number } {
  const p = softmaxScores(model, x);
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  return { type: best, probability: p[best] };
}

const pages = loadWcxb(DATA_ROOT);
const samples: Sample[] = pages.map((page) => ({
  page,
  x: pageFeatures(parseHtml(page.html), page.url),
  y: CLASSES.indexOf(page.type),
  fold: hostFold(page.url),
}));

const matrix = CLASSES.map(() => new Array<number>(CLASSES.length).fill(0));
let refusedArticles = 0;
const refusedByType = new Map<string, number>();
for (let fold = 0; fold < FOLDS; fold++) {
  const model = train(samples.filter((s) => s.fold !== fold));
  for (const sample of samples.filter((s) => s.fold === fold)) {
    const guess = predict(model, sample.x);
    matrix[sample.y][guess.type]++;
    const refused =
      (REFUSED_TYPES as readonly string[]).includes(CLASSES[guess.type]) &&
      guess.probability >= REFUSE_PROBABILITY;
    if (refused) {
      refusedByType.set(sample.page.type, (refusedByType.get(sample.page.type) ?? 0) + 1);
      if (sample.page.type === 'article') refusedArticles++;
    }
  }
}

const pad = (text: string | number, width = 13) => String(text).padStart(width);
console.log(`command: node bin/run-ts.js scripts/train-page-classifier.ts${options.check ? ' --check' : ''}`);
console.log(
  `${pages.length} pages, ${FOLDS}-fold cross-validation by domain; rows: truth, columns: predicted`,
);
console.log(`| truth \\ predicted | ${CLASSES.join(' | ')} | recall |`);
console.log(`| --- |${' --- |'.repeat(CLASSES.length + 1)}`);
let correct = 0;
matrix.forEach((row, k) => {
  correct += row[k];
  const total = row.reduce((a, b) => a + b, 0);
  console.log(
    `| ${CLASSES[k]} | ${row.map((v) => pad(v, 3)).join(' | ')} | ${(row[k] / total).toFixed(3)} |`,
  );
});
console.log(`accuracy ${(correct / pages.length).toFixed(3)}`);
const refusedLine = CLASSES.map((type) => {
  const total = samples.filter((s) => s.page.type === type).length;
  return `${type} ${refusedByType.get(type) ?? 0}/${total}`;
}).join(', ');
console.log(
  `refused as not-an-article (${REFUSED_TYPES.join('/')} with p >= ${REFUSE_PROBABILITY}), by true type: ${refusedLine}`,
);
console.log(`articles wrongly refused: ${refusedArticles}`);

if (!options.check) {
  const model = train(samples);
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  const list = (values: readonly number[]) => `[${values.map(round).join(', ')}]`;
  const source = `// Generated by scripts/train-page-classifier.ts from WCXB's development split; do not edit.
export const PAGE_MODEL = {
  classes: ${JSON.stringify(CLASSES)},
  features: ${JSON.stringify(FEATURE_NAMES)},
  mean: ${list(model.mean)},
  scale: ${list(model.scale)},
  weights: [
${model.weights.map((row) => `    ${list(row)},`).join('\n')}
  ],
} as const;
`;
  writeFileSync(MODEL_FILE, source);
  console.log(`wrote ${MODEL_FILE}`);
}
