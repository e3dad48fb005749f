// Golden fixtures for the extract stage: test/fixtures/extract/<case>/{source.html, case.json, expected.json,
// expected.md}. Read by test/pipeline/extract/golden.test.ts; written by scripts/add-fixture.ts.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Root as HastRoot } from 'hast';
import { extractPage } from '../src/pipeline/job/extract-page.ts';
import { toMarkdown, toPlainText } from '../src/pipeline/render/markdown.ts';
import type { ExtractedArticle, SiteRules } from '../src/pipeline/types.ts';

export const FIXTURE_ROOT = join('test', 'fixtures', 'extract');

export interface FixtureCase {
  url: string;
  rules: SiteRules | null;
}

/** expected.json: the article without its body, plus the body's plain text; null for "not an article". */
export type ExpectedJson = (Omit<ExtractedArticle, 'body'> & { text: string }) | null;

export interface FixtureExpectation {
  json: ExpectedJson;
  markdown: string;
}

/** Every case folder (those holding a source.html), sorted. */
export function listFixtureCases(root = FIXTURE_ROOT): string[] {
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory() && existsSync(join(root, name, 'source.html')))
    .sort();
}

export function readFixtureCase(dir: string): FixtureCase {
  const parsed = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Partial<FixtureCase>;
  if (typeof parsed.url !== 'string')
    throw new Error(`add-fixture: ${join(dir, 'case.json')} has no "url" string`);
  return { url: parsed.url, rules: parsed.rules ?? null };
}

/** What extraction of `source` gives, in the form stored as expected.json and expected.md. */
export function expectationFor(source: string, fixture: FixtureCase): FixtureExpectation {
  const article = extractPage({ html: source }, { url: fixture.url, rules: fixture.rules ?? undefined });
  if (!article) return { json: null, markdown: '' };
  const { body, ...fields } = article;
  return { json: { ...fields, text: bodyToText(body) }, markdown: bodyToMarkdown(body) };
}

export function readExpectation(dir: string): FixtureExpectation {
  return {
    json: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as ExpectedJson,
    markdown: readFileSync(join(dir, 'expected.md'), 'utf8'),
  };
}

/** The body as the render stage writes it (GitHub-flavoured Markdown). */
export function bodyToMarkdown(body: HastRoot): string {
  return toMarkdown(body);
}

/** The body's plain text as the render stage gives it (blocks separated by blank lines). */
export function bodyToText(body: HastRoot): string {
  return toPlainText(body);
}

function writeExpectation(dir: string, expectation: FixtureExpectation): void {
  writeFileSync(join(dir, 'expected.json'), `${JSON.stringify(expectation.json, null, 2)}\n`);
  writeFileSync(join(dir, 'expected.md'), expectation.markdown);
}

/** Rewrites a case's expected files from its source.html and case.json; returns a one-line summary. */
export function regenerateFixture(dir: string): string {
  const source = readFileSync(join(dir, 'source.html'), 'utf8');
  const expectation = expectationFor(source, readFixtureCase(dir));
  writeExpectation(dir, expectation);
  const summary = expectation.json
    ? `${expectation.json.method} "${expectation.json.title}" misses=[${expectation.json.ruleMisses.join(', ')}]`
    : 'null (not an article)';
  return `${dir}: ${summary}`;
}
