// A stopping process (SIGTERM) gives the requests in flight a grace period, then abandons them: every fetch still
// waiting and every later one fails at once as 'stopped', so the run unwinds in a second or two whatever the sites
// do, and renders, commits and pushes what it finished. The abandoned requests are not retried by this run.
import { setMaxListeners } from 'node:events';
import { FetchError } from '../../internal/errors.ts';
import type { FetchOptions, HttpClient } from './client.ts';

/** The code of a fetch abandoned by a stop: the work is redone by the next run, never recorded as a failure. */
export const STOPPED = 'stopped';

function stoppedError(url: string): FetchError {
  return new FetchError(`${url} not fetched: newsmirror is stopping; the next run fetches it`, {
    code: STOPPED,
    where: url,
    retryable: true,
  });
}

/** `http`, whose fetches (running and later ones) fail with code 'stopped' once `signal` aborts. */
export function abandonable(http: HttpClient, signal: AbortSignal): HttpClient {
  // One listener per fetch in flight, removed when it settles: many at once is the design, not a leak.
  setMaxListeners(0, signal);
  return {
    fetch(url: string, options?: FetchOptions) {
      if (signal.aborted) return Promise.reject(stoppedError(url));
      return new Promise((resolve, reject) => {
        const abandon = () => reject(stoppedError(url));
        signal.addEventListener('abort', abandon, { once: true });
        http.fetch(url, options).then(
          (page) => {
            signal.removeEventListener('abort', abandon);
            resolve(page);
          },
          (error) => {
            signal.removeEventListener('abort', abandon);
            reject(error);
          },
        );
      });
    },
    close: () => http.close(),
  };
}

/** Whether an error (or a job's failure code) is a fetch abandoned by a stop. */
export function isStopped(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === STOPPED;
}
