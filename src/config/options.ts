// The whole newsmirror.yaml as one typed table: each key with its type, default and the reason for it.
import { z } from 'zod';
import { bundleIssues, bundlesSchema } from './options-bundles.ts';
import { labelsSchema } from './options-labels.ts';
import { notifySchema } from './options-notify.ts';
import { queueSchema } from './options-queue.ts';
import { archiveSchema, channelKeepSchema, keepSchema, retentionIssues } from './options-retention.ts';
import { revisitSchema } from './options-revisit.ts';
import { fetchFields, siteFetchSchema } from './options-site-fetch.ts';
import { refuseCatastrophicRegExp } from './regex-safety.ts';

const selectorList = z.string().min(1);

/** RFC 9110 token: what a header or cookie name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const idPattern = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'use letters, digits, "-" and "_" (at most 64), starting with a letter or digit',
  );

// Every field has a .describe(): docs/config.md's reference (scripts/gen-config-docs.ts) and the editors' JSON
// Schema (scripts/gen-schema.ts) are generated from them, and test/config/docs.test.ts fails on a field without one.

/** Where the store is when `store.path` is unset, relative to the config file. */
export const DEFAULT_STORE_PATH = '.newsmirror/store.sqlite';

/** Defaults the schema cannot hold because they are computed when the config is used; shown in docs/config.md. */
export const COMPUTED_DEFAULTS: Record<string, string> = {
  'fetch.userAgent': '`newsmirror/<version> (+https://github.com/newsmirror/newsmirror)`',
  'store.path': `\`${DEFAULT_STORE_PATH}\` beside the config`,
  'mirror.lang': 'the `lang` most sites give, else `zh-Hans`',
  workers: 'one per spare core, at most 2 (1 on a 2-core machine, 0 on one core)',
};

export const rulesSchema = z
  .object({
    body: selectorList
      .optional()
      .describe('the article body; when it stops matching, the generic extractor runs'),
    title: selectorList.optional().describe('the headline'),
    leadImage: selectorList.optional().describe('the lead image (an `img`, or an element holding one)'),
    caption: selectorList.optional().describe("the lead image's caption"),
    date: selectorList.optional().describe('the publication date'),
    author: selectorList.optional().describe('the author'),
    remove: z
      .array(selectorList)
      .default([])
      .describe('elements dropped from the body; each selector is applied on its own'),
  })
  .strict();

export const channelSchema = z
  .object({
    id: idPattern.describe(
      "letters, digits, `-`, `_`; unique across sites, as it names the channel's folders",
    ),
    title: z.string().min(1).describe("the channel's name on the home page and its index"),
    listing: z
      .object({
        url: z.url().describe('the listing page'),
        links: selectorList.describe('the article links on the listing page'),
      })
      .strict()
      .optional()
      .describe('an HTML page listing articles; one of `listing`, `feed` or `sitemap`'),
    feed: z
      .url()
      .optional()
      .describe('an RSS 2.0, RSS 1.0 or Atom feed; one of `listing`, `feed` or `sitemap`'),
    sitemap: z
      .url()
      .optional()
      .describe('a sitemap, news sitemap or sitemap index; one of `listing`, `feed` or `sitemap`'),
    limit: z
      .number()
      .int()
      .positive()
      .max(10_000)
      .default(50)
      .describe(
        'newest items taken per run: keeps a first run over a long feed bounded; raise it once to backfill',
      ),
    keep: channelKeepSchema,
  })
  .strict()
  .refine((c) => [c.listing, c.feed, c.sitemap].filter(Boolean).length === 1, {
    message: 'a channel needs exactly one of listing, feed or sitemap',
  });

export const siteSchema = z
  .object({
    id: idPattern.describe('letters, digits, `-`, `_`'),
    name: z.string().min(1).describe("the publisher's name"),
    base: z
      .url()
      .describe("the publisher's base URL; only links on this host (or its subdomains) are articles"),
    articleId: z
      .string()
      .refine(isValidRegExp, { message: 'not a valid regular expression', abort: true })
      .superRefine(refuseCatastrophicRegExp)
      .optional()
      .describe(
        'regular expression over the URL; group 1 is the article id (made safe as a file name). ' +
          'Without it, the last path segment. A pattern that can backtrack catastrophically is refused',
      ),
    rules: rulesSchema
      .optional()
      .describe(
        "CSS selector lists (comma alternatives) for this site's pages. Without rules, or when `body` stops " +
          'matching, the generic extractor runs and the run summary says so; `newsmirror check` reports broken rules',
      ),
    lang: z.string().optional().describe('language tag used when a page does not declare one'),
    pages: z
      .enum(['articles', 'any'])
      .default('articles')
      .describe(
        '`articles`: listings, collections and pages without article prose are not mirrored (the failure says ' +
          'why); `any`: the main content of every linked page (forum threads, product pages, listings)',
      ),
    userAgent: z
      .string()
      .min(1)
      .optional()
      .describe("sent instead of `fetch.userAgent` to this site's hosts (its base host and subdomains)"),
    headers: z
      .record(z.string().regex(HEADER_NAME, 'not a valid HTTP header name'), z.string())
      .default({})
      .describe(
        "extra request headers for this site's hosts, e.g. `{ Referer: https://example.org/ }`; they replace " +
          'the defaults of the same name (conditional GET headers excepted)',
      ),
    cookies: z
      .record(z.string().regex(HEADER_NAME, 'not a valid cookie name'), z.string().regex(/^[^;\r\n]*$/))
      .default({})
      .describe(
        "cookies sent as one `Cookie` header to this site's hosts only (never to image CDNs or other hosts), " +
          'e.g. a consent cookie: `{ gdpr: accepted }`',
      ),
    fetch: siteFetchSchema.optional().describe("`fetch` settings overridden for this site's hosts"),
    labels: labelsSchema.describe("labels of this site's pages, over `mirror.labels`"),
    channels: z
      .array(channelSchema)
      .min(1)
      .describe('the listings, feeds or sitemaps that name the articles'),
  })
  .strict();

