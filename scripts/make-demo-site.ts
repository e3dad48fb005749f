// Generates the bundled demo news site (demo/site/), its manifest (demo/site-manifest.json) and the demo config
// (demo/newsmirror.yaml). Run: `node bin/run-ts.js scripts/make-demo-site.ts`. The output is deterministic (seeded
// drawing, fixed dates, sorted writes), so regenerating it gives the same bytes and the committed copy can be diffed.
// All article text is invented for the demo.
//
// Two publishers share one server:
// - site A (/gb/...): shaped like the source of the reference page (div#artbody.post_content, .featured_image with a
//   lazy img + noscript, h1.title, tag links, ads, share bars, widgets), two listing channels (one on the older
//   `.arttitle` template) and an RSS channel whose absolute links carry utm_* parameters;
// - site B (/gbk/...): GBK-encoded pages declared only by a meta tag, its own layout, no site rules.
//
// The RSS file holds `{origin}` where the server's origin goes: serve the site with `startDemoSiteServer()` or call
// `routeOriginTemplates(server)` on a fixture server so those files are served with the origin filled in.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { configSchema } from '../src/config/options.ts';
import { type FixtureServer, startFixtureServer } from '../test/helpers/fixture-server.ts';

export const DEMO_DIR = fileURLToPath(new URL('../demo/', import.meta.url));
export const DEMO_SITE_DIR = join(DEMO_DIR, 'site');
export const DEMO_MANIFEST_PATH = join(DEMO_DIR, 'site-manifest.json');
export const DEMO_CONFIG_PATH = join(DEMO_DIR, 'newsmirror.yaml');
/** Stands for the server origin (e.g. http://127.0.0.1:41234) in the config and in templated site files. */
export const ORIGIN_PLACEHOLDER = '{origin}';

// ---------------------------------------------------------------------------------------------------------------
// Manifest: what tests assert against.

export interface DemoImage {
  /** Path on the demo server, e.g. /assets/uploads/2023/10/id14097886-summit-hall-600x400.jpg */
  path: string;
  format: 'jpeg' | 'png' | 'gif';
  width: number;
  height: number;
  bytes: number;
  /** Frames in an animated GIF; 1 for stills. */
  frames: number;
  /** Article paths whose body or lead shows this image. */
  usedBy: string[];
}

export interface DemoBodyImage {
  /** The image a reader should see (for the lazy one: its data-src). */
  path: string;
  /** figure: plain img in a figure; lazy: placeholder src + data-src + srcset; inline: img in a paragraph. */
  kind: 'figure' | 'lazy' | 'inline';
  caption: string;
  /** srcset candidates, smallest first (lazy image only). */
  srcset?: string[];
}

export interface DemoArticle {
  /** Path on the demo server: the article URL is origin + path. */
  path: string;
  siteId: string;
  /** What the site's articleId pattern yields for this URL. */
  id: string;
  title: string;
  author: string;
  /** ISO 8601 with the publisher's offset (+08:00). */
  published: string;
  /** Channels listing the article, in config order; the first is its home channel. */
  channels: string[];
  homeChannel: string;
  charset: 'utf-8' | 'gbk';
  tags: string[];
  leadImage: { path: string; caption: string } | null;
  bodyImages: DemoBodyImage[];
  /** Demo articles this article's body links to (paths), in document order; clutter links are not counted. */
  linksTo: string[];
  /** Body links to same-site article URLs that the demo site does not have (they must end up inert). */
  deadLinks: string[];
  hasH2: boolean;
  /** Only one short paragraph besides the editor line. */
  short: boolean;
  /** Plain text of the body's paragraphs, in order (headings and captions excluded). */
  paragraphs: string[];
  /** Text on the source page outside the article (or in blocks the rules remove): must not reach the mirror. */
  clutterMarkers: string[];
}

export interface DemoChannel {
  id: string;
  siteId: string;
  title: string;
  kind: 'listing' | 'feed';
  /** Path of the listing page or feed on the demo server. */
  path: string;
  /** Selector list the config uses for listing links (listing channels only). */
  linkSelector?: string;
  /** Which template the listing page uses: the selector alternative that must match there. */
  template: 'post_list' | 'arttitle' | 'news-list' | 'rss';
  /** Article paths as the channel lists them, newest first. */
  articles: string[];
}

export interface DemoManifest {
  generatedBy: string;
  originPlaceholder: string;
  /** Site files that contain the origin placeholder: serve them through routeOriginTemplates(). */
  originTemplated: string[];
  sites: Array<{ id: string; name: string; pathPrefix: string; charset: 'utf-8' | 'gbk'; articleId: string }>;
  channels: DemoChannel[];
  articles: DemoArticle[];
  /** Every body link between demo articles: from and to are article paths. */
  links: Array<{ from: string; to: string }>;
  images: DemoImage[];
  /** Site files encoded as GBK (the server sends no charset; only a meta tag declares it). */
  gbkFiles: string[];
  /** Query parameters the feed adds to article links (sources must drop them). */
  feedTrackingParams: string[];
}

export function loadDemoManifest(): DemoManifest {
  return JSON.parse(readFileSync(DEMO_MANIFEST_PATH, 'utf8')) as DemoManifest;
}

/** The demo config with the origin filled in, ready for the config loader. */
export function demoConfigText(origin: string): string {
  return readFileSync(DEMO_CONFIG_PATH, 'utf8').replaceAll(ORIGIN_PLACEHOLDER, origin);
}

