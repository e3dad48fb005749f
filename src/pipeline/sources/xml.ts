// One safe, uniform way to read the XML of feeds and sitemaps with fast-xml-parser.
// Safety: the DOCTYPE (with any entity declarations) is removed before parsing and the parser's own entity
// processing is off, so no entity is ever expanded (no billion laughs, no external entities); only the five
// predefined entities and numeric character references are decoded, by `decodeXmlText`.
// Leniency: feeds in the wild put bare '&' in URLs; those are escaped before validation instead of failing. Control
// characters XML forbids (pasted from word processors, or planted: ESC starts terminal sequences) are dropped
// the same way, as the parser would otherwise pass them on into titles.
import type { X2jOptions, XMLParser } from 'fast-xml-parser';
import { lazyRequire } from '../../internal/lazy-require.ts';
import { SourceError } from './errors.ts';

/**
 * Its CommonJS build, one bundled file (~6 ms to load; the ES build, ~40 modules, ~38 ms), required on the first
 * feed or sitemap: a run over listing pages only never loads it.
 */
const fastXmlParser = lazyRequire<typeof import('fast-xml-parser')>('fast-xml-parser');

/** Every element is an array of these: attributes under `@_name`, text under `#text`, children by tag name. */
export interface XmlElement {
  '#text'?: string;
  [key: string]: XmlElement[] | string | undefined;
}

/** Deepest element nesting accepted; real feeds and sitemaps stay under 10, this stops pathological input. */
const MAX_NESTED_TAGS = 200;

let parser: XMLParser | undefined;

const PARSER_OPTIONS: X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  alwaysCreateTextNode: true,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_NESTED_TAGS,
  isArray: (_name, _path, _isLeaf, isAttribute) => !isAttribute,
};

/** Root element name (with its prefix, e.g. 'rdf:RDF') and the root element. */
export interface XmlDocument {
  rootName: string;
  root: XmlElement;
}

/**
 * Parse a feed or sitemap. Throws a SourceError naming `sourceUrl`, the line and the reason when the text is
 * not well-formed XML (after the leniency fixes above).
 */
export function parseXmlDocument(text: string, sourceUrl: string, what: string): XmlDocument {
  const prepared = prepareXml(text);
  const { XMLParser, XMLValidator } = fastXmlParser();
  const validation = XMLValidator.validate(prepared, { allowBooleanAttributes: true });
  if (validation !== true) {
    throw new SourceError(`${what} ${sourceUrl} could not be parsed: ${describeXmlError(validation.err)}`, {
      code: 'xml_invalid',
      where: sourceUrl,
      retryable: true,
    });
  }
  let parsed: Record<string, XmlElement[]>;
  try {
    parser ??= new XMLParser(PARSER_OPTIONS);
    parsed = parser.parse(prepared);
  } catch (error) {
    throw new SourceError(
      `${what} ${sourceUrl} could not be parsed: ${error instanceof Error ? error.message : String(error)}`,
      { code: 'xml_invalid', where: sourceUrl, retryable: true, cause: error },
    );
  }
  const rootName = Object.keys(parsed).find((key) => !key.startsWith('?') && !key.startsWith('#'));
  if (rootName === undefined) {
    throw new SourceError(`${what} ${sourceUrl} could not be parsed: the document has no root element`, {
      code: 'xml_empty',
      where: sourceUrl,
      retryable: true,
    });
  }
  return { rootName, root: parsed[rootName][0] };
}

/** The validator reports unclosed elements as a dump of its tag stack; say it in words instead. */
function describeXmlError(error: { code: string; msg: string; line: number; col?: number }): string {
  const unclosed = /^Invalid '\[([\s\S]*)\]' found/.exec(error.msg);
  if (unclosed !== null) {
    const names = [...unclosed[1].matchAll(/"([^"]+)"/g)].map((match) => `<${match[1]}>`);
    return `the document ends before ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} closed (cut short?)`;
  }
  return `${error.msg} (line ${error.line}${error.col ? `, column ${error.col}` : ''})`;
}