const remoteSchema = z.union([
  z.string().min(1),
  z
    .object({
      name: z.string().min(1).describe("the remote's name in the mirror's git configuration"),
      url: z.string().min(1).describe('its URL; a relative path is a folder beside the config'),
    })
    .strict(),
]);

export const mirrorSchema = z
  .object({
    dir: z
      .string()
      .min(1)
      .default('./mirror')
      .describe('the output working tree, a git repository (created when missing)'),
    title: z.string().min(1).describe("the mirror's name on the home page and in the feed"),
    publicUrl: z
      .url()
      .optional()
      .describe(
        'base URL of the public copy (e.g. `https://github.com/you/repo/blob/main/`); enables the share block ' +
          'and a QR code beside every page (`<page>.md.png`)',
      ),
    nav: z
      .array(
        z
          .object({
            text: z.string().min(1).describe("the link's text"),
            href: z.string().min(1).describe('relative to the mirror root, or absolute'),
          })
          .strict(),
      )
      .default([])
      .describe(
        'the bar on every page; `?<article id>` is added to each link, as the original did, so referrer logs ' +
          'show where a click came from',
      ),
    counter: z
      .string()
      .refine((v) => /^https?:\/\//.test(v) && v.includes('{path}'), 'an http(s) URL containing {path}')
      .optional()
      .describe(
        "hit-counter image URL containing `{path}` (the page's path in the mirror); see `newsmirror serve`",
      ),
    links: z
      .enum(['mirror', 'inert', 'keep'])
      .default('mirror')
      .describe(
        '`mirror`: a link to an article that is mirrored becomes a relative link to its page, any other link ' +
          "plain text; `inert`: every link plain text (the original's behaviour); `keep`: links stay links to " +
          'the publisher',
      ),
    images: z
      .enum(['mirror', 'hotlink', 'drop'])
      .default('mirror')
      .describe(
        '`mirror`: download, re-encode (at most 1200 px wide), store under `assets/`; `hotlink`: keep the ' +
          "publisher's URL; `drop`: alt text only",
      ),
    script: z
      .enum(['original', 'simplified', 'traditional'])
      .default('original')
      .describe('`simplified` or `traditional`: convert text (never URLs) with OpenCC'),
    remotes: z
      .array(remoteSchema)
      .default([])
      .describe('push targets: a remote name already configured in the mirror, or `{ name, url }`'),
    branch: z.string().min(1).default('main').describe('branch committed and pushed'),
    pushTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .default(10 * 60_000)
      .describe(
        'per push (or fetch before a merge) to one remote, in ms; a remote that stops answering fails the push ' +
          'then (retried next run) instead of holding the run. The default leaves a first push of a big mirror time',
      ),
    indexPageSize: z
      .number()
      .int()
      .min(5)
      .max(500)
      .default(30)
      .describe('titles per index page (30, as the original)'),
    homeSize: z.number().int().min(0).max(500).default(30).describe('newest articles on the home page'),
    mirrors: z
      .array(
        z
          .object({
            name: z.string().min(1).describe("the copy's name, as readers see it"),
            url: z.url().describe('its address'),
          })
          .strict(),
      )
      .default([])
      .describe('every public copy of this mirror, listed in `mirrors.md` for readers when one is blocked'),
    shardByMonth: z
      .boolean()
      .default(false)
      .describe('pages under `pages/<channel>/<yyyy-mm>/<id>.md`, for very large mirrors'),
    lang: z
      .string()
      .optional()
      .describe("language of the home page's and indexes' labels (pages follow their article's language)"),
    labels: labelsSchema,
    keep: keepSchema,
    archive: archiveSchema,
  })
  .strict();

export const fetchSchema = z
  .object({
    perHostConcurrency: fetchFields.perHostConcurrency
      .default(4)
      .describe('requests at once to one host: polite to each publisher'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(16)
      .describe('requests at once in all: several hosts keep the CPU busy while the network waits'),
    connectTimeoutMs: fetchFields.connectTimeoutMs.default(10_000).describe('connecting, in ms'),
    headersTimeoutMs: fetchFields.headersTimeoutMs
      .default(20_000)
      .describe('waiting for the response headers, in ms'),
    bodyTimeoutMs: fetchFields.bodyTimeoutMs
      .default(30_000)
      .describe(
        'between body chunks, in ms; the sum of the three timeouts is also the deadline of one attempt, ' +
          'which ends slow-drip bodies, and of all the attempts at one image together',
      ),
    retries: fetchFields.retries
      .default(2)
      .describe(
        'on 408, 429, 5xx, timeouts and network errors, with exponential backoff and jitter; Retry-After ' +
          'honoured up to 60 s',
      ),
    hostFailureLimit: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(5)
      .describe(
        'connect or timeout failures in a row after which a host (pages or images) is skipped for 10 minutes, ' +
          'the rest of a run (circuit breaker: its URLs fail at once as retryable, tried again next run); `0` ' +
          'never skips',
      ),
    maxRedirects: z.number().int().min(0).max(20).default(5).describe('each hop is checked'),
    maxBodyBytes: fetchFields.maxBodyBytes
      .default(10 * 1024 * 1024)
      .describe('after decompression; news pages are rarely above 2 MB, and bigger pages fail alone'),
    maxImageBytes: z
      .number()
      .int()
      .positive()
      .default(15 * 1024 * 1024)
      .describe('per image, after decompression'),
    userAgent: z.string().min(1).optional().describe('sent with every request; the default is honest'),
    proxy: z
      .string()
      .refine(isProxyUrl, 'an http://, https://, socks5:// or socks:// URL')
      .optional()
      .describe(
        'proxy for every request, e.g. `http://127.0.0.1:3128` or `socks5://127.0.0.1:1080` (user:password@ ' +
          'allowed). Without it `HTTPS_PROXY`, `HTTP_PROXY` (and lower-case) are used; `NO_PROXY` applies to ' +
          'both. Through a proxy, URLs found in content are still refused when their host resolves (here) to a ' +
          'private address',
      ),
    allowPrivateAddresses: z
      .boolean()
      .default(false)
      .describe(
        "let URLs found in content, and redirects off a configured URL's host, reach private or loopback " +
          'addresses (tests and demos only); any spelling of an address is refused, checked where the ' +
          'connection is made',
      ),
  })
  .strict();

export const configSchema = z
  .object({
    mirror: mirrorSchema.describe('what the mirror looks like and where it goes'),
    fetch: fetchSchema
      .default(() => fetchSchema.parse({}))
      .describe('how pages and images are downloaded; the defaults suit most publishers'),
    store: z
      .object({
        path: z
          .string()
          .min(1)
          .optional()
          .describe(
            'the SQLite file with articles, fetch cache, failures, runs, image records and view counts',
          ),
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\/[^/?#]/, 'a postgres://user@host:port/db URL')
          .optional()
          .describe(
            'a PostgreSQL database to keep the store in instead of the SQLite file, e.g. ' +
              '`postgres://newsmirror@db.example:5432/news`; several machines can share it. Give a password in ' +
              'the `PGPASSWORD` environment variable rather than here. Not with `path`',
          ),
      })
      .strict()
      .refine((store) => store.path === undefined || store.url === undefined, {
        message: 'give store.path (SQLite) or store.url (PostgreSQL), not both',
      })
      .default({})
      .describe('what runs remember from one to the next'),
    queue: queueSchema
      .optional()
      .describe('run the article jobs on worker processes through Redis (docs/scale.md)'),
    sites: z.array(siteSchema).min(1).describe('the publishers mirrored, each with its channels'),
    notify: notifySchema.default(() => notifySchema.parse({})).describe('where breakages are reported'),
    revisit: revisitSchema
      .default(() => revisitSchema.parse({}))
      .describe('young articles checked again at their source, so edits and retractions reach the mirror'),
    bundles: bundlesSchema,
    workers: z
      .number()
      .int()
      .min(0)
      .max(16)
      .optional()
      .describe(
        'worker threads that decode and extract fetched pages and render article pages, beside the main thread ' +
          '(which fetches, reads and writes the store, writes files and runs git); each has its own capped heap ' +
          '(96 MB), so a run over 10,000 pages stays small, and a page too big for it is done on the main thread. ' +
          '`0` does all of it on the main thread',
      ),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.sites.forEach((site, siteIndex) => {
      site.channels.forEach((channel, channelIndex) => {
        if (seen.has(channel.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sites', siteIndex, 'channels', channelIndex, 'id'],
            message: `channel id "${channel.id}" is used twice; channel ids name folders and must be unique`,
          });
        }
        seen.add(channel.id);
      });
    });
    for (const issue of bundleIssues(config.bundles, seen)) ctx.addIssue({ code: 'custom', ...issue });
    for (const issue of retentionIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type Config = z.infer<typeof configSchema>;
export type MirrorConfig = Config['mirror'];
export type FetchConfig = Config['fetch'];
export type SiteConfig = Config['sites'][number];
export type ChannelConfig = SiteConfig['channels'][number];
export type RulesConfig = z.infer<typeof rulesSchema>;

function isValidRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function isProxyUrl(value: string): boolean {
  try {
    return ['http:', 'https:', 'socks5:', 'socks:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
