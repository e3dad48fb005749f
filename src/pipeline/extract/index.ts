// The extract stage's public entry point: one page in, one ExtractedArticle (or null) out.

export type { PageGuess, PageType } from './classify/classify.ts';
export { type Extraction, type ExtractOptions, extractArticle } from './extract.ts';
