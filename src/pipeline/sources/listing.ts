// Channel listing pages: article links picked with a CSS selector list, as the original did
// ('.post_list .title a, .arttitle a': the second alternative catches pages still on the older template).
import { selectAll } from 'css-select';
import { type AnyNode, type Element, isTag } from 'domhandler';
import { getAttributeValue, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { FastTokenizer } from '../../internal/html-tokenizer.ts';
import { resolveHttpUrl } from '../../internal/url.ts';
import { SourceError } from './errors.ts';
import { type DiscoveredLink, discoveredLink } from './links.ts';
import { collapseWhitespace } from './text.ts';

/**
 * Links matched by `linkSelector` in document order (alternatives of the list interleave as on the page).
 * A matched element that is not a link contributes its first descendant `a[href]`. Hrefs are resolved
 * against `<base href>` and `pageUrl`; non-http(s) links (javascript:, mailto:) are skipped. The title is the
 * link's text, else its title attribute, else an image's alt.
 */
export function parseListing(html: string, pageUrl: string, linkSelector: string): DiscoveredLink[] {
  const document = parseDocument(html, {
    decodeEntities: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
    Tokenizer: FastTokenizer,
  });
  let matched: Element[];
  try {
    matched = selectAll<AnyNode, Element>(linkSelector, document);
  } catch (error) {
    throw new SourceError(
      `listing ${pageUrl}: the link selector "${linkSelector}" is not valid CSS (${error instanceof Error ? error.message : String(error)})`,
      { code: 'bad_selector', where: pageUrl, retryable: false, cause: error },
    );
  }
  const baseElement = selectAll<AnyNode, Element>('base[href]', document)[0];
  const baseHref = baseElement === undefined ? undefined : getAttributeValue(baseElement, 'href')?.trim();
  const base = (baseHref && resolveHttpUrl(baseHref, pageUrl)) || pageUrl;

  const links: DiscoveredLink[] = [];
  for (const element of matched) {
    const anchor = hasHref(element) ? element : selectAll<Element, Element>('a[href]', element)[0];
    if (anchor === undefined) continue;
    const url = resolveHttpUrl(getAttributeValue(anchor, 'href')!.trim(), base);
    if (url === null) continue;
    links.push(discoveredLink(url, linkTitle(anchor)));
  }
  return links;
}

function hasHref(element: Element): boolean {
  return (element.name === 'a' || element.name === 'area') && element.attribs.href !== undefined;
}

function linkTitle(anchor: Element): string | undefined {
  const fromText = collapseWhitespace(textContent(anchor));
  if (fromText !== '') return fromText;
  const fromAttribute = collapseWhitespace(anchor.attribs.title ?? '');
  if (fromAttribute !== '') return fromAttribute;
  const image = selectAll<Element, Element>('img[alt]', anchor).find(isTag);
  const alt = collapseWhitespace(image?.attribs.alt ?? '');
  return alt === '' ? undefined : alt;
}
