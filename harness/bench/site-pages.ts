// The pages of the speed benchmark's generated news portal (served by site-generator.ts). Deterministic: article i
// has the same bytes in every run and every process, so a child process can rebuild any page or image list from
// its index alone. Pages look like the portals we mirror: 150-250 KB of navigation, menus, sidebars, comments,
// inline scripts and styles, ads and related-article lists around one 600-1500-word story (English or Chinese),
// with 1-3 photos. Pages are assembled from pools of clutter made once, so serving costs the benchmark little CPU.

import sharp from 'sharp';
import { seededRandom } from '../random.ts';

export const DEFAULT_ARTICLES = 400;
/** Listing channels (HTML pages listing every article of the channel) plus one RSS feed of the newest. */
export const LISTING_CHANNELS = ['world', 'china', 'business', 'culture'] as const;
export const FEED_CHANNEL = 'latest';
/** Items in the RSS feed: the newest of all channels, so some articles are listed twice (deduplicated by id). */
const FEED_ITEMS = 60;
/** Distinct JPEGs; many URLs serve each one, as portals serve one photo under several sizes and paths. */
const DISTINCT_IMAGES = 8;
/** Variants per clutter kind: enough that pages differ, few enough to build at start-up in milliseconds. */
const CLUTTER_VARIANTS = 12;
/**
 * Page sizes: `large`, the in-process bench's pages (150-250 KB); `portal`, about 170 KB, the size of the portal
 * pages we mirror (issue 16); `small`, the story with one nav bar and footer, no comments, sidebars, scripts or
 * styles (9-17 KB, about the size of the demo site's pages).
 */
export type PageSize = 'large' | 'portal' | 'small';
const PAGE_BYTES: Record<Exclude<PageSize, 'small'>, [number, number]> = {
  large: [150 * 1024, 250 * 1024],
  portal: [140 * 1024, 200 * 1024],
};

/** What the site looks like: the page size and how many of LISTING_CHANNELS it lists (articles go round them). */
export interface SiteShape {
  pages: PageSize;
  channels: number;
}
export const DEFAULT_SHAPE: SiteShape = { pages: 'large', channels: LISTING_CHANNELS.length };
const MIN_WORDS = 600;
const MAX_WORDS = 1500;
/** Minutes between two articles' publication times. */
const PUBLISH_STEP_MINUTES = 7;
const NEWEST_PUBLISHED_MS = Date.UTC(2024, 4, 20, 12, 0, 0);

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (random: () => number, low: number, high: number) =>
  low + Math.floor(random() * (high - low + 1));

const EN_WORDS = (
  'the government said on tuesday that officials would review the new policy after protests in several cities ' +
  'where residents demanded answers about the economy trade prices housing schools hospitals and the courts ' +
  'according to reports from local media journalists reporters sources witnesses analysts investors families ' +
  'a spokesman declined to comment while critics argued the measures were too little too late for workers ' +
  'farmers students and small business owners who have struggled since the pandemic began the ministry ' +
  'announced that inspections would continue through the summer and that new rules would take effect in ' +
  'january despite warnings from economists who said growth could slow sharply in the coming months'
).split(' ');
const ZH_PHRASES = (
  '据报道，当局周二表示，将在多个城市发生抗议之后重新审议这项新政策。居民要求就经济、物价、住房、学校、医院和法院问题作出解释。' +
  '知情人士透露，相关部门已经召开紧急会议。一位发言人拒绝置评，而批评者认为这些措施太少也太迟。自疫情爆发以来，工人、农民、学生和小企业主一直在艰难度日。' +
  '部门宣布，检查将持续整个夏天，新规定将于明年一月生效。经济学家警告说，未来几个月经济增长可能大幅放缓。' +
  '分析人士指出，地方财政压力持续加大，多地出现拖欠工资的情况。网民在社交媒体上纷纷留言，表达不满。'
).split(/(?<=[，。、])/);
const EN_TITLES = [
  'Officials review policy after protests',
  'Prices climb as markets wobble',
  'Courts weigh new rules on housing',
  'Farmers face a hard summer',
  'Students protest exam changes',
  'Investors brace for slower growth',
];
const ZH_TITLES = [
  '多地抗议后当局重新审议新政策',
  '物价上涨 市场动荡',
  '法院审理住房新规',
  '农民面临艰难夏天',
  '学生抗议考试改革',
  '投资者担忧经济放缓',
];
const MENU_WORDS = [
  '要闻',
  '国际',
  '中国',
  '财经',
  '科技',
  '文化',
  'World',
  'Opinion',
  'Video',
  'Sports',
  '健康',
  '旅游',
];

