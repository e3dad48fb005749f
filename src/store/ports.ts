// The store's ports over a backend's query set: every port method is one named query run through `run`, which
// decides where it may run (now, after the open transaction, on the transaction's connection). SQLite's queries
// answer at once, PostgreSQL's with Promises; both have the same names, so one table of ports serves both.
import type { Queries } from './sqlite-ports.ts';
import type { ArticleRecord, StorePorts } from './store.ts';

/** A backend's queries: SQLite's names and arguments, each answering at once or with a Promise. */
export type QuerySet = {
  [Name in keyof Queries]: (
    ...args: Parameters<Queries[Name]>
  ) => ReturnType<Queries[Name]> | Promise<ReturnType<Queries[Name]>>;
};

/** Runs `work` on the queries the caller may use; `what` names it in errors. */
export type Runner = <T>(what: string, work: (queries: QuerySet) => T | Promise<T>) => Promise<T>;

/** Every port, each method one query through `run`. No `this`: ports can be passed around and spread. */
export function portsOf(run: Runner): StorePorts {
  const ports: StorePorts = {
    articles: {
      get: (siteId, id) => run(`reading article ${siteId}/${id}`, (q) => q.getArticle(siteId, id)),
      getByUrl: (url) => run(`looking up ${url}`, (q) => q.getArticleByUrl(url)),
      getByPath: (pagePath) => run(`looking up page ${pagePath}`, (q) => q.getArticleByPath(pagePath)),
      save: (record) => run(`saving article ${record.siteId}/${record.id}`, (q) => q.saveArticle(record)),
      addUrl: (url, siteId, id) =>
        run(`adding URL ${url} to ${siteId}/${id}`, (q) => q.addArticleUrl(url, siteId, id)),
      pagePathForUrl: (url) => run(`looking up the page of ${url}`, (q) => q.pagePathForUrl(url)),
      hasPage: (pagePath) => run(`looking up page ${pagePath}`, (q) => q.hasPage(pagePath)),
      list: (options) => run('listing articles', (q) => q.listArticles(options)),
      listNewest: (limit) => run('listing the newest articles', (q) => q.listNewest(limit)),
      count: (channelId) => run('counting articles', (q) => q.countArticles(channelId)),
      // One call per batch, so other callers (and a transaction) can run between batches of a long read.
      async *all(): AsyncIterable<ArticleRecord> {
        let afterKey = 0;
        for (;;) {
          const batch = await run('reading all articles', (q) => q.articlesAfter(afterKey));
          if (batch.records.length === 0) return;
          yield* batch.records;
          afterKey = batch.lastKey;
        }
      },
      markRendered: (keys) => run('marking pages rendered', (q) => q.markRendered(keys)),
      listUnrendered: () => run('listing pages to render', (q) => q.listUnrendered()),
      listToRevisit: (options) => run('listing articles to revisit', (q) => q.listToRevisit(options)),
      markChecked: (siteId, id, at) =>
        run(`recording the check of ${siteId}/${id}`, (q) => q.markChecked(siteId, id, at)),
    },
    channels: {
      addMembership: (siteId, id, channelId, seenAt) =>
        run(`adding ${siteId}/${id} to channel ${channelId}`, (q) =>
          q.addMembership(siteId, id, channelId, seenAt),
        ),
      of: (siteId, id) => run(`reading channels of ${siteId}/${id}`, (q) => q.channelsOf(siteId, id)),
      entries: (channelId, options) =>
        run(`listing channel ${channelId}`, (q) => q.listChannelEntries(channelId, options)),
    },
    pageRefs: {
      save: (siteId, id, refs) =>
        run(`recording what ${siteId}/${id} shows`, (q) => q.saveArticleRefs(siteId, id, refs)),
      referencing: (url, kind) =>
        run(`finding pages showing ${url}`, (q) => q.articlesReferencing(url, kind)),
      of: (siteId, id) => run(`reading what ${siteId}/${id} shows`, (q) => q.articleRefs(siteId, id)),
    },
    signals: {
      get: (url) => run(`reading what the listing said of ${url}`, (q) => q.getSourceSignal(url)),
      save: (url, signal) =>
        run(`saving what the listing said of ${url}`, (q) => q.saveSourceSignal(url, signal)),
    },
    fetchCache: {
      get: (url) => run(`reading validators of ${url}`, (q) => q.getValidators(url)),
      save: (url, validators) => run(`saving validators of ${url}`, (q) => q.saveValidators(url, validators)),
    },
    failures: {
      record: (input) => run(`recording the failure of ${input.url}`, (q) => q.recordFailure(input)),
      clear: (url) => run(`clearing the failure of ${url}`, (q) => q.clearFailure(url)),
      list: (options) => run('listing failures', (q) => q.listFailures(options)),
      get: (url) => run(`reading the failure of ${url}`, (q) => q.failureFor(url)),
    },
    runs: {
      start: (at) => run('starting a run', (q) => q.startRun(at)),
      finish: (runId, summary) => run(`finishing run ${runId}`, (q) => q.finishRun(runId, summary)),
      abandon: (runId, at) => run(`abandoning run ${runId}`, (q) => q.abandonRun(runId, at)),
      last: (count) => run('reading runs', (q) => q.lastRuns(count)),
      unfinished: () => run('reading unfinished runs', (q) => q.unfinishedRuns()),
    },
    images: {
      get: (src) => run(`reading image ${src}`, (q) => q.getImage(src)),
      getBySha256: (sha256) => run(`reading image ${sha256}`, (q) => q.getImageBySha256(sha256)),
      save: (input) => run(`saving image ${input.src}`, (q) => q.saveImage(input)),
      recordFailure: (src, code, message, at) =>
        run(`recording the failure of image ${src}`, (q) => q.recordImageFailure(src, code, message, at)),
      listFailed: () => run('listing failed images', (q) => q.listFailedImages()),
    },
    remotes: {
      recordPush: (remote, attempt) =>
        run(`recording a push to ${remote}`, (q) => q.recordPush(remote, attempt)),
      state: (remote) => run(`reading the push state of ${remote}`, (q) => q.pushState(remote)),
      states: () => run('reading push states', (q) => q.pushStates()),
    },
    views: {
      add: (rows) => run('adding views', (q) => q.addViews(rows)),
      top: (options) => run('reading top pages', (q) => q.topPages(options)),
      perDay: (options) => run('reading views per day', (q) => q.viewsPerDay(options)),
    },
    channelHealth: {
      save: (health) =>
        run(`recording the health of channel ${health.channelId}`, (q) => q.saveChannelHealth(health)),
      all: () => run('reading channel health', (q) => q.allChannelHealth()),
    },
  };
  // Frozen so that replacing a method (a test stubbing `views.add`) cannot change the store for every other holder.
  for (const port of Object.values(ports)) Object.freeze(port);
  return Object.freeze(ports);
}
