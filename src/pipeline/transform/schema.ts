// What may reach a page: GitHub's sanitisation (hast-util-sanitize's default schema follows it), with the
// contents of non-text elements stripped whole (the default keeps the text of <style>) and no form inputs
// (GitHub allows task-list checkboxes only from its own Markdown, never from article HTML).
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

/** Default-schema tags an article body must not bring: inputs exist only for GitHub's task lists. */
const REMOVED_TAGS = new Set(['input']);

export const SANITIZE_SCHEMA: Readonly<Schema> = deepFreeze({
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

/** The schema is shared by every transform: frozen so no caller can widen it by accident. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof RegExp)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
