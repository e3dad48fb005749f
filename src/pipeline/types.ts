// Plain data handed from one pipeline stage to the next. Stages import these types, never each other.
import type { Root as HastRoot } from 'hast';

export type { HastRoot };

/** One article URL found on a channel (listing page, feed or sitemap), newest first. */
export interface SourceItem {
  /** Absolute, normalised URL (fragment and tracking parameters removed). */
  url: string;
  siteId: string;
  channelId: string;
  /** Title as the listing or feed gave it, if any. */
  title?: string;
  /** ISO 8601 time as the feed or sitemap gave it, if any. */
  published?: string;
  /** 0 = newest on that channel. */
  position: number;
}

/** An HTTP response after decoding, as fetch hands it to extract. */
export interface FetchedPage {
  requestedUrl: string;
  /** URL after redirects. */
  url: string;
  status: number;
  /** true when the server answered 304 to a conditional GET: `body` and `text` are empty. */
  notModified: boolean;
  contentType: string;
  /** Raw bytes as received (after content-encoding is undone). */
  body: Uint8Array;
  /** Body decoded with `charset` (empty when fetched with `decode: false`). */
  text: string;
  /** Charset name as used for decoding (lower case, e.g. 'utf-8', 'gbk', 'big5'). */
  charset: string;
  etag?: string;
  lastModified?: string;
}

/** Validators remembered from a previous fetch, for conditional GET. */
export interface CacheValidators {
  etag?: string;
  lastModified?: string;
}

export interface ImageRef {
  /** Absolute URL of the image at the publisher. */
  src: string;
  alt?: string;
}

/** What an extractor finds in one page; `body` is a clean-ish tree for the transform stage. */
export interface ExtractedArticle {
  title: string;
  author?: string;
  /** ISO 8601. */
  published?: string;
  /** BCP 47 language tag, e.g. 'zh-CN', 'en'. */
  lang?: string;
  canonicalUrl?: string;
  leadImage?: ImageRef;
  caption?: string;
  /** The article body as a hast tree (no html/head/body wrappers). */
  body: HastRoot;
  /** Which extractor produced this: the site's rules or the generic extractor. */
  method: 'rules' | 'generic';
  /** Site-rule fields that matched nothing (e.g. ['body', 'caption']), so operators learn of redesigns. */
  ruleMisses: string[];
}

/** Extraction rules of one site: CSS selector lists (comma-separated alternatives). */
export interface SiteRules {
  body?: string;
  title?: string;
  leadImage?: string;
  caption?: string;
  date?: string;
  author?: string;
  /** Each selector is applied on its own: one that matches nothing never stops the others. */
  remove?: string[];
}

export type LinkPolicy = 'mirror' | 'inert' | 'keep';
export type ImagePolicy = 'mirror' | 'hotlink' | 'drop';
export type ScriptPolicy = 'original' | 'simplified' | 'traditional';

/** An article ready to render: extracted, identified and transformed. */
export interface Article {
  /** Stable id derived from the URL with the site's `articleId` pattern; safe as a file name. */
  id: string;
  siteId: string;
  url: string;
  /** Channels listing this article; the first is its home channel (where its page lives). */
  channels: string[];
  title: string;
  author?: string;
  published?: string;
  lang?: string;
  leadImage?: ImageRef;
  caption?: string;
  /** Transformed, sanitised body. */
  body: HastRoot;
}

/** An image the transform stage wants mirrored, and the path it rewrote the reference to. */
export interface ImageDownload {
  src: string;
  /** Path of the asset relative to the mirror root, known once the bytes are stored. */
  assetPath?: string;
}

/** A file to write into the mirror, path relative to the mirror root with '/' separators. */
export interface OutputFile {
  path: string;
  content: string | Uint8Array;
}