/** Serve the templated files (the RSS feed) with the server's origin filled in; answers conditional GETs. */
export function routeOriginTemplates(
  server: Pick<FixtureServer, 'origin' | 'route'>,
  root = DEMO_SITE_DIR,
): void {
  const manifest = JSON.parse(readFileSync(join(root, '..', 'site-manifest.json'), 'utf8')) as DemoManifest;
  for (const path of manifest.originTemplated) {
    const body = Buffer.from(
      readFileSync(join(root, path), 'utf8').replaceAll(ORIGIN_PLACEHOLDER, server.origin),
      'utf8',
    );
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    server.route(path, (req: IncomingMessage, res: ServerResponse) => {
      const headers = { ETag: etag, 'Last-Modified': FEED_LAST_MODIFIED };
      if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] === FEED_LAST_MODIFIED) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, {
        ...headers,
        'Content-Type': 'application/rss+xml; charset=utf-8',
        'Content-Length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  }
}

/** A loopback server for the demo site with the templated files routed. */
export async function startDemoSiteServer(port?: number): Promise<FixtureServer> {
  const server = await startFixtureServer({ root: DEMO_SITE_DIR, port });
  routeOriginTemplates(server);
  return server;
}

// ---------------------------------------------------------------------------------------------------------------
// Content. Dates are the publisher's local time (+08:00).

const FEED_LAST_MODIFIED = 'Wed, 18 Oct 2023 04:00:00 GMT';
const FEED_TRACKING = 'utm_source=rss&utm_medium=feed&utm_campaign=jinwen';
/** 1x1 transparent GIF the publisher puts in src until its lazy loader swaps in data-src. */
const LAZY_PLACEHOLDER = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
const CHANNEL_INTL = 'ncid1078159';
const CHANNEL_CHINA = 'ncid1146487';
const CHANNEL_NEWS = 'news';
const CHANNEL_GBK = 'huaxia-news';
/** Config order of the channels: decides an article's home channel. */
const CHANNEL_ORDER = [CHANNEL_INTL, CHANNEL_CHINA, CHANNEL_NEWS, CHANNEL_GBK];
const LINK_SELECTOR_A = '.post_list .title a, .arttitle a';
const LINK_SELECTOR_B = '.news-list li > a';

type SceneKind = 'city' | 'sea' | 'port' | 'mountains' | 'crowd' | 'fields';

/**
 * Body blocks. In paragraph text: `[[tag]]` is a tag link; `[text](n123)` links an article root-relative,
 * `[text](rel:n123)` page-relative, `[text](/any/path)` as written.
 */
type Block =
  | { p: string }
  | { h2: string }
  | { figure: string; caption: string }
  | { lazy: string; caption: string }
  | { inline: string; caption: string }
  | { aside: string }
  | { tweet: string }
  | { video: string };

interface ArticleSource {
  /** Site A: 'n14097883'; site B: '1042'. */
  id: string;
  site: 'A' | 'B';
  date: string;
  time: string;
  title: string;
  author: string;
  tags: string[];
  lead?: { slug: string; scene: SceneKind; caption: string };
  blocks: Block[];
  short?: boolean;
}

const A_ARTICLES: ArticleSource[] = [
  {
    id: 'n14097890',
    site: 'A',
    date: '2023-10-18',
    time: '11:30',
    title: '多地维权人士在敏感日期前被约谈 有人被要求“离京旅游”',
    author: '孟语',
    tags: ['维权', '人权'],
    lead: { slug: 'petitioner-gate', scene: 'city', caption: '一处居民楼外的街景。（示意图／大纪元合成）' },
    blocks: [
      {
        p: '【大纪元2023年10月18日讯】（大纪元记者孟语报导）多名[[维权]]人士向本报透露，近日当地国保人员上门约谈，要求他们在接下来的一段时间内不要外出、不接受境外媒体采访。也有人被安排“离京旅游”，费用由当地政府承担。',
      },
      { p: '一名长期上访的老人说，家门口这几天多了两个陌生人，“买菜都有人跟着”。' },
      { p: '律师界人士表示，这种做法没有任何法律依据，实质上是对公民[[人权]]和人身自由的限制。' },
      { p: '昨天，[海外华人在多个城市集会，声援被拘押的人权律师](rel:n14097790)。' },
      { p: '责任编辑：孙文清#' },
    ],
  },
  {
    id: 'n14097870',
    site: 'A',
    date: '2023-10-18',
    time: '10:05',
    title: '河南暴雨后多地粮仓受损 农民称补贴迟迟未到位',
    author: '孟语',
    tags: ['河南', '暴雨', '农民'],
    lead: {
      slug: 'flooded-field',
      scene: 'fields',
      caption: '2023年10月14日，被雨水浸泡的农田。（示意图／大纪元合成）',
    },
    blocks: [
      {
        p: '【大纪元2023年10月18日讯】（大纪元记者孟语采访报导）[[河南]]多地上周遭遇罕见的秋季[[暴雨]]，正值秋收的玉米和花生大面积受淹。多名[[农民]]对本报表示，村里的晒场和临时粮仓进水，已经收回的粮食开始发芽霉变。',
      },
      {
        p: '周口一名种粮户说，当地干部曾承诺按受灾面积发放补贴，但一个多星期过去了，“只来人拍了照，钱一分没见到”。他估计自家今年的损失超过两万元。',
      },
      { p: '另一名村民表示，镇上的收购点以“水分超标”为由大幅压价，“不卖就只能看着粮食烂掉”。' },
      {
        p: '本报此前报导，[一名北京学者撰文分析地方财政困境后，文章很快被删除](n14097702)。有评论认为，地方财政吃紧是救灾补贴迟迟不能到位的原因之一。',
      },
      { p: '记者多次致电当地农业部门，截至发稿时未获回应。' },
      { p: '责任编辑：叶紫#' },
    ],
  },
  {
    id: 'n14097883',
    site: 'A',
    date: '2023-10-18',
    time: '09:12',
    title: '北欧能源峰会落幕 多国领袖会晤 签署电网互联备忘录',
    author: '林澄',
    tags: ['北欧', '峰会', '电网', '能源'],
    lead: {
      slug: 'summit-hall',
      scene: 'mountains',
      caption: '2023年10月17日，北欧能源峰会会场附近的峡湾。（示意图／大纪元合成）',
    },
    blocks: [
      {
        p: '【大纪元2023年10月18日讯】（大纪元记者林澄综合报导）为期两天的[[北欧]]能源[[峰会]]于周二（10月17日）落幕。与会的八国领袖在会场之外密集举行双边会晤，并签署了一份关于跨境[[电网]]互联的谅解备忘录，计划在2030年前把区域内的输电能力提高一倍。',
      },
      {
        p: '据主办方发布的声明，备忘录涵盖海上风电并网、跨境输电定价以及极端天气下的应急调度等内容。一名参与谈判的官员表示，过去两个冬季的[[能源]]价格波动让各国意识到，单靠本国电网难以抵御冲击。',
      },
      {
        p: '峰会期间，多国代表还讨论了关键矿产供应链问题。有代表指出，电池和电网设备所需的部分原材料高度依赖单一来源，区域内需要尽快建立储备和回收体系。',
      },
      {
        p: '分析人士认为，这次峰会释放出的信号是，欧洲国家正在把能源安全与供应链安全放在一起考虑。一位长期研究能源政策的学者对记者说：“电网连在一起，风险也会连在一起，所以规则必须先谈清楚。”',
      },
      {
        p: '大纪元此前曾报导，[受汇率波动影响，亚洲多国能源进口成本明显上升](n14097720)；[人权理事会边会上](rel:n14097801)，也有代表呼吁在能源合作中附加人权条款。',
      },
      { p: '按照日程，各国能源部长将在明年春季再度会面，评估备忘录的落实进度。' },
      { p: '责任编辑：高远#' },
    ],
  },
  {
    id: 'n14097850',
    site: 'A',
    date: '2023-10-18',
    time: '08:40',
    title: '欧洲多港口罢工延长 亚洲出口商货物积压',
    author: '周慧',
    tags: ['罢工', '港口', '外贸'],
    lead: {
      slug: 'container-yard',
      scene: 'port',
      caption: '2023年10月16日，一处集装箱码头的货柜堆场。（示意图／大纪元合成）',
    },
    blocks: [
      {
        p: '【大纪元2023年10月18日讯】（大纪元记者周慧报导）欧洲多个主要[[港口]]的码头工人[[罢工]]进入第二周，工会本周宣布将行动再延长五天。航运业者估计，目前已有超过四十艘货轮在锚地等候靠泊，来自亚洲的货物大量积压。',
      },
      { figure: 'port-queue', caption: '货轮在港外锚地排队等候靠泊。（示意图／大纪元合成）' },
      {
        p: '工会方面的诉求集中在薪资调整和自动化设备引进后的岗位保障。港口管理方表示愿意继续谈判，但认为部分条件“超出了港口的承受能力”。',
      },
      {
        p: '多家中国大陆的[[外贸]]企业向本报表示，原定十月底前交付的圣诞季商品可能无法按期上架。一名浙江义乌的贸易商说，客户已经开始询问改走空运的报价，“但空运的成本是海运的好几倍，利润基本就没了”。',
      },
      { inline: 'freight-chart', caption: '亚欧航线平均延误天数变化。（示意图）' },
      {
        p: '货运代理公司的数据显示，亚欧航线的平均延误已由月初的两天增加到六天以上，部分船公司开始加收拥堵附加费。',
      },
      { aside: '延伸阅读：[深圳外贸订单持续下滑 多家工厂提前放长假](n14097812)' },
      { p: '业内人士提醒，即使罢工结束，港口恢复正常作业也需要两到三周时间，出口商应提前与买家沟通交期。' },
      { p: '责任编辑：叶紫#' },
    ],
  },
  {
    id: 'n14097812',
    site: 'A',
    date: '2023-10-17',
    time: '23:20',
    title: '深圳外贸订单持续下滑 多家工厂提前放长假',
    author: '王晓舟',
    tags: ['深圳', '外贸', '工厂'],
    lead: {
      slug: 'factory-district',
      scene: 'city',
      caption: '深圳一处工业区的厂房。（示意图／大纪元合成）',
    },
    blocks: [
      {
        p: '【大纪元2023年10月17日讯】（大纪元记者王晓舟报导）[[深圳]]多家出口导向型[[工厂]]近日通知员工，今年的春节假期将从十二月中旬开始，比往年提前一个多月。业内人士说，这反映出海外订单持续萎缩。',
      },
      {
        p: '一家电子配件厂的管理人员表示，今年下半年的订单只有去年同期的一半左右，“机器开一天停两天，工人工资都成了问题”。',
      },
      { inline: 'orders-chart', caption: '某电子配件厂2023年各月订单量。（示意图）' },
      { p: '多名工人说，厂里已经取消了加班，计件工资大幅减少，不少外地员工选择提前返乡。' },
      {
        p: '有经济学者分析，海外客户为分散风险，正在把部分订单转向东南亚和南亚，加上欧洲港口罢工造成的物流延误，珠三角的[[外贸]]企业今年冬天可能格外难熬。',
      },
      { p: '责任编辑：高远#' },
    ],
  },
  {
    id: 'n14097801',
    site: 'A',
    date: '2023-10-17',
    time: '21:05',
    title: '联合国人权会议边会 多国代表关注宗教自由状况',
    author: '陈思远',
    tags: ['联合国', '人权', '宗教自由'],
    lead: {
      slug: 'lakeside-hall',
      scene: 'mountains',
      caption: '日内瓦湖畔的会议中心。（示意图／大纪元合成）',
    },
    blocks: [
      {
        p: '【大纪元2023年10月17日讯】（大纪元记者陈思远日内瓦报导）[[联合国]][[人权]]理事会会议期间，一场关于[[宗教自由]]的边会于周二在日内瓦举行。来自十余个国家的代表和民间团体成员出席，讨论信仰群体在多个国家遭受的限制与迫害。',
      },
      {
        p: '多名发言者提到，一些政府利用反恐和“维稳”名义，对宗教场所实施监控，并限制信徒的出行和通讯。一名来自民间团体的研究员展示了调查报告，指出当局对信仰人士的骚扰已从线下延伸到网络。',
      },
      { tweet: '边会现场座无虚席，多国代表呼吁保护信仰自由。' },
      { p: '与会的一名外交官表示，各国应在双边对话中持续提出个案，“沉默只会让施压者更加肆无忌惮”。' },
      {
        p: '本周早些时候，一场关于[跨国压制的研讨会](n14097602)也讨论了类似议题；同一天闭幕的[太平洋岛国气候论坛](rel:n14097766)则把人道问题与气候问题并列。',
      },
      { p: '主办方表示，会议的发言记录和报告全文将在近期公开。' },
      { p: '责任编辑：孙文清#' },
    ],
  },
  {
    id: 'n14097790',
    site: 'A',
    date: '2023-10-17',
    time: '19:00',
    title: '海外华人多城集会 声援被拘押的人权律师',
    author: '陈思远',
    tags: ['人权律师', '集会'],
    lead: { slug: 'rally-square', scene: 'crowd', caption: '集会者在广场上聚集。（示意图／大纪元合成）' },
    blocks: [
      {
        p: '【大纪元2023年10月17日讯】（大纪元记者陈思远报导）周二，海外华人在多个城市的中领馆前举行集会，声援一名已被羁押超过一年的[[人权律师]]，要求当局公开案情并允许家属会见。',
      },
      {
        p: '集会者手持律师的照片和标语，轮流发言讲述案情。一名组织者说，律师的家人至今不知道他被关押在哪里，也无法为他委托辩护律师。',
      },
      {
        p: '多名当地议员到场或发来书面声明表示支持。一名议员表示，将在议会提出动议，呼吁政府在双边对话中提出这一个案。',
      },
      { p: '组织者表示，[[集会]]将每月举行一次，直到律师获释为止。' },
      { p: '责任编辑：叶紫#' },
    ],
  },
  {
    id: 'n14097766',
    site: 'A',
    date: '2023-10-17',
    time: '15:30',
    title: '太平洋岛国气候论坛闭幕 呼吁富裕国家兑现资金承诺',
    author: '王晓舟',
    tags: ['气候', '太平洋岛国'],
    lead: { slug: 'island-coast', scene: 'sea', caption: '南太平洋一处岛屿的海岸。（示意图／大纪元合成）' },
    blocks: [
      {
        p: '【大纪元2023年10月17日讯】（大纪元记者王晓舟综合报导）[[太平洋岛国]][[气候]]论坛周二闭幕。与会各国在联合声明中表示，海平面上升已威胁到多个低海拔岛国的生存，呼吁富裕国家尽快兑现此前承诺的适应资金。',
      },
      { lazy: 'atoll-shore', caption: '低海拔环礁的海岸线正在后退。（示意图／大纪元合成）' },
      {
        p: '声明指出，部分环礁的海岸线在过去二十年里后退了数十米，淡水资源受到海水倒灌影响，一些村庄已被迫整体迁移。',
      },
      {
        p: '一名岛国官员在闭幕记者会上表示，承诺的资金到位缓慢，而且大多以贷款形式提供，“让本来就负债的国家背上更重的包袱”。',
      },
      {
        p: '论坛还讨论了区域安全问题。有代表对外国势力借基础设施项目扩大影响力表示担忧，主张在港口和通信设施建设上提高透明度。',
      },
      { p: '责任编辑：高远#' },
    ],
  },
  {
    id: 'n14097745',
    site: 'A',
    date: '2023-10-17',
    time: '13:10',
    title: '上海老牌商场宣布闭店 实体零售寒冬未见回暖',
    author: '李明哲',
    tags: ['上海', '零售'],
    lead: { slug: 'mall-street', scene: 'city', caption: '上海一处商业街的夜景。（示意图／大纪元合成）' },
    blocks: [
      {
        p: '【大纪元2023年10月17日讯】（大纪元记者李明哲报导）[[上海]]一家营业近三十年的老牌商场日前贴出公告，宣布将于本月底停止营业。消息在网上引发不少市民的怀旧留言。',
      },
      {
        p: '商场内一名服装店主说，近两年客流量减少了一大半，周末也很少见到排队的场面，“租金没有降多少，生意却越来越难做”。',
      },
      {
        p: '有[[零售]]业分析人士指出，网购分流、居民收入预期转弱以及消费降级，是实体商场经营困难的主要原因。今年以来，上海已有多家百货商场关闭或转型。',
      },
      {
        p: '不少市民在闭店前赶来拍照留念。一名退休教师说：“年轻时候结婚的东西都是在这里买的，现在说没就没了。”',
      },
      { p: '责任编辑：孙文清#' },
    ],
  },
  {
    id: 'n14097720',
    site: 'A',
    date: '2023-10-17',
    time: '09:48',
    title: '日圆汇率波动加剧 亚洲能源进口成本攀升',
    author: '李明哲',
    tags: ['日圆', '汇率', '能源'],
    lead: {
      slug: 'harbour-skyline',
      scene: 'city',
      caption: '东京湾沿岸的城市天际线。（示意图／大纪元合成）',
    },
    blocks: [
      {
        p: '【大纪元2023年10月17日讯】（大纪元记者李明哲综合报导）[[日圆]]兑美元[[汇率]]本周再度大幅波动，一度跌至近一年来的低点。由于原油和天然气以美元计价，日本等依赖[[能源]]进口的亚洲经济体正面临输入型通胀压力。',
      },
      {
        p: '市场人士指出，美国与日本之间的利差仍在扩大，资金持续流向美元资产。东京股市周一随之震荡，出口股上涨，而电力和航空类股下跌。',
      },
      {
        p: '韩国和菲律宾等国的货币同样承压。有经济学家估计，若当前汇率维持到年底，区域内的能源进口账单将比去年同期增加一成以上。',
      },
      {
        p: '日本财务省官员重申，将密切关注汇市动向，必要时“采取适当措施”。市场普遍将此解读为可能入市干预的信号。',
      },
      { p: '责任编辑：叶紫#' },
    ],
  },
  {
    id: 'n14097688',
    site: 'A',
    date: '2023-10-16',
    time: '22:17',
    title: '快讯：南美西部发生6.1级地震 暂无伤亡报告',
    author: '孟语',
    tags: ['地震'],
    short: true,
    blocks: [
      {
        p: '【大纪元2023年10月16日讯】南美洲西部沿海周一晚间发生规模6.1级[[地震]]，震源深度约四十公里。当地政府表示，目前暂无人员伤亡的报告，也未发布海啸警报。',
      },
      { p: '责任编辑：孙文清#' },
    ],
  },
  {
    id: 'n14097702',
    site: 'A',
    date: '2023-10-16',
    time: '18:40',
    title: '北京学者撰文分析地方债务风险 文章发布数小时后被删',
    author: '孟语',
    tags: ['地方债务', '审查'],
    lead: { slug: 'campus-gate', scene: 'city', caption: '北京一所高校的校园一角。（示意图／大纪元合成）' },
    blocks: [
      {
        p: '【大纪元2023年10月16日讯】（大纪元记者孟语报导）一名北京高校的经济学者近日在社交媒体上发表长文，分析[[地方债务]]风险。文章发布数小时后即被删除，作者的账号也被禁止发言。',
      },
      {
        p: '据网友保存的截图，文章列举了多个地方政府依靠借新还旧维持运转的情况，并指出土地出让收入大幅下降后，一些地区已难以按时支付公务人员工资和工程款。',
      },
      {
        p: '文章还提到，部分地方为弥补财政缺口，加大了对企业的罚款和补征税款力度，“这样做短期内增加了收入，长期却会吓跑投资者”。',
      },
      {
        p: '这并非首次有学者因讨论敏感经济议题而遭[[审查]]。本报去年曾报导[另一名学者的文章被删除的经过](/gb/22/05/01/n13700000.htm)。同日，[网民质疑青年失业数据的话题也遭到限流](rel:n14097655)。',
      },
      { p: '（更新：[河南农民反映救灾补贴迟迟未到位](n14097870)，本报正在跟进。）' },
      { p: '责任编辑：叶紫#' },
    ],
  },
  {
    id: 'n14097655',
    site: 'A',
    date: '2023-10-16',
    time: '11:25',
    title: '网民质疑青年失业数据 相关话题遭限流',
    author: '王晓舟',
    tags: ['青年失业', '网络审查'],
    lead: { slug: 'job-fair', scene: 'crowd', caption: '一场招聘会上的求职者。（示意图／大纪元合成）' },
    blocks: [
      {
        p: '【大纪元2023年10月16日讯】（大纪元记者王晓舟报导）近日，多名网民在社交平台上发帖，质疑官方公布的[[青年失业]]数据与身边的感受差距太大。相关话题一度登上热搜，随后排名骤降，部分帖子无法转发。',
      },
      {
        p: '一名去年毕业的大学生说，他投了一百多份简历，只收到几次面试通知，“同学里一半还在找工作，另一半去送外卖或者考公”。',
      },
      { p: '有网民发起投票，询问大家“毕业后多久找到工作”，投票在获得数万人参与后被删除。' },
      { p: '研究人员指出，统计口径的调整让数据难以与往年比较，而[[网络审查]]使公众更难了解真实的就业状况。' },
      { p: '责任编辑：高远#' },
    ],
  },
  {
    id: 'n14097641',
    site: 'A',
    date: '2023-10-16',
    time: '14:02',
    title: '欧洲议会通过数字市场新规 大型平台面临更严格审查',
    author: '周慧',
    tags: ['欧洲议会', '数字市场', '科技'],
    lead: { slug: 'parliament-front', scene: 'city', caption: '欧洲议会大楼外景。（示意图／大纪元合成）' },
    blocks: [
      {
        p: '【大纪元2023年10月16日讯】（大纪元记者周慧综合报导）[[欧洲议会]]周一以较大票数差距通过一项[[数字市场]]新规，要求大型网络平台开放部分数据接口，并在推荐算法上接受独立审计。',
      },
      { figure: 'vote-count', caption: '表决计票过程。（动态示意图）' },
      {
        p: '新规规定，被认定为“守门人”的平台不得在搜索结果中优先展示自家服务，也不得在未经用户同意的情况下合并不同服务的个人数据。违规企业最高可被处以全球年营业额一成的罚款。',
      },
      { video: 'vote-1016' },
      {
        p: '支持者认为，新规有助于中小企业与大型[[科技]]公司公平竞争；反对者则担心，过于严格的要求可能延缓新功能在欧洲上线。',
      },
      { p: '根据程序，新规还需成员国理事会正式批准，预计最快明年生效。' },
      { p: '责任编辑：高远#' },
    ],
  },
  {
    id: 'n14097602',
    site: 'A',
    date: '2023-10-15',
    time: '20:30',
    title: '学者研讨跨国压制 海外异见人士安全受关注',
    author: '陈思远',
    tags: ['跨国压制', '人权'],
    lead: { slug: 'seminar-room', scene: 'crowd', caption: '研讨会现场。（示意图／大纪元合成）' },
    blocks: [
      {
        p: '【大纪元2023年10月15日讯】（大纪元记者陈思远报导）一场以“[[跨国压制]]”为主题的学术研讨会周六举行，来自多个国家的学者和律师讨论了威权政府如何越境监控、骚扰和恐吓海外异见人士及其家属。',
      },
      { h2: '从网络骚扰到“劝返”' },
      {
        p: '一名研究数字安全的学者介绍，海外华人社群中的异见人士常常遭遇假账号骚扰、个人信息被公开以及伪装成熟人的钓鱼攻击。更严重的情况下，当事人留在国内的家人会被约谈，被要求劝其回国或停止发声。',
      },
      { p: '多名与会者提到，这类施压手法往往刻意保持在所在国法律的灰色地带，使当地执法部门难以立案。' },
      { h2: '各国的应对' },
      {
        p: '研讨会上，有律师介绍了一些国家近年的做法，包括设立专门的举报热线、把代表外国政府从事隐蔽活动列为刑事罪行，以及对相关人员实施签证限制。',
      },
      {
        p: '也有学者指出，执法机关与社区之间缺乏信任，仍是最大的障碍。“受害者担心报案会让国内的家人处境更糟，所以很多案件根本没有进入统计。”',
      },
      { h2: '呼吁保护证人' },
      {
        p: '与会者呼吁各国政府加强对证人和举报人的保护，并与民间团体合作，提高社群对骚扰手法的辨识能力。主办方表示，研讨会的报告将提交给多国议会的相关委员会。',
      },
      { p: '责任编辑：孙文清#' },
    ],
  },
];

const B_ARTICLES: ArticleSource[] = [
  {
    id: '1042',
    site: 'B',
    date: '2023-10-18',
    time: '14:20',
    title: '长江中游航道水位偏低 部分货轮减载通行',
    author: '陈立',
    tags: [],
    blocks: [
      {
        p: '受上游来水偏少影响，长江中游多个水文站的水位近日持续走低，部分河段的航道维护水深比去年同期减少近一米。航道部门已发布通告，提醒过往船舶控制吃水、减载通行。',
      },
      { inline: 'river-barge', caption: '一艘货轮在长江中游航道缓慢行驶。（示意图）' },
      {
        p: '在湖北境内的一处码头，多名船东表示，为了安全通过浅水河段，货轮只能装载平时七成左右的货物，运输成本明显上升。一名跑了二十多年船的船长说，往年这个时候很少遇到这么低的水位。',
      },
      {
        p: '航道部门介绍，目前已在重点浅滩安排挖泥船疏浚，并加密了航标调整和水深测量的频次。对于吃水较深的船舶，部门建议分批过滩，必要时申请引航。',
      },
      {
        p: '气象部门预计，未来十天流域内仍以晴好天气为主，降水偏少，水位可能继续缓慢下降。有物流企业已开始把部分货物改由铁路运输，以免耽误交货时间。',
      },
      {
        p: '业内人士指出，枯水期提前到来，对依赖水运的煤炭、粮食和建材运输影响较大，相关企业需要提前做好库存安排。',
      },
    ],
  },
  {
    id: '1039',
    site: 'B',
    date: '2023-10-17',
    time: '09:05',
    title: '广州一城中村改造启动 租户担忧搬迁补偿',
    author: '黄敏',
    tags: [],
    blocks: [
      {
        p: '广州市一处城中村的改造项目近日正式启动，村口张贴了征收公告和房屋测量安排。这片区域居住着上万名外来务工人员，不少租户对搬迁时间和补偿标准表示担忧。',
      },
      {
        p: '在村里经营小饭馆的一名租户说，他在这里做了八年生意，熟客大多是附近工地和工厂的工人，“搬走以后不知道还能不能找到这么便宜的铺面”。',
      },
      {
        p: '根据公告，拥有房屋产权的村民可以选择货币补偿或者回迁安置，而租户只能获得按月计算的搬迁补助。有租户认为，补助标准偏低，难以覆盖重新租房和装修的费用。',
      },
      {
        p: '项目负责人表示，改造将分期推进，第一期预计明年春节后开始拆除，会给租户留出足够的搬迁时间，并协助有需要的人员寻找周边的租赁房源。',
      },
      {
        p: '有城市规划学者认为，城中村为大量外来人口提供了可负担的住所，改造过程中应当同步考虑保障性租赁住房的供给，避免低收入群体被挤出城市。',
      },
    ],
  },
  {
    id: '1037',
    site: 'B',
    date: '2023-10-16',
    time: '16:45',
    title: '西北多省供暖季提前 燃煤价格上涨引关注',
    author: '陈立',
    tags: [],
    blocks: [
      {
        p: '受冷空气提前南下影响，西北多个省份的城市宣布提前开始今冬的集中供暖，比往年早了一到两周。与此同时，燃煤价格近期有所上涨，供热企业的成本压力引起关注。',
      },
      {
        p: '一家供热公司的负责人说，今年入冬前储备的煤炭价格比去年高出一成左右，公司已向主管部门申请补贴，但能否获批还不确定。',
      },
      {
        p: '部分居民反映，老旧小区的管网漏损严重，室温时常达不到标准。有居民说，去年冬天家里只有十四五度，“交了暖气费，还得自己开电暖器”。',
      },
      {
        p: '当地主管部门表示，将加强对供热质量的检查，并督促企业在供暖初期完成管网排查。对于室温不达标的情况，居民可以拨打热线投诉。',
      },
      {
        p: '另据报道，[长江中游水位偏低，部分煤炭运输已改走铁路](rel:1042)，北方电厂和供热企业的补库节奏可能因此放缓。',
      },
    ],
  },
  {
    id: '1031',
    site: 'B',
    date: '2023-10-15',
    time: '10:30',
    title: '杭州马拉松报名人数创新高 志愿者招募同步启动',
    author: '黄敏',
    tags: [],
    blocks: [
      {
        p: '今年杭州马拉松的报名工作日前结束，组委会公布的数据显示，报名人数比去年增加三成，创下历届新高。赛事将于下月上旬举行，全程、半程和迷你跑三个项目共设三万多个名额。',
      },
      { inline: 'marathon-route', caption: '赛道沿线示意图。' },
      {
        p: '组委会介绍，今年的赛道在去年的基础上做了调整，沿途经过湖滨、运河和多个新建的城市公园，并增设了补给站和医疗点。',
      },
      {
        p: '与报名同步启动的还有志愿者招募。组委会计划招募约五千名志愿者，负责起终点服务、补给、医疗引导和交通疏导等工作，在校大学生和社区居民都可以报名。',
      },
      {
        p: '一名连续参加了五届比赛的跑者说，马拉松让他结识了很多朋友，“每年最期待的就是这一天，沿途的加油声让人很感动”。',
      },
      { p: '组委会提醒，中签的跑者应在赛前做好体检和训练，量力而行，比赛当天注意补水和保暖。' },
    ],
  },
];

interface ChannelSource {
  id: string;
  site: 'A' | 'B';
  title: string;
  kind: 'listing' | 'feed';
  path: string;
  template: DemoChannel['template'];
  ids: string[];
}

const CHANNELS: ChannelSource[] = [
  {
    id: CHANNEL_INTL,
    site: 'A',
    title: '国际',
    kind: 'listing',
    path: '/gb/ncid1078159.htm',
    template: 'post_list',
    ids: [
      'n14097883',
      'n14097850',
      'n14097801',
      'n14097766',
      'n14097720',
      'n14097688',
      'n14097641',
      'n14097602',
    ],
  },
  {
    id: CHANNEL_CHINA,
    site: 'A',
    title: '中国',
    kind: 'listing',
    path: '/gb/ncid1146487.htm',
    template: 'arttitle',
    ids: [
      'n14097870',
      'n14097850',
      'n14097812',
      'n14097801',
      'n14097745',
      'n14097702',
      'n14097655',
      'n14097602',
    ],
  },
  {
    id: CHANNEL_NEWS,
    site: 'A',
    title: '禁闻',
    kind: 'feed',
    path: '/gb/rss/news.xml',
    template: 'rss',
    ids: ['n14097890', 'n14097870', 'n14097883', 'n14097801', 'n14097790', 'n14097702'],
  },
  {
    id: CHANNEL_GBK,
    site: 'B',
    title: '要闻',
    kind: 'listing',
    path: '/gbk/list.html',
    template: 'news-list',
    ids: ['1042', '1039', '1037', '1031'],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Images: drawn pixel by pixel from a seeded generator, then encoded with sharp.

/** Photo-like size of the publisher's 600x400 crops. */
const PHOTO_WIDTH = 600;
const PHOTO_HEIGHT = 400;
/** Grain amplitude (0-255 scale): enough texture that JPEGs land in the 20-120 KB range of real news photos. */
const PHOTO_GRAIN = 26;
/** Quality the publisher's CMS would use; with the grain above it gives 40-90 KB per photo. */
const PHOTO_QUALITY = 82;

/** Share of chart pixels with grain: 5% puts a 600x400 PNG near 35 KB (flat, it would be 3 KB). */
const CHART_GRAIN_SHARE = 0.05;
/** GIF frames share one grain pattern (same seed), so only the growing bars differ between frames. */
const GIF_GRAIN_SHARE = 0.01;

interface ImageSpec {
  key: string;
  path: string;
  format: DemoImage['format'];
  width: number;
  height: number;
  draw: 'scene' | 'chart' | 'vote-gif' | 'downscale';
  scene?: SceneKind;
  /** For charts: bar values; for downscale: the key of the image to shrink. */
  values?: number[];
  source?: string;
}

const BODY_IMAGES: ImageSpec[] = [
  {
    key: 'port-queue',
    path: '/images/2023/10/port-queue-600x400.jpg',
    format: 'jpeg',
    width: 600,
    height: 400,
    draw: 'scene',
    scene: 'port',
  },
  {
    key: 'freight-chart',
    path: '/images/2023/10/freight-delays-chart.png',
    format: 'png',
    width: 600,
    height: 400,
    draw: 'chart',
    values: [2, 2.4, 3.1, 4.2, 5.6, 6.3],
  },
  {
    key: 'atoll-shore',
    path: '/images/2023/10/atoll-shore-600x400.jpg',
    format: 'jpeg',
    width: 600,
    height: 400,
    draw: 'scene',
    scene: 'sea',
  },
  {
    key: 'atoll-shore-small',
    path: '/images/2023/10/atoll-shore-300x200.jpg',
    format: 'jpeg',
    width: 300,
    height: 200,
    draw: 'downscale',
    source: 'atoll-shore',
  },
  {
    key: 'vote-count',
    path: '/images/2023/10/vote-count.gif',
    format: 'gif',
    width: 480,
    height: 320,
    draw: 'vote-gif',
  },
  {
    key: 'orders-chart',
    path: '/images/2023/10/orders-chart.png',
    format: 'png',
    width: 600,
    height: 400,
    draw: 'chart',
    values: [9.5, 9.1, 8.8, 8.2, 7.9, 7.1, 6.0, 5.2, 4.6, 4.1],
  },
  {
    key: 'river-barge',
    path: '/images/gbk/2023/river-barge.jpg',
    format: 'jpeg',
    width: 600,
    height: 400,
    draw: 'scene',
    scene: 'sea',
  },
  {
    key: 'marathon-route',
    path: '/images/gbk/2023/marathon-route.png',
    format: 'png',
    width: 600,
    height: 400,
    draw: 'chart',
    values: [3, 5, 4, 6, 7, 5, 8, 6],
  },
];

/** The lazy image's srcset: small variant first. */
const LAZY_SRCSET: Record<string, string> = { 'atoll-shore': 'atoll-shore-small' };

function leadImagePath(article: ArticleSource): string | undefined {
  if (!article.lead) return undefined;
  const attachmentId = Number(article.id.slice(1)) + 3;
  return `/assets/uploads/2023/10/id${attachmentId}-${article.lead.slug}-600x400.jpg`;
}

function allImageSpecs(): ImageSpec[] {
  const leads = A_ARTICLES.filter((article) => article.lead).map(
    (article): ImageSpec => ({
      key: `lead-${article.id}`,
      path: leadImagePath(article)!,
      format: 'jpeg',
      width: PHOTO_WIDTH,
      height: PHOTO_HEIGHT,
      draw: 'scene',
      scene: article.lead!.scene,
    }),
  );
  return [...leads, ...BODY_IMAGES];
}

type Rgb = [number, number, number];

/** mulberry32: tiny, seedable, identical on every platform. */
function seededRandom(seedText: string): () => number {
  let seed = 2166136261;
  for (const char of seedText) seed = Math.imul(seed ^ char.charCodeAt(0), 16777619) >>> 0;
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Canvas {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 3);
  }
  set(x: number, y: number, [r, g, b]: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (Math.floor(y) * this.width + Math.floor(x)) * 3;
    this.data[i] = r;
    this.data[i + 1] = g;
    this.data[i + 2] = b;
  }
  rect(x0: number, y0: number, w: number, h: number, color: Rgb): void {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(this.height, y0 + h); y++)
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(this.width, x0 + w); x++) this.set(x, y, color);
  }
  circle(cx: number, cy: number, radius: number, color: Rgb): void {
    for (let y = Math.floor(cy - radius); y <= cy + radius; y++)
      for (let x = Math.floor(cx - radius); x <= cx + radius; x++)
        if ((x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2) this.set(x, y, color);
  }
  verticalGradient(y0: number, y1: number, top: Rgb, bottom: Rgb): void {
    for (let y = Math.max(0, y0); y < Math.min(this.height, y1); y++) {
      const color = mix(top, bottom, (y - y0) / Math.max(1, y1 - y0));
      for (let x = 0; x < this.width; x++) this.set(x, y, color);
    }
  }
  /** Noise on a share of the pixels (all of them for photos; a few for flat graphics, which would balloon as PNG). */
  grain(random: () => number, amplitude: number, share = 1): void {
    for (let i = 0; i < this.data.length; i += 3) {
      if (share < 1 && random() >= share) continue;
      const delta = (random() - 0.5) * amplitude;
      for (let channel = 0; channel < 3; channel++)
        this.data[i + channel] = clamp(this.data[i + channel] + delta);
    }
  }
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [clamp(a[0] + (b[0] - a[0]) * t), clamp(a[1] + (b[1] - a[1]) * t), clamp(a[2] + (b[2] - a[2]) * t)];
}

function jitter(color: Rgb, random: () => number, amount: number): Rgb {
  return [
    clamp(color[0] + (random() - 0.5) * amount),
    clamp(color[1] + (random() - 0.5) * amount),
    clamp(color[2] + (random() - 0.5) * amount),
  ];
}

/** Ridge line: a few sines with seeded frequencies, so each picture has its own horizon. */
function ridge(random: () => number, amplitude: number): (x: number) => number {
  const waves = [0, 1, 2].map(() => ({
    frequency: 0.004 + random() * 0.02,
    phase: random() * Math.PI * 2,
    weight: 0.3 + random(),
  }));
  const total = waves.reduce((sum, wave) => sum + wave.weight, 0);
  return (x) =>
    (amplitude *
      waves.reduce((sum, wave) => sum + wave.weight * Math.sin(x * wave.frequency + wave.phase), 0)) /
    total;
}

function drawScene(kind: SceneKind, seedText: string, width: number, height: number): Canvas {
  const random = seededRandom(seedText);
  const canvas = new Canvas(width, height);
  const dusk = random() < 0.35;
  const skyTop: Rgb = dusk ? [52, 60, 110] : jitter([70, 130, 200], random, 40);
  const skyBottom: Rgb = dusk ? [240, 160, 110] : jitter([200, 225, 240], random, 30);
  const horizon = Math.floor(height * (0.45 + random() * 0.15));
  canvas.verticalGradient(0, horizon, skyTop, skyBottom);
  canvas.circle(width * (0.15 + random() * 0.7), horizon * (0.25 + random() * 0.4), 18 + random() * 22, [
    255,
    dusk ? 200 : 245,
    dusk ? 150 : 210,
  ]);
  for (let cloud = 0; cloud < 4; cloud++) {
    const cx = random() * width;
    const cy = random() * horizon * 0.6;
    for (let puff = 0; puff < 5; puff++)
      canvas.circle(
        cx + puff * 14 - 30,
        cy + (random() - 0.5) * 10,
        10 + random() * 12,
        mix(skyBottom, [255, 255, 255], 0.6),
      );
  }
  const ground: Rgb = jitter([90, 120, 70], random, 40);
  const water: Rgb = jitter([40, 90, 140], random, 30);

  if (kind === 'mountains') {
    for (let layer = 0; layer < 3; layer++) {
      const line = ridge(random, 40 + layer * 10);
      const base = horizon - 50 + layer * 40;
      const color = mix([120, 130, 160], [40, 60, 50], layer / 2);
      for (let x = 0; x < width; x++)
        for (let y = Math.floor(base + line(x)); y < height; y++) canvas.set(x, y, color);
    }
    canvas.verticalGradient(horizon + 60, height, water, mix(water, [10, 30, 50], 0.6));
  } else if (kind === 'sea' || kind === 'port') {
    canvas.verticalGradient(horizon, height, mix(water, skyBottom, 0.3), mix(water, [5, 30, 60], 0.7));
    for (let streak = 0; streak < 260; streak++) {
      const y = horizon + random() * (height - horizon);
      const x = random() * width;
      const length = 8 + ((y - horizon) / (height - horizon)) * 40;
      canvas.rect(x, y, length, 1 + (y - horizon) / 120, mix(water, [255, 255, 255], 0.35));
    }
    if (kind === 'sea') {
      const line = ridge(random, 12);
      for (let x = 0; x < width; x++)
        for (let y = Math.floor(horizon + 70 + line(x)); y < height; y++)
          canvas.set(x, y, mix([225, 205, 160], ground, y / height / 3));
      for (let palm = 0; palm < 3; palm++) {
        const px = 60 + random() * (width - 120);
        canvas.rect(px, horizon + 5, 5, 75, [90, 70, 50]);
        canvas.circle(px + 2, horizon + 5, 22, [40, 110, 60]);
      }
    } else {
      for (let ship = 0; ship < 5; ship++) {
        const sx = random() * width * 0.8;
        const sy = horizon + 10 + ship * 12;
        canvas.rect(sx, sy, 70 + random() * 40, 8, [60, 60, 70]);
        for (let box = 0; box < 6; box++)
          canvas.rect(sx + 6 + box * 11, sy - 6, 10, 6, jitter([170, 80, 60], random, 120));
      }
      const quay = Math.floor(height * 0.78);
      canvas.rect(0, quay, width, height - quay, [120, 120, 115]);
      for (let stack = 0; stack < 40; stack++) {
        const bx = random() * width;
        const rows = 1 + Math.floor(random() * 4);
        for (let row = 0; row < rows; row++)
          canvas.rect(bx, quay - (row + 1) * 12, 34, 11, jitter([160, 90, 70], random, 150));
      }
      for (let crane = 0; crane < 3; crane++) {
        const cx = 80 + crane * 190 + random() * 40;
        canvas.rect(cx, quay - 150, 6, 150, [200, 60, 40]);
        canvas.rect(cx - 60, quay - 150, 140, 6, [200, 60, 40]);
      }
    }
  } else if (kind === 'city') {
    canvas.rect(0, horizon, width, height - horizon, mix(ground, [80, 80, 80], 0.7));
    for (let layer = 0; layer < 2; layer++) {
      let x = -10;
      while (x < width) {
        const w = 30 + random() * 50;
        const h = 60 + random() * (horizon - 40) * (layer ? 0.8 : 1);
        const body = layer ? jitter([70, 75, 90], random, 40) : jitter([140, 150, 170], random, 40);
        canvas.rect(x, horizon - h + layer * 40, w, h, body);
        for (let wy = horizon - h + layer * 40 + 6; wy < horizon + layer * 40 - 6; wy += 10)
          for (let wx = x + 4; wx < x + w - 6; wx += 9)
            if (random() < 0.6)
              canvas.rect(wx, wy, 5, 6, dusk ? [250, 220, 140] : mix(body, [220, 235, 250], 0.5));
        x += w + random() * 8;
      }
    }
    canvas.rect(0, Math.floor(height * 0.86), width, height, [60, 60, 62]);
    for (let mark = 0; mark < width; mark += 40)
      canvas.rect(mark, Math.floor(height * 0.93), 20, 3, [230, 230, 230]);
  } else if (kind === 'crowd') {
    canvas.rect(0, horizon, width, height - horizon, jitter([150, 140, 130], random, 30));
    for (let row = 0; row < 7; row++) {
      const y = horizon + row * ((height - horizon) / 6);
      const size = 8 + row * 3;
      for (let x = -size; x < width + size; x += size * 1.6 + random() * size) {
        canvas.rect(x - size * 0.7, y, size * 1.4, size * 2.4, jitter([90, 90, 120], random, 160));
        canvas.circle(x, y - size * 0.3, size * 0.6, jitter([225, 190, 160], random, 40));
      }
    }
    for (let sign = 0; sign < 4; sign++) {
      const sx = random() * width;
      canvas.rect(sx, horizon - 40, 60, 36, [245, 240, 230]);
      canvas.rect(sx + 8, horizon - 30, 44, 5, [200, 30, 30]);
    }
  } else {
    for (let band = 0; band < 14; band++) {
      const y = horizon + ((height - horizon) * band) / 14;
      canvas.rect(0, y, width, (height - horizon) / 14 + 1, jitter(ground, random, 50));
    }
    for (let pond = 0; pond < 9; pond++) {
      const px = random() * width;
      const py = horizon + 20 + random() * (height - horizon - 30);
      for (let dx = -60; dx < 60; dx++)
        for (let dy = -12; dy < 12; dy++)
          if ((dx / 60) ** 2 + (dy / 12) ** 2 < 1) canvas.set(px + dx, py + dy, mix(water, skyBottom, 0.4));
    }
  }
  canvas.grain(random, PHOTO_GRAIN);
  return canvas;
}

/** A bar chart without text: light paper, grid, shaded bars. */
function drawChart(
  values: number[],
  seedText: string,
  width: number,
  height: number,
  grainShare: number,
): Canvas {
  const random = seededRandom(seedText);
  const canvas = new Canvas(width, height);
  canvas.verticalGradient(0, height, [252, 250, 244], [232, 236, 242]);
  const left = 60;
  const bottom = height - 50;
  const top = 40;
  for (let y = top; y <= bottom; y += (bottom - top) / 5)
    canvas.rect(left, y, width - left - 30, 1, [200, 205, 215]);
  canvas.rect(left, top, 2, bottom - top, [80, 80, 90]);
  canvas.rect(left, bottom, width - left - 30, 2, [80, 80, 90]);
  const max = Math.max(...values);
  const slot = (width - left - 50) / values.length;
  const base: Rgb = jitter([40, 110, 180], random, 60);
  values.forEach((value, index) => {
    const barHeight = ((bottom - top - 10) * value) / max;
    const x0 = left + 12 + index * slot;
    for (let y = Math.floor(bottom - barHeight); y < bottom; y++) {
      const shade = mix(mix(base, [255, 255, 255], 0.35), base, (y - (bottom - barHeight)) / barHeight);
      for (let x = Math.floor(x0); x < x0 + slot * 0.7; x++) canvas.set(x, y, shade);
    }
    canvas.rect(x0 + slot * 0.2, bottom + 10, slot * 0.3, 6, [120, 120, 130]);
  });
  // Paper texture, as a chart scanned from print: gives the file a realistic weight.
  canvas.grain(random, 14, grainShare);
  return canvas;
}

async function encodeImage(
  spec: ImageSpec,
  drawn: Map<string, Buffer>,
): Promise<{ bytes: Buffer; frames: number }> {
  const { default: sharp } = await import('sharp');
  const raw = (canvas: Canvas) => ({
    raw: { width: canvas.width, height: canvas.height, channels: 3 as const },
  });
  if (spec.draw === 'scene') {
    const canvas = drawScene(spec.scene!, spec.key, spec.width, spec.height);
    const bytes = await sharp(canvas.data, raw(canvas))
      .blur(0.6)
      .jpeg({ quality: PHOTO_QUALITY, progressive: false })
      .toBuffer();
    drawn.set(spec.key, bytes);
    return { bytes, frames: 1 };
  }
  if (spec.draw === 'downscale') {
    const bytes = await sharp(drawn.get(spec.source!)!)
      .resize(spec.width, spec.height)
      .jpeg({ quality: PHOTO_QUALITY })
      .toBuffer();
    return { bytes, frames: 1 };
  }
  if (spec.draw === 'chart') {
    const canvas = drawChart(spec.values!, spec.key, spec.width, spec.height, CHART_GRAIN_SHARE);
    const bytes = await sharp(canvas.data, raw(canvas))
      .png({ compressionLevel: 9, palette: false })
      .toBuffer();
    return { bytes, frames: 1 };
  }
  // Animated GIF: a tally whose bars grow frame by frame.
  const frames = 8;
  const frameCanvases = Array.from({ length: frames }, (_, frame) =>
    drawChart(
      [3, 5, 2].map((target) => (target * (frame + 1)) / frames + 0.05),
      spec.key,
      spec.width,
      spec.height,
      GIF_GRAIN_SHARE,
    ),
  );
  const strip = Buffer.concat(frameCanvases.map((canvas) => canvas.data));
  const bytes = await sharp(strip, {
    raw: { width: spec.width, height: spec.height * frames, channels: 3, pageHeight: spec.height },
  })
    .gif({ colours: 32, delay: Array(frames).fill(400), loop: 0, effort: 7 })
    .toBuffer();
  return { bytes, frames };
}

// ---------------------------------------------------------------------------------------------------------------
// HTML.

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function articlePath(article: ArticleSource): string {
  if (article.site === 'B') return `/gbk/a/${article.id}.html`;
  const [year, month, day] = article.date.split('-');
  return `/gb/${year.slice(2)}/${month}/${day}/${article.id}.htm`;
}

const ARTICLES_BY_ID = new Map([...A_ARTICLES, ...B_ARTICLES].map((article) => [article.id, article]));

function articleById(id: string): ArticleSource {
  const article = ARTICLES_BY_ID.get(id);
  if (!article) throw new Error(`make-demo-site: unknown article id ${id} in the demo content`);
  return article;
}

interface RenderedText {
  html: string;
  text: string;
  links: string[];
  deadLinks: string[];
}

/** Inline markup of the content tables -> HTML, plain text and the links it made. */
function renderInline(source: string, from: ArticleSource): RenderedText {
  const links: string[] = [];
  const deadLinks: string[] = [];
  const pattern = /\[\[([^\]]+)\]\]|\[([^\]]+)\]\(([^)]+)\)/g;
  let html = '';
  let text = '';
  let last = 0;
  for (const match of source.matchAll(pattern)) {
    html += escapeHtml(source.slice(last, match.index));
    text += source.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[1]) {
      const tag = match[1];
      html += `<a href="/gb/tag/${encodeURIComponent(tag)}.html" target="_blank" rel="noopener">${escapeHtml(tag)}</a>`;
      text += tag;
      continue;
    }
    const [label, target] = [match[2], match[3]];
    let href: string;
    if (target.startsWith('/')) {
      href = target;
      deadLinks.push(target);
    } else {
      const relative = target.startsWith('rel:');
      const to = articlePath(articleById(relative ? target.slice(4) : target));
      href = relative ? posix.relative(posix.dirname(articlePath(from)), to) : to;
      links.push(to);
    }
    html += `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${escapeHtml(label)}</a>`;
    text += label;
  }
  html += escapeHtml(source.slice(last));
  text += source.slice(last);
  return { html, text, links, deadLinks };
}

