// The few words a bundle adds around the articles, in the mirror's language (the pages' own labels are Chinese,
// as the original system's were) and converted to the mirror's script.
import { ORIGINAL_LINK_LABEL } from '../page.ts';
import { publicUrlOf } from '../paths.ts';
import { inScript } from '../script.ts';
import type { Bundle, BundleArticle } from './types.ts';

export const CONTENTS_LABEL = '目录';
export const MIRRORED_AT_LABEL = '镜像：';
export { ORIGINAL_LINK_LABEL };

export function label(bundle: Bundle, text: string): string {
  return inScript(text, bundle.script);
}

/** `2023-10-18 · 作者`: what a reader wants under a title. */
export function bylineOf(article: BundleArticle, channelTitle: string): string {
  return [channelTitle, article.published?.slice(0, 10), article.author].filter(Boolean).join(' · ');
}

/** The public URL of a mirror file, when the mirror has one. */
export function publicUrlIn(bundle: Bundle, mirrorPath: string): string | undefined {
  return bundle.publicUrl ? publicUrlOf(bundle.publicUrl, mirrorPath) : undefined;
}
