// The store: what newsmirror remembers between runs. This module only declares the ports and their records, so the
// pipeline depends on them alone; `sqlite.ts` implements them (the embedded default), `postgres/` a second backend
// for several machines. Methods return Promises for the latter, even though SQLite does its work synchronously.
//
// Times are ISO 8601 strings (`new Date().toISOString()`); days are 'YYYY-MM-DD' (UTC). URLs are compared
// exactly as given: normalise them (sources drop fragments and tracking parameters) before they reach the store.

/** One mirrored article, keyed by (siteId, id). */
export interface ArticleRecord {
  siteId: string;
  /** Id derived from the URL with the site's `articleId` pattern. */
  id: string;
  /** The URL the article was last fetched from. */
  url: string;
  canonicalUrl?: string;
  /** The channel whose folder holds the page (the first channel that listed it). */
  homeChannel: string;
  /** Path of the page relative to the mirror root, e.g. 'pages/ncid1078159/n14097883.md'. Unique. */
  pagePath: string;
  title: string;
  author?: string;
  /** ISO 8601 as the publisher gave it. */
  published?: string;
  lang?: string;
  /** Hash of what the page shows; a different hash means the article changed at the source. */
  contentHash: string;
  /** JSON text of the ExtractedArticle, so `rebuild` can re-render without fetching. */
  extracted: string;
  /** When the article was first stored. Kept from the first save; later saves cannot change it. */
  firstSeen: string;
  /** When the stored content last changed. */
  updatedAt: string;
  /** When the article was found retracted (gone at the source); absent while it is live. */
  retractedAt?: string;
}

/** The name the pipeline uses for a stored article. */
export type StoredArticle = ArticleRecord;

/** Identifies an article. */
export interface ArticleKey {
  siteId: string;
  id: string;
}

/** What newsmirror saw of an article on the listing or feed it came from, to notice a change without fetching. */
export interface SourceSignal {
  title?: string;
  published?: string;
}

export type RefKind = 'image' | 'link';

/** Absolute image sources and normalised link targets of one article's page. */
export interface ArticleRefs {
  images: string[];
  links: string[];
}

/** What `saveArticle` did: stored a new article, changed a stored one, or found nothing to change. */
export type SaveResult = 'new' | 'updated' | 'unchanged';

export interface ListArticlesOptions {
  /** Only articles listed in this channel (any channel when absent). */
  channelId?: string;
  /** Default: no limit. */
  limit?: number;
  offset?: number;
}

/** One line of a channel index. */
export interface ChannelEntry {
  siteId: string;
  id: string;
  title: string;
  /** Page path of the article (it lives in its home channel's folder, which may differ from `channelId`). */
  path: string;
  published?: string;
  firstSeen: string;
  /** The channel that was listed. */
  channelId: string;
  homeChannel: string;
  retractedAt?: string;
}

export interface PageOptions {
  /** Default: no limit. */
  limit?: number;
  offset?: number;
}

/** Validators for conditional GET, plus the hash of the body they came with. */
export interface FetchValidators {
  etag?: string;
  lastModified?: string;
  contentHash?: string;
}

export interface FailureInput {
  url: string;
  siteId: string;
  channelId?: string;
  /** Stable key of the error (FetchError/ExtractError `code`), e.g. 'http_404', 'timeout'. */
  code: string;
  message: string;
  /** Whether a later run may succeed; the pipeline retries only these. */
  retryable: boolean;
  at: string;
}

/** A URL that failed, with how often and since when. Cleared when the URL succeeds. */
export interface FailureRecord extends Omit<FailureInput, 'at'> {
  /** Failed attempts since the last success. */
  attempts: number;
  firstAt: string;
  lastAt: string;
}

export interface ListFailuresOptions {
  retryableOnly?: boolean;
  siteId?: string;
}

export type RunStatus = 'running' | 'finished' | 'abandoned';

export interface RunSummary {
  finishedAt: string;
  newCount: number;
  updated: number;
  failed: number;
  skipped: number;
  /** The commit the run made, if it made one. */
  commit?: string;
  /** Bytes written into the mirror (pages and assets). */
  bytes: number;
}

