// The render stage: pure functions from articles and index entries to the files of the mirror.
export { renderFeed } from './feed.ts';
export { renderHome } from './home.ts';
export {
  archiveIndexPath,
  cacheBuster,
  type IndexEntry,
  newestIndexPath,
  renderChannelCsv,
  renderChannelIndexes,
} from './indexes.ts';
export { toMarkdown, toPlainText } from './markdown.ts';
export { renderMirrorsList } from './mirrors.ts';
export { ORIGINAL_LINK_LABEL, type PageContext, renderPage, SHARE_LABEL } from './page.ts';
export { publicUrlOf } from './paths.ts';
export { renderQrPng } from './qr.ts';
