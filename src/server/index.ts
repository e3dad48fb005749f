// The server of `newsmirror serve`: counter, stats and preview.
export { createApp } from './app.ts';
export { answerCounter, COUNTER_HEADERS, MAX_URL_LENGTH, PIXEL_GIF } from './counter-endpoint.ts';
export { renderGithubMarkdown } from './github-markdown.ts';
export { isPagePath, MAX_MIRROR_PATH_LENGTH, mirrorPathOf, PageIndex } from './mirror-paths.ts';
export { type RunningServer, type ServeOptions, startServer } from './server.ts';
export {
  type ChannelTop,
  channelOfPath,
  dayBefore,
  type StatsSnapshot,
  statsSnapshot,
  topPagesPerChannel,
  windowStart,
} from './stats.ts';
export { renderStatsPage, renderViewsChart } from './stats-page.ts';
export { type CounterRoute, counterRouteOf, type FlushResult, ViewCounter } from './view-counter.ts';
