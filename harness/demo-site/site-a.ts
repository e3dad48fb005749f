// Site A's pages (layout A of demo/data/sites.yaml), shaped like the source of the reference page: h1.title,
// .post_meta, a lazy .featured_image with a noscript copy, div#artbody.post_content, tag links, and the portal's
// clutter around them (header, nav, sidebar, share bars, ads, widgets, comments, scripts); its listings on two
// templates (post_list and the older arttitle) and its RSS feed.
import { escapeHtml, LAZY_PLACEHOLDER, type RenderedBody, renderBlocks, summary } from './body.ts';
import {
  A_ARTICLES,
  type ArticleSource,
  articleById,
  articlePath,
  type ChannelSource,
  isoTime,
  leadImagePath,
} from './content.ts';
import { ORIGIN_PLACEHOLDER } from './manifest.ts';

/** Text of site A's clutter: it appears on every page outside the article, so it must not reach the mirror. */
export const A_CLUTTER_MARKERS = [
  '订阅大纪元电子报',
  '分享到：',
  '本站广告位',
  '推特嵌入内容',
  '相关文章',
  '热门新闻',
  '版权所有',
  '延伸阅读',
  'adQueue',
  'font-family',
];

function siteAHeader(active: string): string {
  const nav = [
    ['/gb/', '首页'],
    ['/gb/ncid1078159.htm', '国际'],
    ['/gb/ncid1146487.htm', '中国'],
    ['/gb/ncid1066963.htm', '美国'],
    ['/gb/ncid1143926.htm', '评论'],
    ['/gb/ncid1079453.htm', '财经'],
    ['/gb/ncid1079454.htm', '科技'],
    ['/gb/ncid1071113.htm', '文化'],
    ['/gb/ncid1079459.htm', '健康'],
  ]
    .map(
      ([href, text]) => `<li${text === active ? ' class="active"' : ''}><a href="${href}">${text}</a></li>`,
    )
    .join('');
  return `<header id="header" class="site_header">
<div class="top_bar"><span class="today">2023年10月18日 星期三</span>
<a href="/gb/subscribe.htm" class="subscribe">订阅大纪元电子报</a> | <a href="/gb/login.htm">登录</a> | <a href="/b5/">正体</a> | <a href="/gb/app.htm">下载APP</a></div>
<div class="logo_row"><a class="logo" href="/gb/" title="大纪元"><span class="logo_text">大纪元</span></a>
<form class="search_form" action="/gb/search.htm" method="get"><input type="text" name="q" placeholder="搜索"><button type="submit">搜索</button></form></div>
<nav id="nav" class="main_nav"><ul>${nav}</ul></nav>
<div class="breaking"><span>最新消息：</span><a href="/gb/23/10/18/n14097890.htm">多地维权人士在敏感日期前被约谈</a></div>
</header>`;
}

function siteASidebar(exclude: string): string {
  const hot = A_ARTICLES.filter((article) => article.id !== exclude)
    .slice(0, 6)
    .map(
      (article) =>
        `<li><span class="title"><a href="${articlePath(article)}">${escapeHtml(article.title)}</a></span></li>`,
    )
    .join('\n');
  return `<aside id="sidebar" class="sidebar">
<div class="widget hot_news"><h3 class="widget_title">热门新闻</h3><ol>
${hot}
</ol></div>
<div class="widget ad_widget"><span class="ad_label">本站广告位</span><iframe src="https://ads.example.com/slot/300x250?site=demo" width="300" height="250" frameborder="0" scrolling="no"></iframe></div>
<div class="widget newsletter"><h3 class="widget_title">订阅大纪元电子报</h3><form action="/gb/subscribe.htm"><input type="email" name="email"><button>订阅</button></form></div>
</aside>`;
}

const SITE_A_FOOTER = `<footer id="footer" class="site_footer">
<div class="footer_links"><a href="/gb/about.htm">关于我们</a> | <a href="/gb/contact.htm">联系我们</a> | <a href="/gb/ad.htm">广告服务</a> | <a href="/gb/privacy.htm">隐私政策</a> | <a href="/gb/jobs.htm">招聘</a></div>
<p class="copyright">大纪元版权所有 © 2000-2023 (演示站点，内容均为虚构)</p>
</footer>
<script src="/gb/assets/js/site.js"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'G-DEMO0000');</script>
<script async src="https://www.googletagmanager.example/gtag/js?id=G-DEMO0000"></script>`;

