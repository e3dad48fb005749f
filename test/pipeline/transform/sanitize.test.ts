import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Element, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { defaultSchema } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import { SANITIZE_FIXTURES, sanitizeCase, sanitizeCaseNames } from '../../../harness/render-fixtures.ts';
import { SANITIZE_SCHEMA } from '../../../src/pipeline/transform/index.ts';
import { sanitizeBody } from '../../../src/pipeline/transform/sanitize.ts';

function allElements(root: Root): Element[] {
  const found: Element[] = [];
  const stack: Array<Root | RootContent> = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'element') found.push(node);
    if ('children' in node) stack.push(...node.children);
  }
  return found;
}

function attributeNames(entries: ReadonlyArray<string | readonly unknown[]>): string[] {
  return entries.map((entry) => (typeof entry === 'string' ? entry : String(entry[0])));
}

describe('sanitiser fixtures (regenerate: npx tsx scripts/regen-render-fixtures.ts)', () => {
  for (const name of sanitizeCaseNames()) {
    test(name, () => {
      assert.equal(sanitizeCase(name), readFileSync(join(SANITIZE_FIXTURES, name, 'output.html'), 'utf8'));
    });
  }
});

describe('sanitiser behaviour', () => {
  const clean = (html: string) => toHtml(sanitizeBody(fromHtml(html, { fragment: true })));

  test('strips script, style (text included), iframe, on* handlers and javascript: URLs', () => {
    const out = clean(
      '<style>body{display:none}</style><script>x()</script><iframe src="https://e.example/">f</iframe><p onclick="x()"><a href="javascript:x()">a</a><img src="javascript:x()" onerror="x()"></p>',
    );
    assert.equal(out, '<p><a>a</a><img></p>');
  });

  test('keeps what GitHub keeps', () => {
    const html =
      '<p><a href="https://example.org/">a</a><img src="https://i.example/a.png" alt="x"></p><table><tbody><tr><td>c</td></tr></tbody></table><del>d</del>';
    assert.equal(clean(html), html);
  });

  test('ids get the user-content- prefix GitHub gives them', () => {
    assert.equal(clean('<h4 id="x">t</h4>'), '<h4 id="user-content-x">t</h4>');
  });

  test('random markup never yields a script, style, event handler or javascript: URL', () => {
    const tag = fc.constantFrom(
      'p',
      'a',
      'img',
      'script',
      'style',
      'iframe',
      'div',
      'svg',
      'noscript',
      'template',
      'b',
    );
    const attribute = fc.constantFrom(
      ' href="javascript:alert(1)"',
      ' src="JAVASCRIPT:alert(1)"',
      ' onclick="x()"',
      ' onerror=x()',
      ' style="color:red"',
      ' href="https://ok.example/"',
      ' srcset="https://e.example/a.png 1x"',
      '',
    );
    const fragment = fc
      .array(fc.tuple(tag, attribute, fc.string({ maxLength: 8 }), fc.boolean()), { maxLength: 12 })
      .map((parts) =>
        parts
          .map(([name, attr, text, close]) => `<${name}${attr}>${text}${close ? `</${name}>` : ''}`)
          .join(''),
      );
    fc.assert(
      fc.property(fragment, (html) => {
        const tree = sanitizeBody(fromHtml(html, { fragment: true }));
        for (const element of allElements(tree)) {
          assert.ok(!['script', 'style', 'iframe', 'svg', 'noscript', 'template'].includes(element.tagName));
          for (const [name, value] of Object.entries(element.properties)) {
            assert.ok(!/^on/i.test(name), `handler ${name}`);
            assert.notEqual(name, 'style');
            assert.notEqual(name, 'srcSet');
            assert.ok(!/^\s*javascript:/i.test(String(value)), `${name}=${value}`);
          }
        }
        assert.ok(!/display|color:red/.test(toHtml(tree)), 'no style text leaks');
      }),
      { numRuns: 300 },
    );
  });
});

describe('sanitiser schema invariants', () => {
  const schema = SANITIZE_SCHEMA;
  const tagNames = schema.tagNames ?? [];
  const attributes = schema.attributes ?? {};

  test('it is GitHub`s default schema, narrowed: every tag allowed is allowed by the default', () => {
    for (const tagName of tagNames) assert.ok(defaultSchema.tagNames?.includes(tagName), tagName);
    assert.deepEqual(schema.protocols, defaultSchema.protocols);
    assert.equal(schema.clobberPrefix, 'user-content-');
    assert.deepEqual(schema.clobber, defaultSchema.clobber);
  });

  test('no attribute is allowed both globally and per tag', () => {
    const global = new Set(attributeNames(attributes['*'] ?? []));
    for (const [tagName, list] of Object.entries(attributes)) {
      if (tagName === '*') continue;
      for (const name of attributeNames(list))
        assert.ok(!global.has(name), `${tagName}.${name} is also global`);
    }
  });

  test('no script-capable tag, no event handler, no style attribute, no unsafe protocol', () => {
    for (const tagName of [
      'script',
      'style',
      'iframe',
      'object',
      'embed',
      'svg',
      'noscript',
      'template',
      'input',
      'form',
    ]) {
      assert.ok(!tagNames.includes(tagName), tagName);
    }
    for (const list of Object.values(attributes)) {
      for (const name of attributeNames(list)) {
        assert.ok(!/^on/i.test(name), name);
        assert.notEqual(name, 'style');
      }
    }
    for (const [property, protocols] of Object.entries(schema.protocols ?? {})) {
      for (const protocol of protocols ?? [])
        assert.ok(
          ['http', 'https', 'mailto', 'irc', 'ircs', 'xmpp'].includes(protocol),
          `${property}: ${protocol}`,
        );
    }
  });

  test('style, script, noscript and template are stripped with their content', () => {
    for (const tagName of ['script', 'style', 'noscript', 'template'])
      assert.ok(schema.strip?.includes(tagName), tagName);
  });

  test('the schema is frozen, so no caller can widen it', () => {
    assert.ok(Object.isFrozen(schema));
    assert.ok(Object.isFrozen(schema.tagNames));
    assert.throws(() => (schema.tagNames as string[]).push('script'));
  });
});
