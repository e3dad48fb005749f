// A mirror run by run on an injected clock, from a config text: the store and HTTP client are opened once and kept
// between runs, as a long-lived process would, so a test can step the clock and see what each run did.
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { type RunSummary, runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';

const HOUR = 3_600_000;

export interface ClockedMirror {
  loaded: LoadedConfig;
  store: Store;
  http: HttpClient;
  /** One run (no push) with the clock at `t0` plus this many hours. */
  run(hoursAfter: number): Promise<RunSummary>;
  /** Closes the client and the store (the test's servers and temp folder are its own). */
  close(): Promise<void>;
}

/** `configText` is parsed as `newsmirror.yaml` in `work`; retries back off 1 ms so failing hosts fail fast. */
export async function openClockedMirror(
  configText: string,
  work: string,
  t0: number,
): Promise<ClockedMirror> {
  const loaded = parseConfigText(configText, 'newsmirror.yaml', work);
  const store = await openSqliteStore(loaded.storePath);
  const http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 1 });
  return {
    loaded,
    store,
    http,
    run: (hoursAfter) =>
      runMirror({
        loaded,
        store,
        http,
        log: silentLogger,
        push: false,
        now: () => new Date(t0 + hoursAfter * HOUR),
      }),
    async close() {
      await http.close();
      await store.close();
    },
  };
}