function imageByKey(key: string): ImageSpec {
  const image = BODY_IMAGES.find((spec) => spec.key === key);
  if (!image) throw new Error(`make-demo-site: unknown image key ${key} in the demo content`);
  return image;
}

/** The publisher puts an ad block into every article body, so the `.ad_in_article` remove rule always matches. */
const IN_ARTICLE_AD =
  '<div class="ad_in_article" style="min-height: 250px;"><span class="ad_label">本站广告位</span>' +
  '<script>(window.adQueue = window.adQueue || []).push({ slot: "in-article" });</script></div>\n';

interface RenderedBody {
  html: string;
  paragraphs: string[];
  links: string[];
  deadLinks: string[];
  images: DemoBodyImage[];
  hasH2: boolean;
}

function renderBlocks(article: ArticleSource): RenderedBody {
  const out: RenderedBody = { html: '', paragraphs: [], links: [], deadLinks: [], images: [], hasH2: false };
  let figureNumber = Number(article.id.replace(/\D/g, '')) + 10;
  const paragraphCount = article.blocks.filter((block) => 'p' in block).length;
  const adAfter = article.site === 'A' ? Math.min(2, paragraphCount - 1) : -1;
  for (const block of article.blocks) {
    if ('p' in block && out.paragraphs.length === adAfter) out.html += IN_ARTICLE_AD;
    if ('p' in block) {
      const inline = renderInline(block.p, article);
      const style = block.p.startsWith('责任编辑')
        ? ''
        : out.paragraphs.length === 2
          ? ' style="text-indent: 2em;"'
          : '';
      out.html += `<p${style}>${inline.html}</p>\n`;
      out.paragraphs.push(inline.text);
      out.links.push(...inline.links);
      out.deadLinks.push(...inline.deadLinks);
    } else if ('h2' in block) {
      out.html += `<h2 style="font-size: 20px;"><strong>${escapeHtml(block.h2)}</strong></h2>\n`;
      out.hasH2 = true;
    } else if ('figure' in block) {
      const image = imageByKey(block.figure);
      figureNumber++;
      out.html +=
        `<figure id="attachment_${figureNumber}" aria-describedby="caption-attachment-${figureNumber}" class="wp-caption aligncenter" style="width: ${image.width}px">` +
        `<img class="size-full wp-image-${figureNumber}" src="${image.path}" alt="${escapeHtml(block.caption)}" width="${image.width}" height="${image.height}">` +
        `<figcaption id="caption-attachment-${figureNumber}" class="wp-caption-text">${escapeHtml(block.caption)}</figcaption></figure>\n`;
      out.images.push({ path: image.path, kind: 'figure', caption: block.caption });
    } else if ('lazy' in block) {
      const image = imageByKey(block.lazy);
      const small = imageByKey(LAZY_SRCSET[block.lazy]);
      figureNumber++;
      out.html +=
        `<figure id="attachment_${figureNumber}" class="wp-caption aligncenter" style="width: 600px">` +
        `<img class="lazy size-full wp-image-${figureNumber}" src="${LAZY_PLACEHOLDER}" data-src="${image.path}" ` +
        `srcset="${small.path} ${small.width}w, ${image.path} ${image.width}w" sizes="(max-width: 600px) 100vw, 600px" ` +
        `alt="${escapeHtml(block.caption)}" width="${image.width}" height="${image.height}">` +
        `<figcaption class="wp-caption-text">${escapeHtml(block.caption)}</figcaption></figure>\n`;
      out.images.push({
        path: image.path,
        kind: 'lazy',
        caption: block.caption,
        srcset: [small.path, image.path],
      });
    } else if ('inline' in block) {
      const image = imageByKey(block.inline);
      const src =
        article.site === 'B' ? posix.relative(posix.dirname(articlePath(article)), image.path) : image.path;
      out.html +=
        article.site === 'B'
          ? `<p align="center"><img src="${src}" border="0" alt="${escapeHtml(block.caption)}"></p>\n<p align="center" class="pic-note">${escapeHtml(block.caption)}</p>\n`
          : `<p style="text-align: center;"><img src="${src}" alt="${escapeHtml(block.caption)}" width="${image.width}" height="${image.height}"></p>\n<p class="pic_caption" style="text-align: center; color: #666;">${escapeHtml(block.caption)}</p>\n`;
      out.images.push({ path: image.path, kind: 'inline', caption: block.caption });
    } else if ('aside' in block) {
      const inline = renderInline(block.aside, article);
      out.html += `<aside class="inline_related" style="border-left: 3px solid #c00; padding-left: 8px;">${inline.html}</aside>\n`;
    } else if ('tweet' in block) {
      out.html +=
        `<twitter-widget class="twitter-tweet" data-tweet-id="1714300000000000000" style="display: block;">` +
        `<p lang="zh">推特嵌入内容：${escapeHtml(block.tweet)}</p>— 民间团体观察 (@observer_demo)</twitter-widget>\n` +
        '<script async src="https://platform.twitter.example/widgets.js" charset="utf-8"></script>\n';
    } else if ('video' in block) {
      out.html += `<p><iframe title="视频" src="https://video.example.net/embed/${block.video}" width="560" height="315" frameborder="0" allowfullscreen></iframe></p>\n`;
    }
  }
  return out;
}

