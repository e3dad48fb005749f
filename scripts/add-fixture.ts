// Creates or regenerates golden fixtures of the extract stage (harness/extract-fixtures.ts):
// test/fixtures/extract/<case>/. Review changes to expected files as diffs before committing them.
//
//   node bin/run-ts.js scripts/add-fixture.ts <case> [--source FILE|URL] [--url U] [--rules JSON|null]
//       [--pages articles|any] [--explain true|false]
//       creates or updates one case: copies (or downloads) the source, writes case.json, regenerates expected files;
//       --pages is the extractor's option, --explain true also records the classifier's verdict and the reason
//   node bin/run-ts.js scripts/add-fixture.ts all
//       regenerates every case's expected files from its frozen source.html and case.json

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  FIXTURE_ROOT,
  type FixtureCase,
  listFixtureCases,
  readFixtureCase,
  regenerateFixture,
} from '../harness/extract-fixtures.ts';
import type { SiteRules } from '../src/pipeline/types.ts';

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
    throw new Error(
      'usage: add-fixture.ts <case>|all [--source FILE|URL] [--url U] [--rules JSON|null] ' +
        '[--pages articles|any] [--explain true|false]',
    );
  }
  if (name === 'all') {
    for (const found of listFixtureCases()) console.log(regenerateFixture(join(FIXTURE_ROOT, found)));
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
  const pages = options.get('pages') ?? previous.pages;
  if (pages !== undefined && pages !== 'articles' && pages !== 'any')
    throw new Error(`add-fixture: --pages must be articles or any (got "${pages}")`);
  const explain = options.has('explain') ? options.get('explain') === 'true' : previous.explain;
  // Written only when set, so the case.json of older cases stays as it was.
  const fixture = { url, rules, ...(pages && { pages }), ...(explain && { explain: true }) };
  writeFileSync(join(dir, 'case.json'), `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(regenerateFixture(dir));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}
