// Address guards in every spelling (issue 17, class 1): decimal, octal, hex and short IPv4 forms, IPv4 inside IPv6
// (mapped, compatible, translated, NAT64, 6to4), the other special ranges, names that resolve to loopback, a name
// that changes its answer between the check and the connection, at every redirect hop, for pages, images, feeds and
// child sitemaps. The guard sits in the HTTP client's connector (src/pipeline/fetch/private-address.ts): an IP
// literal is refused before connecting, a name through the connection's own look-up, and the address the socket
// reached is checked before the request is written. 127.0.0.1 plays the public site; 127.0.0.2 is a private host
// that counts every connection and request it gets: it must get none.
import assert from 'node:assert/strict';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { type LoadedConfig, parseConfigText } from '../../src/config/load.ts';
import { fetchSchema } from '../../src/config/options.ts';
import { FetchError } from '../../src/internal/errors.ts';
import { silentLogger } from '../../src/internal/log.ts';
import { createHttpClient, type HttpClient } from '../../src/pipeline/fetch/client.ts';
import { createDispatchers } from '../../src/pipeline/fetch/dispatchers.ts';
import {
  isPrivateAddress,
  type Lookup,
  PrivateAddressRefused,
} from '../../src/pipeline/fetch/private-address.ts';
import { type RunSummary, runMirror } from '../../src/pipeline/run.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';
import { type FaultyServer, redirectTo, serveBytes, startFaultyServer } from '../helpers/faulty-server.ts';

/** The one address this test lets through as "public": the fixture site's. */
const isRefused = (address: string) => address !== '127.0.0.1' && isPrivateAddress(address);

/** 127.0.0.2 in every spelling a URL parser or the OS accepts, each reaching it (or the local host) as written. */
const SPELLINGS_OF_127_0_0_2 = (port: number) => ({
  decimal: `http://2130706434:${port}`,
  hex: `http://0x7f000002:${port}`,
  'dotted hex': `http://0x7f.0.0.2:${port}`,
  octal: `http://017700000002:${port}`,
  'dotted octal': `http://0177.0.0.02:${port}`,
  short: `http://127.2:${port}`,
  'short hex': `http://0x7f.2:${port}`,
  'IPv4-mapped IPv6': `http://[::ffff:127.0.0.2]:${port}`,
  'IPv4-mapped IPv6, hex': `http://[::ffff:7f00:2]:${port}`,
  'IPv4-mapped IPv6, long form': `http://[0:0:0:0:0:ffff:7f00:0002]:${port}`,
  'IPv4-translated IPv6': `http://[::ffff:0:7f00:2]:${port}`,
  'IPv4-compatible IPv6': `http://[::127.0.0.2]:${port}`,
  'NAT64 64:ff9b::/96': `http://[64:ff9b::7f00:2]:${port}`,
  '6to4 2002::/16': `http://[2002:7f00:2::1]:${port}`,
  'a name resolving to it': `http://intranet.example:${port}`,
  'a name resolving to it and a public address': `http://split.example:${port}`,
});

/** Other ranges that are not the public internet. */
const OTHER_PRIVATE = (port: number) => ({
  'unspecified 0.0.0.0': `http://0.0.0.0:${port}`,
  'unspecified 0': `http://0:${port}`,
  'unspecified ::': `http://[::]:${port}`,
  'loopback ::1': `http://[::1]:${port}`,
  'CGNAT 100.64/10': 'http://100.64.0.1',
  'link-local 169.254/16 (cloud metadata)': 'http://169.254.169.254',
  'metadata as NAT64': 'http://[64:ff9b::a9fe:a9fe]',
  'metadata as 6to4': 'http://[2002:a9fe:a9fe::]',
  'private 10/8 as decimal': 'http://167772161',
  'private 192.168/16 as hex': 'http://0xc0a80001',
  'IPv6 link-local': 'http://[fe80::1]',
  'IPv6 unique-local': 'http://[fd00::1]',
  'IPv6 site-local': 'http://[fec0::1]',
  'IPv4 multicast': 'http://224.0.0.1',
  'IPv6 multicast': 'http://[ff02::1]',
  broadcast: 'http://255.255.255.255',
  Teredo: 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]',
});

/** Names the test's resolver knows; the rest go to the system's (localhost and *.localhost among them). */
function testLookup(): Lookup & { rebinds: number } {
  let rebindAnswers = 0;
  const answer = (address: string): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 });
  const lookup = ((hostname, options, callback) => {
    if (hostname === 'intranet.example') return callback(null, [answer('127.0.0.2')]);
    if (hostname === 'split.example') return callback(null, [answer('127.0.0.1'), answer('127.0.0.2')]);
    // Public for the first look-up (the check before the request), the private host for the connection's own.
    if (hostname === 'rebind.example') {
      lookup.rebinds++;
      return callback(null, [answer(rebindAnswers++ === 0 ? '127.0.0.1' : '127.0.0.2')]);
    }
    dnsLookup(hostname, options, callback);
  }) as Lookup & { rebinds: number };
  lookup.rebinds = 0;
  return lookup;
}

