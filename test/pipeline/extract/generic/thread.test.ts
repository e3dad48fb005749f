import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toHtml } from 'hast-util-to-html';
import type { PageGuess } from '../../../../src/pipeline/extract/classify/classify.ts';
import { parseHtml } from '../../../../src/pipeline/extract/dom.ts';
import { extractGeneric } from '../../../../src/pipeline/extract/generic/index.ts';

const URL = 'https://forum.example.org/threads/tuning-a-cello-peg.88/';
const FORUM: PageGuess = { type: 'forum', probability: 0.9 };

function extract(html: string, page?: PageGuess, anyPage = true): string {
  const result = extractGeneric(parseHtml(html), URL, { anyPage, page });
  return result ? toHtml(result.body) : '';
}

const sentence = (topic: string, i: number) =>
  `Sentence ${i} about ${topic}, written out with commas, clauses, and enough words to read as a reply.`;
const text = (topic: string, count: number) =>
  Array.from({ length: count }, (_, i) => `<p>${sentence(topic, i + 1)}</p>`).join('');

/** One post of a forum template: the poster's card beside the dated body. */
const post = (n: number, who: string, day: number, body: string) => `
  <div class="post" id="post-${n}">
    <div class="post-user"><a href="/members/${who}">${who}</a><span>Senior member</span>
      <dl><dt>Joined</dt><dd>Mar 3, 2019</dd><dt>Messages</dt><dd>4,812</dd></dl></div>
    <div class="post-main">
      <div class="post-meta"><time datetime="2026-02-0${day}">Feb ${day}, 2026</time> #${n}</div>
      <div class="post-text">${body}</div>
      <div class="post-actions"><a href="/r/${n}">Like</a> <a href="/q/${n}">Quote</a></div>
    </div>
  </div>`;

const page = (main: string) =>
  `<html><head><title>Tuning a cello peg</title></head><body>
  <nav><ul><li><a href="/">Forums</a></li><li><a href="/new">What's new</a></li></ul></nav>
  <main>${main}</main><footer><p>Example Forum · Terms</p></footer></body></html>`;

const thread = page(`<h1>Tuning a cello peg</h1><div class="posts">
  ${post(1, 'bowhand', 2, text('the opening question', 3))}
  ${post(2, 'luthier', 2, text('the long answer', 6))}
  ${post(3, 'rosin', 3, text('a second answer', 2))}
  ${post(4, 'bowhand', 4, '<p>Thanks, that worked.</p>')}
</div>`);

describe('forum threads (thread.ts)', () => {
  test("every post of the row is kept in order, the short reply too, without the posters' cards", () => {
    const html = extract(thread, FORUM);
    const order = ['the opening question', 'the long answer', 'a second answer', 'Thanks, that worked.'];
    const positions = order.map((phrase) => html.indexOf(phrase));
    assert.ok(
      positions.every((at) => at >= 0),
      `all posts kept: ${positions}`,
    );
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
    );
    assert.doesNotMatch(html, /Joined|Messages|4,812|Senior member/);
    assert.doesNotMatch(html, /Like|Quote/);
    assert.match(html, /Feb 4, 2026/, 'the dated line above each body stays');
  });

  test('articles mode reads a forum thread the same way', () => {
    assert.match(extract(thread, FORUM, false), /a second answer/);
  });

  // Read as a thread, the posters' cards go; left as the page's blocks, they stay.
  test('without a forum guess or discussion markup the page is not read as a thread', () => {
    const html = extract(thread, { type: 'listing', probability: 0.6 });
    assert.match(html, /the long answer/);
    assert.match(html, /Joined/);
  });

  test('posts marked up as a discussion make a thread even when the classifier hesitates', () => {
    const marked = thread.replaceAll(
      'class="post"',
      'class="post" itemscope itemtype="https://schema.org/Comment"',
    );
    const html = extract(marked, { type: 'listing', probability: 0.6 });
    assert.match(html, /a second answer/);
    assert.doesNotMatch(html, /Joined/);
  });

  test('an FAQ marked up as questions and answers is no discussion', () => {
    const faq = thread.replaceAll(
      'class="post"',
      'class="post" itemscope itemtype="https://schema.org/Question"',
    );
    const wrapped = faq.replace('<main>', '<main itemscope itemtype="https://schema.org/FAQPage">');
    assert.match(extract(wrapped, { type: 'listing', probability: 0.6 }), /Joined/);
  });

  test('an opening post of another template (a question above its answers) opens the thread', () => {
    const qa = page(`<div class="question"><h1>Tuning a cello peg</h1>${text('the question itself', 3)}
      <div class="asked">asked Feb 1, 2026 by bowhand</div></div>
      <div id="answers"><h2>3 Answers</h2>
      ${post(2, 'luthier', 2, text('the long answer', 6))}
      ${post(3, 'rosin', 3, text('a second answer', 2))}
      ${post(4, 'cellist', 4, text('a third answer', 2))}</div>`);
    const html = extract(qa, FORUM);
    assert.ok(html.indexOf('the question itself') >= 0, 'question kept');
    assert.ok(html.indexOf('the question itself') < html.indexOf('the long answer'));
    assert.match(html, /a third answer/);
  });

  test('a story with comments below stays the story, even on a page read as a forum', () => {
    const comment = (n: number, day: number) =>
      `<div class="reply"><b>reader${n}</b> <time datetime="2026-02-0${day}">Feb ${day}, 2026</time>${text(`comment ${n}`, 1)}</div>`;
    const story = page(`<article><h1>City orchestra finds a new hall</h1>${text('the story', 12)}</article>
      <section class="discussion">${comment(1, 2)}${comment(2, 3)}${comment(3, 4)}</section>`);
    const html = extract(story, { type: 'forum', probability: 0.55 });
    assert.match(html, /Sentence 1 about the story/);
    assert.match(html, /Sentence 12 about the story/);
  });
});
