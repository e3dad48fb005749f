// `mirror.labels` and `sites[].labels`: the words newsmirror adds around articles, per language, replacing the
// built-in ones (src/internal/labels.ts: zh-Hans, zh-Hant, en) one by one.
import { z } from 'zod';

/** Every label, with what it is; `{alt}`, `{n}` and `{date}` are filled in. */
export const LABEL_DESCRIPTIONS = {
  source: 'before the original URL at the foot of a page (`原文链接（需翻墙）：`)',
  share: 'above the share link and QR code of a page',
  image: 'stands for an image not shown, `{alt}` being its description (`[图片：{alt}]`)',
  imageNoAlt: 'stands for an image not shown that has no description (`[图片]`)',
  retracted:
    'notice above a page whose source answered 404 or 410, its text kept below; `{date}` the day seen gone',
  retractedRemoved: 'notice of a retracted page whose text was removed (`revisit.retracted: remove`)',
  newest: 'heading of the newest articles on the home page (`最新文章`)',
  mirrors: 'link to the list of mirrors, home page footer',
  feed: 'link to the Atom feed, home page footer',
  search: 'link to the search guide, home page footer',
  updated: 'before the time of the last update, home page footer',
  date: 'date column of indexes',
  title: 'title column of indexes',
  channel: 'channel column of the home page',
  older: 'before the links to older index pages',
  newestPage: 'link from an archive page back to the newest index page',
  empty: 'an index without articles',
  page: 'an archive index page, `{n}` its number (`第 {n} 页`)',
  contents: 'table of contents of a bundle (EPUB, HTML)',
  mirroredAt: 'before the public URL of an article in a bundle',
} as const;

export type LabelName = keyof typeof LABEL_DESCRIPTIONS;

const labelSetSchema = z
  .object(
    Object.fromEntries(
      Object.entries(LABEL_DESCRIPTIONS).map(([name, description]) => [
        name,
        z.string().optional().describe(description),
      ]),
    ) as Record<LabelName, z.ZodOptional<z.ZodString>>,
  )
  .strict();

export const labelsSchema = z
  .record(
    z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/, 'a language tag such as en, zh-Hant or zh-TW'),
    labelSetSchema,
  )
  .default({})
  .describe(
    'labels by language tag, replacing the built-in ones (zh-Hans, zh-Hant, en) one by one, e.g. ' +
      '`{ en: { source: "Original: " } }`; a page takes the set of its article\'s language (`zh-TW` uses ' +
      "`zh-TW`, then `zh-Hant`, then `zh`), the home page and indexes the mirror's `lang`",
  );

export type LabelOverrides = z.infer<typeof labelsSchema>;