/** An HTTP server on 127.0.0.2 that answers everything and counts connections as well as requests. */
async function startPrivateHost(): Promise<{
  port: number;
  connections: number;
  requests: string[];
  close(): Promise<void>;
}> {
  const requests: string[] = [];
  const state = { port: 0, connections: 0, requests, close: async () => {} };
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '/');
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>secret</p>');
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((done) => server.listen(0, '127.0.0.2', done));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
  return state;
}

function codeOf(error: unknown): string {
  return error instanceof FetchError ? error.code : `not a FetchError: ${error}`;
}

const PARAGRAPHS = Array.from(
  { length: 6 },
  (_, n) =>
    `<p>Paragraph ${n + 1}: the council met on Tuesday and agreed the budget after a long debate about roads, schools and the river bank.</p>`,
).join('');

function article(title: string, extra = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><article><h1>${title}</h1>${PARAGRAPHS}${extra}</article></body></html>`;
}

describe('address guards in every spelling', () => {
  let site: FaultyServer;
  let privateHost: Awaited<ReturnType<typeof startPrivateHost>>;
  let lookup: ReturnType<typeof testLookup>;
  let http: HttpClient;
  let store: Store;
  let loaded: LoadedConfig;
  let summary: RunSummary;
  const work = mkdtempSync(join(tmpdir(), 'newsmirror-addresses-'));
  const images: string[] = [];
  const hops = new Map<string, string>();

  before(async () => {
    site = await startFaultyServer({ host: '127.0.0.1' });
    privateHost = await startPrivateHost();
    lookup = testLookup();
    const port = privateHost.port;
    const targets = { ...SPELLINGS_OF_127_0_0_2(port), ...OTHER_PRIVATE(port) };
    // One image per spelling, each under its own path so the failures can be told apart.
    for (const origin of Object.values(targets)) images.push(`${origin}/img-${images.length}.png`);
    images.push(`http://rebind.example:${port}/rebind.png`);
    const imageTags = images.map((src) => `<p><img src="${src}" alt="x"></p>`).join('');
    site.route('/a/images.html', serveBytes(article('Images everywhere', imageTags), 'text/html'));
    // Article URLs whose redirect leads to 127.0.0.2, one per spelling.
    let n = 0;
    for (const origin of Object.values(SPELLINGS_OF_127_0_0_2(port))) {
      const path = `/a/hop-${n++}.html`;
      hops.set(path, `${origin}/a/secret.html`);
      site.route(path, redirectTo(`${origin}/a/secret.html`));
    }
    site.route('/list.html', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      const links = ['/a/images.html', ...hops.keys()].map((href) => `<a href="${href}">x</a>`);
      res.end(`<!doctype html><html><body><div class="list">${links.join('')}</div></body></html>`);
    });
    // A configured feed that redirects off its own host into the private one, and a sitemap index whose children
    // are there: the configured URLs are trusted on their own host, nowhere else.
    site.route('/feed.xml', redirectTo(`http://[::ffff:127.0.0.2]:${port}/feed.xml`));
    site.route(
      '/sitemap.xml',
      serveBytes(
        `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>http://2130706434:${port}/child.xml</loc></sitemap></sitemapindex>`,
        'application/xml',
      ),
    );
    site.route(
      '/sitemap-by-name.xml',
      serveBytes(
        `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>http://intranet.example:${port}/child.xml</loc></sitemap></sitemapindex>`,
        'application/xml',
      ),
    );

    const text = `mirror:
  dir: ./mirror
  title: Address guards
  remotes: []
fetch:
  allowPrivateAddresses: false
  retries: 1
  connectTimeoutMs: 1000
  headersTimeoutMs: 2000
  bodyTimeoutMs: 2000
store:
  path: ./store.sqlite
sites:
  - id: town
    name: Town
    base: ${site.origin}/
    articleId: '/a/(.+)\\.html$'
    channels:
      - { id: news, title: News, listing: { url: ${site.origin}/list.html, links: '.list a' } }
      - { id: feed, title: Feed, feed: ${site.origin}/feed.xml }
      - { id: maps, title: Maps, sitemap: ${site.origin}/sitemap.xml }
      - { id: named, title: Named, sitemap: ${site.origin}/sitemap-by-name.xml }
`;
    loaded = parseConfigText(text, join(work, 'newsmirror.yaml'), work);
    store = await openSqliteStore(loaded.storePath);
    http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 1, isPrivateAddress: isRefused, lookup });
    summary = await runMirror({ loaded, store, http, log: silentLogger, push: false });
  });

  after(async () => {
    await http?.close();
    await store?.close();
    await site?.close();
    await privateHost?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('the article is mirrored; each image in every spelling fails as private_address', async () => {
    const page = readFileSync(join(loaded.mirrorDir, 'pages/news/images.md'), 'utf8');
    assert.match(page, /Images everywhere/);
    const failed = new Map(
      (await store.images.listFailed()).map((image) => [new URL(image.src).pathname, image]),
    );
    for (const src of images) {
      const path = new URL(src).pathname;
      assert.equal(failed.get(path)?.code, 'private_address', `${src}: ${failed.get(path)?.message}`);
    }
    assert.ok(lookup.rebinds >= 2, 'the rebinding name was looked up by the check and by the connection');
    assert.doesNotMatch(page, /img-\d+\.png|rebind/, 'no image is hotlinked either');
  });

  test('an article redirecting to 127.0.0.2 in any spelling fails as private_address', () => {
    for (const [path, location] of hops) {
      const failure = summary.failures.find((candidate) => new URL(candidate.url).pathname === path);
      assert.equal(failure?.code, 'private_address', `${path} -> ${location}: ${failure?.message}`);
      assert.equal(failure?.retryable, false);
    }
  });

  test('a configured feed redirecting off its host, and child sitemaps, are refused: those channels fail', () => {
    const failedChannels = summary.channelFailures.map((failure) => failure.channelId).sort();
    assert.deepEqual(failedChannels, ['feed', 'maps', 'named']);
    for (const failure of summary.channelFailures) {
      assert.match(failure.message, /a private or loopback address/, failure.message);
    }
  });

  test('the private host got no connection and no request', () => {
    assert.deepEqual(privateHost.requests, []);
    assert.equal(privateHost.connections, 0);
  });
});

