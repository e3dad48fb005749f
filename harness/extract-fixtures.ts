// Golden fixtures for the extract stage: test/fixtures/extract/<case>/{source.html, case.json, expected.json,
// expected.md}, and expected-verdict.json for cases that record the classifier's verdict ("explain": true).
// Read by test/pipeline/extract/golden.test.ts; written by scripts/add-fixture.ts.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Root as HastRoot } from 'hast';
import { extractPageContent } from '../src/pipeline/job/extract-page.ts';
import { toMarkdown, toPlainText } from '../src/pipeline/render/markdown.ts';
import type { ExtractedArticle, SiteRules } from '../src/pipeline/types.ts';

export const FIXTURE_ROOT = join('test', 'fixtures', 'extract');

export interface FixtureCase {
  url: string;
  rules: SiteRules | null;
  /** The extractor's `pages` option; absent is its default, `articles`. */
  pages?: 'articles' | 'any';
  /** Also record the classifier's guess and, for no article, the reason (expected-verdict.json). */
  explain?: boolean;
}

/** expected-verdict.json: what `newsmirror extract` says of the page beside the article. */
export interface ExpectedVerdict {
  /** The classifier's guess (rounded as `extract` prints it); absent when site rules read the page. */
  page?: { type: string; probability: number };
  /** Why there is no article. */
  reason?: string;
}

/** expected.json: the article without its body, plus the body's plain text; null for "not an article". */
export type ExpectedJson = (Omit<ExtractedArticle, 'body'> & { text: string }) | null;

export interface FixtureExpectation {
  json: ExpectedJson;
  markdown: string;
  /** Only for cases with `explain`. */
  verdict?: ExpectedVerdict;
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
  if (parsed.pages !== undefined && parsed.pages !== 'articles' && parsed.pages !== 'any')
    throw new Error(`add-fixture: ${join(dir, 'case.json')}: "pages" must be "articles" or "any"`);
  return {
    url: parsed.url,
    rules: parsed.rules ?? null,
    ...(parsed.pages && { pages: parsed.pages }),
    ...(parsed.explain && { explain: true }),
  };
}

/** What extraction of `source` gives, in the form stored as expected.json and expected.md. */
export function expectationFor(source: string, fixture: FixtureCase): FixtureExpectation {
  const extraction = extractPageContent(
    { html: source },
    { url: fixture.url, rules: fixture.rules ?? undefined, pages: fixture.pages },
  );
  const verdict: ExpectedVerdict | undefined = fixture.explain
    ? {
        ...(extraction.page && {
          page: {
            type: extraction.page.type,
            probability: Math.round(extraction.page.probability * 100) / 100,
          },
        }),
        ...(!extraction.article && { reason: extraction.reason }),
      }
    : undefined;
  const article = extraction.article;
  if (!article) return { json: null, markdown: '', ...(verdict && { verdict }) };
  const { body, ...fields } = article;
  return {
    json: { ...fields, text: bodyToText(body) },
    markdown: bodyToMarkdown(body),
    ...(verdict && { verdict }),
  };
}

export function readExpectation(dir: string): FixtureExpectation {
  const verdictFile = join(dir, VERDICT_FILE);
  return {
    json: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as ExpectedJson,
    markdown: readFileSync(join(dir, 'expected.md'), 'utf8'),
    ...(existsSync(verdictFile) && {
      verdict: JSON.parse(readFileSync(verdictFile, 'utf8')) as ExpectedVerdict,
    }),
  };
}

const VERDICT_FILE = 'expected-verdict.json';

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
  const verdictFile = join(dir, VERDICT_FILE);
  if (expectation.verdict) writeFileSync(verdictFile, `${JSON.stringify(expectation.verdict, null, 2)}\n`);
  else if (existsSync(verdictFile)) rmSync(verdictFile);
}

/** Rewrites a case's expected files from its source.html and case.json; returns a one-line summary. */
export function regenerateFixture(dir: string): string {
  const source = readFileSync(join(dir, 'source.html'), 'utf8');
  const expectation = expectationFor(source, readFixtureCase(dir));
  writeExpectation(dir, expectation);
  const summary = expectation.json
    ? `${expectation.json.method} "${expectation.json.title}" misses=[${expectation.json.ruleMisses.join(', ')}]`
    : `null (not an article${expectation.verdict?.reason ? `: ${expectation.verdict.reason}` : ''})`;
  return `${dir}: ${summary}`;
}
