// A page a run turns down as "not an article" says why, wherever an operator looks: the failure line and the log
// of `newsmirror run`, and the failures of `newsmirror status` (text and --json) carry the extractor's reason and
// the page classifier's guess, as `newsmirror extract` prints them. Through the built CLI, on a loopback site.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type FixtureServer, startFixtureServer } from '../../harness/fixture-server.ts';

/** A hand-written archive page of 48 link rows (also the golden fixture listing-refused). */
const LISTING = readFileSync(
  new URL('../fixtures/extract/listing-refused/source.html', import.meta.url),
  'utf8',
);

const PARAGRAPH =
  'The harbour bridge reopened on Tuesday after six weeks of repairs, and the first buses crossed it at dawn. ' +
  'Shopkeepers on the far side said trade had fallen by half while it was closed.';

const ARTICLE = `<!doctype html><html lang="en"><head><title>Bridge reopens</title></head><body>
<article><h1>Bridge reopens</h1>${`<p>${PARAGRAPH}</p>`.repeat(6)}</article></body></html>`;

/** Links and a heading, no sentence of prose. */
const NO_PROSE = `<!doctype html><html lang="en"><head><title>Weather</title></head><body>
<nav><a href="/">Home</a> <a href="/local/">Local</a></nav><h1>Weather</h1><div id="widget"></div></body></html>`;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI, asynchronously: the loopback site answers from this process meanwhile. */
async function newsmirror(args: string[]): Promise<CliResult> {
  return promisify(execFile)(process.execPath, [join(process.cwd(), 'bin', 'newsmirror.js'), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  }).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

describe('an article refused as not an article says why', () => {
  let site: FixtureServer;
  let configFile: string;
  let listingUrl: string;
  let noProseUrl: string;
  const work = mkdtempSync(join(tmpdir(), 'nm-not-article-'));
  // Turned down by the classifier itself, or first by the link-list check with the classifier's guess beside it.
  const LISTING_REASON =
    /not an article: (?:the page reads as a listing page \(classifier, p=0\.\d\d\)|no article body found \(too short, or mostly links\) \(classifier: listing page, p=0\.\d\d\))/;
  const NO_PROSE_REASON =
    /not an article: no paragraph of article prose \(about 20 words in one run of text\) \(classifier: [a-z]+ page, p=[01]\.\d\d\)/;

  before(async () => {
    site = await startFixtureServer();
    const page = (html: string) => (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
    };
    site.route(
      '/news.html',
      page(
        '<ul class="list"><li><a href="/news/bridge.html">Bridge</a></li>' +
          '<li><a href="/local/">Local news</a></li><li><a href="/news/weather.html">Weather</a></li></ul>',
      ),
    );
    site.route('/news/bridge.html', page(ARTICLE));
    site.route('/local/', page(LISTING));
    site.route('/news/weather.html', page(NO_PROSE));
    listingUrl = `${site.origin}/local/`;
    noProseUrl = `${site.origin}/news/weather.html`;
    configFile = join(work, 'newsmirror.yaml');
    writeFileSync(
      configFile,
      `mirror:
  title: Not an article
  dir: ${join(work, 'mirror')}
  images: drop
store: { path: ${join(work, 'store.sqlite')} }
fetch: { allowPrivateAddresses: true, retries: 0 }
sites:
  - id: town
    name: Town news
    base: ${site.origin}/
    lang: en
    channels:
      - { id: news, title: News, listing: { url: ${site.origin}/news.html, links: ".list a" } }
`,
    );
  });

  after(async () => {
    await site?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('run: the failure line and the log give the reason and the classifier guess', async () => {
    const result = await newsmirror(['run', '-c', configFile, '--log-json']);
    assert.equal(result.code, 1, `articles failed, the run did not: ${result.stderr}`);
    const failedLine = (url: string) =>
      result.stderr.split('\n').find((line) => line.startsWith(`failed: ${url}: `)) ?? '';
    assert.match(failedLine(listingUrl), LISTING_REASON);
    assert.match(failedLine(noProseUrl), NO_PROSE_REASON);
    const logged = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; message?: string; code?: string })
      .filter((entry) => entry.code === 'not_article')
      .map((entry) => entry.msg ?? entry.message ?? '');
    assert.equal(logged.length, 2, result.stderr);
    assert.ok(logged.some((message) => LISTING_REASON.test(message) && message.includes(listingUrl)));
    assert.ok(logged.some((message) => NO_PROSE_REASON.test(message)));
    assert.match(result.stdout, /new 1\b/, 'the article beside them was mirrored');
  });

  test('status, as text and as JSON, lists the failures with their reasons', async () => {
    const text = await newsmirror(['status', '-c', configFile]);
    const line = text.stdout.split('\n').find((row) => row.startsWith(`  ${listingUrl}: not_article`)) ?? '';
    assert.match(line, /given up/);
    assert.match(line, LISTING_REASON);
    const json = await newsmirror(['status', '-c', configFile, '--json']);
    const report = JSON.parse(json.stdout) as {
      failures: { givenUp: number; oldest: Array<{ url: string; code: string; message: string }> };
    };
    assert.equal(report.failures.givenUp, 2);
    const byUrl = new Map(report.failures.oldest.map((failure) => [failure.url, failure]));
    assert.equal(byUrl.get(listingUrl)?.code, 'not_article');
    assert.match(byUrl.get(listingUrl)?.message ?? '', LISTING_REASON);
    assert.match(byUrl.get(noProseUrl)?.message ?? '', NO_PROSE_REASON);
  });
});
