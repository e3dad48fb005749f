// The copy of an extracted body the transform works on (its steps change the tree in place; the caller's tree,
// often the stored article, must stay as it is), brought on the way to the tree a browser would have built.
//
// Properties: the extractor hands over canonical hast properties (`className`, `colSpan`, `dataSrc`), bodies
// stored by older versions raw attribute names (`class`, `colspan`, `data-src`); every element's properties go
// through the extractor's own mapping, which leaves canonical ones as they are, so both render alike.
//
// Structure: htmlparser2 nests well but not the way the HTML parsing algorithm does. It closes an open <p> only
// when the <p> is the innermost open element, never closes an <a> at the next <a>, builds no <tbody>, and leaves
// stray text inside <table>. hast-util-to-mdast turns such trees into broken Markdown (paragraphs run together, a
// table or heading inside `**…**`, links inside links). So the tree is replayed, node by node, into a small tree
// builder that applies the parsing algorithm's rules for exactly those cases, including reconstructing the
// formatting elements (b, i, a, font…) a forced close cut through. This used to be a serialise/re-parse round trip
// through parse5, about a millisecond an article, run several times per article.
import type { Element, ElementContent, Properties, Root, RootContent } from 'hast';
import { canonicalProperties } from '../../internal/hast-properties.ts';

