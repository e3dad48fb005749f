// Bundles for readers offline: an EPUB book or a single self-contained HTML file, from transformed articles.
export { imagePathsOf } from './body.ts';
export { type EpubEntry, renderEpub } from './epub.ts';
export { bundleContentSecurityPolicy, renderHtmlBundle } from './html.ts';
export { bundleImage } from './images.ts';
export type { Bundle, BundleArticle, BundleChannel, BundleImage } from './types.ts';
