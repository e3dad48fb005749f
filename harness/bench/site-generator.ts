// A generated news portal for the speed benchmark (issue 7), served on 127.0.0.1 (pages: site-pages.ts), and the
// newsmirror config that mirrors it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  articleInfo,
  DEFAULT_ARTICLES,
  DEFAULT_SHAPE,
  FEED_CHANNEL,
  imageNumberOf,
  LISTING_CHANNELS,
  makeBenchImages,
  prepareClutterPools,
  renderArticlePage,
  renderFeed,
  renderListing,
  type SiteShape,
} from './site-pages.ts';

// What the bench's cases and tests read of the pages, so they need one import.
export { articleInfo, DEFAULT_ARTICLES, FEED_CHANNEL, LISTING_CHANNELS, renderArticlePage, type SiteShape };

export interface BenchSite {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  articles: number;
  /** Requests answered, by kind. */
  served: { pages: number; images: number; listings: number; notModified: number };
  /** Bytes of the image each image path serves. */
  imageBytes(path: string): number;
  /** Publishes the articles held back with `unpublished`: listings and the feed then show them (new ETag). */
  publishAll(): void;
  close(): Promise<void>;
}

/**
 * Pages kept rendered in memory (about 200 KB each, so up to 2 GB in the bench's own process): serving then costs
 * the machine almost no CPU, as a publisher's server costs a real run none. Above this (the 100,000-article scale
 * test, which fetches only 50 pages), pages are rendered per request.
 */
const PAGE_CACHE_LIMIT = 10_000;

export interface BenchSiteOptions {
  articles?: number;
  port?: number;
  /** Links per listing page, newest first (default: every article of the channel, as the runs must find all). */
  listingSize?: number;
  /** The newest this many articles are not listed until publishAll() (the scale test's "50 new articles"). */
  unpublished?: number;
  /** Page size and listing channels (default: large pages, every channel of LISTING_CHANNELS). */
  shape?: SiteShape;
}

export async function startBenchSite(options: BenchSiteOptions = {}): Promise<BenchSite> {
  const articles = options.articles ?? DEFAULT_ARTICLES;
  const listingSize = options.listingSize ?? articles;
  const shape = options.shape ?? DEFAULT_SHAPE;
  const listed: readonly string[] = LISTING_CHANNELS.slice(0, shape.channels);
  let first = options.unpublished ?? 0;
  // Listing and feed ETag: changes only when articles are published, so an idle run gets 304s.
  let listingEtag = `"bench-${first}"`;
  const images = await makeBenchImages();
  prepareClutterPools();
  const pageCache = new Map<number, Buffer>();
  const served = { pages: 0, images: 0, listings: 0, notModified: 0 };
  let origin = '';

  const send = (res: ServerResponse, type: string, body: string | Buffer, etag?: string) => {
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      ...(etag ? { ETag: etag } : {}),
    });
    res.end(body);
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const article = /^\/news\/a\/(\d+)\.html$/.exec(path);
    if (article) {
      const index = Number(article[1]) - 1000000;
      if (index < 0 || index >= articles) return notFound(res);
      served.pages++;
      let page = pageCache.get(index);
      if (!page) {
        page = Buffer.from(renderArticlePage(index, origin, shape));
        if (articles <= PAGE_CACHE_LIMIT) pageCache.set(index, page);
      }
      return send(res, 'text/html; charset=utf-8', page);
    }
    if (/^\/img\/\d+\/\d+-\d(-lead)?\.jpg$/.test(path)) {
      served.images++;
      return send(res, 'image/jpeg', images[imageNumberOf(path)]);
    }
    const listing = /^\/news\/([a-z]+)\.html$/.exec(path);
    const isFeed = path === `/rss/${FEED_CHANNEL}.xml`;
    if ((listing && listed.includes(listing[1])) || isFeed) {
      if (req.headers['if-none-match'] === listingEtag) {
        served.notModified++;
        res.writeHead(304, { ETag: listingEtag });
        return res.end();
      }
      served.listings++;
      return isFeed
        ? send(res, 'application/rss+xml; charset=utf-8', renderFeed(origin, first, articles), listingEtag)
        : send(
            res,
            'text/html; charset=utf-8',
            renderListing(listing![1], first, articles, listingSize, shape.channels),
            listingEtag,
          );
    }
    notFound(res);
  };
  const server = createServer(handle);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (articles <= PAGE_CACHE_LIMIT) {
    for (let i = 0; i < articles; i++) pageCache.set(i, Buffer.from(renderArticlePage(i, origin, shape)));
  }
  return {
    publishAll() {
      first = 0;
      listingEtag = '"bench-0"';
    },
    origin,
    articles,
    served,
    imageBytes: (path) => images[imageNumberOf(path)].byteLength,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found');
}

export interface BenchConfigOptions {
  origin: string;
  mirrorDir: string;
  storePath: string;
  images: 'mirror' | 'hotlink';
  links: 'mirror' | 'inert';
  /** Titles per index page (default: the config's default). */
  indexPageSize?: number;
  /** Extraction worker threads (default: the config's default). */
  workers?: number;
  /** Listing channels (the first this many of LISTING_CHANNELS; default all) and whether the feed is one too. */
  channels?: number;
  feed?: boolean;
}

/** Links read per channel: the config's maximum, so runs find every article of sites up to 40,000 articles. */
export const CHANNEL_LIMIT = 10_000;

/** newsmirror.yaml for the generated site: no site rules, so the generic extractor reads every page. */
export function benchConfigYaml(options: BenchConfigOptions): string {
  const channels = LISTING_CHANNELS.slice(0, options.channels).map(
    (channel) =>
      `      - { id: ${channel}, title: ${channel}, listing: { url: "${options.origin}/news/${channel}.html", links: ".post-list .title a" }, limit: ${CHANNEL_LIMIT} }`,
  );
  if (options.feed !== false) {
    channels.push(
      `      - { id: ${FEED_CHANNEL}, title: 最新, feed: "${options.origin}/rss/${FEED_CHANNEL}.xml" }`,
    );
  }
  return [
    'mirror:',
    `  dir: ${JSON.stringify(options.mirrorDir)}`,
    '  title: Bench mirror',
    '  publicUrl: https://github.com/someone/bench-news/blob/main/',
    '  nav:',
    '    - { text: 首页, href: README.md }',
    `  links: ${options.links}`,
    `  images: ${options.images}`,
    ...(options.indexPageSize ? [`  indexPageSize: ${options.indexPageSize}`] : []),
    ...(options.workers === undefined ? [] : [`workers: ${options.workers}`]),
    'fetch:',
    '  allowPrivateAddresses: true # the generated site is on loopback',
    'store:',
    `  path: ${JSON.stringify(options.storePath)}`,
    'sites:',
    '  - id: daily',
    '    name: Example Daily',
    `    base: "${options.origin}/"`,
    "    articleId: '/a/(\\d+)\\.html$'",
    '    channels:',
    ...channels,
    '',
  ].join('\n');
}

/** Every article URL on the site, newest first. */
export function articleUrls(origin: string, articles: number): string[] {
  return Array.from({ length: articles }, (_, i) => `${origin}${articleInfo(i).path}`);
}