export function normalizeTree(root: Root): Root {
  const builder = new TreeBuilder();
  for (const child of root.children) builder.replay(child);
  return builder.root;
}

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Start tags that close an open <p> in button scope (the HTML parsing algorithm's list). */
const CLOSES_P = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'header',
  'hgroup',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'search',
  'section',
  'summary',
  'ul',
  ...HEADINGS,
  'pre',
  'listing',
  'form',
  'li',
  'dd',
  'dt',
  'plaintext',
  'table',
  'hr',
  'xmp',
]);
/** Reopened after a forced close until their own end: `<p><b>a<div>b</div>` gives `<div><b>b</b></div>`. */
const FORMATTING = new Set([
  'a',
  'b',
  'big',
  'code',
  'em',
  'font',
  'i',
  'nobr',
  's',
  'small',
  'strike',
  'strong',
  'tt',
  'u',
]);
/** Formatting never reopens across these (the algorithm's "markers"). */
const MARKERS = new Set(['applet', 'caption', 'marquee', 'object', 'template', 'td', 'th']);
const BUTTON_SCOPE = new Set([
  'applet',
  'button',
  'caption',
  'html',
  'marquee',
  'object',
  'table',
  'td',
  'template',
  'th',
]);
const TABLE_PARTS = new Set(['caption', 'col', 'colgroup', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr']);
const TABLE_SECTIONS = new Set(['tbody', 'tfoot', 'thead']);
/** Where text and other elements have no place and are moved before the table ("foster parenting"). */
const TABLE_CONTEXT = new Set(['table', 'tbody', 'tfoot', 'thead', 'tr']);
/** Block starts: formatting is reopened inside them, around their text, not around them. */
const NO_RECONSTRUCT = new Set([...CLOSES_P, ...TABLE_PARTS]);
/** An <li>, <dd> or <dt> closes the open one through inline elements, but not through these. */
const SPECIAL = new Set([
  'applet',
  'area',
  'article',
  'aside',
  'base',
  'basefont',
  'bgsound',
  'blockquote',
  'body',
  'br',
  'button',
  'caption',
  'center',
  'col',
  'colgroup',
  'dd',
  'details',
  'dir',
  'dl',
  'dt',
  'embed',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'frame',
  'frameset',
  ...HEADINGS,
  'head',
  'header',
  'hgroup',
  'hr',
  'html',
  'iframe',
  'img',
  'input',
  'keygen',
  'li',
  'link',
  'listing',
  'main',
  'marquee',
  'menu',
  'meta',
  'nav',
  'noembed',
  'noframes',
  'noscript',
  'object',
  'ol',
  'param',
  'plaintext',
  'pre',
  'script',
  'search',
  'section',
  'select',
  'source',
  'style',
  'summary',
  'table',
  'tbody',
  'td',
  'template',
  'textarea',
  'tfoot',
  'th',
  'thead',
  'title',
  'tr',
  'track',
  'ul',
  'wbr',
  'xmp',
]);
/** Their first newline belongs to the markup (`<pre>\ncode`), and the parser drops it. */
const DROPS_FIRST_NEWLINE = new Set(['pre', 'listing', 'textarea']);
const TABLE_SCOPE = new Set(['template']);
const HTML_WHITESPACE_ONLY = /^[\t\n\f\r ]*$/;

/** An open formatting element: the source element, and the copy (or latest reopened copy) it is built as. */
interface Formatting {
  source: Element;
  built: Element;
}

class TreeBuilder {
  readonly root: Root = { type: 'root', children: [] };
  /** Open elements, innermost last; the root at the bottom stands for <html>. */
  private readonly stack: Array<Root | Element> = [this.root];
  private readonly open = new Set<Element>();
  /** Formatting elements to reopen; `null` is a marker (a table cell, an object) they do not cross. */
  private readonly active: Array<Formatting | null> = [];
  private dropNewline = false;
  /** How many <p> and <table> are open: most elements then need no walk down the stack. */
  private openParagraphs = 0;
  private openTables = 0;

  replay(node: RootContent | ElementContent): void {
    if (node.type === 'text') this.text(node.value);
    else if (node.type === 'comment') {
      this.dropNewline = false;
      this.insert({ type: 'comment', value: node.value }, false);
    } else if (node.type === 'element') {
      const built = this.start(node);
      for (const child of node.children) this.replay(child);
      this.end(node, built);
    }
    // A doctype or raw node has no place in a body. Positions are not copied: they point into some earlier
    // HTML, mean nothing downstream and bloat stored trees.
  }

  private text(raw: string): void {
    let value =
      raw.includes('\r') || raw.includes('\0') ? raw.replace(/\r\n?/g, '\n').replace(/\0/g, '') : raw;
    if (this.dropNewline && value.startsWith('\n')) value = value.slice(1);
    this.dropNewline = false;
    if (value === '') return;
    const foster = this.inTableContext() && !HTML_WHITESPACE_ONLY.test(value);
    if (foster || !this.inTableContext()) this.reconstruct(foster);
    this.insert({ type: 'text', value }, foster);
  }

  /** Opens the copy of `source`; null when it is dropped and its children go where it would have been. */
  private start(source: Element): Element | null {
    this.dropNewline = false;
    const tag = source.tagName;
    let foster = false;
    const table = this.openTable();
    if (table && TABLE_PARTS.has(tag)) {
      this.enterTablePart(tag);
    } else if (table && this.inTableContext()) {
      // A table straight inside a table closes it; anything else is moved before the table.
      if (tag === 'table') this.popThrough(table);
      else foster = true;
    }
    if (tag === 'li') this.closeListItem(['li']);
    else if (tag === 'dd' || tag === 'dt') this.closeListItem(['dd', 'dt']);
    if (this.openParagraphs > 0 && CLOSES_P.has(tag)) {
      const paragraph = this.inScope('p', BUTTON_SCOPE);
      if (paragraph) this.popThrough(paragraph);
    }
    if (HEADINGS.has(tag)) {
      const current = this.current();
      if (current.type === 'element' && HEADINGS.has(current.tagName)) this.popThrough(current);
    }
    if (tag === 'a') {
      // A link inside a link closes the outer one; when a block stands between them (rare), the inner one goes.
      const outer = this.activeLink();
      if (outer) {
        if (this.open.has(outer.built) && !this.specialAbove(outer.built)) this.popThrough(outer.built);
        if (this.open.has(outer.built)) return null;
        this.active.splice(this.active.lastIndexOf(outer), 1);
      }
    }
    if (!NO_RECONSTRUCT.has(tag)) this.reconstruct(foster);
    const element: Element = {
      type: 'element',
      tagName: tag,
      properties: canonicalProperties(source.properties ?? {}),
      children: [],
    };
    this.insert(element, foster);
    this.push(element);
    if (FORMATTING.has(tag)) this.active.push({ source, built: element });
    else if (MARKERS.has(tag)) this.active.push(null);
    this.dropNewline = DROPS_FIRST_NEWLINE.has(tag);
    return element;
  }

  private end(source: Element, built: Element | null): void {
    this.dropNewline = false;
    if (built === null) return;
    let target = built;
    if (FORMATTING.has(source.tagName)) {
      const index = this.active.findLastIndex((entry) => entry?.source === source);
      if (index >= 0) {
        target = (this.active[index] as Formatting).built;
        this.active.splice(index, 1);
      }
    }
    // Already closed by a later start tag (a <div> closed this <p>): nothing left to close.
    if (this.open.has(target)) this.popThrough(target);
  }

  /** Close what a table part cannot sit in, and open the <tbody> and <tr> it needs, inside the innermost table. */
  private enterTablePart(tag: string): void {
    const allowed =
      tag === 'td' || tag === 'th'
        ? ['tr', ...TABLE_SECTIONS]
        : tag === 'tr'
          ? [...TABLE_SECTIONS]
          : tag === 'col'
            ? ['colgroup']
            : [];
    for (;;) {
      const current = this.current() as Element;
      if (current.tagName === 'table' || allowed.includes(current.tagName)) break;
      this.pop();
    }
    const needsSection = tag === 'tr' || tag === 'td' || tag === 'th';
    if (needsSection && (this.current() as Element).tagName === 'table') this.openImplied('tbody');
    if ((tag === 'td' || tag === 'th') && TABLE_SECTIONS.has((this.current() as Element).tagName)) {
      this.openImplied('tr');
    }
  }

  private openImplied(tagName: string): void {
    const element: Element = { type: 'element', tagName, properties: {}, children: [] };
    this.insert(element, false);
    this.push(element);
  }

  /** An <li> (or <dd>, <dt>) closes the open one, through inline elements but not through a nested list. */
  private closeListItem(tags: string[]): void {
    for (let i = this.stack.length - 1; i > 0; i--) {
      const element = this.stack[i] as Element;
      if (tags.includes(element.tagName)) {
        this.popThrough(element);
        return;
      }
      if (SPECIAL.has(element.tagName) && !['address', 'div', 'p'].includes(element.tagName)) return;
    }
  }

  /** Reopen formatting elements a forced close cut through, so the text that follows keeps them. */
  private reconstruct(foster: boolean): void {
    let index = this.active.length - 1;
    const last = this.active[index];
    if (last === undefined || last === null || this.open.has(last.built)) return;
    while (index > 0) {
      const previous = this.active[index - 1];
      if (previous === null || this.open.has((previous as Formatting).built)) break;
      index--;
    }
    for (; index < this.active.length; index++) {
      const entry = this.active[index] as Formatting;
      const copy: Element = {
        type: 'element',
        tagName: entry.built.tagName,
        properties: copyProperties(entry.built.properties),
        children: [],
      };
      this.insert(copy, foster);
      this.push(copy);
      entry.built = copy;
    }
  }

  /** Append to the current element; with `foster`, when that is a table part, put it before the table instead. */
  private insert(node: ElementContent, foster: boolean): void {
    let parent: Root | Element = this.current();
    let at = parent.children.length;
    if (foster && this.inTableContext()) {
      const index = this.stack.lastIndexOf(this.openTable() as Element);
      parent = this.stack[index - 1];
      at = parent.children.lastIndexOf(this.stack[index] as Element);
    }
    const siblings = parent.children as ElementContent[];
    const previous = siblings[at - 1];
    if (node.type === 'text' && previous?.type === 'text') previous.value += node.value;
    else siblings.splice(at, 0, node);
  }

  private push(element: Element): void {
    this.stack.push(element);
    this.open.add(element);
    if (element.tagName === 'p') this.openParagraphs++;
    else if (element.tagName === 'table') this.openTables++;
  }

  private pop(): void {
    const element = this.stack.pop() as Element;
    this.open.delete(element);
    if (element.tagName === 'p') this.openParagraphs--;
    else if (element.tagName === 'table') this.openTables--;
    else if (MARKERS.has(element.tagName)) {
      // Formatting opened inside a cell ends with it: drop entries down to and including the marker.
      let entry: Formatting | null | undefined;
      do entry = this.active.pop();
      while (entry !== null && entry !== undefined);
    }
  }

  private popThrough(element: Element): void {
    while (this.stack.length > 1 && this.current() !== element) this.pop();
    if (this.stack.length > 1) this.pop();
  }

  private current(): Root | Element {
    return this.stack[this.stack.length - 1];
  }

  private inTableContext(): boolean {
    const current = this.current();
    return current.type === 'element' && TABLE_CONTEXT.has(current.tagName) && this.openTable() !== undefined;
  }

  /** The innermost open <table> (bodies can also start at a row or a cell, with no table at all). */
  private openTable(): Element | undefined {
    return this.openTables > 0 ? this.inScope('table', TABLE_SCOPE) : undefined;
  }

  private inScope(tagName: string, boundary: ReadonlySet<string>): Element | undefined {
    for (let i = this.stack.length - 1; i > 0; i--) {
      const element = this.stack[i] as Element;
      if (element.tagName === tagName) return element;
      if (boundary.has(element.tagName)) return undefined;
    }
    return undefined;
  }

  private activeLink(): Formatting | undefined {
    for (let i = this.active.length - 1; i >= 0; i--) {
      const entry = this.active[i];
      if (entry === null) return undefined;
      if (entry.built.tagName === 'a') return entry;
    }
    return undefined;
  }

  private specialAbove(element: Element): boolean {
    for (let i = this.stack.length - 1; i > 0 && this.stack[i] !== element; i--) {
      if (SPECIAL.has((this.stack[i] as Element).tagName)) return true;
    }
    return false;
  }
}

function copyProperties(properties: Properties): Properties {
  const copy: Properties = {};
  for (const name in properties) {
    const value = properties[name];
    copy[name] = Array.isArray(value) ? [...value] : value;
  }
  return copy;
}
