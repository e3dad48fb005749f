// The static site's search: an index built at site-build time and a page whose script reads it from the site.
export {
  type IndexDocument,
  type PreviousIndex,
  postingsOf,
  renderSearchIndex,
  SEARCH_FOLDER,
  SEARCH_INDEX_VERSION,
  type SearchDocument,
  type SearchIndexSummary,
  type SearchState,
  type Shard,
  shardPath,
  updateSearchIndex,
} from './build.ts';
export {
  renderSearchPage,
  SEARCH_PAGE_PATH,
  SEARCH_SCRIPT_PATH,
  type SearchPageOptions,
  searchContentSecurityPolicy,
} from './page.ts';
export { SEARCH_SCRIPT } from './script.ts';
export { searchTokens, variantsOf } from './tokens.ts';