/** C0 controls other than tab, LF and CR, and the noncharacters U+FFFE/U+FFFF: not characters of XML 1.0. */
const NOT_XML_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const BARE_AMPERSAND = /&(?!#\d{1,7};|#x[0-9a-fA-F]{1,6};|[A-Za-z][\w.-]{0,31};)/g;
const CDATA_START = '<![CDATA[';
const CDATA_END = ']]>';

/**
 * BOM, characters XML forbids and whitespace before the declaration removed, DOCTYPE removed, CDATA turned into
 * escaped text (so text and CDATA keep their order and get the same decoding), bare '&' outside CDATA escaped.
 * Scanned with indexOf, not lazy regular expressions: those retry from every unclosed `<![CDATA[` or `<!DOCTYPE [`
 * to the end of the text, which a hostile feed of 100,000 of them turns into hours.
 */
export function prepareXml(text: string): string {
  const body = removeDoctype(
    text
      .replace(/^\uFEFF/, '')
      .replace(NOT_XML_CHARACTERS, '')
      .trimStart(),
  );
  let result = '';
  let last = 0;
  for (;;) {
    const start = body.indexOf(CDATA_START, last);
    if (start === -1) break;
    const end = body.indexOf(CDATA_END, start + CDATA_START.length);
    if (end === -1) break; // Unclosed: left as written, for the validator to report.
    result += body.slice(last, start).replace(BARE_AMPERSAND, '&amp;');
    result += escapeXmlText(body.slice(start + CDATA_START.length, end));
    last = end + CDATA_END.length;
  }
  return result + body.slice(last).replace(BARE_AMPERSAND, '&amp;');
}

/** The first `<!DOCTYPE ...>` (with its internal subset `[...]`) removed; an unclosed one is left as written. */
function removeDoctype(body: string): string {
  const start = body.search(/<!DOCTYPE/i);
  if (start === -1) return body;
  const close = body.indexOf('>', start);
  const subset = body.indexOf('[', start);
  if (close === -1) return body;
  if (subset === -1 || close < subset) return body.slice(0, start) + body.slice(close + 1);
  // The subset ends at the first ']' followed by optional whitespace and '>'.
  for (let at = body.indexOf(']', subset); at !== -1; at = body.indexOf(']', at + 1)) {
    let next = at + 1;
    while (next < body.length && /\s/.test(body[next])) next++;
    if (body[next] === '>') return body.slice(0, start) + body.slice(next + 1);
  }
  return body;
}

function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const PREDEFINED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode the predefined entities and numeric references; other `&name;` stay as written (HTML may know them). */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos);/g, (entity, name: string) => {
    if (!name.startsWith('#')) return PREDEFINED_ENTITIES[name];
    const codePoint =
      name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return isXmlChar(codePoint) ? String.fromCodePoint(codePoint) : entity;
  });
}

function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/** Local part of a qualified name: 'news:title' -> 'title'. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/**
 * Child elements by name. A name with a prefix ('feedburner:origLink') matches that local name under any
 * prefix, since publishers bind namespaces to varying prefixes; a name without one matches only unprefixed
 * children (so RSS `link` is never confused with `atom:link`).
 */
export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  if (element === undefined) return [];
  if (!name.includes(':')) {
    const value = element[name];
    return Array.isArray(value) ? value : [];
  }
  const wanted = localName(name);
  const found: XmlElement[] = [];
  for (const [key, value] of Object.entries(element)) {
    if (key.includes(':') && !key.startsWith('@_') && localName(key) === wanted && Array.isArray(value)) {
      found.push(...value);
    }
  }
  return found;
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return children(element, name)[0];
}

/** Decoded text of an element ('' when absent). */
export function text(element: XmlElement | undefined): string {
  const raw = element?.['#text'];
  return typeof raw === 'string' ? decodeXmlText(raw).trim() : '';
}

/** Decoded attribute value, by qualified name as written ('href', 'xml:base'). */
export function attribute(element: XmlElement | undefined, name: string): string | undefined {
  const raw = element?.[`@_${name}`];
  return typeof raw === 'string' ? decodeXmlText(raw) : undefined;
}
