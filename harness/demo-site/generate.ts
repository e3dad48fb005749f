// Generates the bundled demo news site (demo/site/), its manifest (demo/site-manifest.json) and the demo config
// (demo/newsmirror.yaml) from demo/data/. Run: `node bin/run-ts.js scripts/make-demo-site.ts`. The output is
// deterministic (seeded drawing, fixed dates, sorted writes), so regenerating it gives the same bytes and the
// committed copy can be diffed.
//
// Two publishers share one server:
// - site A (/gb/...): shaped like the source of the reference page (site-a.ts), two listing channels (one on the
//   older `.arttitle` template) and an RSS channel whose absolute links carry utm_* parameters;
// - site B (/gbk/...): GBK-encoded pages declared only by a meta tag, its own layout, no site rules (site-b.ts).
//
// The RSS file holds `{origin}` where the server's origin goes: serve the site with `startDemoSiteServer()` or call
// `routeOriginTemplates(server)` on a fixture server (manifest.ts) so it is served with the origin filled in.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { configSchema } from '../../src/config/options.ts';
import type { RenderedBody } from './body.ts';
import { demoConfig } from './config.ts';
import {
  ARTICLES,
  articleById,
  articlePath,
  CHANNELS,
  isoTime,
  leadImagePath,
  SITES,
  siteById,
} from './content.ts';
import { allImageSpecs, encodeImage } from './images.ts';
import {
  DEMO_CONFIG_PATH,
  DEMO_DATA_DIR,
  DEMO_MANIFEST_PATH,
  DEMO_SITE_DIR,
  type DemoArticle,
  type DemoImage,
  type DemoManifest,
  demoConfigText,
  ORIGIN_PLACEHOLDER,
} from './manifest.ts';
import { A_CLUTTER_MARKERS, renderFeed, renderSiteAArticle, renderSiteAListing } from './site-a.ts';
import { B_CLUTTER_MARKERS, encodeGbk, renderSiteBArticle, renderSiteBListing } from './site-b.ts';

/** Files copied into the site as they are (the publisher's stylesheet and script, the server's index page). */
const STATIC_DIR = join(DEMO_DATA_DIR, 'static');

/** The demo ships in the repository: keep clones small. */
const MAX_SITE_BYTES = 3 * 1024 * 1024;

