// GitHub's sanitisation schema, apart from the Markdown pipeline that uses it (github-markdown.ts): the transform
// sanitises every page with it, and importing it from there loaded remark, rehype and parse5 into every page worker
// and into `newsmirror extract`.
import { defaultSchema, type Schema } from 'hast-util-sanitize';

/** Elements removed together with everything inside them (others GitHub lacks, like <math>, keep their text). */
const STRIPPED_WITH_CONTENT = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'textarea',
  'select',
  'button',
  'title',
];

/** Default-schema tags an article must not bring: inputs exist only for GitHub's own task lists. */
const REMOVED_TAGS = new Set(['input']);

/**
 * What may reach a reader: GitHub's sanitisation (hast-util-sanitize's default schema follows it), with the contents
 * of non-text elements stripped whole (the default keeps the text of <style>) and no form inputs. Frozen, so no
 * caller can widen it by accident.
 */
export const GITHUB_SCHEMA: Readonly<Schema> = deepFreeze({
  ...structuredClone(defaultSchema),
  tagNames: (defaultSchema.tagNames ?? []).filter((tagName) => !REMOVED_TAGS.has(tagName)),
  attributes: Object.fromEntries(
    Object.entries(structuredClone(defaultSchema.attributes ?? {})).filter(
      ([tagName]) => !REMOVED_TAGS.has(tagName),
    ),
  ),
  required: {},
  strip: [...new Set([...(defaultSchema.strip ?? []), ...STRIPPED_WITH_CONTENT])],
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof RegExp)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