export interface ArticleInfo {
  index: number;
  /** Path on the site, e.g. /news/a/1000123.html */
  path: string;
  channel: string;
  lang: 'en' | 'zh';
  title: string;
  published: string;
  /** Paths of the article's images (lead first). */
  images: string[];
}

/** Article 0 is the newest. Pure function of the index (and of the number of channels articles go round). */
export function articleInfo(index: number, channels: number = LISTING_CHANNELS.length): ArticleInfo {
  const random = seededRandom(index * 7919 + 17);
  const lang = index % 2 === 0 ? 'zh' : 'en';
  const channel = LISTING_CHANNELS[index % channels];
  const titles = lang === 'zh' ? ZH_TITLES : EN_TITLES;
  const title = `${pick(random, titles)} ${lang === 'zh' ? '（第' : '#'}${index + 1}${lang === 'zh' ? '号）' : ''}`;
  const imageCount = between(random, 1, 3);
  const images = Array.from(
    { length: imageCount },
    (_, k) => `/img/${2024 - (index % 3)}/${1000000 + index}-${k}${k === 0 ? '-lead' : ''}.jpg`,
  );
  return {
    index,
    path: `/news/a/${1000000 + index}.html`,
    channel,
    lang,
    title,
    published: new Date(NEWEST_PUBLISHED_MS - index * PUBLISH_STEP_MINUTES * 60_000).toISOString(),
    images,
  };
}

/** Which of the distinct JPEGs an image path serves. */
export function imageNumberOf(path: string): number {
  let hash = 0;
  for (let i = 0; i < path.length; i++) hash = (hash * 31 + path.charCodeAt(i)) >>> 0;
  return hash % DISTINCT_IMAGES;
}

interface ClutterPools {
  styles: string[];
  scripts: string[];
  navs: string[];
  sidebars: string[];
  comments: string[];
  related: string[];
  footers: string[];
  ads: string[];
}