function siteAHead(title: string, extra: string): string {
  return `<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${extra}<link rel="stylesheet" href="/gb/assets/css/site.css">
<style>body{font-family:"PingFang SC","Microsoft YaHei",sans-serif}.post_content p{line-height:1.8}</style>
<script>var djy_page = { lang: "gb", ver: "2023.10" };</script>
</head>`;
}

function shareBar(position: string, path: string): string {
  return `<div class="share_bar share_${position}"><span class="share_label">分享到：</span>
<a class="share_fb" href="https://www.facebook.example/sharer.php?u=${encodeURIComponent(path)}" target="_blank" rel="noopener">脸书</a>
<a class="share_tw" href="https://twitter.example/intent/tweet?url=${encodeURIComponent(path)}" target="_blank" rel="noopener">推特</a>
<a class="share_mail" href="mailto:?subject=${encodeURIComponent('大纪元')}">邮件</a>
<a class="share_print" href="javascript:window.print()">打印</a></div>`;
}

/** The nav has entries for 国际 and 中国 only: articles at home in 中国 show that one, all others (feed-only ones too) 国际. */
function breadcrumbTitle(homeChannel: string): string {
  return homeChannel === 'ncid1146487' ? '中国' : '国际';
}

export function renderSiteAArticle(
  article: ArticleSource,
  homeChannel: string,
): { html: string; body: RenderedBody } {
  const channelTitle = breadcrumbTitle(homeChannel);
  const path = articlePath(article);
  const body = renderBlocks(article);
  const lead = leadImagePath(article);
  const leadHtml =
    lead && article.lead
      ? `<div class="featured_image">
<a href="${lead}" title="${escapeHtml(article.title)}"><img class="lazy attachment-djy_600_400 size-djy_600_400 wp-post-image" src="${LAZY_PLACEHOLDER}" data-src="${lead}" width="600" height="400" alt="${escapeHtml(article.title)}"></a>
<noscript><img class="attachment-djy_600_400 size-djy_600_400 wp-post-image" src="${lead}" width="600" height="400" alt="${escapeHtml(article.title)}"></noscript>
<div class="caption">${escapeHtml(article.lead.caption)}</div>
</div>
`
      : '';
  const recommended = A_ARTICLES.filter((other) => other.id !== article.id)
    .slice(3, 7)
    .map((other) => `<li><a href="${articlePath(other)}">${escapeHtml(other.title)}</a></li>`)
    .join('\n');
  const tags = article.tags
    .map((tag) => `<a href="/gb/tag/${encodeURIComponent(tag)}.html" rel="tag">${escapeHtml(tag)}</a>`)
    .join(' ');
  const [, hh, mm] = /^(\d+):(\d+)$/.exec(article.time) ?? [];
  const meta = `<meta name="description" content="${escapeHtml(summary(article))}">
<meta name="keywords" content="${escapeHtml(article.tags.join(','))}">
<meta property="og:type" content="article">
<meta property="og:title" content="${escapeHtml(article.title)}">
${lead ? `<meta property="og:image" content="${lead}">\n` : ''}<meta property="article:published_time" content="${isoTime(article)}">
<meta name="author" content="${escapeHtml(article.author)}">
<link rel="canonical" href="${path}">
`;
  const html = `${siteAHead(`${article.title} | 大纪元`, meta)}
<body class="single single-post">
${siteAHeader(channelTitle)}
<div id="main" class="row">
<div class="breadcrumb"><a href="/gb/">首页</a> › <a href="/gb/${channelTitle === '中国' ? 'ncid1146487' : 'ncid1078159'}.htm">${escapeHtml(channelTitle)}</a> › 正文</div>
<div id="artwrap" class="main_content large-8 columns">
<div class="post_title"><h1 class="title">${escapeHtml(article.title)}</h1></div>
<div class="post_meta mbottom10"><span class="label">作者：</span><span class="author">${escapeHtml(article.author)}</span>
<time class="publish_time" datetime="${isoTime(article)}">${article.date} ${hh}:${mm}</time> <span class="print_count">人气：${((Number(article.id.slice(-3)) * 7) % 900) + 100}</span></div>
${leadHtml}<div id="artbody" class="post_content" itemprop="articleBody">
${shareBar('top', path)}
<!-- article content begin -->
${body.html}<!-- article content end -->
<div id="recommend_post"><h3>相关文章</h3><ul>
${recommended}
</ul></div>
<div id="below_article_ad"><span class="ad_label">本站广告位</span><script>(window.adQueue = window.adQueue || []).push({ slot: "below-article" });</script></div>
</div>
<div class="arttop arttop2 mbottom10">标签：${tags}</div>
<twitter-widget class="twitter-follow-button" data-screen-name="dajiyuan_demo" style="display: inline-block;">关注大纪元推特</twitter-widget>
${shareBar('bottom', path)}
<div id="comments" class="comments"><iframe src="https://comments.example.net/embed?thread=${article.id}" width="100%" height="400" frameborder="0"></iframe></div>
</div>
${siteASidebar(article.id)}
</div>
${SITE_A_FOOTER}
</body>
</html>
`;
  return { html, body };
}

