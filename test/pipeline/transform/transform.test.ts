import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { domToHast, parseHtml } from '../../../src/pipeline/extract/dom.ts';
import { toMarkdown } from '../../../src/pipeline/render/index.ts';
import {
  collectImageUrls,
  type TransformOptions,
  transformArticle,
} from '../../../src/pipeline/transform/index.ts';
import type { ExtractedArticle, HastRoot } from '../../../src/pipeline/types.ts';

const PAGE_URL = 'https://news.example.org/gb/23/10/18/n100.htm';

function extracted(html: string, extra: Partial<ExtractedArticle> = {}): ExtractedArticle {
  return {
    title: '标题',
    body: fromHtml(html, { fragment: true }),
    method: 'rules',
    ruleMisses: [],
    canonicalUrl: PAGE_URL,
    ...extra,
  };
}

const defaults: TransformOptions = {
  pagePath: 'pages/china/n100.md',
  links: 'mirror',
  mirroredPath: () => undefined,
  images: 'mirror',
  assetPath: () => undefined,
  script: 'original',
};

function run(html: string, options: Partial<TransformOptions> = {}, extra: Partial<ExtractedArticle> = {}) {
  const result = transformArticle(extracted(html, extra), { ...defaults, ...options });
  return { ...result, html: toHtml(result.body) };
}

/** A body with raw attribute names, the way older versions of the extractor stored it. */
function rawAttributeBody(): HastRoot {
  return {
    type: 'root',
    children: [
      {
        type: 'element',
        tagName: 'table',
        properties: {},
        children: [
          {
            type: 'element',
            tagName: 'tr',
            properties: {},
            children: [
              {
                type: 'element',
                tagName: 'td',
                properties: { colspan: '2', class: 'cell', onclick: 'x()' },
                children: [{ type: 'text', value: 'cell' }],
              },
            ],
          },
        ],
      },
      {
        type: 'element',
        tagName: 'img',
        properties: { 'data-src': '/lazy.jpg', src: 'data:image/gif;base64,AAAA', alt: 'lazy' },
        children: [],
      },
    ],
  };
}

/**
 * `html` converted the way older versions of domToHast did, as bodies in existing stores still are: every
 * attribute copied under its own name with its string value (`class`, `colspan`, `data-src`, `hidden: ''`).
 */
function legacyBody(html: string): HastRoot {
  type DomNode = ReturnType<typeof parseHtml>['children'][number];
  const convert = (nodes: DomNode[]): HastRoot['children'] =>
    nodes.flatMap((node): HastRoot['children'] => {
      if (node.type === 'text') return [{ type: 'text', value: node.data }];
      if (node.type !== 'tag') return [];
      if (['script', 'style', 'noscript', 'iframe', 'svg', 'form'].includes(node.name)) return [];
      return [
        {
          type: 'element',
          tagName: node.name,
          properties: { ...node.attribs },
          children: convert(node.children) as HastElementContent[],
        },
      ];
    });
  return { type: 'root', children: convert(parseHtml(html).children) };
}
type HastElementContent = Extract<HastRoot['children'][number], { type: 'element' }>['children'][number];

describe('link policy', () => {
  const html =
    '<p><a href="https://news.example.org/gb/23/10/17/n99.htm">mirrored</a> <a href="/gb/other.htm">relative unmirrored</a> <a href="mailto:a@example.org">mail</a></p>';
  const mirroredPath = (url: string) => (url.endsWith('n99.htm') ? 'pages/world/n99.md' : undefined);

  test('mirror: a relative link to the mirrored page, other links become plain text', () => {
    const { html: out, linkedUrls } = run(html, { links: 'mirror', mirroredPath });
    assert.equal(out, '<p><a href="../world/n99.md">mirrored</a> relative unmirrored mail</p>');
    assert.deepEqual(linkedUrls, [
      'https://news.example.org/gb/23/10/17/n99.htm',
      'https://news.example.org/gb/other.htm',
    ]);
  });

  test('mirror: relative hrefs are resolved against the page URL before the lookup', () => {
    const { html: out } = run('<p><a href="../17/n99.htm#top">prev</a></p>', {
      links: 'mirror',
      mirroredPath,
    });
    assert.equal(out, '<p><a href="../world/n99.md">prev</a></p>');
  });

  test('inert: every link becomes its text, as the original did with <ok>', () => {
    const { html: out, linkedUrls } = run(html, { links: 'inert', mirroredPath });
    assert.equal(out, '<p>mirrored relative unmirrored mail</p>');
    assert.equal(linkedUrls.length, 2, 'links are still reported');
    assert.ok(
      !toMarkdown(transformArticle(extracted(html), { ...defaults, links: 'inert' }).body).includes('<'),
    );
  });

  test('keep: absolute links to the publisher', () => {
    const { html: out } = run(html, { links: 'keep', mirroredPath });
    assert.equal(
      out,
      '<p><a href="https://news.example.org/gb/23/10/17/n99.htm">mirrored</a> <a href="https://news.example.org/gb/other.htm">relative unmirrored</a> <a href="mailto:a@example.org">mail</a></p>',
    );
  });

  test('javascript: and other schemes never survive, whatever the policy', () => {
    for (const links of ['mirror', 'inert', 'keep'] as const) {
      const { html: out } = run(
        '<p><a href="javascript:alert(1)">x</a><a href="data:text/html,hi">y</a></p>',
        { links },
      );
      assert.equal(out, '<p>xy</p>');
    }
  });
});

