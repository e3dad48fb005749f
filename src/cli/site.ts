// `newsmirror site -c FILE [--out DIR]`: the mirror as a static HTML site (every Markdown file rendered to HTML at
// the same relative place, images and QR codes copied, one stylesheet, no JavaScript). Default output folder:
// `<mirror dir>-site`, beside the mirror.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { type LoadedConfig, loadConfig } from '../config/load.ts';
import type { Config } from '../config/options.ts';
import { errorMessage } from '../internal/errors.ts';
import { defaultSiteDir, type SiteBuildSummary, writeSite } from '../pipeline/publish/site.ts';
import {
  isMarkdownPath,
  renderSitePage,
  SITE_RENDER_VERSION,
  SITE_STYLESHEET,
  STYLESHEET_PATH,
  sitePathOf,
} from '../pipeline/render/site/index.ts';
import { openSqliteStore, type Store } from '../store/index.ts';

/** Tells GitHub Pages to serve the files as they are instead of running Jekyll over them. */
const NO_JEKYLL_PATH = '.nojekyll';
const FEED_PATH = 'feed.xml';

export interface BuildSiteOptions {
  loaded: LoadedConfig;
  /** Output folder; default `<mirror dir>-site`. */
  out?: string;
  /** The store, for each article's language; opened from the config when absent and it exists. */
  store?: Store;
  force?: boolean;
}

/** Builds (or brings up to date) the static site of the mirror `loaded` describes. */
export async function buildSite(options: BuildSiteOptions): Promise<SiteBuildSummary> {
  const { config, mirrorDir, storePath } = options.loaded;
  const ownStore = !options.store && existsSync(storePath) ? await openSqliteStore(storePath) : undefined;
  try {
    const langs = await articleLanguages(options.store ?? ownStore, config);
    const defaultLang = mirrorLanguage(config);
    const counterOrigin = config.mirror.counter ? counterOriginOf(config.mirror.counter) : undefined;
    const hasFeed = existsSync(resolve(mirrorDir, FEED_PATH));
    const buildKey = createHash('sha256')
      .update(JSON.stringify([SITE_RENDER_VERSION, config.mirror.title, counterOrigin, defaultLang, hasFeed]))
      .digest('hex');
    return await writeSite({
      mirrorDir,
      outDir: options.out ? resolve(options.out) : defaultSiteDir(mirrorDir),
      targetOf: sitePathOf,
      isPage: isMarkdownPath,
      renderPage: (sourcePath, markdown) =>
        renderSitePage(markdown, {
          sourcePath,
          lang: langs.get(sourcePath) ?? defaultLang,
          siteTitle: config.mirror.title,
          counterOrigin,
          feedPath: hasFeed ? FEED_PATH : undefined,
        }),
      extraFiles: [
        { path: STYLESHEET_PATH, content: SITE_STYLESHEET },
        { path: NO_JEKYLL_PATH, content: '' },
      ],
      buildKey,
      force: options.force,
    });
  } finally {
    await ownStore?.close();
  }
}

export async function siteCommand(options: {
  config: string;
  out?: string;
  force?: boolean;
}): Promise<number> {
  const loaded = loadConfig(options.config);
  try {
    const summary = await buildSite({ loaded, out: options.out, force: options.force });
    for (const conflict of summary.conflicts) {
      process.stderr.write(`site: left out ${conflict}: another file of the mirror has the same HTML path\n`);
    }
    const where = relative(process.cwd(), summary.outDir) || '.';
    process.stdout.write(
      `site: ${summary.pages} pages (${summary.rendered} rendered, ${summary.upToDate} files up to date), ` +
        `${summary.copied} files copied, ${summary.written} written (${(summary.bytesWritten / 1024).toFixed(1)} KB)` +
        `${summary.removed > 0 ? `, ${summary.removed} removed` : ''} -> ${where}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`newsmirror site: ${errorMessage(error)}\n`);
    return 1;
  }
}

/** The language the store recorded for each page, adjusted to the script the mirror converts to. */
async function articleLanguages(store: Store | undefined, config: Config): Promise<Map<string, string>> {
  const langs = new Map<string, string>();
  if (!store) return langs;
  for await (const article of store.allArticles()) {
    if (article.lang) langs.set(article.pagePath, withScript(article.lang, config));
  }
  return langs;
}

/** The language of pages no article names (home, indexes): the sites' own, when they agree on one. */
function mirrorLanguage(config: Config): string | undefined {
  const langs = [...new Set(config.sites.map((site) => site.lang).filter((lang): lang is string => !!lang))];
  return langs.length === 1 ? withScript(langs[0], config) : undefined;
}

/** Text converted to traditional (or simplified) characters is tagged so, or browsers pick the wrong glyphs. */
function withScript(lang: string, config: Config): string {
  const script = config.mirror.script;
  if (script === 'original' || !/^zh\b/i.test(lang)) return lang;
  return script === 'traditional' ? 'zh-Hant' : 'zh-Hans';
}

function counterOriginOf(counter: string): string | undefined {
  try {
    return new URL(counter.replaceAll('{path}', 'x')).origin;
  } catch {
    return undefined;
  }
}