export function renderSiteAListing(channel: ChannelSource): string {
  const articles = channel.articles.map(articleById);
  let list: string;
  if (channel.template === 'post_list') {
    const items = articles
      .map((article) => {
        const path = articlePath(article);
        const lead = leadImagePath(article);
        return `<li><div class="one_post">
${lead ? `<div class="image"><a href="${path}"><img src="${lead}" width="300" height="200" alt="${escapeHtml(article.title)}"></a></div>\n` : ''}<div class="title"><a href="${path}" title="${escapeHtml(article.title)}">${escapeHtml(article.title)}</a></div>
<div class="content">${escapeHtml(summary(article))}</div>
<div class="date">${article.date}</div>
</div></li>`;
      })
      .join('\n');
    const featured = articles[0];
    list = `<div class="headline_slider"><div class="slide"><a href="${articlePath(featured)}" class="headline_link"><span class="headline_text">${escapeHtml(featured.title)}</span></a></div></div>
<div class="post_list"><ul>
${items}
</ul></div>`;
  } else {
    // The older template: relative links, no thumbnails, one <div class="arttitle"> per article.
    const items = articles
      .map((article, index) => {
        const path = articlePath(article);
        const href = index % 2 === 0 ? path.replace(/^\/gb\//, '') : path;
        return `<div class="artlist_item">
<div class="arttitle"><a href="${href}" target="_blank">${escapeHtml(article.title)}</a></div>
<div class="artdesc">${escapeHtml(summary(article))}</div>
<div class="artdate">${article.date} ${article.time}</div>
</div>`;
      })
      .join('\n');
    list = `<div id="artlist" class="artlist">
${items}
</div>`;
  }
  return `${siteAHead(`${channel.title} | 大纪元`, `<meta name="description" content="大纪元${channel.title}新闻">\n`)}
<body class="archive channel">
${siteAHeader(channel.title)}
<div id="main" class="row">
<div class="left_col large-8 columns">
<h1 class="channel_title">${escapeHtml(channel.title)}</h1>
<div class="channel_ad"><span class="ad_label">本站广告位</span><iframe src="https://ads.example.com/slot/728x90?site=demo" width="728" height="90" frameborder="0"></iframe></div>
${list}
<div class="pagination"><span class="current">1</span> <a href="/gb/${channel.id}_2.htm">2</a> <a href="/gb/${channel.id}_3.htm">3</a> <a href="/gb/${channel.id}_2.htm" class="next">下一页</a></div>
</div>
${siteASidebar(channel.articles[0])}
</div>
${SITE_A_FOOTER}
</body>
</html>
`;
}

function rfc822(article: ArticleSource): string {
  const date = new Date(isoTime(article));
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const local = new Date(date.getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:00 +0800`;
}

export function renderFeed(channel: ChannelSource): string {
  const query = channel.tracking ? `?${channel.tracking.replace(/&/g, '&amp;')}` : '';
  const items = channel.articles
    .map(articleById)
    .map(
      (article) => `<item>
<title>${escapeHtml(article.title)}</title>
<link>${ORIGIN_PLACEHOLDER}${articlePath(article)}${query}</link>
<guid isPermaLink="false">${article.id}</guid>
<pubDate>${rfc822(article)}</pubDate>
<dc:creator>${escapeHtml(article.author)}</dc:creator>
${article.tags.map((tag) => `<category>${escapeHtml(tag)}</category>`).join('\n')}
<description><![CDATA[<p>${summary(article)}</p>]]></description>
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${channel.title} | 大纪元</title>
<link>${ORIGIN_PLACEHOLDER}/gb/nsc1025.htm</link>
<atom:link href="${ORIGIN_PLACEHOLDER}${channel.path}" rel="self" type="application/rss+xml"/>
<description>大纪元${channel.title}频道（演示站点，内容均为虚构）</description>
<language>zh-cn</language>
<lastBuildDate>Wed, 18 Oct 2023 12:00:00 +0800</lastBuildDate>
<ttl>60</ttl>
${items}
</channel>
</rss>
`;
}