describe('in-page anchors', () => {
  test('#x points at #user-content-x and the target keeps its (prefixed) id', () => {
    const { html } = run(
      '<p><a href="#notes">see notes</a></p><h2 id="notes">Notes</h2><p id="unused">x</p>',
    );
    assert.equal(
      html,
      '<p><a href="#user-content-notes">see notes</a></p><h4 id="user-content-notes">Notes</h4><p>x</p>',
    );
  });

  test('a link to the page itself with a fragment is an in-page anchor', () => {
    const { html } = run(`<p><a href="${PAGE_URL}#p2">down</a></p><p><a name="p2"></a>second</p>`);
    assert.equal(
      html,
      '<p><a href="#user-content-p2">down</a></p><p><span id="user-content-p2"></span>second</p>',
    );
  });

  test('an anchor to nothing becomes text', () => {
    assert.equal(run('<p><a href="#missing">x</a></p>').html, '<p>x</p>');
  });

  test('Markdown carries the anchor as <a name> (GitHub prefixes it) next to the target', () => {
    const markdown = toMarkdown(run('<p><a href="#notes">see</a></p><h2 id="notes">Notes</h2>').body);
    assert.equal(markdown, '[see](#user-content-notes)\n\n#### <a name="notes"></a>Notes\n');
  });
});

describe('headings', () => {
  test('h1/h2 -> h4, h3 -> h5, deeper -> h6', () => {
    const { html } = run('<h1>a</h1><h2>b</h2><h3>c</h3><h4>d</h4><h5>e</h5><h6>f</h6>');
    assert.equal(html, '<h4>a</h4><h4>b</h4><h5>c</h5><h6>d</h6><h6>e</h6><h6>f</h6>');
  });

  test('a heading repeating the title is dropped (the frame shows it)', () => {
    assert.equal(run('<h1> 标题 </h1><p>text</p>').html, '<p>text</p>');
  });
});