export async function generateDemoSite(): Promise<DemoManifest> {
  const files = new Map<string, Buffer>();
  const put = (path: string, content: string | Buffer) =>
    files.set(path, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);

  // Config order: an article's first channel is its home channel.
  const channelsOf = (id: string) =>
    CHANNELS.filter((channel) => channel.articles.includes(id)).map((channel) => channel.id);

  const manifestArticles: DemoArticle[] = [];
  const gbkFiles: string[] = [];
  for (const article of ARTICLES) {
    const channels = channelsOf(article.id);
    if (channels.length === 0) throw new Error(`make-demo-site: article ${article.id} is in no channel`);
    const path = articlePath(article);
    let rendered: { html: string; body: RenderedBody };
    if (article.site === 'A') {
      rendered = renderSiteAArticle(article, channels[0]);
      put(path, rendered.html);
    } else {
      rendered = renderSiteBArticle(article);
      put(path, encodeGbk(rendered.html, path));
      gbkFiles.push(path);
    }
    const lead = leadImagePath(article);
    manifestArticles.push({
      path,
      siteId: article.siteId,
      id: article.id,
      title: article.title,
      author: article.author,
      published: isoTime(article),
      channels,
      homeChannel: channels[0],
      charset: siteById(article.siteId).charset,
      tags: article.tags,
      leadImage: lead && article.lead ? { path: lead, caption: article.lead.caption } : null,
      bodyImages: rendered.body.images,
      linksTo: rendered.body.links,
      deadLinks: rendered.body.deadLinks,
      hasH2: rendered.body.hasH2,
      short: article.short === true,
      paragraphs: rendered.body.paragraphs,
      clutterMarkers: article.site === 'A' ? A_CLUTTER_MARKERS : B_CLUTTER_MARKERS,
    });
  }

  for (const channel of CHANNELS) {
    if (siteById(channel.site).layout === 'B') {
      put(channel.path, encodeGbk(renderSiteBListing(channel), channel.path));
      gbkFiles.push(channel.path);
    } else if (channel.kind === 'listing') put(channel.path, renderSiteAListing(channel));
    else put(channel.path, renderFeed(channel));
  }
  for (const file of walk(STATIC_DIR)) put(`/${file}`, readFileSync(join(STATIC_DIR, file)));

  const images: DemoImage[] = [];
  const drawn = new Map<string, Buffer>();
  for (const spec of allImageSpecs()) {
    const { bytes, frames } = await encodeImage(spec, drawn);
    put(spec.path, bytes);
    const usedBy = manifestArticles
      .filter(
        (article) =>
          article.leadImage?.path === spec.path ||
          article.bodyImages.some((image) => image.path === spec.path || image.srcset?.includes(spec.path)),
      )
      .map((article) => article.path);
    images.push({
      path: spec.path,
      format: spec.format,
      width: spec.width,
      height: spec.height,
      bytes: bytes.length,
      frames,
      usedBy,
    });
  }

  const manifest: DemoManifest = {
    generatedBy: 'scripts/make-demo-site.ts',
    originPlaceholder: ORIGIN_PLACEHOLDER,
    originTemplated: CHANNELS.filter((channel) => channel.kind === 'feed').map((channel) => channel.path),
    sites: SITES.map(({ id, name, pathPrefix, charset, articleId }) => ({
      id,
      name,
      pathPrefix,
      charset,
      articleId,
    })),
    channels: CHANNELS.map((channel) => ({
      id: channel.id,
      siteId: channel.site,
      title: channel.title,
      kind: channel.kind,
      path: channel.path,
      ...(channel.kind === 'listing' ? { linkSelector: siteById(channel.site).linkSelector } : {}),
      template: channel.template,
      articles: channel.articles.map((id) => articlePath(articleById(id))),
    })),
    articles: manifestArticles,
    links: manifestArticles.flatMap((article) => article.linksTo.map((to) => ({ from: article.path, to }))),
    images,
    gbkFiles,
    feedTrackingParams: CHANNELS.flatMap((channel) => [
      ...new URLSearchParams(channel.tracking ?? '').keys(),
    ]),
  };

  rmSync(DEMO_SITE_DIR, { recursive: true, force: true });
  for (const path of [...files.keys()].sort()) {
    const file = join(DEMO_SITE_DIR, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, files.get(path)!);
  }
  writeFileSync(DEMO_MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(DEMO_CONFIG_PATH, demoConfig());
  formatWithBiome([DEMO_MANIFEST_PATH, DEMO_CONFIG_PATH]);
  checkDemo(manifest, files);
  return manifest;
}

/** Paths of the files under `dir`, relative to it, with forward slashes (they become URL paths). */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? walk(dir, path) : [path];
  });
}

/** The committed JSON and YAML must pass `npm run lint`, so let the project's formatter lay them out. */
function formatWithBiome(paths: string[]): void {
  const biome = fileURLToPath(new URL('../../node_modules/@biomejs/biome/bin/biome', import.meta.url));
  const result = spawnSync(process.execPath, [biome, 'format', '--write', ...paths], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `make-demo-site: biome could not format ${paths.join(', ')}: ${result.stderr || result.stdout}`,
    );
}

/** Cheap guards so a content edit cannot silently break what tests rely on. */
function checkDemo(manifest: DemoManifest, files: Map<string, Buffer>): void {
  const config = configSchema.parse(YAML.parse(demoConfigText('http://127.0.0.1:41234')));
  for (const site of config.sites) {
    const pattern = new RegExp(site.articleId!);
    for (const article of manifest.articles.filter((a) => a.siteId === site.id)) {
      const match = pattern.exec(`http://127.0.0.1:41234${article.path}`);
      if (match?.[1] !== article.id)
        throw new Error(`make-demo-site: articleId of ${site.id} yields ${match?.[1]} for ${article.path}`);
    }
  }
  for (const article of manifest.articles) {
    for (const image of [article.leadImage, ...article.bodyImages]) {
      if (image && !files.has(image.path))
        throw new Error(`make-demo-site: ${article.path} shows ${image.path}, which was not generated`);
    }
  }
  for (const article of manifest.articles) {
    const leaked = article.clutterMarkers.filter((marker) =>
      article.paragraphs.some((text) => text.includes(marker)),
    );
    if (leaked.length > 0)
      throw new Error(
        `make-demo-site: ${article.path} uses clutter marker(s) ${leaked.join(', ')} in its own text`,
      );
  }
  const total = [...files.values()].reduce((sum, bytes) => sum + bytes.length, 0);
  if (total > MAX_SITE_BYTES)
    throw new Error(`make-demo-site: the site is ${total} bytes, over the ${MAX_SITE_BYTES} budget`);
}
