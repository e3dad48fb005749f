import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Element, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { canonicalProperties } from '../../src/internal/hast-properties.ts';
import { domToHast, parseHtml } from '../../src/pipeline/extract/dom.ts';

/** One element per attribute form the mapping has to get right: lists, numbers, booleans, data, aria, unknown. */
const ELEMENTS = [
  '<p class=" lead  intro " id="p1" title="T" lang="zh-CN" dir="rtl">x</p>',
  '<td colspan="2" rowspan="3" headers="a b" align="center">x</td>',
  '<td colspan="wide">x</td>',
  '<img src="/a.jpg" data-src="/b.jpg" data-lazy-src="/c.jpg" data-srcset="/d.jpg 2x" srcset="/s.jpg 1x, /l.jpg 2x" width="600" height="auto" alt="A">',
  '<p hidden>x</p>',
  '<p hidden="hidden">x</p>',
  '<p hidden="false">x</p>',
  '<hr noshade size="1">',
  '<div itemscope itemtype="http://schema.org/ImageObject" itemprop="image">x</div>',
  '<a href="/x" rel="nofollow noopener" target="_blank" download aria-hidden="true" aria-label="L" tabindex="-1">x</a>',
  '<ol start="3" reversed type="a"><li value="7">x</li></ol>',
  '<span style="display: none" onclick="x()" data-foo-bar="1" x-unknown="y" classname="extra" class="first">x</span>',
  '<div accept-charset="utf-8" xml:lang="en" contenteditable="true" draggable="false" spellcheck>x</div>',
  '<p class="">x</p>',
];

function elementsOf(root: Root): Element[] {
  const found: Element[] = [];
  const visit = (nodes: RootContent[]) => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      found.push(node);
      visit(node.children as RootContent[]);
    }
  };
  visit(root.children);
  return found;
}

/** The body as older versions stored it: attribute names and string values as htmlparser2 gave them. */
function legacyProperties(html: string): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = [];
  const visit = (nodes: ReturnType<typeof parseHtml>['children']) => {
    for (const node of nodes) {
      if (node.type !== 'tag') continue;
      found.push({ ...node.attribs });
      visit(node.children);
    }
  };
  visit(parseHtml(html).children);
  return found;
}

describe('HTML attributes as hast properties', () => {
  for (const html of ELEMENTS) {
    test(`domToHast gives what a spec parser gives: ${html.slice(0, 60)}`, () => {
      const ours = elementsOf(domToHast(parseHtml(html).children)).map((element) => element.properties);
      const spec = elementsOf(fromHtml(html, { fragment: true })).map((element) => element.properties);
      assert.deepEqual(ours, spec);
    });
  }

  test('stored raw attribute names map to the same properties, and canonical ones stay as they are', () => {
    for (const html of ELEMENTS) {
      const canonical = elementsOf(domToHast(parseHtml(html).children)).map((element) => element.properties);
      const legacy = legacyProperties(html).map((properties) => canonicalProperties(properties));
      assert.deepEqual(legacy, canonical, html);
      assert.deepEqual(
        canonical.map((properties) => canonicalProperties(properties)),
        canonical,
        `idempotent: ${html}`,
      );
    }
  });
});
