// The whole newsmirror.yaml as one typed table: each key with its type, default and the reason for it.
import { z } from 'zod';

const selectorList = z.string().min(1).describe('CSS selector list; alternatives separated by commas');

const idPattern = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'use letters, digits, "-" and "_" (at most 64), starting with a letter or digit',
  );

export const rulesSchema = z
  .object({
    body: selectorList.optional(),
    title: selectorList.optional(),
    leadImage: selectorList.optional(),
    caption: selectorList.optional(),
    date: selectorList.optional(),
    author: selectorList.optional(),
    remove: z.array(selectorList).default([]).describe('each selector is applied on its own'),
  })
  .strict();

export const channelSchema = z
  .object({
    id: idPattern,
    title: z.string().min(1),
    listing: z
      .object({
        url: z.url(),
        links: selectorList.describe('selector list for the article links on the listing page'),
      })
      .strict()
      .optional(),
    feed: z.url().optional().describe('RSS 2.0 or Atom feed URL'),
    sitemap: z.url().optional().describe('sitemap or news sitemap URL'),
    /** Newest N items taken per run; keeps a first run over a long feed bounded (raise it to backfill). */
    limit: z.number().int().positive().max(10_000).default(50),
  })
  .strict()
  .refine((c) => [c.listing, c.feed, c.sitemap].filter(Boolean).length === 1, {
    message: 'a channel needs exactly one of listing, feed or sitemap',
  });

export const siteSchema = z
  .object({
    id: idPattern,
    name: z.string().min(1),
    base: z.url(),
    articleId: z
      .string()
      .refine(isValidRegExp, 'not a valid regular expression')
      .describe('regular expression over the URL; group 1 is the id')
      .optional(),
    rules: rulesSchema.optional(),
    lang: z.string().optional(),
    channels: z.array(channelSchema).min(1),
  })
  .strict();

const remoteSchema = z.union([
  z.string().min(1),
  z.object({ name: z.string().min(1), url: z.string().min(1) }).strict(),
]);

export const mirrorSchema = z
  .object({
    dir: z.string().min(1).default('./mirror'),
    title: z.string().min(1),
    publicUrl: z.url().optional().describe('base URL of the public copy, for share links and QR codes'),
    nav: z.array(z.object({ text: z.string().min(1), href: z.string().min(1) }).strict()).default([]),
    counter: z
      .string()
      .refine((v) => /^https?:\/\//.test(v) && v.includes('{path}'), 'an http(s) URL containing {path}')
      .optional(),
    links: z.enum(['mirror', 'inert', 'keep']).default('mirror'),
    images: z.enum(['mirror', 'hotlink', 'drop']).default('mirror'),
    script: z.enum(['original', 'simplified', 'traditional']).default('original'),
    remotes: z.array(remoteSchema).default([]),
    branch: z.string().min(1).default('main'),
    /** 30 titles an index page, as the original. */
    indexPageSize: z.number().int().min(5).max(500).default(30),
    /** Newest articles listed on the home page. */
    homeSize: z.number().int().min(0).max(500).default(30),
    /** Every public copy of this mirror, listed in mirrors.md for readers when one is blocked. */
    mirrors: z.array(z.object({ name: z.string().min(1), url: z.url() }).strict()).default([]),
    shardByMonth: z.boolean().default(false),
  })
  .strict();

export const fetchSchema = z
  .object({
    /** Polite default: at most 4 requests at once to one host. */
    perHostConcurrency: z.number().int().min(1).max(64).default(4),
    /** Several hosts in parallel keep both cores busy while the network waits. */
    concurrency: z.number().int().min(1).max(256).default(16),
    connectTimeoutMs: z.number().int().positive().default(10_000),
    headersTimeoutMs: z.number().int().positive().default(20_000),
    bodyTimeoutMs: z.number().int().positive().default(30_000),
    retries: z.number().int().min(0).max(10).default(2),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    /** News pages are rarely above 2 MB; 10 MB leaves room and stops endless bodies. */
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(10 * 1024 * 1024),
    maxImageBytes: z
      .number()
      .int()
      .positive()
      .default(15 * 1024 * 1024),
    userAgent: z.string().min(1).optional(),
    /** Allow content-found URLs to private and loopback addresses (only for tests and demos). */
    allowPrivateAddresses: z.boolean().default(false),
  })
  .strict();

export const configSchema = z
  .object({
    mirror: mirrorSchema,
    fetch: fetchSchema.default(() => fetchSchema.parse({})),
    store: z
      .object({ path: z.string().min(1).optional() })
      .strict()
      .default({}),
    sites: z.array(siteSchema).min(1),
    /**
     * Worker threads that decode and extract fetched pages and render article pages, beside the main thread (which
     * fetches, reads and writes the store, writes files and runs git). Unset: one per spare core, at most 2; 0 does
     * all of it on the main thread.
     */
    workers: z
      .number()
      .int()
      .min(0)
      .max(16)
      .optional()
      .describe('page worker threads (extract, render); default one per spare core (at most 2), 0 for none'),
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