function buildClutterPools(): ClutterPools {
  const random = seededRandom(4242);
  const link = (text: string, n: number) => `<a href="/news/section/${n}.html" class="nav-link">${text}</a>`;
  const words = (count: number) => Array.from({ length: count }, () => pick(random, EN_WORDS)).join(' ');
  const zh = (count: number) => Array.from({ length: count }, () => pick(random, ZH_PHRASES)).join('');
  const variants = (make: (v: number) => string) =>
    Array.from({ length: CLUTTER_VARIANTS }, (_, v) => make(v));

  return {
    styles: variants((v) => {
      const rules = Array.from(
        { length: 160 },
        (_, r) =>
          `.c${v}-${r} .item-${r} > a:hover{color:#${(r * 4567 + v).toString(16).padStart(6, '0').slice(0, 6)};` +
          `margin:${r % 9}px ${r % 5}px;padding:0 ${r % 7}px;font:${12 + (r % 6)}px/1.5 "PingFang SC",Arial}`,
      ).join('\n');
      return `<style id="theme-${v}">${rules}</style>`;
    }),
    scripts: variants((v) => {
      const config = JSON.stringify({
        slots: Array.from({ length: 40 }, (_, s) => ({
          id: `ad-${v}-${s}`,
          sizes: [
            [300, 250],
            [728, 90],
          ],
          k: words(6),
        })),
      });
      const body = Array.from(
        { length: 60 },
        (_, f) =>
          `function t${v}_${f}(e){var n=document.querySelectorAll(".item-${f}");for(var i=0;i<n.length;i++){n[i].addEventListener("click",function(){window.dataLayer&&window.dataLayer.push({event:"c${f}",v:${v}})})}}`,
      ).join(';');
      return `<script>window.__ADS__=${config};${body}</script>`;
    }),
    navs: variants((v) => {
      const menus = MENU_WORDS.map(
        (menu, m) =>
          `<li class="menu"><span>${menu}</span><ul class="sub">${Array.from({ length: 18 }, (_, i) => `<li>${link(`${menu} ${zh(1).slice(0, 6)}`, v * 1000 + m * 50 + i)}</li>`).join('')}</ul></li>`,
      ).join('');
      return `<header class="site-header"><div class="top-bar"><a href="/">首页 Home</a> | <a href="/login">登录</a> | <a href="/app">下载APP</a></div><nav class="main-nav"><ul>${menus}</ul></nav><div class="breaking">${zh(2)}</div></header>`;
    }),
    sidebars: variants((v) => {
      const list = (title: string, n: number) =>
        `<div class="widget"><h3>${title}</h3><ol>${Array.from({ length: n }, (_, i) => `<li><a href="/news/a/${900000 + v * 100 + i}.html">${zh(1)}</a><span class="views">${(i + 1) * 1234}</span></li>`).join('')}</ol></div>`;
      return `<aside class="sidebar">${list('热门文章', 20)}${list('Most read', 20)}<div class="ad-box"><iframe src="https://ads.example.net/slot/${v}" width="300" height="250"></iframe></div>${list('视频', 15)}</aside>`;
    }),
    comments: variants((v) => {
      const items = Array.from(
        { length: 25 },
        (_, c) =>
          `<div class="comment" id="c${v}-${c}"><div class="avatar"><img src="/static/avatar/${c % 10}.png" alt=""></div><div class="c-body"><b class="user">网友${v}${c}</b><time>2024-05-${String((c % 28) + 1).padStart(2, '0')}</time><p>${c % 2 ? zh(2) : words(30)}</p><span class="like">赞 ${c * 3}</span> <a href="#reply" class="reply">回复</a></div></div>`,
      ).join('');
      return `<section class="comments"><h3>网友评论 Comments</h3>${items}<button class="more">加载更多</button></section>`;
    }),
    related: variants(
      (v) =>
        `<div class="related"><h3>相关新闻 Related</h3><ul>${Array.from({ length: 16 }, (_, i) => `<li><a href="/news/a/${800000 + v * 50 + i}.html"><img src="/static/thumb/${i}.jpg" alt="">${zh(1)}</a></li>`).join('')}</ul></div>`,
    ),
    footers: variants(
      (v) =>
        `<footer class="site-footer"><div class="links">${Array.from({ length: 60 }, (_, i) => link(pick(random, MENU_WORDS), v * 100 + i)).join(' | ')}</div><p>© 2024 Example Daily 版权所有 ${words(20)}</p></footer>`,
    ),
    ads: variants(
      (v) =>
        `<div class="ad ad-in-article" data-slot="${v}"><span>广告</span><a href="https://ads.example.net/click/${v}"><img src="https://ads.example.net/b/${v}.gif" alt="ad"></a><script>(window.adq=window.adq||[]).push(${v})</script></div>`,
    ),
  };
}

let pools: ClutterPools | undefined;

/** Builds the clutter pools now rather than on the first page served. */
export function prepareClutterPools(): void {
  pools ??= buildClutterPools();
}