export interface RunRecord extends Partial<RunSummary> {
  id: number;
  startedAt: string;
  /** 'running' until finished; a 'running' row that is not the current run was killed midway. */
  status: RunStatus;
}

export interface ImageInput {
  /** Absolute URL of the image at the publisher. */
  src: string;
  /** Path of the stored asset relative to the mirror root, e.g. 'assets/ab/ab12….webp'. */
  assetPath: string;
  /** sha256 (hex) of the stored bytes. */
  sha256: string;
  /** Size of the stored (re-encoded) asset. */
  bytes: number;
  /** Size of the image as downloaded. */
  originalBytes: number;
  width?: number;
  height?: number;
  contentType: string;
  /** Default: now. */
  savedAt?: string;
}

export interface ImageRecord extends ImageInput {
  savedAt: string;
}

export interface ImageFailure {
  src: string;
  code: string;
  message: string;
  attempts: number;
  firstAt: string;
  lastAt: string;
}

export interface PushAttempt {
  at: string;
  ok: boolean;
  /** The commit pushed (or tried). */
  commit?: string;
  error?: string;
}

/** What newsmirror knows of one git remote. */
export interface PushState {
  remote: string;
  lastAttemptAt: string;
  /** Whether the last attempt succeeded. */
  ok: boolean;
  /** Commit of the last attempt. */
  commit?: string;
  /** Error of the last attempt, when it failed. */
  error?: string;
  lastSuccessAt?: string;
  /** Commit the remote is known to hold. */
  lastPushedCommit?: string;
  /** Failed attempts since the last success (0 after a success). */
  consecutiveFailures: number;
}

export interface ViewCount {
  /** Page path relative to the mirror root. */
  path: string;
  /** 'YYYY-MM-DD' (UTC). */
  day: string;
  count: number;
}

export interface TopPagesOptions {
  /** First day counted, 'YYYY-MM-DD' (inclusive). */
  sinceDay: string;
  limit: number;
  /** Only pages of articles whose home channel is this one. */
  channelId?: string;
}

export interface TopPage {
  path: string;
  views: number;
  /** Known when the path is an article's page. */
  siteId?: string;
  id?: string;
  title?: string;
  channelId?: string;
}

export interface DayViews {
  day: string;
  views: number;
}

// --- the ports -------------------------------------------------------------------------------------------------
// The store is a set of narrow ports, one per thing remembered, so a caller names what it depends on
// (`store.articles`, `store.fetchCache`…) and a backend (SQLite, PostgreSQL) implements each on its own.
// `test/store/contract.ts` (`describeStore(name, open)`) is the behaviour every backend must pass.

