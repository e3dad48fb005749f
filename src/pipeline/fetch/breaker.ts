// A circuit breaker per host: after `limit` connect or timeout failures in a row, requests to that host fail at
// once (retryable, so the next run tries again) instead of each waiting out its timeouts and retries. A dead image
// host then costs a run a few attempts, not one timeout per image. After `cooldownMs` one request may probe the host
// again (what `watch` meets on its next run); a success closes the breaker.
import { FetchError } from '../../internal/errors.ts';

/** Failure codes that say the host itself is unreachable; an HTTP status means it answered, so it never counts. */
const HOST_DOWN_CODES = new Set(['timeout', 'network']);

export interface HostBreaker {
  /** Throws the breaker's FetchError when `host` is skipped; `url` is the request, for the message. */
  check(host: string, url: string): void;
  /** The outcome of one attempt: a code for a failure, undefined for an answer of any status. */
  record(host: string, failureCode: string | undefined): void;
}

export function createHostBreaker(limit: number, cooldownMs: number, now = Date.now): HostBreaker {
  const hosts = new Map<string, { failures: number; openedAt?: number }>();
  return {
    check(host, url) {
      const state = hosts.get(host);
      if (limit === 0 || state?.openedAt === undefined) return;
      if (now() - state.openedAt >= cooldownMs) {
        // Half open: this request probes; until it ends, the others still skip.
        state.openedAt = now();
        return;
      }
      throw new FetchError(
        `fetch: ${url} skipped: ${host} failed to connect or answer ${state.failures} times in a row ` +
          `(circuit breaker, fetch.hostFailureLimit ${limit}); it is tried again next run`,
        { code: 'host_down', where: url, retryable: true },
      );
    },
    record(host, failureCode) {
      // A refused private target was never contacted: it says nothing of the host.
      if (limit === 0 || failureCode === 'private_address' || failureCode === 'host_down') return;
      if (failureCode === undefined || !HOST_DOWN_CODES.has(failureCode)) {
        hosts.delete(host);
        return;
      }
      const state = hosts.get(host) ?? { failures: 0 };
      state.failures++;
      if (state.failures >= limit) state.openedAt = now();
      hosts.set(host, state);
    },
  };
}