/** The story: 600-1500 words in paragraphs, with a few links to other articles and to outside sites. */
function storyParagraphs(info: ArticleInfo, random: () => number): string[] {
  const words = between(random, MIN_WORDS, MAX_WORDS);
  const paragraphs: string[] = [];
  let written = 0;
  while (written < words) {
    const size = between(random, 40, 110);
    let text: string;
    if (info.lang === 'zh') {
      // About 1.7 characters make one word of Chinese prose.
      let chars = '';
      while (chars.length < size * 1.7) chars += pick(random, ZH_PHRASES);
      text = chars;
    } else {
      const sentence = Array.from({ length: size }, () => pick(random, EN_WORDS));
      sentence[0] = sentence[0][0].toUpperCase() + sentence[0].slice(1);
      text = `${sentence.join(' ')}.`;
    }
    if (paragraphs.length % 4 === 2) {
      const other = articleInfo((info.index + 1 + paragraphs.length) % 1000);
      text +=
        info.lang === 'zh'
          ? ` 详见<a href="${other.path}">相关报道</a>。`
          : ` See <a href="${other.path}">our report</a>.`;
    }
    if (paragraphs.length % 5 === 3)
      text += ` <a href="https://www.example.org/source/${info.index}">来源 source</a>`;
    paragraphs.push(`<p>${text}</p>`);
    written += size;
  }
  return paragraphs;
}

/** The whole HTML page of article `index`; `origin` makes the absolute URLs portals put in meta tags. */
export function renderArticlePage(index: number, origin: string, shape: SiteShape = DEFAULT_SHAPE): string {
  pools ??= buildClutterPools();
  const p = pools;
  const info = articleInfo(index, shape.channels);
  const random = seededRandom(index * 104729 + 3);
  const small = shape.pages === 'small';
  const target = shape.pages === 'small' ? 0 : between(random, ...PAGE_BYTES[shape.pages]);
  const v = () => Math.floor(random() * CLUTTER_VARIANTS);
  const paragraphs = storyParagraphs(info, random);
  const caption = info.lang === 'zh' ? '图为资料照片。（网络图片）' : 'A file photo. (Agency)';
  const figure = (src: string, k: number) =>
    `<figure class="${k === 0 ? 'lead' : 'inline'}-image"><img src="${src}" alt="${info.title}" width="800" height="500"><figcaption>${caption}</figcaption></figure>`;
  const body: string[] = [figure(info.images[0], 0)];
  paragraphs.forEach((paragraph, n) => {
    body.push(paragraph);
    if (n === 3 && !small) body.push(p.ads[v()]);
    const image = info.images[Math.floor((n + 1) / 4)];
    if (n > 0 && (n + 1) % 4 === 0 && image && Math.floor((n + 1) / 4) < info.images.length)
      body.push(figure(image, n));
    if (n === 6 && !small) body.push(`<div class="inline-related">${p.related[v()]}</div>`);
  });
  const head =
    `<!DOCTYPE html><html lang="${info.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">` +
    `<title>${info.title} - Example Daily</title><meta name="viewport" content="width=device-width">` +
    `<meta property="og:title" content="${info.title}"><meta property="og:image" content="${origin}${info.images[0]}">` +
    `<meta property="article:published_time" content="${info.published}"><link rel="canonical" href="${origin}${info.path}">` +
    `${small ? '' : `${p.styles[v()]}${p.scripts[v()]}`}</head>`;
  const article =
    `<main class="content"><div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/news/${info.channel}.html">${info.channel}</a></div>` +
    `<article class="post"><h1 class="headline">${info.title}</h1><div class="byline"><span class="author">${info.lang === 'zh' ? '记者 王明' : 'By Jane Roe'}</span> ` +
    `<time datetime="${info.published}">${info.published.slice(0, 10)}</time></div>` +
    `<div class="share-bar"><a href="https://twitter.com/share">Twitter</a> <a href="https://facebook.com/share">Facebook</a> <a href="#">微信</a></div>` +
    `<div class="article-body" id="article-body">${body.join('\n')}</div>` +
    `<div class="tags">${Array.from({ length: 6 }, () => `<a href="/tag/${v()}">${pick(random, MENU_WORDS)}</a>`).join(' ')}</div></article>`;
  if (small) {
    const bar = `<header class="site-header"><a href="/">首页 Home</a> | <a href="/news/${info.channel}.html">${info.channel}</a></header>`;
    return `${head}<body>${bar}${article}</main>${p.footers[v()]}</body></html>`;
  }
  const parts = [
    head,
    '<body>',
    p.navs[v()],
    '<div class="layout">',
    article,
    p.related[v()],
    p.comments[v()],
    '</main>',
    p.sidebars[v()],
    '</div>',
  ];
  // Portal pages grow with more comments, widgets and trackers; pad with those to the page's size.
  let size = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
  const tail: string[] = [];
  const fillers = [p.scripts, p.comments, p.sidebars, p.styles];
  let f = 0;
  while (size < target - 8 * 1024) {
    const filler = fillers[f++ % fillers.length][v()];
    tail.push(filler);
    size += Buffer.byteLength(filler);
  }
  return `${parts.join('')}${tail.join('')}${p.footers[v()]}</body></html>`;
}

