// Golden fixtures for the extract stage: test/fixtures/extract/<case>/{source.html, case.json,
// expected.json, expected.md}. Review changes to expected files as diffs before committing them.
//
//   node bin/run-ts.js scripts/add-fixture.ts <case> [--source FILE|URL] [--url U] [--rules JSON|null]
//       creates or updates one case: copies (or downloads) the source, writes case.json, regenerates expected files
//   node bin/run-ts.js scripts/add-fixture.ts all
//       regenerates every case's expected files from its frozen source.html and case.json

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Root as HastRoot } from 'hast';
import { extractArticle } from '../src/pipeline/extract/index.ts';
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
  const article = extractArticle(source, { url: fixture.url, rules: fixture.rules ?? undefined });
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

function regenerate(dir: string): void {
  const source = readFileSync(join(dir, 'source.html'), 'utf8');
  const expectation = expectationFor(source, readFixtureCase(dir));
  writeExpectation(dir, expectation);
  const summary = expectation.json
    ? `${expectation.json.method} "${expectation.json.title}" misses=[${expectation.json.ruleMisses.join(', ')}]`
    : 'null (not an article)';
  console.log(`${dir}: ${summary}`);
}

/** Download a page and decode it with the charset its header or meta declares (UTF-8 otherwise). */
async function download(url: string): Promise<string> {
  const response = await fetch(url, { headers: { 'user-agent': 'newsmirror-add-fixture (+test fixtures)' } });
  if (!response.ok) throw new Error(`add-fixture: GET ${url} answered ${response.status}; check the URL`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const declared =
    /charset=([\w-]+)/i.exec(response.headers.get('content-type') ?? '')?.[1] ??
    /<meta[^>]+charset=["']?([\w-]+)/i.exec(new TextDecoder('latin1').decode(bytes.slice(0, 4096)))?.[1] ??
    'utf-8';
  return new TextDecoder(declared).decode(bytes);
}

async function main(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  if (!name || name.startsWith('-')) {
    throw new Error('usage: add-fixture.ts <case>|all [--source FILE|URL] [--url U] [--rules JSON|null]');
  }
  if (name === 'all') {
    for (const found of listFixtureCases()) regenerate(join(FIXTURE_ROOT, found));
    return;
  }
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    if (!rest[i].startsWith('--') || rest[i + 1] === undefined)
      throw new Error(`add-fixture: bad option ${rest[i]}`);
    options.set(rest[i].slice(2), rest[i + 1]);
  }
  const dir = join(FIXTURE_ROOT, name);
  mkdirSync(dir, { recursive: true });
  const source = options.get('source');
  if (source) {
    const html = /^https?:\/\//.test(source) ? await download(source) : readFileSync(resolve(source), 'utf8');
    writeFileSync(join(dir, 'source.html'), html);
  }
  if (!existsSync(join(dir, 'source.html')))
    throw new Error(`add-fixture: ${dir} has no source.html; pass --source`);
  const previous: Partial<FixtureCase> = existsSync(join(dir, 'case.json')) ? readFixtureCase(dir) : {};
  const url =
    options.get('url') ?? previous.url ?? (source && /^https?:\/\//.test(source) ? source : undefined);
  if (!url) throw new Error(`add-fixture: ${dir} needs a page URL; pass --url`);
  const rules = options.has('rules')
    ? (JSON.parse(options.get('rules')!) as SiteRules | null)
    : (previous.rules ?? null);
  writeFileSync(join(dir, 'case.json'), `${JSON.stringify({ url, rules }, null, 2)}\n`);
  regenerate(dir);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}
