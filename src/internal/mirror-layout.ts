// Where every file of a mirror lives, in one table. The renderers, the static site, the preview server and the run
// read their paths from here, so moving a file is one edit; README.md's layout section is checked against it
// (test/internal/mirror-layout.test.ts). Paths are relative to the mirror root with '/' separators.
import { PAGES_FOLDER, type PagePathOptions, pagePath } from './ids.ts';

const INDEXES_FOLDER = 'indexes';
const ASSETS_FOLDER = 'assets';
const BUNDLES_FOLDER = 'bundles';

export const MIRROR_LAYOUT = {
  /** The home page: README.md, as a git host shows a folder's README as its page (so do the site and preview). */
  home: 'README.md',
  /** Atom feed of the newest articles, linked from the home page. */
  feed: 'feed.xml',
  /** Every public copy of this mirror, so readers can move to another when one is blocked. */
  mirrors: 'mirrors.md',
  /** How to search the mirror with the git host's own search (the static site has a search page instead). */
  searchGuide: 'search.md',
  /** Article pages, one folder per channel (ids.ts owns the name: it is where page paths are made safe). */
  pagesFolder: PAGES_FOLDER,
  /** Channel indexes, their archive pages and CSVs, and the popular index. */
  indexesFolder: INDEXES_FOLDER,
  /** Mirrored images: binary only, so scans for pages skip it. */
  assetsFolder: ASSETS_FOLDER,
  /** Bundles `run` writes (config `bundles`): a period's news in one file, for readers who pass news on by file. */
  bundlesFolder: BUNDLES_FOLDER,
  /** A channel's news of one period (`yyyy-mm-dd`, or `yyyy-Www` for a week) as an EPUB book or an HTML file. */
  channelBundle: (channelId: string, period: string, format: 'epub' | 'html'): string =>
    `${BUNDLES_FOLDER}/${channelId}/${period}.${format}`,
  /** Every bundled channel's news of one period in one file (channel ids have no dot: no clash with folders). */
  combinedBundle: (period: string, format: 'epub' | 'html'): string =>
    `${BUNDLES_FOLDER}/${period}.${format}`,
  /** The most read pages, from the server's view counts. Shares the folder with channel indexes. */
  popularIndex: `${INDEXES_FOLDER}/popular.md`,
  /** Newest titles of a channel (channel ids are checked by the config schema: safe as file names). */
  channelIndex: (channelId: string): string => `${INDEXES_FOLDER}/${channelId}.md`,
  /** Archive page n of a channel, 1 = the oldest; full pages never change. */
  channelArchive: (channelId: string, pageNumber: number): string =>
    `${INDEXES_FOLDER}/${channelId}/${pageNumber}.md`,
  /** id,title of every article of a channel, oldest first, as the original kept it. */
  channelCsv: (channelId: string): string => `${INDEXES_FOLDER}/${channelId}.csv`,
  /** An article page: `pages/<channel>/<id>.md`, or `pages/<channel>/<yyyy-mm>/<id>.md` when sharded by month. */
  page: (channelId: string, id: string, options?: PagePathOptions): string =>
    pagePath(channelId, id, options),
  /** QR code of a page's public URL, beside the page so the page links it by its bare name. */
  qrCode: (pagePath: string): string => `${pagePath}.png`,
  /** A mirrored image, named by its content; the first two hex digits spread files over 256 folders. */
  asset: (sha256: string, ext: string): string => `${ASSETS_FOLDER}/${sha256.slice(0, 2)}/${sha256}.${ext}`,
} as const;
