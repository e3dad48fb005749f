// The static site (`newsmirror site`): every Markdown file of the mirror rendered to HTML at the same relative place,
// images and QR codes copied, one stylesheet, no JavaScript. Default output folder: `<mirror dir>-site`.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LoadedConfig } from '../../config/load.ts';
import type { Config } from '../../config/options.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import { langInScript } from '../../internal/script.ts';
import type { ArticlesPort } from '../../store/index.ts';
import { defaultSiteDir, type SiteBuildSummary, writeSite } from '../publish/site.ts';
import {
  isMarkdownPath,
  renderSitePage,
  SITE_RENDER_VERSION,
  SITE_STYLESHEET,
  STYLESHEET_PATH,
  sitePathOf,
} from '../render/site/index.ts';

/** Tells GitHub Pages to serve the files as they are instead of running Jekyll over them. */
const NO_JEKYLL_PATH = '.nojekyll';
const FEED_PATH = MIRROR_LAYOUT.feed;

export interface BuildSiteOptions {
  loaded: LoadedConfig;
  /** Output folder; default `<mirror dir>-site`. */
  out?: string;
  /** The store's articles, for each article's language (without them, the sites' language is used). */
  store?: { articles: ArticlesPort };
  force?: boolean;
}

/** Builds (or brings up to date) the static site of the mirror `loaded` describes. */
export async function buildSite(options: BuildSiteOptions): Promise<SiteBuildSummary> {
  const { config, mirrorDir } = options.loaded;
  const langs = await articleLanguages(options.store, config);
  const defaultLang = mirrorLanguage(config);
  const counterOrigin = config.mirror.counter ? counterOriginOf(config.mirror.counter) : undefined;
  const hasFeed = existsSync(resolve(mirrorDir, FEED_PATH));
  const buildKey = createHash('sha256')
    .update(JSON.stringify([SITE_RENDER_VERSION, config.mirror.title, counterOrigin, defaultLang, hasFeed]))
    .digest('hex');
  return writeSite({
    mirrorDir,
    outDir: options.out ? resolve(options.out) : defaultSiteDir(mirrorDir),
    targetOf: sitePathOf,
    isPage: isMarkdownPath,
    // The site's own search page (steps/build-search.ts) replaces the guide to the git host's search.
    skip: (mirrorPath) => mirrorPath === MIRROR_LAYOUT.searchGuide,
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
}

/** The language the store recorded for each page, adjusted to the script the mirror converts to. */
async function articleLanguages(
  store: { articles: ArticlesPort } | undefined,
  config: Config,
): Promise<Map<string, string>> {
  const langs = new Map<string, string>();
  if (!store) return langs;
  for await (const article of store.articles.all()) {
    if (article.lang) langs.set(article.pagePath, langInScript(article.lang, config.mirror.script));
  }
  return langs;
}

/** The language of pages no article names (home, indexes): the sites' own, when they agree on one. */
function mirrorLanguage(config: Config): string | undefined {
  const langs = [...new Set(config.sites.map((site) => site.lang).filter((lang): lang is string => !!lang))];
  return langs.length === 1 ? langInScript(langs[0], config.mirror.script) : undefined;
}

function counterOriginOf(counter: string): string | undefined {
  try {
    return new URL(counter.replaceAll('{path}', 'x')).origin;
  } catch {
    return undefined;
  }
}
