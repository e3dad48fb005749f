// HTML attributes as hast properties: `class="a b"` -> `className: ['a', 'b']`, `colspan="2"` -> `colSpan: 2`,
// `data-src` -> `dataSrc`, `hidden` -> `true`, `srcset` -> a comma-separated list. This is the form
// hast-util-from-html gives and what hast-util-sanitize, hast-util-to-mdast and the transform read.
//
// Why our own function: the extractor converts htmlparser2's DOM to hast itself (a page is parsed once), and the
// transform used to serialise and re-parse every body with parse5 only to get these names. The rules are the ones
// hastscript applies when hast-util-from-parse5 builds a tree, driven by the same tables (property-information);
// this is a small version of them for string attribute values, which is all a parsed page has.

import { parse as parseCommas } from 'comma-separated-tokens';
import type { Properties } from 'hast';
import { find, html, type Info, normalize } from 'property-information';
import { parse as parseSpaces } from 'space-separated-tokens';

/**
 * Set the attribute `name="value"` on `properties` under its hast property name, with the value parsed the way
 * its definition says (lists, numbers, booleans). Also accepts a name that already is a property name (`className`,
 * `colSpan`, `dataSrc`) and a value already in that form, which it leaves as it is, so applying it twice is harmless.
 */
export function setProperty(properties: Properties, name: string, value: string): void {
  const info = find(html, name);
  let result: Properties[string];
  if (info.spaceSeparated) result = parseList(info, parseSpaces(value));
  else if (info.commaSeparated) result = parseList(info, parseCommas(value));
  else if (info.commaOrSpaceSeparated) result = parseList(info, parseSpaces(parseCommas(value).join(' ')));
  else result = parsePrimitive(info, value);
  const existing = properties[info.property];
  // `class` and `classname` (a DOM property name written as an attribute) both name className: keep both lists.
  if (info.property === 'className' && Array.isArray(existing) && Array.isArray(result)) {
    result = [...existing, ...result];
  }
  properties[info.property] = result;
}

/**
 * Properties in hast form, whatever form they came in: bodies stored by older versions carry raw attribute names
 * and string values (`{ class: 'a b', colspan: '2' }`). Values that are not strings are already parsed and kept.
 */
export function canonicalProperties(properties: Readonly<Properties>): Properties {
  const result: Properties = {};
  for (const name in properties) {
    const value = properties[name];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') setProperty(result, name, value);
    else result[find(html, name).property] = Array.isArray(value) ? [...value] : value;
  }
  return result;
}

function parseList(info: Info, tokens: string[]): Array<string | number> {
  if (!info.number) return tokens;
  return tokens.map((token) => parsePrimitive(info, token) as string | number);
}

/** A number for numeric properties, `true` for a boolean one written bare or as its own name (`hidden="hidden"`). */
function parsePrimitive(info: Info, value: string): string | number | boolean {
  if (info.number && value !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (
    (info.boolean || info.overloadedBoolean) &&
    (value === '' || normalize(value) === normalize(info.property))
  ) {
    return true;
  }
  return value;
}