describe('images', () => {
  const assets = (src: string) =>
    src === 'https://news.example.org/a.jpg' ? 'assets/ab/abcd.jpg' : undefined;

  test('mirror: relative asset path, size dropped; a failed image keeps its alt text', () => {
    const { html } = run(
      '<p><img src="/a.jpg" width="600" height="400" alt="A"><img src="https://x.example/b.jpg" alt="图B"></p>',
      {
        assetPath: assets,
      },
    );
    assert.equal(html, '<p><img src="../../assets/ab/abcd.jpg" alt="A">[图片：图B]</p>');
  });

  test('a failed image without alt still says a picture was there; its caption stays', () => {
    const { html } = run(
      '<figure><img src="https://x.example/b.jpg"><figcaption>Caption</figcaption></figure>',
    );
    assert.equal(html, '<div>[图片]<p>Caption</p></div>');
  });

  test('hotlink: absolute publisher URL; drop: alt text only', () => {
    assert.equal(
      run('<p><img src="/a.jpg" alt="A"></p>', { images: 'hotlink' }).html,
      '<p><img src="https://news.example.org/a.jpg" alt="A"></p>',
    );
    assert.equal(
      run('<p>x<img src="/a.jpg" alt="A"><img src="/b.jpg"></p>', { images: 'drop' }).html,
      '<p>x[图片：A]</p>',
    );
  });

  test('lazy attributes and srcset are read, and no other source survives', () => {
    const { html } = run(
      '<picture><source srcset="https://news.example.org/a.webp"><img src="data:image/gif;base64,AA" data-src="/a.jpg" srcset="/small.jpg 100w, /big.jpg 900w" alt="A"></picture>',
      { assetPath: assets },
    );
    assert.equal(html, '<picture><img src="../../assets/ab/abcd.jpg" alt="A"></picture>');
  });

  test('collectImageUrls: lead + body, absolute, deduplicated, http(s) only, clutter excluded', () => {
    const urls = collectImageUrls(
      extracted(
        '<p><img src="/a.jpg"><img src="https://news.example.org/a.jpg"><img src="data:image/png;base64,AA"><img srcset="/s.jpg 1x, /l.jpg 2x"></p><div class="ad-slot"><img src="/ad.gif"></div>',
        { leadImage: { src: 'https://img.example.org/lead.jpg' } },
      ),
    );
    assert.deepEqual(urls, [
      'https://img.example.org/lead.jpg',
      'https://news.example.org/a.jpg',
      'https://news.example.org/l.jpg',
    ]);
  });

  test('lead image: relative asset path when mirrored; when it failed, alt joins the caption', () => {
    const lead = { src: 'https://news.example.org/a.jpg', alt: '大楼' };
    const mirrored = run('<p>x</p>', { assetPath: assets }, { leadImage: lead, caption: ' 说明\n 文字 ' });
    assert.deepEqual(mirrored.leadImage, { src: '../../assets/ab/abcd.jpg', alt: '大楼' });
    assert.equal(mirrored.caption, '说明 文字');
    const failed = run('<p>x</p>', {}, { leadImage: lead, caption: '说明' });
    assert.equal(failed.leadImage, undefined);
    assert.equal(failed.caption, '[图片：大楼] 说明');
    const sameAsTitle = run('<p>x</p>', {}, { leadImage: { src: lead.src, alt: '标题' }, caption: '说明' });
    assert.equal(sameAsTitle.caption, '说明', 'an alt that repeats the title is not shown twice');
  });
});

describe('clutter', () => {
  test('share, ad and recommendation blocks, comments, widgets and empty wrappers go', () => {
    const { html } = run(
      '<!-- c --><div class="share-tools"><a href="https://x">Share</a></div><p>keep</p><div id="below_article_ad"> </div><div id="recommend_post"><a href="https://x">more</a></div><twitter-widget>t</twitter-widget><div class="shareBar">s</div><div><span> </span><p><br></p></div><p hidden>h</p><p style="display: none">n</p><aside>a</aside><iframe src="https://x">f</iframe>',
    );
    assert.equal(html, '<p>keep</p>');
  });

  test('words match whole words only, and a wrapper holding most of the article is kept', () => {
    const { html } = run(
      '<div class="entry has-share-buttons"><p>The whole article text is here and it is long enough.</p><div class="share">s</div></div><p class="shadow header">x</p>',
    );
    assert.equal(html, '<div><p>The whole article text is here and it is long enough.</p></div><p>x</p>');
  });

  const FIRST = 'First part of the article, in sentences. It goes on for a while, as articles do.';
  const SECOND = 'Second part: more of the same text, with a comma, and a full stop at the end.';
  const THIRD = 'Third and last part, which ends the article. Nothing follows it but the footer.';
  test("a page builder's prose blocks (named widget) stay; its link boxes, labels and blocks named for clutter go", () => {
    const { html } = run(
      `<div class="elementor-widget elementor-widget-text-editor"><p>${FIRST}</p></div>` +
        `<div class="elementor-widget elementor-widget-text-editor"><p>${SECOND}</p></div>` +
        '<div class="elementor-widget elementor-widget-icon-list"><a href="https://x/1">One</a> <a href="https://x/2">Two</a></div>' +
        '<div class="elementor-widget elementor-widget-related"><p>Read this next, it is good, and so is the one after it.</p></div>' +
        '<div class="jetpack-likes-widget-wrapper"><h3>Like this:</h3><p>Like Loading...</p></div>' +
        `<div class="elementor-widget elementor-widget-text-editor"><p>${THIRD}</p></div>`,
    );
    assert.equal(html, `<div><p>${FIRST}</p></div><div><p>${SECOND}</p></div><div><p>${THIRD}</p></div>`);
  });

  test('raw attribute names from the extractor are understood (colspan, data-src, class)', () => {
    const result = transformArticle(
      { title: 't', body: rawAttributeBody(), method: 'rules', ruleMisses: [], canonicalUrl: PAGE_URL },
      { ...defaults, images: 'hotlink' },
    );
    assert.equal(
      toHtml(result.body),
      '<table><tbody><tr><td colspan="2">cell</td></tr></tbody></table><img src="https://news.example.org/lazy.jpg" alt="lazy">',
    );
  });
});

