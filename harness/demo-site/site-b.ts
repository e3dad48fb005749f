// Site B's pages (layout B of demo/data/sites.yaml): an old portal in GBK, declared only by a meta tag, with its
// own layout (.arc-title, .source, .main-content) and no site rules, so the generic extractor reads it.
import { escapeHtml, type RenderedBody, renderBlocks } from './body.ts';
import { type ArticleSource, articleById, B_ARTICLES, type ChannelSource } from './content.ts';

/** Text of site B's clutter: it appears on every page outside the article, so it must not reach the mirror. */
export const B_CLUTTER_MARKERS = ['热门排行', '网友评论', '版权所有', '设为首页', '相关阅读'];

function siteBFrame(title: string, content: string, asideFor: string): string {
  const rank = B_ARTICLES.filter((article) => article.id !== asideFor)
    .map((article) => `<li><a href="/gbk/a/${article.id}.html">${escapeHtml(article.title)}</a></li>`)
    .join('\n');
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<title>${escapeHtml(title)}</title>
<meta name="keywords" content="华夏快讯,新闻,要闻" />
<style type="text/css">
body{margin:0;font:14px/1.7 SimSun,serif;background:#f4f4f4}.wrap{width:980px;margin:0 auto;background:#fff}
.top-nav a{margin:0 6px}.arc-title{font-size:24px;text-align:center}.source{color:#888;text-align:center}
.main-content p{text-indent:2em}.side{float:right;width:280px}.footer{clear:both;text-align:center;color:#999}
</style>
<script type="text/javascript">var _hmt = _hmt || []; (function(){ var hm = document.createElement("script"); hm.src = "https://stats.example.org/hm.js?demo"; document.getElementsByTagName("head")[0].appendChild(hm); })();</script>
</head>
<body>
<div class="wrap">
<div class="topbar"><a href="/gbk/">设为首页</a> | <a href="/gbk/">加入收藏</a> | <a href="/gbk/m/">手机版</a></div>
<div class="logo"><a href="/gbk/list.html">华夏快讯</a></div>
<div class="top-nav"><a href="/gbk/">首页</a><a href="/gbk/list.html">要闻</a><a href="/gbk/gn/">国内</a><a href="/gbk/sh/">社会</a><a href="/gbk/cj/">财经</a><a href="/gbk/ty/">体育</a></div>
<div class="side">
<div class="box"><h3>热门排行</h3><ol class="rank-list">
${rank}
</ol></div>
<div class="box ad"><iframe src="https://ads.example.com/slot/280x200?site=gbk" width="280" height="200" frameborder="0"></iframe></div>
</div>
${content}
<div class="footer"><a href="/gbk/about.html">关于本站</a> | <a href="/gbk/contact.html">联系方式</a><br />华夏快讯 版权所有 Copyright 2023（演示站点，内容均为虚构）</div>
</div>
</body>
</html>
`;
}

export function renderSiteBArticle(article: ArticleSource): { html: string; body: RenderedBody } {
  const body = renderBlocks(article);
  const related = B_ARTICLES.filter((other) => other.id !== article.id)
    .slice(0, 2)
    .map((other) => `<li><a href="${other.id}.html">${escapeHtml(other.title)}</a></li>`)
    .join('\n');
  const content = `<div class="main">
<div class="crumbs">当前位置：<a href="/gbk/">首页</a> &gt; <a href="../list.html">要闻</a> &gt; 正文</div>
<div class="arc">
<h1 class="arc-title">${escapeHtml(article.title)}</h1>
<div class="source">来源：华夏快讯　作者：${escapeHtml(article.author)}　发布时间：${article.date} ${article.time}</div>
<div class="main-content">
${body.html}</div>
<div class="editor">（编辑：周文）</div>
<div class="related"><h3>相关阅读</h3><ul>
${related}
</ul></div>
<div class="comment-box"><h3>网友评论</h3><p>已有0条评论，<a href="/gbk/comment/${article.id}.html">我要评论</a></p></div>
</div>
</div>`;
  return { html: siteBFrame(`${article.title}_华夏快讯`, content, article.id), body };
}

export function renderSiteBListing(channel: ChannelSource): string {
  const items = channel.articles
    .map(articleById)
    .map(
      (article) =>
        `<li><a href="a/${article.id}.html" title="${escapeHtml(article.title)}">${escapeHtml(article.title)}</a><span class="date">${article.date.slice(5)}</span></li>`,
    )
    .join('\n');
  const content = `<div class="main">
<div class="crumbs">当前位置：<a href="/gbk/">首页</a> &gt; 要闻</div>
<h2 class="list-title">要闻</h2>
<ul class="news-list">
${items}
</ul>
<div class="pages"><a href="list_2.html">下一页</a> <a href="list_9.html">尾页</a></div>
</div>`;
  return siteBFrame('要闻_华夏快讯', content, '');
}

// ---------------------------------------------------------------------------------------------------------------
// GBK: Node can decode GBK but not encode it, so build the encoder from the decoder once.

let gbkTable: Map<string, number[]> | undefined;

export function encodeGbk(text: string, where: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk', { fatal: true });
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        try {
          const char = decoder.decode(new Uint8Array([lead, trail]));
          if (char.length === 1 && !gbkTable.has(char)) gbkTable.set(char, [lead, trail]);
        } catch {
          // unassigned pair
        }
      }
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = gbkTable.get(char);
      if (!pair)
        throw new Error(`make-demo-site: ${where}: "${char}" (U+${code.toString(16)}) has no GBK encoding`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}
