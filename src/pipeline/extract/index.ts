// The extract stage's public entry point: one page in, one ExtractedArticle (or null) out.
export { type ExtractOptions, extractArticle } from './extract.ts';