export interface ArticlesPort {
  get(siteId: string, id: string): Promise<ArticleRecord | undefined>;
  /** Finds an article by any URL it is known under: fetched, canonical, or a listing variant (`addUrl`). */
  getByUrl(url: string): Promise<ArticleRecord | undefined>;
  /** The article whose page is at `pagePath`. */
  getByPath(pagePath: string): Promise<ArticleRecord | undefined>;
  /**
   * Stores an article under (siteId, id), never as a second row. 'unchanged' when contentHash, homeChannel, pagePath
   * and retractedAt are all as stored (nothing is written then); otherwise 'updated' rewrites every field but
   * firstSeen. `url` and `canonicalUrl` are remembered as URLs of the article either way.
   */
  save(record: ArticleRecord): Promise<SaveResult>;
  /** Remembers one more URL of a stored article; a URL belongs to one article, the latest one given. */
  addUrl(url: string, siteId: string, id: string): Promise<void>;
  /** Page path of the article known under `url`, for the link policy. */
  pagePathForUrl(url: string): Promise<string | undefined>;
  /** Whether `pagePath` is the page of a stored article (the counter counts only those). */
  hasPage(pagePath: string): Promise<boolean>;
  /**
   * Newest first: by published time (or first-seen time when the publisher gave none, or gave a time after we first
   * saw the article), then by first-seen order.
   */
  list(options?: ListArticlesOptions): Promise<ArticleRecord[]>;
  /** The newest articles of all channels as index entries (`channelId` is then the home channel). */
  listNewest(limit: number): Promise<ChannelEntry[]>;
  /** Articles in the store, or listed in one channel. Kept as counters: O(1). */
  count(channelId?: string): Promise<number>;
  /** Every article in first-seen order, read in batches so memory stays flat (for `rebuild`). */
  all(): AsyncIterable<ArticleRecord>;
  /**
   * Marks articles whose pages are rendered and committed. A save that returns 'new' or 'updated' marks the article
   * as needing a render, so a run killed before its commit leaves them for the next run (`listUnrendered`).
   */
  markRendered(keys: ArticleKey[]): Promise<void>;
  /** Articles saved as new or updated whose pages were not yet marked rendered, in first-seen order. */
  listUnrendered(): Promise<ArticleKey[]>;
  /**
   * Young articles due for a check at their source, newest first: those sorting at or after `since` (the time
   * `list` orders by) whose last check (`markChecked`, else their last save) is at or before `checkedBefore`.
   */
  listToRevisit(options: RevisitQuery): Promise<ArticleRecord[]>;
  /** Records that the article was checked at its source at `at`, whatever the answer. */
  markChecked(siteId: string, id: string, at: string): Promise<void>;
}

export interface RevisitQuery {
  /** ISO 8601: the oldest sort time still revisited. */
  since: string;
  /** ISO 8601: articles checked after this are not due. */
  checkedBefore: string;
  limit: number;
}

/** Which channels list which articles. */
export interface ChannelsPort {
  /** Records that `channelId` lists the article; true when that is new. Throws when the article is not stored. */
  addMembership(siteId: string, id: string, channelId: string, seenAt: string): Promise<boolean>;
  /** Channels listing the article, its home channel first, then in the order they listed it. */
  of(siteId: string, id: string): Promise<string[]>;
  /** One page of a channel's index, newest first (same order as `articles.list`). */
  entries(channelId: string, options: PageOptions): Promise<ChannelEntry[]>;
}

/** What each page shows from elsewhere: the images it shows and the URLs it links to. */
export interface PageRefsPort {
  /** Replaces the images and link targets recorded for an article's page. */
  save(siteId: string, id: string, refs: ArticleRefs): Promise<void>;
  /** Articles whose page shows this image (kind 'image') or links to this URL (kind 'link'). */
  referencing(url: string, kind: RefKind): Promise<ArticleKey[]>;
  /**
   * What was recorded for an article's page (empty lists when nothing was: no images and no links, or an article
   * stored before references were recorded).
   */
  of(siteId: string, id: string): Promise<ArticleRefs>;
}

/** What listings said of each URL, to notice an edit without fetching. */
export interface SourceSignalsPort {
  get(url: string): Promise<SourceSignal | undefined>;
  /** Replaces what is remembered of `url`'s listing. */
  save(url: string, signal: SourceSignal): Promise<void>;
}

/** Validators for conditional GET. */
export interface FetchCachePort {
  get(url: string): Promise<FetchValidators | undefined>;
  /** Replaces the validators of `url`. */
  save(url: string, validators: FetchValidators): Promise<void>;
}

/** Article URLs that failed, to retry. */
export interface FailuresPort {
  /** Counts one more failed attempt at `input.url`; keeps the first time, updates the rest. */
  record(input: FailureInput): Promise<FailureRecord>;
  clear(url: string): Promise<void>;
  /** Oldest failure first. */
  list(options?: ListFailuresOptions): Promise<FailureRecord[]>;
  get(url: string): Promise<FailureRecord | undefined>;
}

