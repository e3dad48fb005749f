import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromHtml } from 'hast-util-from-html';
import { toMarkdown, toPlainText } from '../../../src/pipeline/render/index.ts';

const tree = (html: string) => fromHtml(html, { fragment: true });

describe('toMarkdown', () => {
  test('GFM tables, strikethrough, emphasis, lists, code, images, links', () => {
    const markdown = toMarkdown(
      tree(
        '<h4>Head</h4><p><strong>b</strong> <em>i</em> <del>gone</del> <a href="../x.md">link</a></p><ul><li>one</li><li>two</li></ul><table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1 | 2</td><td>3</td></tr></tbody></table><pre><code>x &lt; y</code></pre><p><img src="../../assets/a.png" alt="pic"></p>',
      ),
    );
    assert.equal(
      markdown,
      [
        '#### Head',
        '',
        '**b** *i* ~~gone~~ [link](../x.md)',
        '',
        '- one',
        '- two',
        '',
        '| a | b |',
        '| - | - |',
        '| 1 \\| 2 | 3 |',
        '',
        '```',
        'x < y',
        '```',
        '',
        '![pic](../../assets/a.png)',
        '',
      ].join('\n'),
    );
  });

  test('text that looks like Markdown or HTML is escaped', () => {
    assert.equal(
      toMarkdown(tree('<p>* not a list &lt;div&gt; [x](y)</p>')),
      '\\* not a list \\<div> \\[x]\\(y)\n',
    );
  });

  test('a line break at the edge of bold or a link is a line break, not a stray backslash', () => {
    const md = toMarkdown(
      fromHtml(
        '<p><strong>Plan ahead<br></strong>Book early.<br><a href="https://x.example/"><br>Map</a></p>',
        {
          fragment: true,
        },
      ),
    );
    assert.equal(md, '**Plan ahead**\\\nBook early.\\\n\\\n[Map](https://x.example/)\n');
    assert.doesNotMatch(md, /&#x/);
  });

  test('empty body gives an empty string', () => {
    assert.equal(toMarkdown({ type: 'root', children: [] }), '');
  });
});

describe('toPlainText', () => {
  test('paragraphs separated by blank lines, line breaks kept, whitespace folded', () => {
    const text = toPlainText(
      tree(
        '<h4>Title</h4><p>one\n  two <b>bold</b></p><p>line<br>break</p><ul><li>a</li><li>b</li></ul><p><img src="x.png" alt="x"></p>',
      ),
    );
    assert.equal(text, 'Title\n\none two bold\n\nline\nbreak\n\na\n\nb');
  });
});
