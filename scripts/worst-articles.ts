// The wcxb-dev article pages we extract worst: our extract stage in process on every article page of the split
// (read from ../shared/bench-data at run time), scored with WCXB's word-level metric (harness/bench/wcxb.ts), the N
// lowest F1 listed as a Markdown table with the page, word counts and the page classifier's verdict. For reading
// the pages by hand (docs/extraction.md, "Hardest articles"); nothing here tunes the extractor.
//
//   node bin/run-ts.js scripts/worst-articles.ts [--count 10] [--pages articles|any] [--type article] [--data DIR]
//
// --type names another of WCXB's page types (forum, product, collection, listing, documentation, service): the
// same table for those pages, read with `--pages any` as the bench reads them.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hastToText } from '../harness/bench/hast-text.ts';
import { loadWcxb, type WcxbPage, wcxbWords, wordF1 } from '../harness/bench/wcxb.ts';
import { extractArticle } from '../src/pipeline/extract/index.ts';

interface Scored {
  page: WcxbPage;
  f1: number;
  precision: number;
  recall: number;
  ourWords: number;
  truthWords: number;
  verdict: string;
}

function scorePage(page: WcxbPage, pages: 'articles' | 'any'): Scored {
  const extraction = extractArticle(page.html, { url: page.url, pages, explain: true });
  const text = extraction.article ? hastToText(extraction.article.body) : '';
  const guess = extraction.page
    ? `${extraction.page.type} ${extraction.page.probability.toFixed(2)}`
    : 'rules (no classifier)';
  const verdict = extraction.article ? guess : `${guess}; null: ${extraction.reason}`;
  return {
    page,
    ...wordF1(text, page.truth),
    ourWords: wcxbWords(text).length,
    truthWords: wcxbWords(page.truth).length,
    verdict,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '10' },
      pages: { type: 'string', default: 'articles' },
      type: { type: 'string', default: 'article' },
      data: { type: 'string', default: '../shared/bench-data' },
    },
  });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`worst-articles: --count must be a positive integer`);
  if (values.pages !== 'articles' && values.pages !== 'any')
    throw new Error(`worst-articles: --pages must be articles or any (got "${values.pages}")`);
  const mode = values.pages;
  const articles = loadWcxb(resolve(values.data)).filter((page) => page.type === values.type);
  if (articles.length === 0) throw new Error(`worst-articles: no wcxb-dev pages of type "${values.type}"`);
  const scored = articles.map((page) => scorePage(page, mode));
  const mean = scored.reduce((sum, s) => sum + s.f1, 0) / scored.length;
  const worst = [...scored].sort((a, b) => a.f1 - b.f1 || a.page.id.localeCompare(b.page.id)).slice(0, count);
  const f = (n: number) => n.toFixed(3);
  console.log(
    `node bin/run-ts.js scripts/worst-articles.ts --count ${count} --pages ${mode} --type ${values.type}: ` +
      `${scored.length} pages, mean F1 ${f(mean)}; the ${worst.length} worst:\n`,
  );
  console.log('| id | page | F1 | P | R | our words | truth words | classifier verdict |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const s of worst) {
    const url = s.page.url.replaceAll('|', '%7C');
    console.log(
      `| ${s.page.id} | ${url} | ${f(s.f1)} | ${f(s.precision)} | ${f(s.recall)} | ${s.ourWords} | ` +
        `${s.truthWords} | ${s.verdict.replaceAll('|', '/')} |`,
    );
  }
}

main();
