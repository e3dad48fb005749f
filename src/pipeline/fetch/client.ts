// The HTTP client every stage fetches through: polite (per-host and global concurrency limits, an honest
// User-Agent, conditional GET, backoff honouring Retry-After) and defensive (timeouts plus an overall deadline,
// decoded-size cap, bounded redirects checked hop by hop, private addresses refused for content-found URLs).
import { STATUS_CODES } from 'node:http';
import PQueue from 'p-queue';
import { type Dispatcher, request } from 'undici';
import packageJson from '../../../package.json' with { type: 'json' };
import type { FetchConfig, SiteConfig } from '../../config/options.ts';
import { FetchError } from '../../internal/errors.ts';
import { sameSite } from '../../internal/url.ts';
import type { CacheValidators, FetchedPage } from '../types.ts';
import { ACCEPT_ENCODING, BodyTooLarge, readBody, UnsupportedEncoding } from './body.ts';
import { createHostBreaker } from './breaker.ts';
import { decodeBody, isTextResponse } from './charset.ts';

export { isTextResponse };

import { createDispatchers } from './dispatchers.ts';
import { isPrivateAddress, type Lookup, PrivateAddressRefused, resolveHost } from './private-address.ts';
import { type Budget, backoffDelay, createBudget, isRetryableStatus, parseRetryAfter } from './retry.ts';
import type { SharedHostLimits } from './shared-hosts.ts';
import { createSiteSettings } from './site-settings.ts';

/** Says who we are and where to complain, so site operators can reach us instead of blocking blindly. */
export const DEFAULT_USER_AGENT = `newsmirror/${packageJson.version} (+https://github.com/newsmirror/newsmirror)`;

const DEFAULT_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** First retry waits about half a second: long enough for a restarting backend, short enough for a run. */
const DEFAULT_BACKOFF_BASE_MS = 500;

/** Longer Retry-After requests are not waited out: the URL fails as retryable and the next run tries again. */
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** How long a host whose breaker opened is skipped: longer than a run, shorter than watch's usual interval. */
const DEFAULT_HOST_COOLDOWN_MS = 10 * 60_000;

export interface FetchOptions {
  /** Sent as If-None-Match / If-Modified-Since; a 304 answer gives `notModified: true`. */
  validators?: CacheValidators;
  /** Cap on the decoded body; default config.maxBodyBytes (images pass config.maxImageBytes). */
  maxBytes?: number;
  accept?: string;
  /**
   * The URL came from page content (a link or an image), not from the config: refuse private, loopback and
   * link-local targets on every hop unless config.allowPrivateAddresses. A URL from the config is trusted on its
   * own host; a redirect from it to another host is checked like content.
   */
  fromContent?: boolean;
  /** All attempts and backoffs (redirects included) share one attempt's deadline, waits for a slot not counted:
   * for images, listed by the dozen, so a host that trickles bytes costs that once, not once per retry. */
  sharedDeadline?: boolean;
  /** false leaves `text` and `charset` empty: the caller decodes `body` (article pages are decoded off-thread). */
  decode?: boolean;
}

export interface HttpClient {
  fetch(url: string, options?: FetchOptions): Promise<FetchedPage>;
  /** Ends open connections; fetches still running or queued fail with 'network'. */
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** Delay before the first retry; later ones double (with jitter). */
  backoffBaseMs?: number;
  /** Retry-After values above this are not waited out (the fetch fails as retryable instead). */
  maxRetryAfterMs?: number;
  /** Called before each retry; `attempt` is the attempt that failed (1 = the first). */
  onRetry?: (url: string, attempt: number, reason: string) => void;
  /** Which resolved addresses count as private for `fromContent` fetches; default isPrivateAddress. */
  isPrivateAddress?: (address: string) => boolean;
  /** Resolves names for guarded fetches (the check and the connection); default dns.lookup. For tests. */
  lookup?: Lookup;
  /** How long a host is skipped once its circuit breaker opens (default 10 minutes). */
  hostCooldownMs?: number;
  /** Per-site user agent, headers and cookies, sent to each site's own hosts (`sameSite` with its base). */
  sites?: SiteFetchSettings[];
  /** Host slots and pauses shared with other processes (the queue's workers), on top of this client's own. */
  sharedHosts?: SharedHostLimits;
}

export type SiteFetchSettings = Pick<SiteConfig, 'base' | 'userAgent'> &
  Partial<Pick<SiteConfig, 'headers' | 'cookies' | 'fetch'>>;

/** Why a private target is refused, and how to allow it, in every such message. */
const PRIVATE_REFUSAL =
  'a private or loopback address (refused for URLs found in content and redirects off a configured host; ' +
  'fetch.allowPrivateAddresses: true allows it)';

