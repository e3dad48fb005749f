// Words and phrases that tell boilerplate from article text. They describe page furniture in general
// (navigation, sharing, comments, ads, related links), in English and Chinese, never particular sites.

/** class/id words of blocks that are never article text; removed wherever they appear, unless they hold the article. */
export const BOILERPLATE_ATTR =
  /(?:^|[\s_-])(?:ad|ads|adv|advert|advertisement|advertising|ad-?slot|ad-?unit|banner|breadcrumbs?|comments?|comment-?list|community|cookie|disqus|footer|gdpr|masthead|menu|modal|nav|navbar|navigation|newsletter|outbrain|pager|pagination|paywall|popup|promo|promotions?|recirc|recommend(?:ed|ations?)?|related|replies|rss|share|sharing|shares|share-?tools|shoutbox|sidebar|skyscraper|social|sponsor(?:ed)?|subscribe|subscription|taboola|tags|toolbar|tools|trending|most-?popular|popular|read-?more|readmore|more-?stories|signup|sign-?up|cta|call-?to-?action|donate|donations?|widget|byline|author-?bio|timestamp|dateline|print|breaking-?news|visually-?hidden|caption|captions|credits?|image-?credit|photo-?credit|gallery|slideshow|carousel|lightbox|sr-only|screen-?reader)(?:$|[\s_-])/i;

/** class/id words that make a block more likely to be the article. */
export const POSITIVE_ATTR =
  /article|body|content|entry|h-entry|hentry|main|post|story|text|blog|detail|news|zhengwen|neirong|wenzhang|cont/i;

/** class/id words that make a block less likely to be the article (scoring only; weaker than BOILERPLATE_ATTR). */
export const NEGATIVE_ATTR =
  /-ad-|banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|side|skyscraper|sponsor|shopping|tags|tool|widget|nav|menu|header|login|copyright|links?$|list/i;

/**
 * Attribute words that keep a block even if it also matches a boilerplate word (e.g. "article-body share-enabled").
 * "embed" marks content the author placed in the story (an embedded post or video in a "social-embed" box).
 */
export const KEEP_ATTR =
  /(?:^|[\s_-])(?:article-?body|articlebody|post-?body|entry-?content|story-?body|main-?content|embed|embedded)(?:$|[\s_-])/i;

/**
 * Whole lines that are page furniture rather than article text. Matched against a block's full, trimmed text,
 * so an article sentence that merely contains these words is never touched.
 */
export const BOILERPLATE_LINE = new RegExp(
  [
    '^(?:advertisement|advertising|advert|sponsored|ad)$',
    // Newsletter pitches: short lines asking the reader to sign up for a newsletter or their inbox.
    '^(?=.{0,200}$)(?=.*\\b(?:newsletters?|inbox)\\b)(?=.*\\b(?:sign up|subscribe)\\b)',
    '^(?:continue|keep) reading',
    '^read (?:more|next|the full|also)\\b',
    '^(?:related|more)(?: stories| articles| coverage| on this)?\\s*:?$',
    '^(?:share|share this|share on|follow us|follow)\\b.{0,60}$',
    '^(?:sign up|subscribe)\\b.{0,120}$',
    '^click here\\b',
    '^(?:image|photo|picture) (?:credit|source)',
    '^(?:this (?:article|story) (?:was|has been)|first published|originally published)\\b.{0,120}$',
    '^(?:copyright|©)',
    '^all rights reserved',
    '^(?:tags?|topics?|filed under)\\s*:',
    // Credit lines name a person or a source; "记者：" followed by a question is an interview, not a credit.
    '^(?:责任编辑|责编|编辑|来源|原标题|本文来源|文章来源|作者|记者|通讯员|稿源|原文链接)\\s*[:：][^。？！?!]{0,40}$',
    '^转载请注明',
    '^(?:扫一扫|发表评论|我要评论|网友评论|查看评论|相关链接|引用通告|分享到|分享|相关阅读|相关新闻|相关文章|延伸阅读|推荐阅读|热点推荐|点击排行|上一篇|下一篇|上一页|下一页|返回顶部|关闭窗口|打印本页|打印|收藏|字号|【打印】|【关闭】)',
    '^(?:版权所有|版权声明|免责声明|声明：)',
    '^【?(?:字体|字号)[:：]',
  ].join('|'),
  'i',
);

/** Sentence punctuation, Latin and CJK: real prose has it, menus and link lists rarely do. */
export const PUNCTUATION = new Set([
  ',',
  '.',
  ';',
  '!',
  '?',
  '，',
  '。',
  '、',
  '；',
  '！',
  '？',
  '：',
  '”',
  '」',
]);
