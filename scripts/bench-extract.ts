import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { type Run, runCli } from '../harness/bench/cli-run.ts';
import { hastToText } from '../harness/bench/hast-text.ts';
import { METADATA_RULES, metadataTable, scoreMetadata } from '../harness/bench/metadata-score.ts';
import { defuddle, type Output, readability } from '../harness/bench/peers.ts';
import { processTable, timeProcesses } from '../harness/bench/process-speed.ts';
import {
  hanCharTokens,
  type PageScore,
  type Summary,
  scoreAll,
  scorePage,
  summarize,
  type Tokenizer,
  wordTokens,
} from '../harness/bench/score.ts';
import { loadWcxb } from '../harness/bench/wcxb.ts';
import { benchWcxb } from '../harness/bench/wcxb-run.ts';
import { parseHtml } from '../src/pipeline/extract/dom.ts';
import { extractGeneric } from '../src/pipeline/extract/generic/index.ts';
import { extractArticle } from '../src/pipeline/extract/index.ts';

const { values: options } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'all' },
    limit: { type: 'string' },
    'only-ours': { type: 'boolean', default: false },
    /** Score extractGeneric alone, in process (no CLI, no page metadata): quick iterations on the extractor. */
    'generic-only': { type: 'boolean', default: false },
    dump: { type: 'string' },
    worst: { type: 'string', default: '0' },
    /** wcxb-dev pages to score (an evenly spaced sample); all 1,497 by default. */
    'wcxb-pages': { type: 'string' },
    /** Outputs of another extractor on wcxb-dev (JSON, {id: text}) to score beside ours: a scorer check. */
    'wcxb-predictions': { type: 'string', multiple: true },
    /** Scrapinghub as whole processes (ours and Readability's, alternating): repeats, 0 to skip. */
    processes: { type: 'string', default: '3' },
  },
});

console.log(`command: npm run bench:extract -- ${process.argv.slice(2).join(' ')}`.trimEnd());

const DATA_ROOT = resolve('../shared/bench-data');