type Attempt =
  | { kind: 'page'; page: Omit<FetchedPage, 'requestedUrl'> }
  | { kind: 'redirect'; location: string }
  | { kind: 'failed'; error: FetchError; retryAfterMs?: number };

export function createHttpClient(config: FetchConfig, options: HttpClientOptions = {}): HttpClient {
  const backoffBaseMs = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const isRefused = options.isPrivateAddress ?? isPrivateAddress;
  const dispatchers = createDispatchers(config, isRefused, process.env, options.lookup);
  // `sites[].fetch`: timeouts, retries, per-host slots and body cap of the site's own hosts.
  const hostSettings = createSiteSettings(config, options.sites ?? [], dispatchers, (siteConfig) =>
    createDispatchers(siteConfig, isRefused, process.env, options.lookup),
  );
  const breaker = createHostBreaker(
    config.hostFailureLimit,
    options.hostCooldownMs ?? DEFAULT_HOST_COOLDOWN_MS,
  );
  const sites = (options.sites ?? []).filter(
    (site) =>
      site.userAgent !== undefined ||
      Object.keys(site.headers ?? {}).length > 0 ||
      Object.keys(site.cookies ?? {}).length > 0,
  );

  const globalQueue = new PQueue({ concurrency: config.concurrency });
  const hostQueues = new Map<string, PQueue>();
  let closed = false;

  /** Runs `task` holding one slot of its host and one global slot; the host slot is taken first so one busy
   * host queues behind its own limit instead of filling the global one. */
  function withSlots<T>(target: URL, task: () => Promise<T>): Promise<T> {
    const { hostname } = target;
    let hostQueue = hostQueues.get(hostname);
    if (!hostQueue) {
      hostQueue = new PQueue({ concurrency: hostSettings.of(target).config.perHostConcurrency });
      hostQueues.set(hostname, hostQueue);
    }
    return hostQueue.add(() => globalQueue.add(task)) as Promise<T>;
  }

  async function attempt(
    target: URL,
    requestedUrl: string,
    fetchOptions: FetchOptions,
    guarded: boolean,
    budget: Budget,
  ): Promise<Attempt> {
    const settings = hostSettings.of(target);
    const maxBytes = fetchOptions.maxBytes ?? settings.config.maxBodyBytes;
    const controller = new AbortController();
    let deadlineHit = false;
    const timeLeft = budget.left();
    const deadline = setTimeout(
      () => {
        deadlineHit = true;
        controller.abort();
      },
      Math.min(settings.deadlineMs, timeLeft),
    );
    const fail = (code: string, reason: string, retryable: boolean, cause?: unknown): Attempt => ({
      kind: 'failed',
      error: fetchError(requestedUrl, target, code, reason, retryable, cause),
    });
    try {
      if (guarded) {
        const refused = (await resolveHost(target.hostname, options.lookup)).find(isRefused);
        if (refused) return fail('private_address', `resolves to ${refused}, ${PRIVATE_REFUSAL}`, false);
      }
      const response = await request(target.href, {
        method: 'GET',
        dispatcher: guarded ? settings.dispatchers.guarded : settings.dispatchers.open,
        headersTimeout: settings.config.headersTimeoutMs,
        bodyTimeout: settings.config.bodyTimeoutMs,
        headers: requestHeaders(config, fetchOptions, siteOf(sites, target)),
        signal: controller.signal,
      });
      const { statusCode: status, headers } = response;
      const location = header(headers, 'location');
      if (REDIRECT_STATUSES.has(status) && location) {
        await response.body.dump();
        return { kind: 'redirect', location };
      }
      const contentType = header(headers, 'content-type') ?? '';
      const etag = header(headers, 'etag') ?? fetchOptions.validators?.etag;
      const lastModified = header(headers, 'last-modified') ?? fetchOptions.validators?.lastModified;
      if (status === 304) {
        await response.body.dump();
        const body = new Uint8Array(0);
        const page = {
          url: target.href,
          status,
          notModified: true,
          contentType,
          body,
          text: '',
          charset: '',
        };
        return { kind: 'page', page: { ...page, etag, lastModified } };
      }
      if (status < 200 || status > 299) {
        await response.body.dump().catch(() => undefined);
        const statusText = STATUS_CODES[status] ?? 'Unknown Status';
        return {
          kind: 'failed',
          error: fetchError(
            requestedUrl,
            target,
            `http_${status}`,
            `answered ${status} ${statusText}`,
            isRetryableStatus(status),
          ),
          retryAfterMs: parseRetryAfter(header(headers, 'retry-after')),
        };
      }
      const declaredLength = Number(header(headers, 'content-length'));
      if (!header(headers, 'content-encoding') && declaredLength > maxBytes) {
        response.body.destroy();
        return fail(
          'too_large',
          `announced ${declaredLength} bytes, more than the ${maxBytes}-byte cap`,
          false,
        );
      }
      const body = await readBody(
        response.body,
        header(headers, 'content-encoding'),
        maxBytes,
        controller.signal,
      );
      const decoded =
        fetchOptions.decode !== false && isTextResponse(contentType, body)
          ? decodeBody(body, contentType)
          : { text: '', charset: '' };
      return {
        kind: 'page',
        page: {
          url: target.href,
          status,
          notModified: false,
          contentType,
          body,
          ...decoded,
          etag,
          lastModified,
        },
      };
    } catch (error) {
      if (deadlineHit) {
        const shared = Number.isFinite(budget.totalMs);
        const within = shared
          ? `the ${budget.totalMs} ms all its attempts share`
          : `${settings.deadlineMs} ms`;
        return fail('timeout', `did not finish within ${within}`, true, error);
      }
      return classifyFailure(error, fail, maxBytes);
    } finally {
      clearTimeout(deadline);
    }
  }

  /** One hop with its retries. */
  async function fetchHop(
    target: URL,
    requestedUrl: string,
    fetchOptions: FetchOptions,
    guarded: boolean,
    budget: Budget,
  ) {
    for (let attemptNumber = 1; ; attemptNumber++) {
      // Checked once a slot is free: requests queued behind a host that just died skip it at once.
      const result = await withSlots(target, async () => {
        breaker.check(target.host, requestedUrl);
        const release = await options.sharedHosts?.acquire(target.hostname);
        try {
          const outcome = await budget.spend(() =>
            attempt(target, requestedUrl, fetchOptions, guarded, budget),
          );
          if (!closed)
            breaker.record(target.host, outcome.kind === 'failed' ? outcome.error.code : undefined);
          // Every worker holds off the host, not only this one (as long as one would wait it out, at most);
          // paused before the slot is given back, so no other worker slips a request in between.
          const wait = outcome.kind === 'failed' ? outcome.retryAfterMs : undefined;
          if (wait) await options.sharedHosts?.pause(target.hostname, Math.min(wait, maxRetryAfterMs));
          return outcome;
        } finally {
          await release?.();
        }
      });
      if (result.kind !== 'failed') return result;
      const { error, retryAfterMs } = result;
      if (!error.retryable || attemptNumber > hostSettings.of(target).config.retries || closed)
        throw afterAttempts(error, attemptNumber);
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
        throw new FetchError(
          `${error.message} and asked to retry after ${Math.ceil(retryAfterMs / 1000)} s`,
          {
            code: error.code,
            where: error.where,
            retryable: true,
          },
        );
      }
      const delayMs = retryAfterMs ?? backoffDelay(attemptNumber, backoffBaseMs);
      // A shared deadline that the wait would use up: failing now says the same, sooner.
      if (delayMs >= budget.left()) throw afterAttempts(error, attemptNumber);
      options.onRetry?.(requestedUrl, attemptNumber, error.message);
      await budget.spend(() => sleep(delayMs));
    }
  }

  return {
    async fetch(url, fetchOptions = {}) {
      if (closed)
        throw new FetchError(
          `fetch: ${url} requested after the client was closed`,
          failure(url, 'network', false),
        );
      let target = parseTarget(url, url);
      // A URL from the config is trusted on its own host only: where its redirects lead is the remote's choice.
      const trustedHost = fetchOptions.fromContent ? undefined : target.hostname;
      const budget = createBudget(
        fetchOptions.sharedDeadline ? hostSettings.of(target).deadlineMs : Infinity,
      );
      const visited = new Set<string>();
      for (let redirects = 0; ; redirects++) {
        visited.add(target.href);
        const guarded = !config.allowPrivateAddresses && target.hostname !== trustedHost;
        const result = await fetchHop(target, url, fetchOptions, guarded, budget);
        if (result.kind === 'page') return { requestedUrl: url, ...result.page };
        const next = parseTarget(result.location, url, target);
        if (visited.has(next.href)) {
          throw new FetchError(
            `fetch: ${url} redirects in a loop (${target.href} back to ${next.href})`,
            failure(url, 'redirect_loop', false),
          );
        }
        if (redirects + 1 > config.maxRedirects) {
          throw new FetchError(
            `fetch: ${url} redirected more than ${config.maxRedirects} times (last to ${next.href})`,
            failure(url, 'too_many_redirects', false),
          );
        }
        target = next;
      }
    },
    async close() {
      closed = true;
      // Queued fetches are not dropped (their promises would never settle): they run, fail fast with 'network'
      // on the destroyed agents, and are not retried.
      await Promise.all([dispatchers.open.destroy(), dispatchers.guarded.destroy(), hostSettings.close()]);
    },
  };
}