test('a stored body with raw attribute names renders exactly like the same body in hast form', () => {
  const html =
    '<div class="story"><p class="lead" hidden>hidden</p><p style="display:none">gone</p>' +
    '<p><font>One<p>Two <a href="/a" rel="nofollow" data-id="7">link<a href="#n">note</a></a></font></p>' +
    '<table>stray<tr><th colspan="2" align="center">Head</th></tr><tr><td rowspan="2">a</td><td>b</td></tr><tr><td>c</td></tr></table>' +
    '<figure><img src="data:image/gif;base64,AA" data-src="/lazy.jpg" srcset="/s.jpg 1x, /l.jpg 2x" alt="Pic" width="600"><figcaption>Cap</figcaption></figure>' +
    '<pre><code class="language-js">let x = 1;</code></pre><ol start="3"><li>three</li></ol>' +
    '<div class="share-bar"><a href="https://x.example/">Share</a></div><h2 id="n">Notes</h2><hr noshade></div>';
  const render = (body: HastRoot) => {
    const result = transformArticle(
      { title: 't', body, method: 'rules', ruleMisses: [], canonicalUrl: PAGE_URL },
      { ...defaults, links: 'keep', images: 'hotlink' },
    );
    return { html: toHtml(result.body), markdown: toMarkdown(result.body) };
  };
  const legacy = legacyBody(html);
  const canonical = domToHast(parseHtml(html).children);
  assert.notDeepEqual(legacy, canonical, 'the two forms differ');
  assert.deepEqual(render(legacy), render(canonical));
  assert.deepEqual(collectImageUrls(extracted('', { body: legacy })), ['https://news.example.org/lazy.jpg']);
  assert.deepEqual(collectImageUrls(extracted('', { body: canonical })), [
    'https://news.example.org/lazy.jpg',
  ]);
});

describe('script conversion', () => {
  const html =
    '<p title="国家">国家发展 <a href="https://news.example.org/gb/国家.html">国家链接</a> https://news.example.org/gb/国家.html</p><pre><code>国家 = 1</code></pre><p><img src="/国.jpg" alt="国家图片"></p>';

  test('simplified -> traditional converts text, alt and title, never URLs or code', () => {
    const result = run(
      html,
      { script: 'traditional', links: 'keep', images: 'hotlink' },
      { title: '国家发展', caption: '国家' },
    );
    assert.equal(result.title, '國家發展');
    assert.equal(result.caption, '國家');
    assert.equal(
      result.html,
      '<p title="國家">國家發展 <a href="https://news.example.org/gb/%E5%9B%BD%E5%AE%B6.html">國家鏈接</a> https://news.example.org/gb/国家.html</p><pre><code>国家 = 1</code></pre><p><img src="https://news.example.org/%E5%9B%BD.jpg" alt="國家圖片"></p>',
    );
  });

  test('traditional -> simplified', () => {
    const result = run('<p>國家發展與經濟</p>', { script: 'simplified' }, { title: '經濟' });
    assert.equal(result.html, '<p>国家发展与经济</p>');
    assert.equal(result.title, '经济');
  });

  test('original leaves text alone', () => {
    assert.equal(run('<p>國家 国家</p>').html, '<p>國家 国家</p>');
  });
});

test('the extracted tree is not modified', () => {
  const input = extracted('<div class="ad">x</div><h2>t</h2><p><a href="https://x.example/">l</a></p>');
  const before = JSON.stringify(input);
  transformArticle(input, defaults);
  collectImageUrls(input);
  assert.equal(JSON.stringify(input), before);
});

test('an embedded post (blockquote in a social-media box) keeps its text; a share bar beside it does not', () => {
  const { html } = run(
    '<p>The minister replied within the hour, and the statement was widely shared.</p>' +
      '<div class="social-media-embed"><blockquote class="twitter-tweet"><p>We will publish the full report on Monday, as promised.</p></blockquote></div>' +
      '<div class="share-bar">Share on Twitter</div>',
  );
  assert.match(html, /full report on Monday/);
  assert.doesNotMatch(html, /Share on Twitter/);
});
