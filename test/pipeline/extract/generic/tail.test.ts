// The article's tail: cut at the heading that opens it, only in the container's last half, never at a sentence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Element } from 'domhandler';
import { textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { cutTail } from '../../../../src/pipeline/extract/generic/tail.ts';

const PROSE = '<p>A sentence of the article that is long enough to count for something here.</p>'.repeat(4);

function cut(html: string): string {
  const root = parseDocument(`<div>${html}</div>`).children[0] as Element;
  return cutTail([root])
    .map((node) => textContent(node).replace(/\s+/g, ' ').trim())
    .join('|');
}

test('a tail heading in the last half cuts it and everything after it', () => {
  const text = cut(`${PROSE}<h3>About the Author</h3><p>Jane writes.</p><div><p>More by Jane</p></div>`);
  assert.ok(text.endsWith('count for something here.'), text);
  assert.doesNotMatch(text, /About the Author|Jane/);
});

test('a bold label in a paragraph of its own counts as the heading', () => {
  const text = cut(
    `${PROSE}<p><strong>You might also like…</strong></p><p><a href="/x">Another story</a></p>`,
  );
  assert.doesNotMatch(text, /might also|Another story/);
});

test('a sentence that starts like a tail heading is prose, and stays', () => {
  const text = cut(`${PROSE}<p>Comments were mixed.</p><p>The minister replied.</p>`);
  assert.match(text, /Comments were mixed\.The minister replied\.$/);
});

test('an article that opens with such a heading keeps it: only the last half is looked at', () => {
  const text = cut(`<h3>About the author</h3>${PROSE}`);
  assert.match(text, /^About the author/);
});
