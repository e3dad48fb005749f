// The words newsmirror adds around articles (the original link, image stand-ins, index headings, the retraction
// notice), by language: pages take their article's language, the home page and indexes the mirror's. One table for
// pages, indexes, the transform's image stand-ins and bundles. zh-Hans is the original system's wording, byte for
// byte; zh-Hant is its OpenCC (cn -> tw) conversion, so a traditional mirror of simplified pages reads the same.
import type { LabelName, LabelOverrides } from '../config/options-labels.ts';

export type { LabelName, LabelOverrides };
export type Labels = Readonly<Record<LabelName, string>>;

const ZH_HANS: Labels = {
  source: '原文链接（需翻墙）：',
  share: '手机上长按并复制下列链接或二维码分享本文章',
  image: '[图片：{alt}]',
  imageNoAlt: '[图片]',
  retracted: '本文已于 {date} 被原网站撤下。以下是撤下前的原文，保留在此供读者查阅。',
  retractedRemoved: '本文已于 {date} 被原网站撤下。',
  newest: '最新文章',
  mirrors: '所有镜像',
  feed: 'Atom 订阅',
  search: '搜索',
  updated: '更新于',
  date: '日期',
  title: '标题',
  channel: '频道',
  older: '更早的文章：',
  newestPage: '最新',
  empty: '暂无文章',
  page: '第 {n} 页',
  contents: '目录',
  mirroredAt: '镜像：',
};

const ZH_HANT: Labels = {
  source: '原文鏈接（需翻牆）：',
  share: '手機上長按並複製下列鏈接或二維碼分享本文章',
  image: '[圖片：{alt}]',
  imageNoAlt: '[圖片]',
  retracted: '本文已於 {date} 被原網站撤下。以下是撤下前的原文，保留在此供讀者查閱。',
  retractedRemoved: '本文已於 {date} 被原網站撤下。',
  newest: '最新文章',
  mirrors: '所有鏡像',
  feed: 'Atom 訂閱',
  search: '搜索',
  updated: '更新於',
  date: '日期',
  title: '標題',
  channel: '頻道',
  older: '更早的文章：',
  newestPage: '最新',
  empty: '暫無文章',
  page: '第 {n} 頁',
  contents: '目錄',
  mirroredAt: '鏡像：',
};

const EN: Labels = {
  source: 'Original: ',
  share: 'On a phone, long-press to copy the link or the QR code below and share this article',
  image: '[Image: {alt}]',
  imageNoAlt: '[Image]',
  retracted:
    'The publisher took this article down ({date}). Its text as it was before is kept below for readers.',
  retractedRemoved: 'The publisher took this article down ({date}).',
  newest: 'Latest articles',
  mirrors: 'All mirrors',
  feed: 'Atom feed',
  search: 'Search',
  updated: 'Updated',
  date: 'Date',
  title: 'Title',
  channel: 'Channel',
  older: 'Older articles: ',
  newestPage: 'Latest',
  empty: 'No articles yet',
  page: 'Page {n}',
  contents: 'Contents',
  mirroredAt: 'Mirror: ',
};

export const BUILT_IN_LABELS: Readonly<Record<'zh-Hans' | 'zh-Hant' | 'en', Labels>> = {
  'zh-Hans': ZH_HANS,
  'zh-Hant': ZH_HANT,
  en: EN,
};

/** Traditional-script regions: their pages read zh-Hant without saying so. */
const TRADITIONAL_REGIONS = /^zh-(?:.*-)?(?:tw|hk|mo)\b/i;

/** The built-in set a language tag reads: zh-Hant, en, or zh-Hans (also for no tag, or one with no built-in set). */
export function labelFamily(lang: string | undefined): keyof typeof BUILT_IN_LABELS {
  const tag = lang?.trim().toLowerCase() ?? '';
  // An explicit script beats the region: zh-Hans-HK is simplified.
  if (/^zh-hans\b/.test(tag)) return 'zh-Hans';
  if (/^zh-hant\b/.test(tag) || TRADITIONAL_REGIONS.test(tag)) return 'zh-Hant';
  if (/^en\b/.test(tag)) return 'en';
  return 'zh-Hans';
}

/**
 * The labels of a page in `lang`: the built-in set of its family, then each override table in order (the mirror's,
 * then the site's), each looked up by the family, the primary subtag and the exact tag (case-insensitive), the more
 * specific winning.
 */
export function labelsFor(lang: string | undefined, ...overrides: Array<LabelOverrides | undefined>): Labels {
  const family = labelFamily(lang);
  const keys = [family, lang?.split('-')[0], lang].filter((key): key is string => Boolean(key));
  const labels: Record<string, string> = { ...BUILT_IN_LABELS[family] };
  for (const table of overrides) {
    if (!table) continue;
    for (const key of keys) {
      const found = Object.entries(table).find(([tag]) => tag.toLowerCase() === key.toLowerCase());
      for (const [name, value] of Object.entries(found?.[1] ?? {})) {
        if (value !== undefined) labels[name] = value;
      }
    }
  }
  return labels as Labels;
}

/** A label with its `{name}` slots filled in. */
export function fillLabel(label: string, values: Record<string, string | number>): string {
  return label.replace(/\{(\w+)\}/g, (slot, name: string) => (name in values ? String(values[name]) : slot));
}

/** The language of the mirror's own pages (home, indexes): `mirror.lang`, else the `lang` most sites give. */
export function mirrorLang(config: {
  mirror: { lang?: string };
  sites: Array<{ lang?: string }>;
}): string | undefined {
  if (config.mirror.lang) return config.mirror.lang;
  const counts = new Map<string, number>();
  for (const site of config.sites) if (site.lang) counts.set(site.lang, (counts.get(site.lang) ?? 0) + 1);
  let best: string | undefined;
  for (const [lang, count] of counts) if (best === undefined || count > counts.get(best)!) best = lang;
  return best;
}
