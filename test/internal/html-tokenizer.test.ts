import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Handler, Parser, Tokenizer } from 'htmlparser2';
import { FastTokenizer } from '../../src/internal/html-tokenizer.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/extract/', import.meta.url));

/** Inputs where a scan that skips ahead could stop at the wrong character or miss one. */
const TRICKY = [
  'plain text with no markup at all',
  'a &amp; b &lt;c&gt; &#x41;&#66; &notanentity; &amp &',
  'ends in an entity &amp',
  'ends in a bare ampersand &',
  '<p title="a &amp; b" data-x=\'c &quot; d\' data-y=e&amp;f>t</p>',
  '<a href="/x?a=1&b=2&amp;c=3">link &copy; 2024</a>',
  '<p class="unterminated>text & more <b>bold</b>',
  '<p data-q=\'single "double" inside\'>x</p><p data-q="double \'single\' inside">y</p>',
  '<script>if (a < b && c > d) { x = "</div>"; }</script><p>after</p>',
  '<script>var s = "<</script><p>after a broken end</p>',
  '<SCRIPT type="text/javascript">x < y</SCRIPT ><p>upper</p>',
  '<script>no end tag at all & < >',
  '<style>a > b { content: "&amp;" }</style><p>styled</p>',
  '<title>A &amp; B &lt; C</title><textarea>raw <b>&amp;</b></textarea><xmp><i>x</i></xmp>',
  '<!-- a comment with <tags> & ampersands --><p>x</p>',
  '<!--><p>short comment</p><!---><p>shorter</p><!-- - -- --->end',
  '<![CDATA[ cdata & <stuff> ]]><?xml version="1.0"?><!DOCTYPE html><p>x</p>',
  '</div ><br/><img src=a.jpg alt=&quot;q&quot;><input value="">',
  '<p>text\n\twith\r\nwhitespace &nbsp;&nbsp; and <br>breaks</p>',
  'trailing text after the last tag <em>x</em> and & more',
  '<div>据报道，当局&amp;周二表示<a href="/新闻?x=1&y=2">新闻</a></div>',
  '<p>emoji 😀 &#128512; &#x1F600;</p>',
];

type Event = [string, ...unknown[]];

/** Every callback the parser makes, with its source positions. */
function events(html: string, tokenizer: typeof Tokenizer, chunks = 1): Event[] {
  const seen: Event[] = [];
  let parser: Parser | undefined;
  const at = (): [number, number] => [parser?.startIndex ?? -1, parser?.endIndex ?? -1];
  const handler: Partial<Handler> = {
    onopentag: (name, attribs) => seen.push(['open', name, { ...attribs }, ...at()]),
    onclosetag: (name, implied) => seen.push(['close', name, implied, ...at()]),
    ontext: (text) => seen.push(['text', text, ...at()]),
    oncomment: (text) => seen.push(['comment', text, ...at()]),
    onprocessinginstruction: (name, text) => seen.push(['pi', name, text, ...at()]),
    oncdatastart: () => seen.push(['cdata', ...at()]),
  };
  parser = new Parser(handler, {
    decodeEntities: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
    Tokenizer: tokenizer,
  });
  const size = Math.ceil(html.length / chunks);
  for (let start = 0; start < html.length; start += size) parser.write(html.slice(start, start + size));
  parser.end();
  return seen;
}

describe('FastTokenizer', () => {
  test('gives the stock tokenizer’s events on inputs built to trip a skipping scan', () => {
    for (const html of TRICKY) {
      assert.deepEqual(events(html, FastTokenizer), events(html, Tokenizer), html);
    }
  });

  test('gives the same events when the page arrives in chunks', () => {
    for (const html of TRICKY) {
      for (const chunks of [2, 3, 7]) {
        assert.deepEqual(events(html, FastTokenizer, chunks), events(html, Tokenizer, chunks), html);
      }
    }
  });

  test('gives the same events on every extraction fixture page', () => {
    const pages = readdirSync(FIXTURES).map((name) => join(FIXTURES, name, 'source.html'));
    assert.ok(pages.length >= 20, 'the extraction fixtures are where they were');
    for (const file of pages) {
      const html = readFileSync(file, 'utf8');
      const fast = events(html, FastTokenizer);
      assert.ok(fast.length > 10, file);
      assert.deepEqual(fast, events(html, Tokenizer), file);
    }
  });

  test('skips ahead instead of stepping through text (the reason it exists)', () => {
    // Counts the main loop's state calls in text: the stock tokenizer makes one per character.
    let calls = 0;
    const Counting = class extends (FastTokenizer as unknown as new (
      ...args: ConstructorParameters<typeof Tokenizer>
    ) => { stateText(c: number): void }) {
      override stateText(c: number): void {
        calls++;
        super.stateText(c);
      }
    } as unknown as typeof Tokenizer;
    events(`<p>${'word '.repeat(2000)}</p>`, Counting);
    assert.ok(calls < 10, `stateText ran ${calls} times over 10,000 characters of text`);
  });
});