export interface RunsPort {
  /** Marks a run as started (status 'running') and returns its id. */
  start(at: string): Promise<number>;
  finish(runId: number, summary: RunSummary): Promise<void>;
  /** Marks a run that was killed midway as dealt with, so it is reported once. */
  abandon(runId: number, at: string): Promise<void>;
  /** Newest first. */
  last(count: number): Promise<RunRecord[]>;
  /** Runs still 'running': call before `start` to learn of runs killed midway. Oldest first. */
  unfinished(): Promise<RunRecord[]>;
}

/** Mirrored images, by their source URL, and the ones that failed. */
export interface ImagesPort {
  get(src: string): Promise<ImageRecord | undefined>;
  /** Any stored image with these bytes (assets are content-addressed and shared). */
  getBySha256(sha256: string): Promise<ImageRecord | undefined>;
  /** Stores (or replaces) an image and clears its failure, if any. */
  save(input: ImageInput): Promise<void>;
  /** Counts one more failed attempt at an image; `at` defaults to now. */
  recordFailure(src: string, code: string, message: string, at?: string): Promise<ImageFailure>;
  /** Oldest failure first. */
  listFailed(): Promise<ImageFailure[]>;
}

/** Pushes to each git remote. */
export interface RemotesPort {
  recordPush(remote: string, attempt: PushAttempt): Promise<PushState>;
  state(remote: string): Promise<PushState | undefined>;
  /** Every remote ever pushed to, by name. */
  states(): Promise<PushState[]>;
}

/** How a channel's listing, feed or sitemap has answered, run after run (`newsmirror status`, warnings). */
export interface ChannelHealth {
  channelId: string;
  siteId: string;
  lastSuccessAt?: string;
  lastFailureAt?: string;
  /** The message of the last failure. */
  lastError?: string;
  /** Runs in a row in which the channel failed (0 after a success). */
  consecutiveFailures: number;
  /** Article links of the last full answers (not 304s), oldest first; the pipeline keeps the last ten. */
  recentLinks: number[];
}

/** The health of each channel, as the last run left it. */
export interface ChannelHealthPort {
  /** Replaces what is remembered of the channel. */
  save(health: ChannelHealth): Promise<void>;
  /** Every channel ever recorded, by channel id. */
  all(): Promise<ChannelHealth[]>;
}

/** Page views counted by `serve`. */
export interface ViewsPort {
  /** Adds counts to (path, day); rows with the same path and day add up. Atomic. */
  add(rows: ViewCount[]): Promise<void>;
  /** Most viewed pages since a day, most views first (ties by path). */
  top(options: TopPagesOptions): Promise<TopPage[]>;
  /** Views of all pages per day since a day, oldest day first; days without views are absent. */
  perDay(options: { sinceDay: string }): Promise<DayViews[]>;
}

/** Every port: what a transaction hands its function. */
export interface StorePorts {
  readonly articles: ArticlesPort;
  readonly channels: ChannelsPort;
  readonly pageRefs: PageRefsPort;
  readonly signals: SourceSignalsPort;
  readonly fetchCache: FetchCachePort;
  readonly failures: FailuresPort;
  readonly runs: RunsPort;
  readonly images: ImagesPort;
  readonly remotes: RemotesPort;
  readonly views: ViewsPort;
  readonly channelHealth: ChannelHealthPort;
}

export interface Store extends StorePorts {
  /**
   * Runs `fn` atomically: every call made through `tx` commits together, or none does when `fn` throws. Calls made
   * through the store itself from elsewhere meanwhile never see its writes before it commits: SQLite makes them
   * wait until it ends, PostgreSQL runs them on other connections (a write to a row it locked waits for it). So `fn`
   * must not wait for such calls (that may never finish). A second transaction of one store waits for the first.
   * May nest (the inner one is a savepoint); do not run nested ones in parallel. `tx` is only good until `fn`
   * ends: a call through it afterwards fails (`store_transaction_ended`) instead of writing outside the transaction.
   */
  transaction<T>(fn: (tx: StorePorts) => Promise<T> | T): Promise<T>;
  /** Schema version of the open store (the number of migrations applied). */
  schemaVersion(): Promise<number>;
  /** Waits for a running transaction, then closes. Later calls fail. */
  close(): Promise<void>;
}
