// Fetching through a real HTTP proxy on 127.0.0.1 (test/helpers/proxy.ts logs what passed): fetch.proxy, the
// HTTP(S)_PROXY and NO_PROXY variables, the private-address guard through the proxy, and per-site headers.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type FixtureServer, startFixtureServer } from '../../../harness/fixture-server.ts';
import { type FetchConfig, fetchSchema } from '../../../src/config/options.ts';
import { FetchError } from '../../../src/internal/errors.ts';
import { createHttpClient, type HttpClientOptions } from '../../../src/pipeline/fetch/client.ts';
import { startTestProxy, startTestSocksProxy, type TestProxy } from '../../helpers/proxy.ts';

function config(overrides: Partial<FetchConfig> = {}): FetchConfig {
  return fetchSchema.parse({
    connectTimeoutMs: 1000,
    headersTimeoutMs: 1500,
    bodyTimeoutMs: 1500,
    retries: 0,
    ...overrides,
  });
}

async function fetchText(
  fetchConfig: FetchConfig,
  url: string,
  options: HttpClientOptions = {},
  fromContent = false,
) {
  const client = createHttpClient(fetchConfig, { backoffBaseMs: 1, ...options });
  try {
    return (await client.fetch(url, { fromContent })).text;
  } finally {
    await client.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FetchError, String(error));
    return error;
  }
  assert.fail('expected the fetch to fail');
}

/** Sets proxy variables for one test; the client reads them when it is created. */
async function withEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const names = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  Object.assign(process.env, vars);
  try {
    return await run();
  } finally {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

describe('fetching through a proxy', () => {
  let server: FixtureServer;
  let proxy: TestProxy;
  /** A second server on another loopback address, which the tests' guard treats as public. */
  let other: Server;
  let otherOrigin: string;

  before(async () => {
    server = await startFixtureServer();
    server.route('/page', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<p>through</p>');
    });
    other = createServer((req, res) => {
      if (req.url === '/to-private') {
        res.writeHead(302, { Location: `${server.origin}/page` });
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`other ${req.headers.cookie ?? 'no cookie'}`);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve));
    otherOrigin = `http://127.0.0.2:${(other.address() as AddressInfo).port}`;
    proxy = await startTestProxy({ hosts: { 'news.example:80': `127.0.0.1:${server.port}` } });
  });
  after(async () => {
    await proxy?.close();
    await server?.close();
    other?.closeAllConnections();
    await new Promise((resolve) => other?.close(resolve));
  });

  test('fetch.proxy carries every request: a name only the proxy knows is fetched', async () => {
    const before = proxy.log.length;
    assert.equal(await fetchText(config({ proxy: proxy.url }), 'http://news.example/page'), '<p>through</p>');
    assert.deepEqual(
      proxy.log.slice(before).map((entry) => `${entry.method} ${entry.target}`),
      ['CONNECT news.example:80'],
    );
    assert.equal(server.hits('/page').at(-1)?.headers.host, 'news.example');
  });

  test('a socks5:// fetch.proxy carries requests too', async () => {
    const socks = await startTestSocksProxy({ hosts: { 'news.example:80': `127.0.0.1:${server.port}` } });
    try {
      assert.equal(
        await fetchText(config({ proxy: socks.url }), 'http://news.example/page'),
        '<p>through</p>',
      );
      assert.deepEqual(
        socks.log.map((entry) => `${entry.method} ${entry.target}`),
        ['SOCKS5 CONNECT news.example:80'],
      );
    } finally {
      await socks.close();
    }
  });

  test('HTTP_PROXY is used when fetch.proxy is unset; NO_PROXY hosts connect directly', async () => {
    await withEnv({ HTTP_PROXY: proxy.url }, async () => {
      assert.equal(await fetchText(config(), 'http://news.example/page'), '<p>through</p>');
    });
    await withEnv(
      { HTTPS_PROXY: proxy.url, http_proxy: proxy.url, NO_PROXY: '127.0.0.1,localhost' },
      async () => {
        const before = proxy.log.length;
        assert.equal(await fetchText(config(), `${server.origin}/page`), '<p>through</p>');
        assert.equal(proxy.log.length, before, 'a NO_PROXY host did not go through the proxy');
      },
    );
    // No proxy anywhere: the name only the proxy knows does not resolve.
    await withEnv({}, async () => {
      const error = await rejection(fetchText(config(), 'http://news.example/page'));
      assert.equal(error.code, 'network');
    });
  });

  test('through the proxy the guard still refuses private targets, naming fetch.allowPrivateAddresses', async () => {
    const before = proxy.log.length;
    const error = await rejection(fetchText(config({ proxy: proxy.url }), `${server.origin}/page`, {}, true));
    assert.equal(error.code, 'private_address');
    assert.match(
      error.message,
      /127\.0\.0\.1, a private or loopback address .*fetch\.allowPrivateAddresses: true/,
    );
    assert.equal(proxy.log.length, before, 'the refused request never reached the proxy');
    // The proxy itself may be on a private address; a redirect hop to a private one is refused too.
    const guard: HttpClientOptions = { isPrivateAddress: (address) => address === '127.0.0.1' };
    const proxied = config({ proxy: proxy.url });
    assert.match(await fetchText(proxied, `${otherOrigin}/x`, guard, true), /^other/);
    assert.equal(proxy.log.at(-1)?.target, otherOrigin.replace('http://', ''));
    const hop = await rejection(fetchText(proxied, `${otherOrigin}/to-private`, guard, true));
    assert.equal(hop.code, 'private_address');
    // With allowPrivateAddresses the same request goes through.
    const allowed = config({ proxy: proxy.url, allowPrivateAddresses: true });
    assert.equal(await fetchText(allowed, `${server.origin}/page`, {}, true), '<p>through</p>');
  });

  test("per-site userAgent, headers and cookies go to the site's hosts only", async () => {
    const sites: HttpClientOptions['sites'] = [
      {
        base: `${server.origin}/`,
        userAgent: 'ExampleReader/1.0',
        headers: { Referer: `${server.origin}/`, 'Accept-Language': 'zh-CN' },
        cookies: { consent: 'yes', region: 'tw' },
      },
    ];
    await fetchText(config({ proxy: proxy.url, userAgent: 'Global/1' }), `${server.origin}/page`, { sites });
    const seen = server.hits('/page').at(-1)!.headers;
    assert.equal(seen['user-agent'], 'ExampleReader/1.0');
    assert.equal(seen.referer, `${server.origin}/`);
    assert.equal(seen['accept-language'], 'zh-CN');
    assert.equal(seen.cookie, 'consent=yes; region=tw');
    assert.equal(
      await fetchText(config({ proxy: proxy.url }), `${otherOrigin}/x`, { sites }),
      'other no cookie',
    );
  });
});