/** Newest first: article indexes of a listing channel. */
export function channelArticles(
  channel: string,
  articles: number,
  channels: number = LISTING_CHANNELS.length,
): number[] {
  const found: number[] = [];
  const step = channels;
  for (
    let i = LISTING_CHANNELS.indexOf(channel as (typeof LISTING_CHANNELS)[number]);
    i < articles;
    i += step
  ) {
    if (i >= 0) found.push(i);
  }
  return found;
}

export function renderListing(
  channel: string,
  first: number,
  articles: number,
  listingSize: number,
  channels: number = LISTING_CHANNELS.length,
): string {
  pools ??= buildClutterPools();
  const items = channelArticles(channel, articles, channels)
    .filter((i) => i >= first)
    .slice(0, listingSize)
    .map((i) => {
      const info = articleInfo(i, channels);
      return `<li class="item"><div class="title"><a href="${info.path}">${info.title}</a></div><span class="date">${info.published.slice(0, 10)}</span></li>`;
    })
    .join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${channel}</title>${pools.styles[0]}</head><body>${pools.navs[0]}<ul class="post-list">${items}</ul>${pools.sidebars[0]}${pools.footers[0]}</body></html>`;
}

export function renderFeed(origin: string, first: number, articles: number): string {
  const items = Array.from({ length: Math.max(0, Math.min(FEED_ITEMS, articles - first)) }, (_, n) => {
    const info = articleInfo(first + n);
    return `<item><title>${info.title}</title><link>${origin}${info.path}</link><pubDate>${new Date(info.published).toUTCString()}</pubDate></item>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Latest</title><link>${origin}/</link><description>Latest news</description>${items}</channel></rss>`;
}

/** The distinct photos: smooth gradients with noise, 640x400, 30-60 KB as JPEG, made once per process. */
export async function makeBenchImages(): Promise<Buffer[]> {
  const width = 640;
  const height = 400;
  return Promise.all(
    Array.from({ length: DISTINCT_IMAGES }, (_, n) => {
      const random = seededRandom(n + 99);
      const pixels = Buffer.alloc(width * height * 3);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const o = (y * width + x) * 3;
          const noise = random() * 40;
          pixels[o] = ((x * (n + 1)) % 200) + noise;
          pixels[o + 1] = ((y * 2 + n * 30) % 220) + noise;
          pixels[o + 2] = (((x + y) * (8 - n)) % 180) + noise;
        }
      }
      return sharp(pixels, { raw: { width, height, channels: 3 } })
        .jpeg({ quality: 85 })
        .toBuffer();
    }),
  );
}
