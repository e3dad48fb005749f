// newsmirror's public API: named exports only; everything else is internal and may change.
export { type LoadedConfig, loadConfig, parseConfigText } from './config/load.ts';
export type { ChannelConfig, Config, FetchConfig, MirrorConfig, SiteConfig } from './config/options.ts';
export { configSchema } from './config/options.ts';
export { ConfigError, ExtractError, FetchError, NewsmirrorError, PublishError } from './internal/errors.ts';
export { createLogger, type Logger } from './internal/log.ts';
export { extractArticle } from './pipeline/extract/index.ts';
export { createHttpClient, type HttpClient } from './pipeline/fetch/client.ts';
export { type RunOptions, type RunSummary, rebuildMirror, runMirror } from './pipeline/run.ts';
export { type RecoverResult, recoverStore } from './pipeline/steps/recover-store.ts';
export type { Article, ExtractedArticle, FetchedPage, SourceItem } from './pipeline/types.ts';
export { openSqliteStore, type Store } from './store/index.ts';
