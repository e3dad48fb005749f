// htmlparser2 nests differently from the HTML parsing algorithm (a <p> stays open across a <div> inside a <font>,
// an <a> inside an <a>, stray text inside a <table>). The transform repairs that without a second parse; these
// pages go through extract -> transform -> render and the Markdown must read as a browser shows the page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Element, Root, RootContent } from 'hast';
import { githubMarkdownToHast } from '../../../src/internal/github-markdown.ts';
import { extractArticle } from '../../../src/pipeline/extract/index.ts';
import { toMarkdown } from '../../../src/pipeline/render/index.ts';
import { type TransformOptions, transformArticle } from '../../../src/pipeline/transform/index.ts';

const PAGE_URL = 'https://news.example.org/gb/23/10/18/n100.htm';
const OPENING = 'The council met on Tuesday evening and voted to reopen the river bridge.';

const options: TransformOptions = {
  pagePath: 'pages/china/n100.md',
  links: 'keep',
  mirroredPath: () => undefined,
  images: 'hotlink',
  assetPath: () => undefined,
  script: 'original',
};

/** The body's Markdown (after the opening paragraph every page here starts with). */
function markdownOf(body: string): string {
  const html = `<html><head><title>Bridge</title></head><body><h1>Bridge</h1><div id="story"><p>${OPENING}</p>${body}</div></body></html>`;
  const extracted = extractArticle(html, { url: PAGE_URL, rules: { body: '#story', title: 'h1' } });
  assert.ok(extracted, 'the page is an article');
  const markdown = toMarkdown(transformArticle(extracted, options).body);
  assert.ok(markdown.startsWith(`${OPENING}\n\n`), markdown);
  return markdown.slice(OPENING.length + 2);
}

function textOf(node: Root | RootContent): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map(textOf).join(' ') : '';
}

function nestedLinks(node: Root | Element, inLink = false): number {
  let found = 0;
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'a' && inLink) found++;
    found += nestedLinks(child, inLink || child.tagName === 'a');
  }
  return found;
}

