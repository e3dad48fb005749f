// Titles in feeds are often HTML (CDATA with tags, double-escaped entities); readers want plain text.
import { textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';

/** Plain text of a title that may hold HTML markup or entities, whitespace collapsed; undefined when empty. */
export function plainTitle(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const plain = /[<&]/.test(value) ? textContent(parseDocument(value, { decodeEntities: true })) : value;
  const collapsed = collapseWhitespace(plain);
  return collapsed === '' ? undefined : collapsed;
}

export function collapseWhitespace(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
