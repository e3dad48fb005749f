// Where the bundled demo site lives, what its manifest (demo/site-manifest.json) says, and how to serve the files
// that hold the origin placeholder. The generator (generate.ts) writes all of it; tests and the demo read it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FixtureServer, startFixtureServer } from '../fixture-server.ts';

export const DEMO_DIR = fileURLToPath(new URL('../../demo/', import.meta.url));
export const DEMO_SITE_DIR = join(DEMO_DIR, 'site');
export const DEMO_DATA_DIR = join(DEMO_DIR, 'data');
export const DEMO_MANIFEST_PATH = join(DEMO_DIR, 'site-manifest.json');
export const DEMO_CONFIG_PATH = join(DEMO_DIR, 'newsmirror.yaml');
/** Stands for the server origin (e.g. http://127.0.0.1:41234) in the config and in templated site files. */
export const ORIGIN_PLACEHOLDER = '{origin}';
/** Last-Modified of the routed feed: fixed, as the site's content is. */
export const FEED_LAST_MODIFIED = 'Wed, 18 Oct 2023 04:00:00 GMT';

export interface DemoImage {
  /** Path on the demo server, e.g. /assets/uploads/2023/10/id14097886-summit-hall-600x400.jpg */
  path: string;
  format: 'jpeg' | 'png' | 'gif';
  width: number;
  height: number;
  bytes: number;
  /** Frames in an animated GIF; 1 for stills. */
  frames: number;
  /** Article paths whose body or lead shows this image. */
  usedBy: string[];
}

export interface DemoBodyImage {
  /** The image a reader should see (for the lazy one: its data-src). */
  path: string;
  /** figure: plain img in a figure; lazy: placeholder src + data-src + srcset; inline: img in a paragraph. */
  kind: 'figure' | 'lazy' | 'inline';
  caption: string;
  /** srcset candidates, smallest first (lazy image only). */
  srcset?: string[];
}

export interface DemoArticle {
  /** Path on the demo server: the article URL is origin + path. */
  path: string;
  siteId: string;
  /** What the site's articleId pattern yields for this URL. */
  id: string;
  title: string;
  author: string;
  /** ISO 8601 with the publisher's offset (+08:00). */
  published: string;
  /** Channels listing the article, in config order; the first is its home channel. */
  channels: string[];
  homeChannel: string;
  charset: 'utf-8' | 'gbk';
  tags: string[];
  leadImage: { path: string; caption: string } | null;
  bodyImages: DemoBodyImage[];
  /** Demo articles this article's body links to (paths), in document order; clutter links are not counted. */
  linksTo: string[];
  /** Body links to same-site article URLs that the demo site does not have (they must end up inert). */
  deadLinks: string[];
  hasH2: boolean;
  /** Only one short paragraph besides the editor line. */
  short: boolean;
  /** Plain text of the body's paragraphs, in order (headings and captions excluded). */
  paragraphs: string[];
  /** Text on the source page outside the article (or in blocks the rules remove): must not reach the mirror. */
  clutterMarkers: string[];
}

export interface DemoChannel {
  id: string;
  siteId: string;
  title: string;
  kind: 'listing' | 'feed';
  /** Path of the listing page or feed on the demo server. */
  path: string;
  /** Selector list the config uses for listing links (listing channels only). */
  linkSelector?: string;
  /** Which template the listing page uses: the selector alternative that must match there. */
  template: 'post_list' | 'arttitle' | 'news-list' | 'rss';
  /** Article paths as the channel lists them, newest first. */
  articles: string[];
}

export interface DemoManifest {
  generatedBy: string;
  originPlaceholder: string;
  /** Site files that contain the origin placeholder: serve them through routeOriginTemplates(). */
  originTemplated: string[];
  sites: Array<{ id: string; name: string; pathPrefix: string; charset: 'utf-8' | 'gbk'; articleId: string }>;
  channels: DemoChannel[];
  articles: DemoArticle[];
  /** Every body link between demo articles: from and to are article paths. */
  links: Array<{ from: string; to: string }>;
  images: DemoImage[];
  /** Site files encoded as GBK (the server sends no charset; only a meta tag declares it). */
  gbkFiles: string[];
  /** Query parameters the feed adds to article links (sources must drop them). */
  feedTrackingParams: string[];
}

export function loadDemoManifest(): DemoManifest {
  return JSON.parse(readFileSync(DEMO_MANIFEST_PATH, 'utf8')) as DemoManifest;
}

/** The demo config with the origin filled in, ready for the config loader. */
export function demoConfigText(origin: string): string {
  return readFileSync(DEMO_CONFIG_PATH, 'utf8').replaceAll(ORIGIN_PLACEHOLDER, origin);
}

/** Serve the templated files (the RSS feed) with the server's origin filled in; answers conditional GETs. */
export function routeOriginTemplates(
  server: Pick<FixtureServer, 'origin' | 'route'>,
  root = DEMO_SITE_DIR,
): void {
  const manifest = JSON.parse(readFileSync(join(root, '..', 'site-manifest.json'), 'utf8')) as DemoManifest;
  for (const path of manifest.originTemplated) {
    const body = Buffer.from(
      readFileSync(join(root, path), 'utf8').replaceAll(ORIGIN_PLACEHOLDER, server.origin),
      'utf8',
    );
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    server.route(path, (req: IncomingMessage, res: ServerResponse) => {
      const headers = { ETag: etag, 'Last-Modified': FEED_LAST_MODIFIED };
      if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] === FEED_LAST_MODIFIED) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, {
        ...headers,
        'Content-Type': 'application/rss+xml; charset=utf-8',
        'Content-Length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  }
}

/** A loopback server for the demo site with the templated files routed. */
export async function startDemoSiteServer(port?: number): Promise<FixtureServer> {
  const server = await startFixtureServer({ root: DEMO_SITE_DIR, port });
  routeOriginTemplates(server);
  return server;
}
