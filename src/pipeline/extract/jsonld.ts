// JSON-LD as pages publish it: the object that describes the article (through @graph, arrays and mainEntity),
// or failing that the web page or post the page is, with references (`{"@id": ...}`) to the page's other nodes
// (the author Person of a Yoast-style @graph) resolved.
import type { Element } from 'domhandler';
import { textContent } from 'domutils';

export type JsonObject = Record<string, unknown>;

/** JSON-LD types that describe an article. */
const ARTICLE_TYPE = /Article$|^BlogPosting$|^Report$|^LiveBlogPosting$|^NewsArticle$/;
/** Types that describe the page or the post it shows, when no article is declared: their dates and author. */
const PAGE_TYPE =
  /^(?:WebPage|ItemPage|AboutPage|QAPage|FAQPage|DiscussionForumPosting|SocialMediaPosting|Question|CreativeWork|Recipe|HowTo)$/;
/** Depth of @id references followed (author -> Person is one). */
const MAX_REFERENCE_DEPTH = 2;

export interface JsonLd {
  /** The article object, else the page or post object; references in it are resolved on read (`resolve`). */
  article?: JsonObject;
  /** Every node with an @id, for `resolve`. */
  nodes: Map<string, JsonObject>;
}

/** Every JSON-LD block of the page read at once; bad JSON is skipped. */
export function readJsonLd(elements: readonly Element[]): JsonLd {
  const nodes = new Map<string, JsonObject>();
  let article: JsonObject | undefined;
  let page: JsonObject | undefined;
  for (const element of elements) {
    if (element.name !== 'script' || !/ld\+json/i.test(element.attribs.type ?? '')) continue;
    let data: unknown;
    try {
      // Publishers leave raw newlines and tabs inside strings; JSON forbids them.
      data = JSON.parse(textContent(element).replace(/[\u0000-\u001f]+/g, ' '));
    } catch {
      continue;
    }
    const queue: unknown[] = [data];
    while (queue.length > 0) {
      const item = queue.shift();
      if (Array.isArray(item)) queue.push(...item);
      else if (item && typeof item === 'object') {
        const object = item as JsonObject;
        if (typeof object['@id'] === 'string' && !nodes.has(object['@id'])) nodes.set(object['@id'], object);
        const types = ([] as unknown[]).concat(object['@type'] ?? []).filter((t) => typeof t === 'string');
        if (!article && types.some((type) => ARTICLE_TYPE.test(type as string))) article = object;
        if (!page && types.some((type) => PAGE_TYPE.test(type as string))) page = object;
        if (object['@graph']) queue.push(object['@graph']);
        if (object.mainEntity) queue.push(object.mainEntity);
      }
    }
  }
  return { article: article ?? page, nodes };
}

/** A value with its `{"@id"}` references replaced by the nodes they name (names, dates and URLs live there). */
export function resolve(value: unknown, nodes: Map<string, JsonObject>, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(item, nodes, depth));
  if (!value || typeof value !== 'object' || depth >= MAX_REFERENCE_DEPTH) return value;
  const object = value as JsonObject;
  const id = object['@id'];
  if (typeof id === 'string' && Object.keys(object).length === 1) return nodes.get(id) ?? object;
  return object;
}

export function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) return stringOf(value[0]);
  return undefined;
}

/** JSON-LD person/organisation name: 'X', {name: 'X'}, or a list of those (joined). */
export function jsonLdName(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) {
    const names = value.map(jsonLdName).filter(Boolean);
    return names.length > 0 ? names.join(', ') : undefined;
  }
  if (value && typeof value === 'object') return stringOf((value as JsonObject).name);
  return undefined;
}

export function jsonLdImage(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return jsonLdImage(value[0]);
  if (value && typeof value === 'object') return stringOf((value as JsonObject).url);
  return undefined;
}
