// The per-article job's input and result: plain, JSON-serialisable data, so a job can run on a worker thread, in
// another process or on another machine (a queue), and be retried: the same input gives the same result.
import type { ArticleRefs } from '../../store/index.ts';
import type { CacheValidators, ExtractedArticle, ImagePolicy, SiteRules } from '../types.ts';

/** What a job needs of its site: how to extract and how to name the article. */
export interface JobSite {
  id: string;
  base: string;
  /** Regular expression over the URL; group 1 is the id. */
  articleId?: string;
  rules?: SiteRules;
  lang?: string;
  /** `any`: the main content of pages that are not articles too (see ExtractOptions.pages). */
  pages?: 'articles' | 'any';
}

export interface ArticleJobInput {
  /** Normalised URL of the article, as listed. */
  url: string;
  site: JobSite;
  images: ImagePolicy;
  maxImageBytes: number;
  /** Validators of the stored copy, for a conditional GET when the article is already mirrored. */
  validators?: CacheValidators;
  /** ISO 8601 time the feed or sitemap gave the article: its date when the page itself names none. */
  listedPublished?: string;
}

/** A failure the writer records against the URL; `retryable` decides whether later runs try again. */
export interface JobFailure {
  code: string;
  message: string;
  retryable: boolean;
}

/** An image stored by content (sha256) in a blob store; the writer copies it into the mirror at `assetPath`. */
export interface ImageBlob {
  sha256: string;
  /** Mirror-root-relative path of the asset: content-addressed, so the same bytes always land at the same path. */
  assetPath: string;
  /** Size of the stored (re-encoded) bytes. */
  bytes: number;
  originalBytes: number;
  contentType: string;
  width?: number;
  height?: number;
}

/** What became of one image an article shows. */
export type ImageOutcome =
  | { src: string; status: 'known' }
  | { src: string; status: 'mirrored'; blob: ImageBlob }
  | ({ src: string; status: 'failed' } & JobFailure);

export interface ExtractedResult {
  kind: 'article';
  url: string;
  /** The URL answered after redirects. */
  finalUrl: string;
  extracted: ExtractedArticle;
  /** Hash of what the page shows (not of how it was extracted): a different one means an edit. */
  contentHash: string;
  /** Other URLs of the same article on the same site (redirect target, canonical link), normalised. */
  aliases: string[];
  /** Ids the site's pattern gives for the URL, then for each alias; the writer takes the first free one. */
  idCandidates: string[];
  refs: ArticleRefs;
  /** One per image in `refs.images`, in order (empty unless images are mirrored). */
  images: ImageOutcome[];
  validators: CacheValidators;
}

export type ArticleJobResult =
  | { kind: 'not_modified'; url: string }
  | ExtractedResult
  | { kind: 'failed'; url: string; failure: JobFailure };
