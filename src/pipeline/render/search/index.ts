// The static site's search: an index built at site-build time and a page whose script reads it from the site.
export { renderSearchIndex, SEARCH_FOLDER, type SearchDocument, type SearchIndexSummary } from './build.ts';
export {
  renderSearchPage,
  SEARCH_PAGE_PATH,
  SEARCH_SCRIPT_PATH,
  type SearchPageOptions,
  searchContentSecurityPolicy,
} from './page.ts';
export { SEARCH_SCRIPT } from './script.ts';
export { searchTokens, variantsOf } from './tokens.ts';
