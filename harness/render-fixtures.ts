// Golden cases of the render stage (test/fixtures/render/<case>/: article.json, context.json, expected.md) and of
// the sanitiser (test/fixtures/sanitize/<case>/: input.html, output.html). Read by the render and transform tests;
// rewritten by scripts/regen-render-fixtures.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { mirrorSchema } from '../src/config/options.ts';
import type { PageContext } from '../src/pipeline/render/index.ts';
import { sanitizeBody } from '../src/pipeline/transform/sanitize.ts';
import type { Article } from '../src/pipeline/types.ts';

export const RENDER_FIXTURES = join('test', 'fixtures', 'render');
export const SANITIZE_FIXTURES = join('test', 'fixtures', 'sanitize');

/** One golden case: the article and context as stored, and the page they render to. */
export function loadRenderCase(name: string): { article: Article; context: PageContext } {
  const dir = join(RENDER_FIXTURES, name);
  const article = JSON.parse(readFileSync(join(dir, 'article.json'), 'utf8')) as Article;
  const raw = JSON.parse(readFileSync(join(dir, 'context.json'), 'utf8'));
  // context.json holds only what the case sets; the config schema fills in the defaults as a real run would.
  const context: PageContext = { ...raw, mirror: mirrorSchema.parse(raw.mirror) };
  return { article, context };
}

export function renderCaseNames(): string[] {
  return caseNames(RENDER_FIXTURES);
}

export function sanitizeCaseNames(): string[] {
  return caseNames(SANITIZE_FIXTURES);
}

/** input.html of a sanitiser case, through the transform's sanitising step, as HTML. */
export function sanitizeCase(name: string): string {
  const input = readFileSync(join(SANITIZE_FIXTURES, name, 'input.html'), 'utf8');
  return `${toHtml(sanitizeBody(fromHtml(input, { fragment: true })))}\n`;
}

function caseNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