interface Page {
  id: string;
  /** The page as saved (zh-content: raw bytes in its own charset). */
  bytes: Uint8Array;
  url: string;
  html: string;
  truth: string;
  author?: string;
  date?: string;
  /** Page title as the dataset recorded it (zh-content's wrapper), a weak label. */
  pageTitle?: string;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Reference outputs come as {id: {articleBody}} or wrapped as {output: {...}}. */
function bodies(json: Record<string, unknown>): Map<string, string> {
  const inner = (json.output && typeof json.output === 'object' ? json.output : json) as Record<
    string,
    { articleBody?: string }
  >;
  return new Map(Object.entries(inner).map(([id, value]) => [id, value?.articleBody ?? '']));
}

function limitPages(pages: Page[]): Page[] {
  return options.limit ? pages.slice(0, Number(options.limit)) : pages;
}

function fromBytes(bytes: Uint8Array): { bytes: Uint8Array; html: string } {
  return { bytes, html: Buffer.from(bytes).toString('utf8') };
}

function loadScrapinghub(): Page[] {
  const dir = join(DATA_ROOT, 'scrapinghub');
  const truth = readJson<Record<string, { articleBody: string; url: string }>>(
    join(dir, 'ground-truth.json'),
  );
  const pages = Object.entries(truth).map(([id, { articleBody, url }]) => ({
    id,
    url,
    truth: articleBody,
    ...fromBytes(gunzipSync(readFileSync(join(dir, 'html', `${id}.html.gz`)))),
  }));
  return limitPages(pages);
}

type Decode = (bytes: Uint8Array) => string;

/** The fetch stage's charset detection when present; else a meta-charset sniff with TextDecoder. */
async function loadDecoder(): Promise<Decode> {
  const module = resolve('src/pipeline/fetch/charset.ts');
  if (existsSync(module)) {
    const { decodeBody } = (await import(module)) as { decodeBody: (b: Uint8Array) => { text: string } };
    return (bytes) => decodeBody(bytes).text;
  }
  return (bytes) => {
    const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
    const label = head.match(/charset\s*=\s*["']?([\w-]+)/i)?.[1]?.toLowerCase() ?? 'utf-8';
    const gb = /^(gb2312|gbk|gb18030|x-gbk)$/.test(label);
    return new TextDecoder(gb ? 'gb18030' : label, { fatal: false }).decode(bytes);
  };
}

async function loadZh(): Promise<Page[]> {
  const dir = join(DATA_ROOT, 'zh-content');
  const decode = await loadDecoder();
  const truth = bodies(readJson(join(dir, 'eval', 'cleaned_ground.json')));
  const authors = bodies(readJson(join(dir, 'eval', 'author_ground.json')));
  const dates = bodies(readJson(join(dir, 'eval', 'date_ground.json')));
  const pages: Page[] = [];
  for (const [id, text] of truth) {
    const bytes = readFileSync(join(dir, 'original', `${id}.html`));
    const html = decode(bytes);
    // Each page is wrapped in <text id="URL" title="..." encoding="...">.
    const wrapper = html.slice(0, 2000).match(/<text\b[^>]*>/i)?.[0] ?? '';
    const url = wrapper.match(/\bid="([^"]*)"/)?.[1] ?? `https://example.invalid/${id}`;
    const pageTitle = wrapper.match(/\btitle="([^"]*)"/)?.[1];
    pages.push({
      id,
      url,
      bytes,
      html,
      truth: text,
      author: authors.get(id),
      date: dates.get(id),
      pageTitle,
    });
  }
  return limitPages(pages);
}

/** Pages run untimed first, so both extractors are measured with their code compiled by the JIT. */
const WARM_UP_PAGES = 20;

/** The generic extractor alone (parse + extractGeneric), for quick iterations on it: `--generic-only`. */
function genericOne(page: Page): Output {
  const result = extractGeneric(parseHtml(page.html), page.url);
  return {
    text: result ? hastToText(result.body) : '',
    title: result?.title,
    author: result?.author,
    published: result?.published,
  };
}

/** The whole extract stage in process (parse, page metadata, generic extractor): what the speed figure times. */
function pipelineOne(page: Page, pages: 'articles' | 'any' = 'articles'): Output {
  const article = extractArticle(page.html, { url: page.url, pages });
  return {
    text: article ? hastToText(article.body) : '',
    title: article?.title,
    author: article?.author,
    published: article?.published,
  };
}

/**
 * Runs ours and (unless --only-ours) Readability page by page, alternating, so a busy machine slows both alike;
 * each is warmed up first so both are timed with their code compiled.
 */
function timeBoth(
  pages: Page[],
  ours: (page: Page) => Output,
  withBaseline: boolean,
): { ours: Run; baseline?: Run } {
  for (const page of pages.slice(0, WARM_UP_PAGES)) {
    ours(page);
    if (withBaseline) readabilityText(page);
  }
  const mine: Run = { outputs: new Map(), seconds: 0 };
  const theirs: Run = { outputs: new Map(), seconds: 0 };
  for (const page of pages) {
    const start = performance.now();
    mine.outputs.set(page.id, ours(page));
    const middle = performance.now();
    mine.seconds += (middle - start) / 1000;
    if (withBaseline) {
      theirs.outputs.set(page.id, readabilityText(page));
      theirs.seconds += (performance.now() - middle) / 1000;
    }
  }
  return withBaseline ? { ours: mine, baseline: theirs } : { ours: mine };
}

/** Readability's documented `textContent`, as the published Scrapinghub figure for readability_js used. */
function readabilityText(page: Page): Output {
  return readability(page);
}

const fmt = (n: number) => n.toFixed(3);

function line(name: string, s: Summary, extra = ''): string {
  return `  ${name.padEnd(26)} P=${fmt(s.precision)} R=${fmt(s.recall)} F1=${fmt(s.f1)} acc=${fmt(s.accuracy)}${extra}`;
}

function scoreRun(pages: Page[], run: Run, tokenize: Tokenizer): { summary: Summary; perPage: PageScore[] } {
  const perPage = pages.map((page) => scorePage(page.truth, run.outputs.get(page.id)?.text ?? '', tokenize));
  return { summary: summarize(perPage), perPage };
}

function printWorst(pages: Page[], perPage: PageScore[]): void {
  const count = Number(options.worst);
  if (!count) return;
  const ranked = pages
    .map((page, i) => ({ page, s: perPage[i] }))
    .sort((a, b) => a.s.tp - b.s.tp)
    .slice(0, count);
  for (const { page, s } of ranked)
    console.log(
      `    worst: ${page.id.slice(0, 12)} tp=${fmt(s.tp)} fp=${fmt(s.fp)} fn=${fmt(s.fn)} ${page.url}`,
    );
}

function dump(dataset: string, pages: Page[], run: Run): void {
  if (!options.dump) return;
  const dir = join(options.dump, dataset);
  mkdirSync(dir, { recursive: true });
  for (const page of pages) {
    writeFileSync(join(dir, `${page.id}.ours.txt`), run.outputs.get(page.id)?.text ?? '');
    writeFileSync(join(dir, `${page.id}.truth.txt`), page.truth);
  }
}

/** zh-content has no title labels: ours against the page <title> the dataset recorded, by containment (weak). */
function titleAgainstPageTitle(pages: Page[], run: Run): string {
  const compact = (text: string | undefined) => (text ?? '').replace(/\s+/g, '');
  const labelled = pages.filter((page) => compact(page.pageTitle));
  const right = labelled.filter((page) => {
    const ours = compact(run.outputs.get(page.id)?.title);
    const recorded = compact(page.pageTitle);
    return ours && (recorded.includes(ours) || ours.includes(recorded));
  }).length;
  return `${right}/${labelled.length} (${fmt(labelled.length ? right / labelled.length : 0)})`;
}

function printMetadata(pages: Page[], runs: Array<[string, Run | undefined]>): void {
  const rows = runs.flatMap(([name, run]) =>
    run ? [{ name, score: scoreMetadata(pages, (id) => run.outputs.get(id)) }] : [],
  );
  for (const row of metadataTable(rows)) console.log(`  ${row}`);
  console.log(METADATA_RULES);
  for (const [name, run] of runs)
    if (run)
      console.log(
        `  title ~ recorded <title> (weak label, containment), ${name}: ${titleAgainstPageTitle(pages, run)}`,
      );
}

/** defuddle in process, untimed against ours (its pages/s is its own, measured in the same run). */
async function defuddleRun(pages: Page[]): Promise<Run> {
  const outputs = new Map<string, Output>();
  const start = performance.now();
  for (const page of pages) outputs.set(page.id, await defuddle(page));
  return { outputs, seconds: (performance.now() - start) / 1000 };
}

async function benchDataset(name: string, pages: Page[], references: Map<string, Map<string, string>>) {
  const tokenizers: [string, Tokenizer][] =
    name === 'zh-content'
      ? [
          ['own tokens', wordTokens],
          ['one token per Han char', hanCharTokens],
        ]
      : [['tokens', wordTokens]];
  console.log(`\n== ${name}: ${pages.length} pages`);
  const truth = new Map(pages.map((page) => [page.id, page.truth]));
  if (!options['only-ours'] && references.size) {
    console.log(' reference outputs (scorer check):');
    for (const [ref, predictions] of references) {
      for (const [label, tokenize] of tokenizers)
        console.log(line(`${ref} [${label}]`, scoreAll(truth, predictions, tokenize)));
    }
  }
  const genericOnly = options['generic-only'];
  const { ours: timed, baseline } = timeBoth(
    pages,
    genericOnly ? genericOne : pipelineOne,
    !options['only-ours'],
  );
  const ours = genericOnly ? timed : runCli(pages);
  const defuddled = options['only-ours'] ? undefined : await defuddleRun(pages);
  dump(name, pages, ours);
  console.log(' extractors:');
  for (const [label, tokenize] of tokenizers) {
    const mine = scoreRun(pages, ours, tokenize);
    const ourName = genericOnly ? 'newsmirror generic' : 'newsmirror extract (CLI)';
    console.log(line(`${ourName} [${label}]`, mine.summary));
    if (label !== 'one token per Han char') printWorst(pages, mine.perPage);
    if (!genericOnly) {
      const inProcess = scoreRun(pages, timed, tokenize).summary;
      console.log(
        line(
          `  same, in process [${label}]`,
          inProcess,
          `  ${(pages.length / timed.seconds).toFixed(1)} pages/s`,
        ),
      );
    }
    if (baseline) {
      const theirs = scoreRun(pages, baseline, tokenize).summary;
      console.log(
        line(`readability [${label}]`, theirs, `  ${(pages.length / baseline.seconds).toFixed(1)} pages/s`),
      );
    }
    if (defuddled) {
      const theirs = scoreRun(pages, defuddled, tokenize).summary;
      console.log(
        line(`defuddle [${label}]`, theirs, `  ${(pages.length / defuddled.seconds).toFixed(1)} pages/s`),
      );
    }
  }
  if (baseline)
    console.log(
      `  speed ratio newsmirror/readability (in process, same pages): ${(baseline.seconds / timed.seconds).toFixed(2)}x`,
    );
  const repeat = Number(options.processes);
  if (name === 'scrapinghub' && baseline && repeat > 0)
    console.log(processTable(await timeProcesses(pages, repeat), repeat));
  if (name === 'zh-content')
    printMetadata(pages, [
      [genericOnly ? 'newsmirror generic' : 'newsmirror extract (CLI)', ours],
      ['readability', baseline],
      ['defuddle', defuddled],
    ]);
  return { ours, baseline };
}

const dataset = options.dataset ?? 'all';
if (dataset === 'all' || dataset === 'scrapinghub') {
  const dir = join(DATA_ROOT, 'scrapinghub', 'reference-outputs');
  const references = new Map(
    readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => [file.replace(/\.json$/, ''), bodies(readJson(join(dir, file)))] as const),
  );
  await benchDataset('scrapinghub', loadScrapinghub(), references);
}
if (dataset === 'all' || dataset === 'zh-content') {
  const references = new Map([
    [
      'result (dataset author)',
      bodies(readJson(join(DATA_ROOT, 'zh-content', 'reference-outputs', 'result.json'))),
    ],
  ]);
  await benchDataset('zh-content', await loadZh(), references);
}
if (dataset === 'all' || dataset === 'wcxb-dev') {
  const limit = options['wcxb-pages'] ? Number(options['wcxb-pages']) : undefined;
  await benchWcxb(loadWcxb(DATA_ROOT, limit), {
    ours: pipelineOne,
    onlyOurs: options['only-ours'],
    worst: Number(options.worst),
    dump: options.dump,
    predictions: options['wcxb-predictions'],
  });
}