/** What a reader sees on the git host: every word, in order, and no Markdown or HTML syntax left as text. */
function assertSane(markdown: string, words: string[]): void {
  const shown = githubMarkdownToHast(markdown);
  const text = textOf(shown).replace(/\s+/g, ' ');
  let from = 0;
  for (const word of words) {
    const at = text.indexOf(word, from);
    assert.ok(at >= 0, `"${word}" is shown, in order, in: ${text}`);
    from = at + word.length;
  }
  assert.doesNotMatch(text, /\*\*|__|#|\| ?-|\]\(|<\/?[a-z]/i, `no syntax shows as text: ${text}`);
  assert.equal(nestedLinks(shown), 0, 'no link inside a link');
}

describe('nesting htmlparser2 leaves open is closed as a browser closes it', () => {
  test('a <p> inside an inline element inside a <p> starts a new paragraph', () => {
    const markdown = markdownOf('<p><font>One.<p>Two.<p>Three.</font></p>');
    assert.equal(markdown, 'One.\n\nTwo.\n\nThree.\n');
    assertSane(markdown, ['One.', 'Two.', 'Three.']);
  });

  test('a block inside bold inside a <p> closes the paragraph; the bold carries on around the text', () => {
    const markdown = markdownOf('<p><b>Before<div>Inside</div>After</b> plain</p>');
    assert.equal(markdown, '**Before**\n\n**Inside**\n\n**After** plain\n');
    assertSane(markdown, ['Before', 'Inside', 'After', 'plain']);
  });

  test('a table, a heading, a list and a quotation inside inline elements of a <p>', () => {
    const markdown = markdownOf(
      '<p><strong>Results<table><tr><th>Ward</th><th>Votes</th></tr><tr><td>North</td><td>120</td></tr></table>counted</strong></p>' +
        '<p><em>Lead<h2>Section</h2>text</em></p>' +
        '<p><a href="/more">Read<ul><li>first</li><li>second</li></ul>more</a></p>' +
        '<p><span>She said:<blockquote>We will rebuild.</blockquote>and left.</span></p>',
    );
    assert.equal(
      markdown,
      [
        '**Results**',
        '| Ward | Votes |\n| - | - |\n| North | 120 |',
        '**counted**',
        '*Lead*',
        '#### *Section*',
        '*text*',
        '[Read](https://news.example.org/more)',
        '- [first](https://news.example.org/more)\n- [second](https://news.example.org/more)',
        '[more](https://news.example.org/more)',
        'She said:',
        '> We will rebuild.',
        'and left.\n',
      ].join('\n\n'),
    );
    assertSane(markdown, [
      'Results',
      'Ward',
      'North',
      '120',
      'counted',
      'Section',
      'first',
      'second',
      'rebuild',
    ]);
  });

  test('a heading straight inside a heading closes it', () => {
    const markdown = markdownOf('<h2>Outer<h3>Inner</h3>tail</h2>');
    assert.equal(markdown, '#### Outer\n\n##### Inner\n\ntail\n');
    assertSane(markdown, ['Outer', 'Inner', 'tail']);
  });

  test('a link inside a link closes the outer one; text after it is no longer linked', () => {
    const markdown = markdownOf('<p><a href="/one">first <a href="/two">second</a> after</a> end</p>');
    assert.equal(
      markdown,
      '[first ](https://news.example.org/one)[second](https://news.example.org/two) after end\n',
    );
    assertSane(markdown, ['first', 'second', 'after', 'end']);
  });

  test('list items and definition terms close the open one through inline elements', () => {
    const markdown = markdownOf(
      '<ul><li><span>apples<li>pears</span></ul><dl><dt>term<dd>meaning<span><dt>next</span></dl>',
    );
    assert.equal(markdown, '- apples\n- pears\n\n* term\n\n  meaning\n\n* next\n');
    assertSane(markdown, ['apples', 'pears', 'term', 'meaning', 'next']);
  });
});

describe('tables as htmlparser2 leaves them', () => {
  test('rows without <tbody>, and cells without a row, still make one table', () => {
    const markdown = markdownOf(
      '<table><tr><th>Name</th><th>Age</th></tr><tr><td>Li</td><td>30</td></tr></table><table><td>a</td><td>b</td></table>',
    );
    assert.equal(markdown, '| Name | Age |\n| - | - |\n| Li | 30 |\n\n| | |\n| - | - |\n| a | b |\n');
    assertSane(markdown, ['Name', 'Age', 'Li', '30', 'a', 'b']);
  });

  test('stray text and paragraphs inside a table are shown before it, not glued into a cell', () => {
    const markdown = markdownOf(
      '<table>Caption text<tr>loose<td>cell</td></tr><p>A stray paragraph.</p></table><p>After.</p>',
    );
    assert.equal(markdown, 'Caption textloose\n\nA stray paragraph.\n\n| |\n| - |\n| cell |\n\nAfter.\n');
    assertSane(markdown, ['Caption text', 'A stray paragraph.', 'cell', 'After.']);
  });

  test('a row or cell opened inside inline content of a cell closes the open one', () => {
    const markdown = markdownOf('<table><tr><td><b>one<td>two</b><tr><td><i>three<tr><td>four</table>');
    assert.equal(markdown, '| | |\n| - | - |\n| **one** | two |\n| *three* | |\n| four | |\n');
    assertSane(markdown, ['one', 'two', 'three', 'four']);
  });
});

describe('text as the parser would give it', () => {
  test('the newline right after <pre> is markup; carriage returns and NUL characters do not reach the page', () => {
    const markdown = markdownOf('<pre>\nline one\r\n  line two\n</pre><p>tab\u0000le</p>');
    assert.equal(markdown, '```\nline one\n  line two\n```\n\ntable\n');
  });
});
