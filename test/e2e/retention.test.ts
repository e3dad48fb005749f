// Retention (mirror.keep + mirror.archive): a run over 2,400 articles (seeded into the store, rendered by the run) with `keep: 300` leaves each channel's
// newest 300 pages in the main mirror and moves the rest, with their images, into one archive repository per year;
// every relative link and image of both repositories resolves, links to the other repository are its public URL,
// an archived page's QR code encodes its archive URL; a second run moves the next oldest; `rebuild` makes the same
// split; `newsmirror size` reports both.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, describe, test } from 'node:test';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { type FixtureServer, startFixtureServer } from '../../harness/fixture-server.ts';
import { git, readRemoteFile } from '../../harness/git.ts';
import { sizeCommand } from '../../src/cli/size.ts';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { MIRROR_LAYOUT } from '../../src/internal/mirror-layout.ts';
import { extractArticle } from '../../src/pipeline/extract/index.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { pageRefsOf } from '../../src/pipeline/job/article-job.ts';
import { openGitMirror } from '../../src/pipeline/publish/git.ts';
import { rebuildMirror, runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';

type DecodeQr = typeof jsQRModule.default;
const jsQR: DecodeQr =
  (jsQRModule as unknown as { default?: DecodeQr }).default ?? (jsQRModule as unknown as DecodeQr);

/** Articles seeded into the store before the first run (RETENTION_ARTICLES for more; at least 2,000 so both years are archived). */
const FIRST = Number(process.env.RETENTION_ARTICLES ?? 2400);
/** Newest items each feed lists: the runs fetch these, the older ones are only in the store. */
const FEED_ITEMS = 120;
const MORE = 100;
const KEEP = 300;
const MAIN_URL = 'https://example.org/news/blob/main/';
const ARCHIVE_URL = 'https://example.org/news-archive-{year}/blob/main/';
/** Article i is published 3 hours after article i-1: the articles span 2023 and 2024. */
const START_MS = Date.parse('2023-10-01T00:00:00Z');
const publishedOf = (i: number) => new Date(START_MS + i * 3 * 3_600_000);
const channelOf = (i: number) => (i % 2 === 0 ? 'even' : 'odd');
/** Every 40th article is listed by both channels. */
const inBoth = (i: number) => i % 40 === 0;

describe('retention: mirror.keep and mirror.archive', { timeout: 600_000 }, () => {
  let server: FixtureServer;
  let work: string;
  let loaded: LoadedConfig;
  let store: Store;
  let http: HttpClient;
  let published = FIRST;
  let imagePngs: Buffer[] = [];
  const timings: string[] = [];

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'newsmirror-retention-'));
    server = await startFixtureServer();
    const images = await Promise.all(
      Array.from({ length: 25 }, (_, n) =>
        sharp({
          create: { width: 16, height: 12, channels: 3, background: { r: n * 10, g: 100, b: 255 - n * 10 } },
        })
          .png()
          .toBuffer(),
      ),
    );
    imagePngs = images;
    images.forEach((png, n) => {
      server.route(`/img/${n}.png`, (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(png);
      });
    });
    for (const channel of ['even', 'odd']) {
      server.route(`/${channel}.xml`, (_req, res) => {
        const items: string[] = [];
        for (let i = published - 1; i >= published - FEED_ITEMS; i--) {
          if (channelOf(i) !== channel && !inBoth(i)) continue;
          items.push(
            `<item><title>Article ${i}</title><link>${server.origin}/news/${i}.html</link>` +
              `<pubDate>${publishedOf(i).toUTCString()}</pubDate></item>`,
          );
        }
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>${channel}</title>${items.join('')}</channel></rss>`,
        );
      });
    }
    for (let i = 0; i < FIRST + MORE; i++) {
      server.route(`/news/${i}.html`, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(articleHtml(i));
      });
    }
    const configText = `mirror:
  dir: ./mirror
  title: News
  publicUrl: ${MAIN_URL}
  images: mirror
  links: mirror
  keep: ${KEEP}
  archive:
    dir: ./archive-{year}
    publicUrl: ${ARCHIVE_URL}
    remotes: [{ name: origin, url: "./remote-{year}.git" }]
fetch:
  allowPrivateAddresses: true
  concurrency: 64
  perHostConcurrency: 64
store:
  path: ./store.sqlite
sites:
  - id: news
    name: News
    base: "${server.origin}/"
    articleId: '/news/(\\d+)\\.html$'
    rules: { body: article, title: h1 }
    channels:
      - { id: even, title: Even, feed: "${server.origin}/even.xml", limit: 5000 }
      - { id: odd, title: Odd, feed: "${server.origin}/odd.xml", limit: 5000 }
`;
    writeFileSync(join(work, 'newsmirror.yaml'), configText);
    for (const year of ['2023', '2024'])
      await git(work, ['init', '-q', '--bare', '-b', 'main', `remote-${year}.git`]);
    loaded = parseConfigText(configText, join(work, 'newsmirror.yaml'), work);
    store = await openSqliteStore(loaded.storePath);
    http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 10 });
    const started = Date.now();
    await seedStore();
    timings.push(`seeding ${FIRST} articles ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  /**
   * The store as FIRST fetched articles leave it (rows, memberships, page references, images and their files,
   * committed), pages not yet rendered: the first run renders them all. Fetching and extracting thousands of pages
   * would take minutes; one real extraction is the template of every body.
   */
  async function seedStore(): Promise<void> {
    await openGitMirror(loaded.mirrorDir, { branch: 'main' }).ensureRepo();
    const template = extractArticle(articleHtml(999_999), {
      url: `${server.origin}/news/999999.html`,
      rules: { body: 'article', title: 'h1', remove: [] },
    });
    assert.ok(template, 'the template article extracts');
    const json = JSON.stringify(template);
    const seen = new Date().toISOString();
    await store.transaction(async (tx) => {
      for (let i = 0; i < FIRST; i++) {
        const extracted = JSON.parse(
          json
            .replaceAll('/img/9999.png', `/img/${imageOf(i)}.png`)
            .replaceAll('999998', String(Math.max(0, i - 1)))
            .replaceAll('999299', String(Math.max(0, i - 700)))
            .replaceAll('999999', String(i)),
        );
        extracted.published = publishedOf(i).toISOString();
        const id = String(i);
        const url = `${server.origin}/news/${i}.html`;
        await tx.articles.save({
          siteId: 'news',
          id,
          url,
          homeChannel: channelOf(i),
          pagePath: `pages/${channelOf(i)}/${i}.md`,
          title: extracted.title,
          published: extracted.published,
          lang: 'en',
          contentHash: `seed-${i}`,
          extracted: JSON.stringify(extracted),
          firstSeen: seen,
          updatedAt: seen,
        });
        await tx.channels.addMembership('news', id, channelOf(i), seen);
        if (inBoth(i)) await tx.channels.addMembership('news', id, channelOf(i + 1), seen);
        await tx.pageRefs.save('news', id, pageRefsOf(extracted));
      }
      // The images the seeded pages show; the next run downloads those of its new articles.
      for (const [n, png] of imagePngs.slice(0, imageOf(FIRST - 1) + 1).entries()) {
        const sha256 = createHash('sha256').update(png).digest('hex');
        const assetPath = MIRROR_LAYOUT.asset(sha256, 'png');
        mkdirSync(join(loaded.mirrorDir, assetPath, '..'), { recursive: true });
        writeFileSync(join(loaded.mirrorDir, assetPath), png);
        await tx.images.save({
          src: `${server.origin}/img/${n}.png`,
          assetPath,
          sha256,
          bytes: png.length,
          originalBytes: png.length,
          width: 16,
          height: 12,
          contentType: 'image/png',
        });
      }
    });
    await git(loaded.mirrorDir, ['add', '-A']);
    await git(loaded.mirrorDir, ['commit', '-q', '-m', 'seeded images']);
  }

  after(async () => {
    await http?.close();
    await store?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const run = async (label: string) => {
    const started = Date.now();
    // Pushed: the main mirror has no remotes, each archive its bare repository beside the config.
    const summary = await runMirror({ loaded, store, http, log: silentLogger });
    timings.push(`${label} ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return summary;
  };

  test(`a first run of ${FIRST} articles keeps 300 per channel and archives the rest by year`, async () => {
    const summary = await run(`run rendering ${FIRST}`);
    assert.equal(summary.failed, 0);
    checkSplit(FIRST);
    checkLinks();
    // The share URL and QR code of an archived page are its archive's.
    const oldest = 'pages/even/0.md';
    const archived = join(work, 'archive-2023', oldest);
    assert.ok(
      readFileSync(archived, 'utf8').includes(`<https://example.org/news-archive-2023/blob/main/${oldest}>`),
    );
    const png = PNG.sync.read(readFileSync(`${archived}.png`));
    assert.equal(
      jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data,
      `https://example.org/news-archive-2023/blob/main/${oldest}`,
    );
    // Each repository has a commit of its own; each archive is pushed to its year's remote.
    for (const dir of ['mirror', 'archive-2023', 'archive-2024']) {
      assert.equal((await git(join(work, dir), ['status', '--porcelain'])).trim(), '', `${dir} is committed`);
    }
    for (const year of ['2023', '2024']) {
      assert.ok(
        await readRemoteFile(join(work, `remote-${year}.git`), 'README.md'),
        `archive ${year} pushed`,
      );
    }
    // The main home page and channel indexes lead readers to the archives.
    for (const file of ['README.md', 'indexes/even.md']) {
      const markdown = readFileSync(join(work, 'mirror', file), 'utf8');
      for (const year of ['2023', '2024']) {
        assert.ok(
          markdown.includes(`https://example.org/news-archive-${year}/blob/main/${file}`),
          `${file} → ${year}`,
        );
      }
    }
  });

  test('a second run after 100 more articles moves the next oldest of each channel', async () => {
    const before = mainPages('even');
    published = FIRST + MORE;
    const summary = await run(`run of ${MORE} more`);
    assert.equal(summary.new, MORE);
    checkSplit(FIRST + MORE);
    const after = mainPages('even');
    const moved = [...before].filter((page) => !after.has(page));
    // 50 new even articles (and the shared ones) push out as many of the oldest even pages.
    assert.ok(moved.length >= 50, `${moved.length} moved`);
    for (const page of moved) assert.ok(existsSync(join(work, 'archive-2024', page)), `${page} archived`);
    checkLinks();
    assert.equal((await git(join(work, 'mirror'), ['status', '--porcelain'])).trim(), '');
    assert.equal((await git(join(work, 'archive-2024'), ['status', '--porcelain'])).trim(), '');
  });

  test('rebuild makes the same split', async () => {
    const beforeFiles = allFiles();
    const started = Date.now();
    await rebuildMirror({ loaded, store, log: silentLogger });
    timings.push(`rebuild ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.deepEqual(allFiles(), beforeFiles);
    checkLinks();
  });

  test('newsmirror size reports the main mirror and each archive', async (t) => {
    let out = '';
    assert.equal(await sizeCommand({ config: join(work, 'newsmirror.yaml') }, (text) => (out += text)), 0);
    assert.match(out, /^main mirror /m);
    assert.match(out, /^archive 2023 /m);
    assert.match(out, /^archive 2024 /m);
    t.diagnostic(`newsmirror size:\n${out.trim()}`);
    t.diagnostic(`timings: ${timings.join('; ')}`);
  });

  /** Main holds each channel's newest KEEP (and only those, plus articles kept by the other channel). */
  function checkSplit(total: number): void {
    const kept = new Set<string>();
    for (const channel of ['even', 'odd']) {
      const listed = Array.from({ length: total }, (_, i) => total - 1 - i).filter(
        (i) => channelOf(i) === channel || inBoth(i),
      );
      for (const i of listed.slice(0, KEEP)) kept.add(`pages/${channelOf(i)}/${i}.md`);
    }
    const main = new Set([...mainPages('even'), ...mainPages('odd')]);
    assert.deepEqual([...main].sort(), [...kept].sort());
    for (let i = 0; i < total; i++) {
      const page = `pages/${channelOf(i)}/${i}.md`;
      if (kept.has(page)) continue;
      const year = publishedOf(i).getUTCFullYear();
      assert.ok(existsSync(join(work, `archive-${year}`, page)), `${page} is in archive-${year}`);
    }
    // Images only archived pages show left the main mirror; each archive holds the images its pages show.
    const mainAssets = filesUnder(join(work, 'mirror'), 'assets');
    assert.ok(
      mainAssets.length > 0 && mainAssets.length <= 10,
      `${mainAssets.length} images in the main mirror`,
    );
  }

  function mainPages(channel: string): Set<string> {
    const dir = join(work, 'mirror', 'pages', channel);
    return new Set(
      readdirSync(dir)
        .filter((name) => name.endsWith('.md'))
        .map((name) => `pages/${channel}/${name}`),
    );
  }

  function repoDirs(): Map<string, string> {
    const repos = new Map<string, string>([[MAIN_URL, join(work, 'mirror')]]);
    for (const name of readdirSync(work)) {
      const year = /^archive-(\d{4})$/.exec(name)?.[1];
      if (year) repos.set(ARCHIVE_URL.replace('{year}', year), join(work, name));
    }
    return repos;
  }

  /** Every Markdown link and image of every .md file of every repository resolves to a file. */
  function checkLinks(): void {
    const repos = repoDirs();
    let checked = 0;
    for (const root of repos.values()) {
      for (const file of filesUnder(root, '.').filter((path) => path.endsWith('.md'))) {
        const markdown = readFileSync(join(root, file), 'utf8');
        for (const target of linkTargets(markdown)) {
          if (target.startsWith(server.origin)) continue; // the publisher's original
          let resolved: string | undefined;
          if (/^[a-z]+:/i.test(target)) {
            const base = [...repos.keys()].find((url) => target.startsWith(url));
            assert.ok(base, `${root}/${file}: ${target} is in no repository`);
            resolved = join(repos.get(base)!, decodeURI(target.slice(base.length)));
          } else {
            const path = posix.normalize(posix.join(posix.dirname(file), decodeURI(target)));
            assert.ok(!path.startsWith('..'), `${root}/${file}: ${target} leaves the repository`);
            resolved = join(root, path);
          }
          assert.ok(existsSync(resolved), `${root}/${file} links to ${target}, which is missing`);
          checked++;
        }
      }
    }
    assert.ok(checked > FIRST * 3, `${checked} links checked`);
  }

  function allFiles(): string[] {
    return [...repoDirs().values()]
      .flatMap((root) => filesUnder(root, '.').map((path) => `${root}:${path}`))
      .sort();
  }
});

/** 25 images, one per 100 articles: the old ones are shown only by archived pages. */
const imageOf = (i: number) => Math.floor(i / 100);

function articleHtml(i: number): string {
  // The seeding template (999999) links 999998 and 999299 and shows image 9999, which seeding replaces.
  const template = i === 999_999;
  const links = (template ? [999_998, 999_299] : [Math.max(0, i - 1), Math.max(0, i - 700)])
    .map((n) => `<a href="/news/${n}.html">see article ${n}</a>`)
    .join(' and ');
  return `<!doctype html><html lang="en"><head><title>Article ${i}</title></head><body><article><h1>Article ${i}</h1>
<img src="/img/${template ? 9999 : imageOf(i)}.png" alt="photo ${i}">
<p>Article ${i} reports on the council meeting of day ${i}, where residents spoke about the library.</p>
<p>Earlier: ${links}.</p></article></body></html>`;
}

/** Link and image targets of Markdown (`](x)`, `](<x>)`) and HTML (`src="x"`, `href="x"`), query and fragment dropped. */
function linkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(<([^>]+)>|\]\(([^)\s]+)|(?:src|href)="([^"]+)"/g)]
    .map((match) => (match[1] ?? match[2] ?? match[3]).split(/[?#]/)[0])
    .filter((target) => target !== '' && !target.startsWith('mailto:'));
}

function filesUnder(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(root, relative))) {
      if (name === '.git') continue;
      const path = relative === '.' ? name : `${relative}/${name}`;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else found.push(path);
    }
  };
  if (existsSync(join(root, folder))) walk(folder);
  return found;
}
