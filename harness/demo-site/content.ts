// The demo site's content, read from demo/data/ (sites, channels, articles, body images) and checked on load, so a
// typo in the data fails the generator with the file and field instead of writing a broken site.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { DEMO_DATA_DIR } from './manifest.ts';

const sceneKind = z.enum(['city', 'sea', 'port', 'mountains', 'crowd', 'fields']);
export type SceneKind = z.infer<typeof sceneKind>;

const siteSchema = z.strictObject({
  layout: z.enum(['A', 'B']),
  id: z.string(),
  name: z.string(),
  pathPrefix: z.string(),
  charset: z.enum(['utf-8', 'gbk']),
  articleId: z.string(),
  linkSelector: z.string(),
});
export type SiteSource = z.infer<typeof siteSchema>;

const image = { caption: z.string() };
const blockSchema = z.union([
  z.strictObject({ p: z.string() }),
  z.strictObject({ h2: z.string() }),
  z.strictObject({ figure: z.string(), ...image }),
  z.strictObject({ lazy: z.string(), ...image }),
  z.strictObject({ inline: z.string(), ...image }),
  z.strictObject({ aside: z.string() }),
  z.strictObject({ tweet: z.string() }),
  z.strictObject({ video: z.string() }),
]);
export type Block = z.infer<typeof blockSchema>;

const articleSchema = z.strictObject({
  /** Site A: 'n14097883'; site B: '1042'. */
  id: z.string(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  time: z.string().regex(/^\d{2}:\d{2}$/),
  title: z.string(),
  author: z.string(),
  tags: z.array(z.string()),
  lead: z.strictObject({ slug: z.string(), scene: sceneKind, caption: z.string() }).optional(),
  short: z.boolean().optional(),
  blocks: z.array(blockSchema),
});

export interface ArticleSource extends z.infer<typeof articleSchema> {
  /** The layout of its site: which templates render it. */
  site: SiteSource['layout'];
  siteId: string;
}

const channelSchema = z.strictObject({
  id: z.string(),
  site: z.string(),
  title: z.string(),
  kind: z.enum(['listing', 'feed']),
  path: z.string(),
  template: z.enum(['post_list', 'arttitle', 'news-list', 'rss']),
  /** Query the feed appends to article links. */
  tracking: z.string().optional(),
  articles: z.array(z.string()),
});
export type ChannelSource = z.infer<typeof channelSchema>;

const imageSchema = z.strictObject({
  key: z.string(),
  path: z.string(),
  format: z.enum(['jpeg', 'png', 'gif']),
  width: z.number().int(),
  height: z.number().int(),
  draw: z.enum(['scene', 'chart', 'vote-gif', 'downscale']),
  scene: sceneKind.optional(),
  /** Bar values of a chart. */
  values: z.array(z.number()).optional(),
  /** The image a downscale shrinks. */
  source: z.string().optional(),
  /** The smaller variant a lazy figure lists in its srcset. */
  srcset: z.string().optional(),
});
export type ImageSpec = z.infer<typeof imageSchema>;

function readData<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  const path = join(DEMO_DATA_DIR, file);
  const parsed = schema.safeParse(YAML.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`make-demo-site: demo/data/${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export const SITES = readData('sites.yaml', z.array(siteSchema));
export const CHANNELS = readData('channels.yaml', z.array(channelSchema));
export const BODY_IMAGES = readData('images.yaml', z.array(imageSchema));
export const ARTICLES: ArticleSource[] = SITES.flatMap((site) =>
  readData(`articles/${site.id}.yaml`, z.array(articleSchema)).map((article) => ({
    ...article,
    site: site.layout,
    siteId: site.id,
  })),
);
/** Site A's articles in data order: the sidebars and related lists take them in this order. */
export const A_ARTICLES = ARTICLES.filter((article) => article.site === 'A');
export const B_ARTICLES = ARTICLES.filter((article) => article.site === 'B');

const ARTICLES_BY_ID = new Map(ARTICLES.map((article) => [article.id, article]));

export function articleById(id: string): ArticleSource {
  const article = ARTICLES_BY_ID.get(id);
  if (!article) throw new Error(`make-demo-site: unknown article id ${id} in the demo content`);
  return article;
}

export function imageByKey(key: string): ImageSpec {
  const found = BODY_IMAGES.find((spec) => spec.key === key);
  if (!found) throw new Error(`make-demo-site: unknown image key ${key} in the demo content`);
  return found;
}

export function siteById(id: string): SiteSource {
  const site = SITES.find((candidate) => candidate.id === id);
  if (!site) throw new Error(`make-demo-site: unknown site ${id} in the demo content`);
  return site;
}

/** Where the layout puts an article: A by date (/gb/23/10/18/n14097890.htm), B by id (/gbk/a/1042.html). */
export function articlePath(article: ArticleSource): string {
  const prefix = siteById(article.siteId).pathPrefix;
  if (article.site === 'B') return `${prefix}a/${article.id}.html`;
  const [year, month, day] = article.date.split('-');
  return `${prefix}${year.slice(2)}/${month}/${day}/${article.id}.htm`;
}

/** The CMS names a lead image after its attachment id, the article's number + 3. */
export function leadImagePath(article: ArticleSource): string | undefined {
  if (!article.lead) return undefined;
  const attachmentId = Number(article.id.slice(1)) + 3;
  return `/assets/uploads/2023/10/id${attachmentId}-${article.lead.slug}-600x400.jpg`;
}

export function isoTime(article: ArticleSource): string {
  return `${article.date}T${article.time}:00+08:00`;
}
