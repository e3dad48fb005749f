// Rewrites test/fixtures/render/<case>/expected.md from each case's article.json and context.json, and
// test/fixtures/sanitize/<case>/output.html from input.html. Run after an intended change to the page format
// or the sanitiser, then review the diff: `npx tsx scripts/regen-render-fixtures.ts`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadRenderCase,
  RENDER_FIXTURES,
  renderCaseNames,
  SANITIZE_FIXTURES,
  sanitizeCase,
  sanitizeCaseNames,
} from '../harness/render-fixtures.ts';
import { renderPage } from '../src/pipeline/render/index.ts';

for (const name of renderCaseNames()) {
  const { article, context } = loadRenderCase(name);
  writeFileSync(join(RENDER_FIXTURES, name, 'expected.md'), renderPage(article, context));
  console.log(`wrote ${join(RENDER_FIXTURES, name, 'expected.md')}`);
}
for (const name of sanitizeCaseNames()) {
  writeFileSync(join(SANITIZE_FIXTURES, name, 'output.html'), sanitizeCase(name));
  console.log(`wrote ${join(SANITIZE_FIXTURES, name, 'output.html')}`);
}
