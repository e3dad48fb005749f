// What a reader gets from the demo mirror on the git host: every Markdown file rendered as GitHub renders it
// (GFM, raw HTML kept, then GitHub's sanitiser), checked for raw HTML showing as text, images and links that
// resolve inside the mirror, nothing loaded from the publisher, links between articles kept as relative links, and
// QR codes that decode to each page's public URL. Then: an image that fails keeps its alt text and caption.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Element, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { publicUrlOf } from '../../src/pipeline/render/index.ts';
import { isAbsoluteUrl } from '../../src/pipeline/render/paths.ts';
import {
  buildDemoMirror,
  closeSharedDemoMirror,
  type DemoMirror,
  sharedDemoMirror,
} from '../helpers/mirror-build.ts';
import { escapedTags, findElements, renderGfmLikeGitHub, textContent } from '../pipeline/render/gfm.ts';

// jsqr is CommonJS: typed as a module with `default`, while Node hands over the function itself.
type DecodeQr = typeof jsQRModule.default;
const jsQR: DecodeQr =
  (jsQRModule as unknown as { default?: DecodeQr }).default ?? (jsQRModule as unknown as DecodeQr);

/** Tags a page may carry as raw HTML; any of them escaped in the output is markup a reader sees as text. */
const PAGE_TAGS = [
  'div',
  'img',
  'p',
  'a',
  'span',
  'br',
  'hr',
  'table',
  'figure',
  'figcaption',
  'iframe',
  'script',
];
/** A tag written out as text, e.g. `<div class="x">` or `<ok>`. */
const TAG_AS_TEXT = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/i;

interface RenderedPage {
  path: string;
  markdown: string;
  tree: Root;
}

function markdownFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      if (name.startsWith('.')) continue;
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) found.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

