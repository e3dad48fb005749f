// The static HTML site of a mirror: pure rendering of its Markdown pages and the stylesheet.
export {
  contentSecurityPolicy,
  renderSiteBody,
  renderSitePage,
  SITE_RENDER_VERSION,
  type SitePageOptions,
} from './page.ts';
export { isMarkdownPath, STYLESHEET_PATH, siteHref, sitePathOf, siteRelative } from './paths.ts';
export { SITE_STYLESHEET } from './style.ts';