function requestHeaders(
  config: FetchConfig,
  options: FetchOptions,
  site: SiteFetchSettings | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': site?.userAgent ?? config.userAgent ?? DEFAULT_USER_AGENT,
    accept: options.accept ?? DEFAULT_ACCEPT,
    'accept-encoding': ACCEPT_ENCODING,
  };
  for (const [name, value] of Object.entries(site?.headers ?? {})) headers[name.toLowerCase()] = value;
  const cookies = Object.entries(site?.cookies ?? {});
  if (cookies.length > 0) headers.cookie = cookies.map(([name, value]) => `${name}=${value}`).join('; ');
  if (options.validators?.etag) headers['if-none-match'] = options.validators.etag;
  if (options.validators?.lastModified) headers['if-modified-since'] = options.validators.lastModified;
  return headers;
}

/** The site whose hosts `target` is on (checked per hop, so a redirect elsewhere carries no cookie). */
function siteOf(sites: SiteFetchSettings[], target: URL): SiteFetchSettings | undefined {
  return sites.find((site) => sameSite(target.href, site.base));
}

/** Parses `raw` (relative to `base` for redirects) and accepts only http and https; the fragment is dropped. */
function parseTarget(raw: string, requestedUrl: string, base?: URL): URL {
  let target: URL;
  try {
    target = new URL(raw, base);
  } catch (error) {
    const context = base ? ` (redirect from ${base.href})` : '';
    throw new FetchError(
      `fetch: "${raw}" is not a valid URL${context}`,
      failure(requestedUrl, 'bad_url', false, error),
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    const context = base ? ` (redirect from ${base.href})` : '';
    throw new FetchError(
      `fetch: ${target.href} uses ${target.protocol}, only http: and https: are fetched${context}`,
      failure(requestedUrl, 'unsupported_scheme', false),
    );
  }
  target.hash = '';
  return target;
}

/** Undici and node errors mapped to our codes; anything unknown counts as a network failure (retryable). */
function classifyFailure(
  error: unknown,
  fail: (code: string, reason: string, retryable: boolean, cause?: unknown) => Attempt,
  maxBytes: number,
): Attempt {
  const chain = causeChain(error);
  const find = <T>(test: (link: unknown) => link is T): T | undefined => chain.find(test);
  const refused = find((link): link is PrivateAddressRefused => link instanceof PrivateAddressRefused);
  if (refused) return fail('private_address', `resolves to ${refused.address}, ${PRIVATE_REFUSAL}`, false);
  if (find((link): link is BodyTooLarge => link instanceof BodyTooLarge)) {
    return fail('too_large', `sent more than the ${maxBytes}-byte cap`, false);
  }
  const unsupported = find((link): link is UnsupportedEncoding => link instanceof UnsupportedEncoding);
  if (unsupported) return fail('decompression', `sent ${unsupported.message}`, false);
  const codes = chain
    .map((link) => (link as { code?: unknown })?.code)
    .filter((code) => typeof code === 'string');
  if (codes.some((code) => ZLIB_ERROR_CODE.test(code))) {
    return fail('decompression', `sent a body that does not decompress (${errorText(error)})`, false, error);
  }
  if (codes.some((code) => TIMEOUT_CODES.has(code)))
    return fail('timeout', `timed out (${errorText(error)})`, true, error);
  return fail('network', `could not be fetched: ${errorText(error)}`, true, error);
}

/** node:zlib error codes: 'Z_DATA_ERROR', 'Z_BUF_ERROR' for gzip/deflate, 'ERR__ERROR_FORMAT_...' for brotli. */
const ZLIB_ERROR_CODE = /^(Z_|ERR__ERROR|ERR_BROTLI)/;

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let link = error;
    link !== undefined && link !== null && chain.length < 8;
    link = (link as Error).cause
  ) {
    chain.push(link);
    if (link instanceof AggregateError) chain.push(...link.errors);
  }
  return chain;
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${error.message} [${code}]`
    : error.message;
}

function fetchError(
  requestedUrl: string,
  target: URL,
  code: string,
  reason: string,
  retryable: boolean,
  cause?: unknown,
) {
  const via = target.href === requestedUrl ? '' : ` (redirected from ${requestedUrl})`;
  return new FetchError(
    `fetch: ${target.href}${via} ${reason}`,
    failure(requestedUrl, code, retryable, cause),
  );
}

function failure(where: string, code: string, retryable: boolean, cause?: unknown) {
  return { code, where, retryable, cause };
}

function afterAttempts(error: FetchError, attempts: number): FetchError {
  if (attempts === 1) return error;
  return new FetchError(`${error.message} (after ${attempts} attempts)`, {
    code: error.code,
    where: error.where,
    retryable: error.retryable,
    cause: error.cause,
  });
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
