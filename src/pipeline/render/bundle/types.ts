// Plain data a bundle (EPUB book or single-file HTML) is rendered from: articles already transformed and
// sanitised by the transform stage, and their mirrored images already re-encoded for the bundle.
import type { LabelOverrides } from '../../../internal/labels.ts';
import type { HastRoot, ScriptPolicy } from '../../types.ts';

export interface BundleArticle {
  /** Unique within the bundle and safe as a file name and an id: `<site>-<id>`. */
  key: string;
  /** Mirror-root path of the article's page: relative links and images of `body` are relative to it. */
  pagePath: string;
  title: string;
  author?: string;
  /** ISO 8601. */
  published?: string;
  /** BCP 47 tag of the text as shown (after script conversion). */
  lang?: string;
  /** The publisher's URL, shown as text (it is usually blocked where the bundle is read). */
  url: string;
  /** `src` as the page references it (relative to `pagePath`). */
  leadImage?: { src: string; alt?: string };
  caption?: string;
  /** Transformed, sanitised body, as the page shows it. */
  body: HastRoot;
}

export interface BundleChannel {
  id: string;
  title: string;
  /** Newest first. */
  articles: BundleArticle[];
}

/** A mirrored image as the bundle carries it. */
export interface BundleImage {
  mediaType: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';
  bytes: Uint8Array;
  width?: number;
  height?: number;
}

export interface Bundle {
  /** The book's or file's title, e.g. `大纪元新闻镜像 · 国际 · 2023-10-18`. */
  title: string;
  /** The mirror's title: the book's creator. */
  creator: string;
  /** BCP 47 tag of the whole bundle (the articles' own, when they agree). */
  lang?: string;
  /** The mirror's public URL (a folder): links to pages the bundle does not carry point there. */
  publicUrl?: string;
  /** Labels are converted to the mirror's script. */
  script: ScriptPolicy;
  /** `mirror.labels`: the built-in labels replaced, by language. */
  labels?: LabelOverrides;
  channels: BundleChannel[];
  /** Mirror-root asset path -> the image; an image missing here is left out of the bundle. */
  images: Map<string, BundleImage>;
  /** Changes when any content changes (an EPUB's identifier is derived from it). */
  contentKey: string;
  /** The news day (YYYY-MM-DD) the bundle is of: its last day. */
  date: string;
  /** Latest change of any article: the EPUB's modification time, so the same content gives the same bytes. */
  modified: Date;
}