/** `href` without its query and fragment, resolved from the page at `pagePath` (mirror-root-relative). */
function resolveInMirror(pagePath: string, href: string): string {
  const path = decodeURI(href.split(/[?#]/, 1)[0]);
  return posix.normalize(posix.join(posix.dirname(pagePath), path));
}

function attribute(element: Element, name: string): string | undefined {
  const value = element.properties[name];
  return typeof value === 'string' ? value : undefined;
}

function pageOfArticle(mirror: DemoMirror, articlePath: string): string {
  const article = mirror.site.manifest.articles.find((candidate) => candidate.path === articlePath);
  assert.ok(article, `${articlePath} is in the manifest`);
  return `pages/${article.homeChannel}/${article.id}.md`;
}

describe('readers: the demo mirror as the git host renders it', () => {
  let mirror: DemoMirror;
  let pages: RenderedPage[];
  let publisherOrigin: string;

  before(async () => {
    mirror = await sharedDemoMirror();
    publisherOrigin = mirror.site.server.origin;
    pages = markdownFiles(mirror.mirrorDir).map((path) => {
      const markdown = readFileSync(join(mirror.mirrorDir, path), 'utf8');
      return { path, markdown, tree: renderGfmLikeGitHub(markdown) };
    });
  });
  after(closeSharedDemoMirror);

  test('the run mirrored every demo article, with its page, home page, indexes and list of mirrors', () => {
    assert.deepEqual(mirror.firstRun.failures, []);
    assert.equal(mirror.firstRun.images.failed, 0);
    const paths = new Set(pages.map((page) => page.path));
    for (const article of mirror.site.manifest.articles) {
      assert.ok(paths.has(pageOfArticle(mirror, article.path)), `page of ${article.path}`);
    }
    for (const path of ['README.md', 'mirrors.md']) assert.ok(paths.has(path), path);
    assert.ok(
      pages.some((page) => page.path.startsWith('indexes/')),
      'index pages',
    );
  });

  test('no raw HTML shows as text on any page', () => {
    for (const page of pages) {
      const html = toHtml(page.tree);
      assert.deepEqual(escapedTags(html, PAGE_TAGS), [], `${page.path}: escaped tags in the rendered HTML`);
      const text = textContent(page.tree);
      assert.doesNotMatch(text, TAG_AS_TEXT, `${page.path}: a tag shows as text`);
      assert.ok(!text.includes('&lt;') && !text.includes('&#'), `${page.path}: an entity shows as text`);
    }
    // The article text is there: markup did not swallow it.
    for (const article of mirror.site.manifest.articles) {
      const page = pages.find((candidate) => candidate.path === pageOfArticle(mirror, article.path))!;
      const text = textContent(page.tree);
      assert.ok(text.includes(article.title), `${page.path}: title`);
      assert.ok(text.includes(article.paragraphs.at(-1)!.slice(0, 10)), `${page.path}: last paragraph`);
    }
  });

  test('every image is a file of the mirror; none is loaded from the publisher', () => {
    const counterHost = new URL(mirror.loaded.config.mirror.counter!.replace('{path}', 'x')).host;
    let relativeImages = 0;
    for (const page of pages) {
      for (const image of findElements(page.tree, 'img')) {
        const src = attribute(image, 'src');
        assert.ok(src, `${page.path}: an <img> without src`);
        if (isAbsoluteUrl(src)) {
          assert.ok(!src.startsWith(publisherOrigin), `${page.path}: image at the publisher: ${src}`);
          assert.equal(
            new URL(src).host,
            counterHost,
            `${page.path}: only the counter may be elsewhere: ${src}`,
          );
          continue;
        }
        const target = resolveInMirror(page.path, src);
        assert.ok(!target.startsWith('..'), `${page.path}: image outside the mirror: ${src}`);
        assert.ok(
          existsSync(join(mirror.mirrorDir, target)),
          `${page.path}: image ${src} -> ${target} missing`,
        );
        relativeImages++;
      }
    }
    // Lead and body images of 19 articles plus 19 QR codes at the least.
    assert.ok(relativeImages > 2 * mirror.site.manifest.articles.length, `${relativeImages} images`);
  });

  test('every relative link resolves to a file of the mirror or a sister mirror named in the nav', () => {
    const sisters = new Set(
      mirror.loaded.config.mirror.nav
        .map((item) => item.href)
        .filter((href) => !isAbsoluteUrl(href))
        .map((href) => posix.normalize(href.split(/[?#]/, 1)[0])),
    );
    let checked = 0;
    for (const page of pages) {
      const anchors = new Set(
        findElements(page.tree, 'a')
          .map((element) => attribute(element, 'name') ?? attribute(element, 'id'))
          .concat(findElements(page.tree, 'h2').map((element) => attribute(element, 'id')))
          .filter(Boolean),
      );
      for (const link of findElements(page.tree, 'a')) {
        const href = attribute(link, 'href');
        if (href === undefined || isAbsoluteUrl(href)) continue;
        if (href.startsWith('#')) {
          assert.ok(
            anchors.has(decodeURIComponent(href.slice(1))),
            `${page.path}: anchor ${href} has no target`,
          );
          continue;
        }
        const target = resolveInMirror(page.path, href);
        checked++;
        if (target.startsWith('..')) {
          assert.ok(
            sisters.has(target),
            `${page.path}: ${href} leaves the mirror and is no configured sister`,
          );
          continue;
        }
        assert.ok(
          existsSync(join(mirror.mirrorDir, target)),
          `${page.path}: link ${href} -> ${target} missing`,
        );
      }
    }
    assert.ok(checked > pages.length, `${checked} relative links checked`);
  });

  test('links between mirrored articles are relative links to their pages', () => {
    const links = (mirror.site.manifest as unknown as { links: Array<{ from: string; to: string }> }).links;
    assert.ok(links.length > 0);
    for (const { from, to } of links) {
      const fromPage = pageOfArticle(mirror, from);
      const toPage = pageOfArticle(mirror, to);
      const page = pages.find((candidate) => candidate.path === fromPage)!;
      const hrefs = findElements(page.tree, 'a')
        .map((element) => attribute(element, 'href'))
        .filter((href): href is string => href !== undefined);
      const found = hrefs.filter(
        (href) => !isAbsoluteUrl(href) && resolveInMirror(fromPage, href) === toPage,
      );
      assert.ok(found.length > 0, `${fromPage} links ${toPage} relatively (hrefs: ${hrefs.join(', ')})`);
      const toPublisher = hrefs.filter((href) => href.startsWith(publisherOrigin) && href.includes(to));
      assert.deepEqual(toPublisher, [], `${fromPage} still links the publisher's copy of ${to}`);
    }
  });

  test("each article's QR code decodes to the public URL of its page", () => {
    const publicUrl = mirror.loaded.config.mirror.publicUrl!;
    const articlePages = pages.filter((page) => page.path.startsWith('pages/'));
    assert.equal(articlePages.length, mirror.site.manifest.articles.length);
    for (const page of articlePages) {
      const png = PNG.sync.read(readFileSync(join(mirror.mirrorDir, `${page.path}.png`)));
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      assert.equal(decoded?.data, publicUrlOf(publicUrl, page.path), `${page.path}.png`);
      const qrImages = findElements(page.tree, 'img').filter((image) =>
        attribute(image, 'src')?.endsWith('.md.png'),
      );
      assert.equal(qrImages.length, 1, `${page.path}: the share block shows the QR code`);
    }
  });

  test('weight: mirrored bytes per article against the publisher’s original images', async (t) => {
    const articlePages = pages.filter((page) => page.path.startsWith('pages/'));
    let pageBytes = 0;
    let imageBytes = 0;
    let originalBytes = 0;
    for (const page of articlePages) {
      pageBytes += statSync(join(mirror.mirrorDir, page.path)).size;
      pageBytes += statSync(join(mirror.mirrorDir, `${page.path}.png`)).size;
      const assets = new Set(
        findElements(page.tree, 'img')
          .map((image) => attribute(image, 'src')!)
          .filter((src) => !isAbsoluteUrl(src) && src.includes('assets/'))
          .map((src) => resolveInMirror(page.path, src)),
      );
      for (const asset of assets) {
        const sha = posix.basename(asset).split('.')[0];
        const record = await mirror.store.images.getBySha256(sha);
        assert.ok(record, `${asset} is recorded in the store`);
        imageBytes += record.bytes;
        originalBytes += record.originalBytes;
      }
    }
    const count = articlePages.length;
    const kb = (bytes: number) => `${(bytes / count / 1024).toFixed(1)} KB`;
    t.diagnostic(
      `per article (${count}): page + QR ${kb(pageBytes)}, mirrored images ${kb(imageBytes)}, ` +
        `publisher's original images ${kb(originalBytes)} (${((100 * imageBytes) / originalBytes).toFixed(0)}%)`,
    );
    assert.ok(imageBytes > 0 && originalBytes > 0);
    assert.ok(imageBytes <= originalBytes, 'mirrored images weigh no more than the originals');
  });
});

describe('readers: an image that fails keeps its alt text and caption, and is mirrored once it is back', () => {
  /** n14097641's figure (the animated GIF) and its caption. */
  const ARTICLE = '/gb/23/10/16/n14097641.htm';
  const IMAGE = '/images/2023/10/vote-count.gif';
  const CAPTION = '表决计票过程。（动态示意图）';
  let mirror: DemoMirror;
  let pagePath: string;

  const rendered = () => renderGfmLikeGitHub(readFileSync(join(mirror.mirrorDir, pagePath), 'utf8'));

  before(async () => {
    mirror = await buildDemoMirror({
      beforeFirstRun: (site) => {
        site.server.route(IMAGE, (_req, res) => {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end('image store down');
        });
      },
    });
    pagePath = pageOfArticle(mirror, ARTICLE);
  });
  after(async () => mirror?.close());

  test('the page shows the alt text and the caption where the image was, and links nothing at the publisher', async () => {
    assert.equal(mirror.firstRun.images.failed, 1, 'one image failed');
    assert.equal(mirror.firstRun.failed, 0, 'the article itself is mirrored');
    const failed = await mirror.store.images.listFailed();
    assert.deepEqual(
      failed.map((failure) => new URL(failure.src).pathname),
      [IMAGE],
      'the failure is recorded for a retry',
    );
    const tree = rendered();
    const text = textContent(tree);
    assert.ok(text.includes(`[图片：${CAPTION}]`), 'the alt text stands in for the picture');
    assert.equal(text.split(CAPTION).length - 1, 2, 'the caption stays under it');
    const sources = findElements(tree, 'img').map((image) => attribute(image, 'src') ?? '');
    assert.deepEqual(
      sources.filter((src) => src.includes('127.0.0.1') || src.endsWith('.gif')),
      [],
      'no hotlink stands in for the mirrored copy',
    );
  });

  test('the next run, with the image back, mirrors it and renders the page again', async () => {
    mirror.site.server.unroute(IMAGE);
    const hitsBefore = mirror.site.server.hits(IMAGE).length;
    const summary = await mirror.run();
    assert.ok(
      mirror.site.server.hits(IMAGE).length > hitsBefore,
      'the failed image is requested again on the next run',
    );
    assert.equal(summary.images.failed, 0);
    assert.deepEqual(await mirror.store.images.listFailed(), [], 'the failure is cleared');
    const gifs = findElements(rendered(), 'img')
      .map((image) => attribute(image, 'src') ?? '')
      .filter((src) => src.startsWith('../../assets/') && src.endsWith('.gif'));
    assert.equal(gifs.length, 1, 'the page shows the mirrored image now');
    assert.ok(existsSync(join(mirror.mirrorDir, resolveInMirror(pagePath, gifs[0]))));
  });
});
