// The undici dispatchers the client sends through: direct, or through a proxy (config `fetch.proxy`, else the
// usual HTTPS_PROXY / HTTP_PROXY / NO_PROXY variables; http, https and socks5 proxies, as undici's ProxyAgent
// supports them).
import { Agent, type Dispatcher, EnvHttpProxyAgent } from 'undici';
import type { FetchConfig } from '../../config/options.ts';
import { createGuardedConnector, type Lookup } from './private-address.ts';

export interface Dispatchers {
  /** For URLs from the config (channels) and, with allowPrivateAddresses, everything. */
  open: Dispatcher;
  /** For URLs found in content: a direct connection checks every DNS answer and the address its socket reached. */
  guarded: Dispatcher;
  /** The proxy in use, for messages; undefined when connecting directly. */
  proxy?: string;
}

/** The proxy from the environment, as curl and most tools read it (lower case first). */
export function proxyFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY || undefined;
}

export function createDispatchers(
  config: FetchConfig,
  isRefused: (address: string) => boolean,
  env: NodeJS.ProcessEnv = process.env,
  lookup?: Lookup,
): Dispatchers {
  const timeouts = { headersTimeout: config.headersTimeoutMs, bodyTimeout: config.bodyTimeoutMs };
  const connect = { timeout: config.connectTimeoutMs };
  const guardedConnect = createGuardedConnector(connect, isRefused, lookup);
  const proxy = config.proxy ?? proxyFromEnvironment(env);
  if (proxy === undefined) {
    return {
      open: new Agent({ ...timeouts, connect }),
      guarded: new Agent({ ...timeouts, connect: guardedConnect }),
    };
  }
  // Hosts in NO_PROXY connect directly (through the guarded connector where guarded); the rest go through the proxy,
  // which resolves names itself: there the client's check of the target's addresses before the request is the guard.
  const proxied = (connectOptions: typeof connect | typeof guardedConnect) =>
    new EnvHttpProxyAgent({
      ...timeouts,
      connect: connectOptions,
      // The connect timeout for the hop to an http(s) proxy; undici reads any proxyTls as "the SOCKS proxy speaks
      // TLS", so a socks5:// proxy keeps undici's own (10 s).
      ...(/^socks/i.test(proxy) ? {} : { proxyTls: connect, requestTls: connect }),
      // Without fetch.proxy undici reads the variables itself: HTTP_PROXY for http:, HTTPS_PROXY (else
      // HTTP_PROXY) for https:.
      httpProxy: config.proxy ?? (env.http_proxy || env.HTTP_PROXY || undefined),
      httpsProxy: config.proxy ?? (env.https_proxy || env.HTTPS_PROXY || undefined),
      noProxy: env.no_proxy ?? env.NO_PROXY,
    });
  return { open: proxied(connect), guarded: proxied(guardedConnect), proxy: withoutCredentials(proxy) };
}

function withoutCredentials(proxy: string): string {
  try {
    const url = new URL(proxy);
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return proxy;
  }
}