/** First sentence-ish of the first paragraph, without the dateline, for listings and feeds. */
function summary(article: ArticleSource): string {
  const first = article.blocks.find((block): block is { p: string } => 'p' in block);
  const text = renderInline(first?.p ?? '', article).text.replace(/^【[^】]*】(（[^）]*）)?/, '');
  return text.length > 70 ? `${text.slice(0, 70)}……` : text;
}

function isoTime(article: ArticleSource): string {
  return `${article.date}T${article.time}:00+08:00`;
}

const A_CLUTTER_MARKERS = [
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

function renderSiteAArticle(
  article: ArticleSource,
  channelTitle: string,
): { html: string; body: RenderedBody } {
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

function renderSiteAListing(channel: ChannelSource): string {
  const articles = channel.ids.map(articleById);
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
${siteASidebar(channel.ids[0])}
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

function renderFeed(channel: ChannelSource): string {
  const items = channel.ids
    .map(articleById)
    .map(
      (article) => `<item>
<title>${escapeHtml(article.title)}</title>
<link>${ORIGIN_PLACEHOLDER}${articlePath(article)}?${FEED_TRACKING.replace(/&/g, '&amp;')}</link>
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
<title>禁闻 | 大纪元</title>
<link>${ORIGIN_PLACEHOLDER}/gb/nsc1025.htm</link>
<atom:link href="${ORIGIN_PLACEHOLDER}/gb/rss/news.xml" rel="self" type="application/rss+xml"/>
<description>大纪元禁闻频道（演示站点，内容均为虚构）</description>
<language>zh-cn</language>
<lastBuildDate>Wed, 18 Oct 2023 12:00:00 +0800</lastBuildDate>
<ttl>60</ttl>
${items}
</channel>
</rss>
`;
}

const B_CLUTTER_MARKERS = ['热门排行', '网友评论', '版权所有', '设为首页', '相关阅读'];

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

function renderSiteBArticle(article: ArticleSource): { html: string; body: RenderedBody } {
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

function renderSiteBListing(channel: ChannelSource): string {
  const items = channel.ids
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

function encodeGbk(text: string, where: string): Buffer {
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

// ---------------------------------------------------------------------------------------------------------------
// Config.

const DEMO_CONFIG = `# Demo config for \`npm run demo\`: mirrors the bundled demo site (demo/site/, served on 127.0.0.1).
# {origin} stands for the demo server's origin (e.g. http://127.0.0.1:41234); scripts/demo.ts fills it in.
# Generated by scripts/make-demo-site.ts; edit the script, not this file.
mirror:
  dir: ./out/mirror
  title: 大纪元新闻镜像（演示）
  publicUrl: https://github.com/someone/epoch-news/blob/main/
  nav: # the reference page's bar; 评论, 专题 and 禁书 are sister mirrors beside this one, as in the original
    - { text: 首页, href: README.md }
    - { text: 评论, href: ../epoch-comment/README.md }
    - { text: 专题, href: ../epoch-special/README.md }
    - { text: 禁闻, href: indexes/news.md }
    - { text: 禁书, href: ../books/README.md }
    - { text: 翻墙, href: "https://github.com/gfw-breaker/nogfw/blob/master/README.md" }
  counter: "https://counter.example.org/epoch-news/{path}"
  links: mirror
  images: mirror
  script: original
  remotes:
    - { name: origin, url: ./out/remote.git }
fetch:
  allowPrivateAddresses: true # the demo server is on loopback
store:
  path: ./out/store.sqlite
sites:
  - id: epochtimes
    name: 大纪元
    base: "{origin}/gb/"
    articleId: '/(n\\d+)\\.htm$'
    lang: zh-CN
    rules:
      body: "#artbody"
      title: "h1.title"
      leadImage: ".featured_image noscript img, .featured_image img"
      caption: ".featured_image .caption"
      date: ".post_meta time"
      author: ".post_meta .author"
      remove: # each applied on its own
        - header
        - footer
        - aside
        - "#below_article_ad"
        - "#recommend_post"
        - twitter-widget
        - ".share_bar"
        - ".ad_in_article"
    channels:
      - id: ${CHANNEL_INTL}
        title: 国际
        listing: { url: "{origin}/gb/ncid1078159.htm", links: "${LINK_SELECTOR_A}" }
      - id: ${CHANNEL_CHINA}
        title: 中国
        listing: { url: "{origin}/gb/ncid1146487.htm", links: "${LINK_SELECTOR_A}" }
      - id: ${CHANNEL_NEWS}
        title: 禁闻
        feed: "{origin}/gb/rss/news.xml"
  - id: huaxia
    name: 华夏快讯
    base: "{origin}/gbk/"
    articleId: '/gbk/a/(\\d+)\\.html$'
    lang: zh-CN
    # no rules: the generic extractor reads this site
    channels:
      - id: ${CHANNEL_GBK}
        title: 要闻
        listing: { url: "{origin}/gbk/list.html", links: "${LINK_SELECTOR_B}" }
`;

// ---------------------------------------------------------------------------------------------------------------
// Static extras: enough styling that the source site is readable in a browser.

const SITE_CSS = `body{margin:0;background:#fafafa;color:#222}a{color:#1a4f8a;text-decoration:none}
.site_header,.site_footer{background:#0c3c6c;color:#fff;padding:8px 16px}.site_header a,.site_footer a{color:#fff}
.main_nav ul{list-style:none;margin:0;padding:0;display:flex;gap:12px}.row{display:flex;gap:24px;padding:16px}
.main_content,.left_col{flex:1;max-width:760px}.sidebar{width:300px}.featured_image img{max-width:100%;height:auto}
.caption,.wp-caption-text{color:#666;font-size:14px}.post_list ul{list-style:none;padding:0}.one_post{margin:12px 0}
`;

const SITE_JS = `// Demo publisher script: swaps lazy images in, as the real site's lazy loader does.
document.querySelectorAll('img.lazy[data-src]').forEach(function (img) { img.src = img.getAttribute('data-src'); });
`;

const INDEX_HTML = `<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>newsmirror demo site</title></head>
<body>
<h1>newsmirror demo site</h1>
<p>Invented news for the demo and the end-to-end tests. Nothing here is a real article.</p>
<ul>
<li><a href="/gb/ncid1078159.htm">大纪元 · 国际</a> (listing, <code>.post_list .title a</code>)</li>
<li><a href="/gb/ncid1146487.htm">大纪元 · 中国</a> (listing, older <code>.arttitle a</code> template)</li>
<li><a href="/gb/rss/news.xml">大纪元 · 禁闻</a> (RSS 2.0; links hold {origin})</li>
<li><a href="/gbk/list.html">华夏快讯 · 要闻</a> (GBK)</li>
</ul>
</body></html>
`;

// ---------------------------------------------------------------------------------------------------------------
// Generation.

export async function generateDemoSite(): Promise<DemoManifest> {
  const files = new Map<string, Buffer>();
  const put = (path: string, content: string | Buffer) =>
    files.set(path, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);

  const channelsOf = (id: string) =>
    CHANNEL_ORDER.filter((channelId) =>
      CHANNELS.find((channel) => channel.id === channelId)!.ids.includes(id),
    );

  const manifestArticles: DemoArticle[] = [];
  const gbkFiles: string[] = [];
  for (const article of [...A_ARTICLES, ...B_ARTICLES]) {
    const channels = channelsOf(article.id);
    if (channels.length === 0) throw new Error(`make-demo-site: article ${article.id} is in no channel`);
    const path = articlePath(article);
    let rendered: { html: string; body: RenderedBody };
    if (article.site === 'A') {
      const breadcrumb = channels[0] === CHANNEL_CHINA ? '中国' : '国际';
      rendered = renderSiteAArticle(article, breadcrumb);
      put(path, rendered.html);
    } else {
      rendered = renderSiteBArticle(article);
      put(path, encodeGbk(rendered.html, path));
      gbkFiles.push(path);
    }
    const lead = leadImagePath(article);
    manifestArticles.push({
      path,
      siteId: article.site === 'A' ? 'epochtimes' : 'huaxia',
      id: article.id,
      title: article.title,
      author: article.author,
      published: isoTime(article),
      channels,
      homeChannel: channels[0],
      charset: article.site === 'A' ? 'utf-8' : 'gbk',
      tags: article.tags,
      leadImage: lead && article.lead ? { path: lead, caption: article.lead.caption } : null,
      bodyImages: rendered.body.images,
      linksTo: rendered.body.links,
      deadLinks: rendered.body.deadLinks,
      hasH2: rendered.body.hasH2,
      short: article.short === true,
      paragraphs: rendered.body.paragraphs,
      clutterMarkers: article.site === 'A' ? A_CLUTTER_MARKERS : B_CLUTTER_MARKERS,
    });
  }

  for (const channel of CHANNELS) {
    if (channel.site === 'B') {
      put(channel.path, encodeGbk(renderSiteBListing(channel), channel.path));
      gbkFiles.push(channel.path);
    } else if (channel.kind === 'listing') put(channel.path, renderSiteAListing(channel));
    else put(channel.path, renderFeed(channel));
  }
  put('/gb/assets/css/site.css', SITE_CSS);
  put('/gb/assets/js/site.js', SITE_JS);
  put('/index.html', INDEX_HTML);

  const images: DemoImage[] = [];
  const drawn = new Map<string, Buffer>();
  for (const spec of allImageSpecs()) {
    const { bytes, frames } = await encodeImage(spec, drawn);
    put(spec.path, bytes);
    const usedBy = manifestArticles
      .filter(
        (article) =>
          article.leadImage?.path === spec.path ||
          article.bodyImages.some((image) => image.path === spec.path || image.srcset?.includes(spec.path)),
      )
      .map((article) => article.path);
    images.push({
      path: spec.path,
      format: spec.format,
      width: spec.width,
      height: spec.height,
      bytes: bytes.length,
      frames,
      usedBy,
    });
  }

  const manifest: DemoManifest = {
    generatedBy: 'scripts/make-demo-site.ts',
    originPlaceholder: ORIGIN_PLACEHOLDER,
    originTemplated: CHANNELS.filter((channel) => channel.kind === 'feed').map((channel) => channel.path),
    sites: [
      {
        id: 'epochtimes',
        name: '大纪元',
        pathPrefix: '/gb/',
        charset: 'utf-8',
        articleId: '/(n\\d+)\\.htm$',
      },
      {
        id: 'huaxia',
        name: '华夏快讯',
        pathPrefix: '/gbk/',
        charset: 'gbk',
        articleId: '/gbk/a/(\\d+)\\.html$',
      },
    ],
    channels: CHANNELS.map((channel) => ({
      id: channel.id,
      siteId: channel.site === 'A' ? 'epochtimes' : 'huaxia',
      title: channel.title,
      kind: channel.kind,
      path: channel.path,
      ...(channel.kind === 'listing'
        ? { linkSelector: channel.site === 'A' ? LINK_SELECTOR_A : LINK_SELECTOR_B }
        : {}),
      template: channel.template,
      articles: channel.ids.map((id) => articlePath(articleById(id))),
    })),
    articles: manifestArticles,
    links: manifestArticles.flatMap((article) => article.linksTo.map((to) => ({ from: article.path, to }))),
    images,
    gbkFiles,
    feedTrackingParams: [...new URLSearchParams(FEED_TRACKING).keys()],
  };

  rmSync(DEMO_SITE_DIR, { recursive: true, force: true });
  for (const path of [...files.keys()].sort()) {
    const file = join(DEMO_SITE_DIR, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, files.get(path)!);
  }
  writeFileSync(DEMO_MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(DEMO_CONFIG_PATH, DEMO_CONFIG);
  formatWithBiome([DEMO_MANIFEST_PATH, DEMO_CONFIG_PATH]);
  checkDemo(manifest, files);
  return manifest;
}

/** The committed JSON and YAML must pass `npm run lint`, so let the project's formatter lay them out. */
function formatWithBiome(paths: string[]): void {
  const biome = fileURLToPath(new URL('../node_modules/@biomejs/biome/bin/biome', import.meta.url));
  const result = spawnSync(process.execPath, [biome, 'format', '--write', ...paths], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `make-demo-site: biome could not format ${paths.join(', ')}: ${result.stderr || result.stdout}`,
    );
}

/** Cheap guards so a content edit cannot silently break what tests rely on. */
function checkDemo(manifest: DemoManifest, files: Map<string, Buffer>): void {
  const config = configSchema.parse(YAML.parse(demoConfigText('http://127.0.0.1:41234')));
  for (const site of config.sites) {
    const pattern = new RegExp(site.articleId!);
    for (const article of manifest.articles.filter((a) => a.siteId === site.id)) {
      const match = pattern.exec(`http://127.0.0.1:41234${article.path}`);
      if (match?.[1] !== article.id)
        throw new Error(`make-demo-site: articleId of ${site.id} yields ${match?.[1]} for ${article.path}`);
    }
  }
  for (const article of manifest.articles) {
    for (const image of [article.leadImage, ...article.bodyImages]) {
      if (image && !files.has(image.path))
        throw new Error(`make-demo-site: ${article.path} shows ${image.path}, which was not generated`);
    }
  }
  for (const article of manifest.articles) {
    const leaked = article.clutterMarkers.filter((marker) =>
      article.paragraphs.some((text) => text.includes(marker)),
    );
    if (leaked.length > 0)
      throw new Error(
        `make-demo-site: ${article.path} uses clutter marker(s) ${leaked.join(', ')} in its own text`,
      );
  }
  const total = [...files.values()].reduce((sum, bytes) => sum + bytes.length, 0);
  if (total > MAX_SITE_BYTES)
    throw new Error(`make-demo-site: the site is ${total} bytes, over the ${MAX_SITE_BYTES} budget`);
}

/** The demo ships in the repository: keep clones small. */
const MAX_SITE_BYTES = 3 * 1024 * 1024;

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  const manifest = await generateDemoSite();
  const bytes = manifest.images.reduce((sum, image) => sum + image.bytes, 0);
  console.log(
    `demo site: ${manifest.articles.length} articles, ${manifest.channels.length} channels, ` +
      `${manifest.images.length} images (${(bytes / 1024).toFixed(0)} KB) written to demo/site/`,
  );
}
