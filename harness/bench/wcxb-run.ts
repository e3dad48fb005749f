// The wcxb-dev part of the extraction bench: our CLI, our extract stage in process, @mozilla/readability and
// defuddle on the same pages in the same run, scored with WCXB's metric (./wcxb.ts), one table row each.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Run, runCli } from './cli-run.ts';
import { METADATA_RULES, metadataTable, scoreMetadata } from './metadata-score.ts';
import { defuddle, type Output, PEER_UNAVAILABLE, readability } from './peers.ts';
import { scoreWcxb, type WcxbPage, type WcxbSummary, wcxbHeader, wcxbRow } from './wcxb.ts';

export interface WcxbOptions {
  /** The extract stage in process (timed; the CLI gives the quality figure), in either page mode. */
  ours: (page: WcxbPage, pages: 'articles' | 'any') => Output;
  onlyOurs: boolean;
  worst: number;
  dump?: string;
  /** JSON files of other extractors' outputs, `{id: text}` or `{id: {articleBody}}`, scored as extra rows. */
  predictions?: string[];
}

function readPredictions(file: string): Map<string, string> {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string | { articleBody?: string }>;
  return new Map(
    Object.entries(json).map(([id, value]) => [
      id,
      typeof value === 'string' ? value : (value?.articleBody ?? ''),
    ]),
  );
}

function timed(pages: readonly WcxbPage[], run: (page: WcxbPage) => Output): Run {
  const outputs = new Map<string, Output>();
  const start = performance.now();
  for (const page of pages) outputs.set(page.id, run(page));
  return { outputs, seconds: (performance.now() - start) / 1000 };
}

async function timedAsync(
  pages: readonly WcxbPage[],
  run: (page: WcxbPage) => Promise<Output>,
): Promise<Run> {
  const outputs = new Map<string, Output>();
  const start = performance.now();
  for (const page of pages) outputs.set(page.id, await run(page));
  return { outputs, seconds: (performance.now() - start) / 1000 };
}

const score = (pages: readonly WcxbPage[], run: Run, key: 'text' | 'blockText' = 'text') =>
  scoreWcxb(pages, (id) => {
    const out = run.outputs.get(id) as (Output & { blockText?: string }) | undefined;
    return out?.[key] ?? '';
  });

function printWorst(pages: readonly WcxbPage[], summary: WcxbSummary, count: number): void {
  if (!count) return;
  const byId = new Map(pages.map((page) => [page.id, page]));
  const ranked = summary.perPage
    .filter((s) => s.type === 'article')
    .sort((a, b) => a.f1 - b.f1)
    .slice(0, count);
  for (const s of ranked)
    console.log(
      `    worst article: ${s.id} F1=${s.f1.toFixed(3)} P=${s.precision.toFixed(3)} R=${s.recall.toFixed(3)} ${byId.get(s.id)?.url}`,
    );
}

function dump(dir: string | undefined, pages: readonly WcxbPage[], run: Run): void {
  if (!dir) return;
  const out = join(dir, 'wcxb-dev');
  mkdirSync(out, { recursive: true });
  for (const page of pages) {
    writeFileSync(join(out, `${page.id}.${page.type}.ours.txt`), run.outputs.get(page.id)?.text ?? '');
    writeFileSync(join(out, `${page.id}.${page.type}.truth.txt`), page.truth);
  }
}

export async function benchWcxb(pages: readonly WcxbPage[], options: WcxbOptions): Promise<void> {
  console.log(`\n== wcxb-dev: ${pages.length} pages (WCXB's word-level F1, mean over pages)`);
  // WCXB grades the main content of every kind of page: `--pages any`. A mirror's default turns listings and
  // collections down instead (the last of our rows).
  const cli = runCli(pages, ['--pages', 'any']);
  dump(options.dump, pages, cli);
  const inProcess = timed(pages, (page) => options.ours(page, 'any'));
  const articlesOnly = timed(pages, (page) => options.ours(page, 'articles'));
  const rows: string[] = [wcxbHeader(pages), `|${' --- |'.repeat(12)}`];
  const ours = score(pages, cli);
  rows.push(wcxbRow('newsmirror extract --pages any (CLI)', ours, pages.length / cli.seconds));
  rows.push(
    wcxbRow('same, extract stage in process', score(pages, inProcess), pages.length / inProcess.seconds),
  );
  rows.push(wcxbRow('in process, --pages articles (mirror default)', score(pages, articlesOnly)));
  const peers: Array<[string, Run]> = [];
  if (!options.onlyOurs) {
    const readable = timed(pages, readability);
    peers.push(['@mozilla/readability', readable]);
    rows.push(
      wcxbRow('@mozilla/readability (textContent)', score(pages, readable), pages.length / readable.seconds),
    );
    rows.push(wcxbRow('@mozilla/readability (content as text)', score(pages, readable, 'blockText')));
    const defuddled = await timedAsync(pages, defuddle);
    rows.push(wcxbRow('defuddle', score(pages, defuddled), pages.length / defuddled.seconds));
    peers.push(['defuddle', defuddled]);
  }
  for (const file of options.predictions ?? []) {
    const predicted = readPredictions(file);
    rows.push(
      wcxbRow(
        `predictions: ${basename(file)}`,
        scoreWcxb(pages, (id) => predicted.get(id) ?? ''),
      ),
    );
  }
  for (const row of rows) console.log(row);
  console.log(
    '  pages/s: the CLI includes process start-up and transform; in process: extract stage only; peers in process',
  );
  for (const [name, why] of Object.entries(PEER_UNAVAILABLE)) console.log(`  ${name}: not run, ${why}`);
  const articles = ours.byType.get('article');
  if (articles)
    console.log(
      `  newsmirror articles: P=${articles.precision.toFixed(3)} R=${articles.recall.toFixed(3)} F1=${articles.f1.toFixed(3)}; ` +
        `overall P=${ours.overall.precision.toFixed(3)} R=${ours.overall.recall.toFixed(3)}`,
    );
  console.log(
    '  published on the full split: rs-trafilatura 0.859 (articles 0.932), MinerU-HTML 0.827 (0.928), ' +
      'trafilatura 0.791 (0.926), dom-smoothie 0.762 (0.908), Readability 0.675 (0.825)',
  );
  printWorst(pages, ours, options.worst);
  printMetadata(pages, [['newsmirror extract --pages any (CLI)', cli], ...peers]);
}

/** Title, author and date against the ground truth: every page, then the article pages alone. */
function printMetadata(pages: readonly WcxbPage[], runs: ReadonlyArray<[string, Run]>): void {
  const articles = pages.filter((page) => page.type === 'article');
  const rows = runs.flatMap(([name, run]) => {
    const output = (id: string) => run.outputs.get(id);
    return [
      { name: `${name}, all ${pages.length} pages`, score: scoreMetadata(pages, output) },
      { name: `${name}, ${articles.length} articles`, score: scoreMetadata(articles, output) },
    ];
  });
  for (const row of metadataTable(rows)) console.log(`  ${row}`);
  console.log(METADATA_RULES);
}
