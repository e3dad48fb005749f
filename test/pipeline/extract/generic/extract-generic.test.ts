import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toHtml } from 'hast-util-to-html';
import { parseHtml } from '../../../../src/pipeline/extract/dom.ts';
import { extractGeneric } from '../../../../src/pipeline/extract/generic/index.ts';

const URL = 'https://news.example.org/2024/03/story.html';

function extract(html: string) {
  const result = extractGeneric(parseHtml(html), URL);
  return result ? { ...result, html: toHtml(result.body) } : null;
}

const prose = (topic: string, count: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      `<p>Paragraph ${i + 1} about ${topic}, written as a full sentence with commas, clauses, and enough words to read like prose.</p>`,
  ).join('\n');

const linkList = (count: number) =>
  `<ul>${Array.from({ length: count }, (_, i) => `<li><a href="/s/${i}">Teaser headline number ${i}</a></li>`).join('')}</ul>`;

describe('extractGeneric', () => {
  test('picks the article over navigation, sidebar and footer', () => {
    const result = extract(`<html><body>
      <nav>${linkList(8)}</nav>
      <div class="content"><h1>Ferry returns</h1>${prose('the ferry', 6)}</div>
      <div class="sidebar"><p>Most read today, a list of other things, with commas, to look busy.</p>${linkList(6)}</div>
      <footer><p>© 2024 Example News, all rights reserved.</p></footer>
    </body></html>`);
    assert.ok(result);
    assert.match(result.html, /Paragraph 6 about the ferry/);
    assert.doesNotMatch(result.html, /Teaser headline|Most read|rights reserved/);
    assert.equal(result.title, 'Ferry returns');
    assert.doesNotMatch(result.html, /<h1/, 'the title heading is not repeated in the body');
  });

  test('prunes share bars, captions, ad labels and related links inside the article box', () => {
    const result = extract(`<html><body><article>
      <div class="share-tools"><a href="#">Share on Facebook</a></div>
      <figure><img src="/a.jpg" alt="A"><figcaption>The pier at dawn. Photo: someone</figcaption></figure>
      ${prose('the pier', 3)}
      <p>Advertisement</p>
      ${prose('the harbour', 3)}
      <div class="related-links"><h3>Related</h3>${linkList(3)}</div>
    </article></body></html>`);
    assert.ok(result);
    assert.doesNotMatch(result.html, /Share on|Photo: someone|Advertisement|Teaser|Related/);
    assert.match(result.html, /<img src="\/a.jpg"/, 'images in the article stay');
    assert.deepEqual(result.leadImage, { src: 'https://news.example.org/a.jpg', alt: 'A' });
    assert.equal(result.caption, 'The pier at dawn. Photo: someone');
  });

  test('keeps headings, lists, blockquotes and tables that sit inside the article', () => {
    const result = extract(`<html><body><div class="post-body">${prose('tides', 3)}
      <h2>Timetable</h2><ul><li>Mornings every half hour, weekdays only.</li><li>Evenings every hour, all week.</li></ul>
      <blockquote><p>“We listened to the people who use this boat,” the manager said.</p></blockquote>
      <table><tr><th>Stop</th><th>Time</th></tr><tr><td>North pier</td><td>6.40</td></tr></table>
      ${prose('fares', 2)}</div></body></html>`);
    assert.ok(result);
    for (const piece of [/<h2>Timetable/, /<li>Mornings/, /<blockquote>/, /<td>North pier/])
      assert.match(result.html, piece);
  });

  test('Chinese text in a layout table cell, split by <br>, with byline and editor line', () => {
    const paragraph = (n: number) =>
      `　　第${n}段，这是一个完整的中文句子，包含逗号和句号，用来模拟新闻正文的内容。记者在现场看到，村民们正在忙碌。<br><br>`;
    const result = extract(`<html><body>
      <table><tr><td><a href="/">首页</a> | <a href="/news">新闻</a> | <a href="/bbs">论坛</a></td></tr></table>
      <table><tr><td class="left"><a href="/1">热点一</a><br><a href="/2">热点二</a></td>
      <td><table><tr><td><b>山区小学新建图书室</b></td></tr>
      <tr><td>作者：李明　2005年7月3日 10:20</td></tr>
      <tr><td>${paragraph(1)}${paragraph(2)}${paragraph(3)}　　责任编辑：王芳<br></td></tr></table></td></tr></table>
    </body></html>`);
    assert.ok(result);
    assert.match(result.html, /第1段/);
    assert.match(result.html, /第3段/);
    assert.doesNotMatch(result.html, /责任编辑|首页|热点/);
    assert.doesNotMatch(result.html, /<t[dr]\b/, 'the layout cell is unwrapped');
    assert.equal(result.author, '李明');
    assert.equal(result.published, '2005-07-03T10:20:00');
  });

  test('joins an article split into sibling chunks with an ad between them', () => {
    const result = extract(`<html><body><div class="chunks">
      <div class="grid"><div class="chunk">${prose('the flood', 2)}</div></div>
      <div class="grid"><div class="ad-slot">Sponsored</div></div>
      <div class="grid"><div class="chunk">${prose('the rebuild', 4)}</div></div>
    </div></body></html>`);
    assert.ok(result);
    assert.match(result.html, /about the flood/);
    assert.match(result.html, /about the rebuild/);
    assert.doesNotMatch(result.html, /Sponsored/);
  });

  test('finds an article that the page put in a box named like furniture', () => {
    const result = extract(`<html><body><ul class="nav tree"><li><a href="/">Home</a></li>
      <div class="col">${prose('a burglary', 3)}</div></ul></body></html>`);
    assert.ok(result);
    assert.match(result.html, /about a burglary/);
  });

  test('returns null for index pages, error pages and empty pages', () => {
    assert.equal(extract(`<html><body><h1>Sport</h1>${linkList(30)}</body></html>`), null);
    assert.equal(extract('<html><body><h1>404</h1><p>Page not found.</p></body></html>'), null);
    assert.equal(extract(''), null);
  });

  test('never returns scripts, styles or hidden elements', () => {
    const result = extract(`<html><body><article>${prose('cats', 4)}
      <script>var secret = 1;</script><style>p{}</style><div style="display:none">hidden words</div>
      <p hidden>also hidden</p></article></body></html>`);
    assert.ok(result);
    assert.doesNotMatch(result.html, /secret|hidden words|also hidden|<style/);
  });

  const zhProse = (count: number) =>
    Array.from(
      { length: count },
      (_, i) =>
        `<p>第${i + 1}段：市政府今天宣布，新的公交线路将在下个月开通，沿线的居民出行会方便很多，票价保持不变。</p>`,
    ).join('\n');

  test('keeps a link inside a sentence even when the link wraps a span', () => {
    const result = extract(`<html><body><article>${prose('trains', 3)}
      <p><span>The line was </span><a href="/x"><span>first proposed</span></a><span> in 1998, and shelved twice.</span></p>
      </article></body></html>`);
    assert.ok(result);
    assert.match(result.html, /first proposed/);
  });

  test('keeps an embedded post in a widget-named box', () => {
    const result = extract(`<html><body><article>${prose('trains', 3)}
      <div class="article-widget"><blockquote><p>Great news for the valley, finally!</p>— Rider (@rider) <a href="/s/1">May 1, 2024</a></blockquote></div>
      ${prose('fares', 2)}</article></body></html>`);
    assert.ok(result);
    assert.match(result.html, /Great news for the valley/);
  });

  test('a page of several dated posts gives the first post, even when a later one is longer', () => {
    const post = (date: string, paragraphs: number) =>
      `<div class="entry"><div class="entry-head">Post title <span>${date}</span></div><div class="entry-text">${prose(date, paragraphs)}</div></div>`;
    const result = extract(
      `<html><body><div class="entries">${post('2024-03-24', 3)}${post('2024-03-17', 8)}${post('2024-03-02', 3)}</div></body></html>`,
    );
    assert.ok(result);
    assert.match(result.html, /about 2024-03-24/);
    assert.doesNotMatch(result.html, /about 2024-03-17|about 2024-03-02/);
  });

  test('a thread marked up as a discussion keeps every post in order, short replies too', () => {
    const reply = (id: number, date: string, body: string) =>
      `<div class="topic-post" id="post_${id}" itemscope itemtype="http://schema.org/Comment"><div class="meta"><span itemprop="author">user${id}</span> <time>${date}</time></div><div itemprop="text">${body}</div></div>`;
    const result = extract(`<html><body><h1>Which ferry pass?</h1><div class="posts">
      ${reply(1, '2024-03-02', prose('the opening question', 3))}
      ${reply(2, '2024-03-03', prose('the first answer', 4))}
      <div class="topic-post" id="post_3" itemscope itemtype="http://schema.org/Comment"><div class="meta">user3 <time>2024-03-04</time></div><div itemprop="text"><p>Thanks, that worked.</p></div></div>
      ${reply(4, '2024-03-05', prose('a later answer', 3))}
    </div><div class="footer-links">${linkList(5)}</div></body></html>`);
    assert.ok(result);
    const order = ['the opening question', 'the first answer', 'Thanks, that worked', 'a later answer'].map(
      (text) => result.html.indexOf(text),
    );
    assert.ok(
      order.every((at) => at >= 0),
      `every post kept: ${order}`,
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
    assert.doesNotMatch(result.html, /Teaser headline/);
  });

  test('marked-up entries that each link their own page give the first entry only', () => {
    const entry = (slug: string, date: string) =>
      `<div class="entry" itemscope itemtype="http://schema.org/SocialMediaPosting"><h2><a href="/${slug}">Entry ${slug}</a></h2><time>${date}</time>${prose(slug, 3)}</div>`;
    const result = extract(
      `<html><body><div class="entries">${entry('first', '2024-03-24')}${entry('second', '2024-03-17')}${entry('third', '2024-03-02')}</div></body></html>`,
    );
    assert.ok(result);
    assert.match(result.html, /about first/);
    assert.doesNotMatch(result.html, /about second|about third/);
  });

  test('a timeline of dated paragraphs stays one article', () => {
    const result = extract(
      `<html><body><article>${['2021-01-05', '2022-02-06', '2023-03-07']
        .map(
          (date) =>
            `<p>On ${date} the council met, argued, voted, and adjourned; ${'the minutes say so. '.repeat(8)}</p>`,
        )
        .join('')}</article></body></html>`,
    );
    assert.ok(result);
    assert.match(result.html, /2021-01-05[\s\S]*2023-03-07/);
  });

  test('sections of one document stay together when dates sit inside them, not at their edges', () => {
    // A manual's sections: each has a heading, prose and an example whose output carries a date mid-section.
    const section = (name: string) =>
      `<section id="${name}"><h2>${name}</h2>${prose(name, 3)}<div class="highlight"><pre>2005-03-19 15:10:26 INFO ${name} started</pre></div>${prose(`${name} again`, 3)}</section>`;
    const result = extract(
      `<html><body><div class="body"><section id="howto"><h1>Logging</h1>${section('basics')}${section('advanced')}${section('levels')}</section></div></body></html>`,
    );
    assert.ok(result);
    assert.match(result.html, /about basics[\s\S]*about advanced[\s\S]*about levels again/);
  });

  test('a long code listing does not outscore the prose that explains it', () => {
    const code = Array.from(
      { length: 60 },
      (_, i) => `rows.append(zip(a, b, c), key=f.${i}, default=(1, 2, 3));  # x.y, z.w`,
    ).join('\n');
    const result = extract(
      `<html><body><div class="document"><section id="module"><h1>Module</h1><section id="functions"><h2>Functions</h2>${prose('functions', 5)}</section><section id="recipes"><h2>Recipes</h2><div class="highlight"><pre>${code}</pre></div></section></section></div></body></html>`,
    );
    assert.ok(result);
    assert.match(result.html, /Paragraph 1 about functions[\s\S]*rows\.append/);
  });

  test('content parked in a hidden block for a script to reveal is kept; a hidden menu is not', () => {
    // Streamed server rendering: a visible placeholder, the real content in a hidden div moved in by a script.
    const result = extract(
      `<html><body><div id="app"><p>Loading…</p></div><div hidden id="menu">${linkList(4)}</div><div hidden id="S:0"><article><h1>Ferry returns</h1>${prose('the ferry', 6)}</article></div></body></html>`,
    );
    assert.ok(result);
    assert.match(result.html, /Paragraph 6 about the ferry/);
    assert.doesNotMatch(result.html, /Teaser headline/);
    assert.doesNotMatch(result.html, /hidden/, 'the kept block is content now, shown to readers');
  });

  test('authors: labelled and closing credits count, labels, outlets and sentence fragments do not', () => {
    assert.equal(
      extract(`<html><body><div class="content"><p>作者：转载文章</p>${zhProse(4)}</div></body></html>`)
        ?.author,
      undefined,
    );
    assert.equal(
      extract(`<html><body><div class="content"><p>作者：云南日报</p>${zhProse(4)}</div></body></html>`)
        ?.author,
      undefined,
    );
    assert.equal(
      extract(
        `<html><body><div class="content"><p>本刊记者经历了近4个小时的车程。</p>${zhProse(4)}</div></body></html>`,
      )?.author,
      undefined,
    );
    assert.equal(
      extract(`<html><body><div class="content">${zhProse(4)}<p>（张明）</p></div></body></html>`)?.author,
      '张明',
    );
    assert.equal(
      extract(`<html><body><div class="content">${zhProse(4)}<p>编辑：王小山</p></div></body></html>`)
        ?.author,
      '王小山',
    );
    assert.equal(
      extract(`<html><body><div class="content"><p>作者：蓝蓝的天</p>${zhProse(4)}</div></body></html>`)
        ?.author,
      '蓝蓝的天',
    );
  });

  test('drops a pop-up card inside a sentence but keeps the name link it hangs on', () => {
    const card = `<span class="card"><img src="/p.jpg" alt=""><a href="/p">Jane Roe</a><a href="/a1">Council approves a budget after a long night</a><a href="/a2">Schools to open later in winter</a></span>`;
    const result = extract(`<html><body><article>${prose('budgets', 3)}
      <p>The motion was tabled by councillor <span class="person"><a href="/p">Jane Roe</a>${card}</span> (Greens), who spoke for an hour.</p>
      </article></body></html>`);
    assert.ok(result);
    assert.match(
      result.html,
      /councillor <span class="person"><a href="\/p">Jane Roe<\/a><\/span> \(Greens\)/,
    );
    assert.doesNotMatch(result.html, /Schools to open/);
  });

  test('drops newsletter pitches and "Advert" labels, keeps prose that mentions newsletters', () => {
    const result = extract(`<html><body><article>${prose('markets', 3)}
      <p>Advert</p>
      <p>Get the latest updates right in your inbox. Subscribe to our newsletters.</p>
      <p>The bank's weekly newsletter, which reaches forty thousand readers, was first delivered in 1998 and has, over the years, been quoted by traders, economists and the central bank itself.</p>
      </article></body></html>`);
    assert.ok(result);
    assert.doesNotMatch(result.html, /Advert<|right in your inbox/);
    assert.match(result.html, /weekly newsletter/);
  });

  test('text between <br>s in one cell counts as paragraphs, so a long <br> article beats a box of short <p>s', () => {
    const line = (i: number) =>
      `第${i}段今天上午市里召开会议讨论新的公交线路规划方案沿线居民代表和专家分别发表了看法大家认为线路应当经过医院和学校附近的站点。`;
    const article = Array.from({ length: 10 }, (_, i) => line(i + 1)).join('<br>');
    const box = Array.from(
      { length: 5 },
      (_, i) =>
        `<p>推荐${i}号今天的天气非常好适合出门散步和锻炼身体大家一起去公园看看花开了没有听说很多人都去了那里拍照留念。</p>`,
    ).join('');
    const result = extract(
      `<html><body><table><tr><td>${article}</td></tr></table><div>${box}</div></body></html>`,
    );
    assert.ok(result);
    assert.match(result.html, /第10段/);
    assert.doesNotMatch(result.html, /推荐0号/);
  });

  test('an interview\'s "记者：" questions stay, a closing "编辑：" credit goes', () => {
    const result = extract(`<html><body><div class="content">${zhProse(3)}
      <p>记者：你们的新工厂什么时候可以投产？</p><p>答：预计明年春天，设备已经在安装调试了。</p>${zhProse(2)}<p>编辑：王小山</p></div></body></html>`);
    assert.ok(result);
    assert.match(result.html, /记者：你们的新工厂/);
    assert.doesNotMatch(result.html, /编辑：王小山/);
  });

  test('a paragraph of headline links written with <br>s goes, with the label above it', () => {
    const result = extract(`<html><body><article>${prose('the port', 3)}
      <p><strong>DON'T MISS</strong></p>
      <p><a href="/a">Harbour fees to rise next spring</a> [VIDEO]<br><a href="/b">New crane arrives from overseas</a> [PICTURES]<br><a href="/c">Dock workers vote on the pay offer</a></p>
      ${prose('the fees', 2)}
      <p>Officials said <a href="/r1">the report</a>, <a href="/r2">the audit</a> and <a href="/r3">the minutes</a> would be published.</p>
      </article></body></html>`);
    assert.ok(result);
    assert.doesNotMatch(result.html, /DON'T MISS|Harbour fees|New crane/);
    assert.match(result.html, /about the fees/);
    assert.match(result.html, /the audit/, 'prose with several links stays');
  });

  test('Chinese furniture lines (QR prompt, comment links) go', () => {
    const result = extract(
      `<html><body><div class="content">${zhProse(4)}<p>扫一扫在手机打开当前页</p><p>发表评论</p></div></body></html>`,
    );
    assert.ok(result);
    assert.doesNotMatch(result.html, /扫一扫|发表评论/);
  });
});