describe('the guard in the connector, under the client', () => {
  let privateHost: Awaited<ReturnType<typeof startPrivateHost>>;
  const config = fetchSchema.parse({ retries: 0, connectTimeoutMs: 1000 });

  before(async () => {
    privateHost = await startPrivateHost();
  });
  after(() => privateHost?.close());

  const viaGuarded = async (url: string, refuse: (address: string) => boolean, lookup?: Lookup) => {
    const dispatchers = createDispatchers(config, refuse, {}, lookup);
    try {
      await request(url, { dispatcher: dispatchers.guarded });
      return undefined;
    } catch (error) {
      return error;
    } finally {
      await Promise.all([dispatchers.open.destroy(), dispatchers.guarded.destroy()]);
    }
  };
  const refusal = (error: unknown) =>
    [error, (error as Error)?.cause].find((link) => link instanceof PrivateAddressRefused);

  test('an IP literal is refused before any connection (net.connect never looks literals up)', async () => {
    for (const host of ['127.0.0.2', '[::ffff:127.0.0.2]']) {
      const error = await viaGuarded(`http://${host}:${privateHost.port}/direct`, isPrivateAddress);
      assert.ok(refusal(error), `${host}: ${error}`);
    }
    assert.equal(privateHost.connections, 0);
  });

  test('the address the socket reached is checked, whatever the look-up said', async () => {
    // The look-up's check passes (its first call), the socket's address is refused: nothing is written to it.
    let calls = 0;
    const error = await viaGuarded(
      `http://intranet.example:${privateHost.port}/reached`,
      () => calls++ > 0,
      testLookup(),
    );
    assert.ok(refusal(error), String(error));
    assert.ok(calls >= 2, 'the look-up and the socket were both checked');
    assert.deepEqual(privateHost.requests, []);
  });

  test('names resolving to loopback (localhost, *.localhost) are refused by the client', async () => {
    const client = createHttpClient(config);
    try {
      for (const host of ['localhost', 'news.localhost']) {
        const error = await client
          .fetch(`http://${host}:${privateHost.port}/by-name`, { fromContent: true })
          .catch((caught: unknown) => caught);
        // *.localhost resolves to loopback where the resolver follows RFC 6761; elsewhere it does not resolve.
        assert.match(
          codeOf(error),
          host === 'localhost' ? /^private_address$/ : /^(private_address|network)$/,
          host,
        );
      }
    } finally {
      await client.close();
    }
    assert.deepEqual(privateHost.requests, []);
  });

  test('allowPrivateAddresses: true still reaches it, and a configured URL on its own host is trusted', async () => {
    const allowed = createHttpClient(fetchSchema.parse({ retries: 0, allowPrivateAddresses: true }));
    const strict = createHttpClient(config);
    try {
      const viaIPv6 = await allowed.fetch(`http://[::ffff:127.0.0.2]:${privateHost.port}/allowed`, {
        fromContent: true,
      });
      assert.equal(viaIPv6.text, '<p>secret</p>');
      const configured = await strict.fetch(`http://127.0.0.2:${privateHost.port}/configured`);
      assert.equal(configured.text, '<p>secret</p>');
    } finally {
      await allowed.close();
      await strict.close();
    }
    assert.deepEqual(privateHost.requests, ['/allowed', '/configured']);
  });
});
