// The few words a bundle adds around the articles, from the one label table pages use (internal/labels.ts): the
// book's language for its own words, an article's for the words beside it; converted to the mirror's script.
import { type LabelName, labelsFor } from '../../../internal/labels.ts';
import { publicUrlOf } from '../paths.ts';
import { inScript } from '../script.ts';
import type { Bundle, BundleArticle } from './types.ts';

export const CONTENTS_LABEL: LabelName = 'contents';
export const MIRRORED_AT_LABEL: LabelName = 'mirroredAt';
export const ORIGINAL_LINK_LABEL: LabelName = 'source';

/** The label `name` in `lang` (default: the bundle's), in the bundle's script. */
export function label(bundle: Bundle, name: LabelName, lang: string | undefined = bundle.lang): string {
  return inScript(labelsFor(lang, bundle.labels)[name], bundle.script);
}

/** `2023-10-18 · 作者`: what a reader wants under a title. */
export function bylineOf(article: BundleArticle, channelTitle: string): string {
  return [channelTitle, article.published?.slice(0, 10), article.author].filter(Boolean).join(' · ');
}

/** The public URL of a mirror file, when the mirror has one. */
export function publicUrlIn(bundle: Bundle, mirrorPath: string): string | undefined {
  return bundle.publicUrl ? publicUrlOf(bundle.publicUrl, mirrorPath) : undefined;
}
