import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { type FixtureServer, startFixtureServer } from '../../../harness/fixture-server.ts';
import { createHttpClient, DEFAULT_USER_AGENT } from '../../../src/pipeline/fetch/client.ts';
import {
  concurrencyGate,
  fetchError,
  html,
  startSecondHost,
  testConfig,
  withClient,
  writeForever,
} from './client-helpers.ts';

// '新闻自由是民主社会的基石，记者应当独立报道。' encoded as GBK (python3 '...'.encode('gbk')).
const SIMPLIFIED = '新闻自由是民主社会的基石，记者应当独立报道。';
const GBK_BYTES = Buffer.from(
  'd0c2cec5d7d4d3c9cac7c3f1d6f7c9e7bbe1b5c4bbf9caafa3acbcc7d5dfd3a6b5b1b6c0c1a2b1a8b5c0a1a3',
  'hex',
);

let server: FixtureServer;
let other: Awaited<ReturnType<typeof startSecondHost>>;

before(async () => {
  server = await startFixtureServer();
  other = await startSecondHost();
});
after(async () => {
  await server.close();
  await other.close();
});

describe('conditional GET', () => {
  test('an ETag is returned, sent back as If-None-Match, and a 304 gives notModified', async () => {
    server.route('/etag', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { ETag: '"v1"' }).end();
      html(res, '<p>first</p>', { ETag: '"v1"' });
    });
    await withClient(testConfig(), async (client) => {
      const first = await client.fetch(`${server.origin}/etag`);
      assert.equal(first.status, 200);
      assert.equal(first.notModified, false);
      assert.equal(first.etag, '"v1"');
      assert.equal(first.text, '<p>first</p>');

      const second = await client.fetch(`${server.origin}/etag`, { validators: { etag: first.etag } });
      assert.equal(second.status, 304);
      assert.equal(second.notModified, true);
      assert.equal(second.body.length, 0);
      assert.equal(second.text, '');
      assert.equal(second.etag, '"v1"');
      assert.equal(server.hits('/etag')[1].headers['if-none-match'], '"v1"');
    });
  });

  test('Last-Modified is returned and sent back as If-Modified-Since', async () => {
    const stamp = 'Tue, 01 Apr 2025 08:00:00 GMT';
    server.route('/last-modified', (req, res) => {
      if (req.headers['if-modified-since'] === stamp) return void res.writeHead(304).end();
      html(res, '<p>dated</p>', { 'Last-Modified': stamp });
    });
    await withClient(testConfig(), async (client) => {
      const first = await client.fetch(`${server.origin}/last-modified`);
      assert.equal(first.lastModified, stamp);
      const second = await client.fetch(`${server.origin}/last-modified`, {
        validators: { lastModified: first.lastModified },
      });
      assert.equal(second.notModified, true);
      assert.equal(second.lastModified, stamp, 'validators are kept when the 304 repeats none');
    });
  });
});

describe('politeness', () => {
  test('never more than perHostConcurrency requests at once to one host', async () => {
    const gate = concurrencyGate(2);
    server.route('/slow', (_req, res) => gate.hold(() => html(res, 'ok')));
    await withClient(testConfig({ perHostConcurrency: 2 }), async (client) => {
      const pages = await Promise.all(
        Array.from({ length: 10 }, () => client.fetch(`${server.origin}/slow`)),
      );
      assert.equal(pages.length, 10);
    });
    assert.equal(gate.most(), 2);
  });

  test('never more than concurrency requests at once across hosts', async () => {
    const gate = concurrencyGate(3);
    const handler = (_req: IncomingMessage, res: ServerResponse) => gate.hold(() => html(res, 'ok'));
    server.route('/global', handler);
    other.route('/global', handler);
    await withClient(testConfig({ perHostConcurrency: 4, concurrency: 3 }), async (client) => {
      const urls = Array.from({ length: 9 }, (_, i) => `${i % 2 ? server.origin : other.origin}/global`);
      await Promise.all(urls.map((url) => client.fetch(url)));
    });
    assert.equal(gate.most(), 3);
  });

  test('an honest User-Agent and the encodings we can undo are sent', async () => {
    server.route('/ua', (_req, res) => html(res, 'ok'));
    await withClient(testConfig(), (client) => client.fetch(`${server.origin}/ua`));
    const headers = server.hits('/ua')[0].headers;
    assert.equal(headers['user-agent'], DEFAULT_USER_AGENT);
    assert.match(
      DEFAULT_USER_AGENT,
      /^newsmirror\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/newsmirror\/newsmirror\)$/,
    );
    assert.equal(headers['accept-encoding'], 'gzip, deflate, br');
  });
});

describe('retries', () => {
  test('a 503 is retried and the following 200 returned', async () => {
    server.route('/flaky', (_req, res) => {
      if (server.hits('/flaky').length === 1) return void res.writeHead(503).end('busy');
      html(res, '<p>back</p>');
    });
    const retries: Array<[string, number, string]> = [];
    const page = await withClient(
      testConfig({ retries: 2 }),
      (client) => client.fetch(`${server.origin}/flaky`),
      { onRetry: (url, attempt, reason) => retries.push([url, attempt, reason]) },
    );
    assert.equal(page.text, '<p>back</p>');
    assert.equal(server.hits('/flaky').length, 2);
    assert.equal(retries.length, 1);
    assert.equal(retries[0][1], 1);
    assert.match(retries[0][2], /503 Service Unavailable/);
  });

  test('Retry-After is honoured instead of the (here huge) backoff, as seconds and as a date', async () => {
    server.route('/rate-limited', (_req, res) => {
      const hits = server.hits('/rate-limited').length;
      if (hits === 1) return void res.writeHead(429, { 'Retry-After': '0' }).end();
      if (hits === 2) return void res.writeHead(503, { 'Retry-After': new Date(0).toUTCString() }).end();
      html(res, 'ok');
    });
    // Were Retry-After ignored, the backoff would wait ten minutes and the test would time out.
    const page = await withClient(
      testConfig({ retries: 3 }),
      (client) => client.fetch(`${server.origin}/rate-limited`),
      { backoffBaseMs: 600_000 },
    );
    assert.equal(page.text, 'ok');
    assert.equal(server.hits('/rate-limited').length, 3);
  });

  test('a Retry-After beyond the cap is not waited out: the fetch fails as retryable', async () => {
    server.route('/come-back-later', (_req, res) => void res.writeHead(429, { 'Retry-After': '3600' }).end());
    const error = await fetchError(
      withClient(testConfig({ retries: 3 }), (client) => client.fetch(`${server.origin}/come-back-later`), {
        maxRetryAfterMs: 1000,
      }),
    );
    assert.equal(error.code, 'http_429');
    assert.equal(error.retryable, true);
    assert.match(error.message, /retry after 3600 s/);
    assert.equal(server.hits('/come-back-later').length, 1);
  });

  test('a 404 is not retried and not retryable, with a message naming URL and status', async () => {
    const url = `${server.origin}/missing.htm`;
    const error = await fetchError(withClient(testConfig({ retries: 3 }), (client) => client.fetch(url)));
    assert.equal(error.code, 'http_404');
    assert.equal(error.retryable, false);
    assert.equal(error.where, url);
    assert.equal(error.message, `fetch: ${url} answered 404 Not Found`);
    assert.equal(server.hits('/missing.htm').length, 1);
  });

  test('a persistent 500 is tried retries+1 times and stays retryable', async () => {
    server.route('/broken', (_req, res) => void res.writeHead(500).end());
    const error = await fetchError(
      withClient(testConfig({ retries: 2 }), (client) => client.fetch(`${server.origin}/broken`)),
    );
    assert.equal(error.code, 'http_500');
    assert.equal(error.retryable, true);
    assert.match(error.message, /answered 500 Internal Server Error \(after 3 attempts\)/);
    assert.equal(server.hits('/broken').length, 3);
  });

  test('a refused connection is a retryable network error', async () => {
    const closed = await startFixtureServer();
    const url = `${closed.origin}/`;
    await closed.close();
    const error = await fetchError(withClient(testConfig(), (client) => client.fetch(url)));
    assert.equal(error.code, 'network');
    assert.equal(error.retryable, true);
    assert.ok(error.message.startsWith(`fetch: ${url} could not be fetched`), error.message);
  });
});

describe('timeouts and size caps', () => {
  test('a server that never answers times out', async () => {
    server.route('/silent', () => {});
    const error = await fetchError(
      withClient(testConfig({ headersTimeoutMs: 200 }), (client) => client.fetch(`${server.origin}/silent`)),
    );
    assert.equal(error.code, 'timeout');
    assert.equal(error.retryable, true);
  });

  test('a slow-drip body is cut by the overall deadline although every chunk arrives in time', async () => {
    server.route('/drip', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      const timer = setInterval(() => res.write('.'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const config = testConfig({ connectTimeoutMs: 200, headersTimeoutMs: 200, bodyTimeoutMs: 200 });
    const error = await fetchError(withClient(config, (client) => client.fetch(`${server.origin}/drip`)));
    assert.equal(error.code, 'timeout');
    assert.match(error.message, /did not finish within 600 ms/);
  });

  test('an endless body is cut by the size cap while streaming', async () => {
    server.route('/endless', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      writeForever(res, Buffer.alloc(64 * 1024, 'a'));
    });
    const error = await fetchError(
      withClient(testConfig(), (client) =>
        client.fetch(`${server.origin}/endless`, { maxBytes: 1024 * 1024 }),
      ),
    );
    assert.equal(error.code, 'too_large');
    assert.equal(error.retryable, false);
    assert.match(error.message, /more than the 1048576-byte cap/);
  });

  test('a 10 MB page is accepted under the default cap, one byte more is refused', async () => {
    const config = testConfig();
    const big = Buffer.alloc(config.maxBodyBytes, 'x');
    big.write('<html><body><p>', 0);
    server.route('/ten-mb', (_req, res) => html(res, big));
    server.route('/ten-mb-plus-one', (_req, res) => html(res, Buffer.concat([big, Buffer.from('x')])));
    await withClient(config, async (client) => {
      const page = await client.fetch(`${server.origin}/ten-mb`);
      assert.equal(page.body.length, 10 * 1024 * 1024);
      assert.equal(page.text.length, 10 * 1024 * 1024);
      const error = await fetchError(client.fetch(`${server.origin}/ten-mb-plus-one`));
      assert.equal(error.code, 'too_large');
    });
  });

  test('a gzip bomb (50 MB of zeros) is refused by the cap on decoded bytes', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    assert.ok(bomb.length < 100 * 1024, 'the bomb itself is small');
    server.route('/bomb', (_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/html',
        'Content-Encoding': 'gzip',
        'Content-Length': bomb.length,
      });
      res.end(bomb);
    });
    const error = await fetchError(
      withClient(testConfig(), (client) => client.fetch(`${server.origin}/bomb`)),
    );
    assert.equal(error.code, 'too_large');
    assert.equal(error.retryable, false);
  });
});

describe('content encodings', () => {
  const text = `<p>${SIMPLIFIED.repeat(50)}</p>`;
  const encoders: Record<string, (data: Buffer) => Buffer> = {
    gzip: gzipSync,
    br: brotliCompressSync,
    deflate: deflateSync,
    'deflate (raw, as some servers send it)': deflateRawSync,
  };
  for (const [name, encode] of Object.entries(encoders)) {
    test(`${name} bodies are decoded`, async () => {
      const path = `/encoded-${name.split(' ')[0]}-${encode.name}`;
      server.route(path, (_req, res) =>
        html(res, encode(Buffer.from(text)), { 'Content-Encoding': name.split(' ')[0] }),
      );
      const page = await withClient(testConfig(), (client) => client.fetch(`${server.origin}${path}`));
      assert.equal(page.text, text);
    });
  }

  test('a corrupt gzip body fails with decompression, not retryable', async () => {
    server.route('/corrupt', (_req, res) =>
      html(res, Buffer.from('this is not gzip at all'), { 'Content-Encoding': 'gzip' }),
    );
    const error = await fetchError(
      withClient(testConfig(), (client) => client.fetch(`${server.origin}/corrupt`)),
    );
    assert.equal(error.code, 'decompression');
    assert.equal(error.retryable, false);
  });

  test('an encoding we never offered fails with decompression', async () => {
    server.route('/compress', (_req, res) => html(res, 'x', { 'Content-Encoding': 'compress' }));
    const error = await fetchError(
      withClient(testConfig(), (client) => client.fetch(`${server.origin}/compress`)),
    );
    assert.equal(error.code, 'decompression');
    assert.match(error.message, /unsupported content-encoding "compress"/);
  });
});

describe('redirects', () => {
  test('a redirect loop is detected', async () => {
    server.route('/loop-a', (_req, res) => void res.writeHead(302, { Location: '/loop-b' }).end());
    server.route(
      '/loop-b',
      (_req, res) => void res.writeHead(301, { Location: `${server.origin}/loop-a` }).end(),
    );
    const error = await fetchError(
      withClient(testConfig({ maxRedirects: 10 }), (client) => client.fetch(`${server.origin}/loop-a`)),
    );
    assert.equal(error.code, 'redirect_loop');
    assert.equal(error.retryable, false);
    assert.equal(server.hits('/loop-a').length, 1);
  });

  test('more than maxRedirects hops fail; exactly maxRedirects succeed', async () => {
    server.route('/chain', (req, res) => {
      const step = Number(new URL(req.url ?? '', server.origin).searchParams.get('step'));
      if (step < 5) return void res.writeHead(307, { Location: `/chain?step=${step + 1}` }).end();
      html(res, 'end of chain');
    });
    await withClient(testConfig({ maxRedirects: 3 }), async (client) => {
      const error = await fetchError(client.fetch(`${server.origin}/chain?step=1`));
      assert.equal(error.code, 'too_many_redirects');
      assert.equal(error.retryable, false);
      const page = await client.fetch(`${server.origin}/chain?step=2`);
      assert.equal(page.text, 'end of chain');
      assert.equal(page.url, `${server.origin}/chain?step=5`);
    });
  });

  test('a cross-host redirect is followed and the final URL reported', async () => {
    other.route('/moved-here', (_req, res) => html(res, '<p>new home</p>'));
    server.route(
      '/moved',
      (_req, res) => void res.writeHead(301, { Location: `${other.origin}/moved-here` }).end(),
    );
    // 127.0.0.2 plays a public host: a redirect off the config URL's own host is checked like content.
    const page = await withClient(testConfig(), (client) => client.fetch(`${server.origin}/moved#frag`), {
      isPrivateAddress: (address) => address === '127.0.0.1',
    });
    assert.equal(page.requestedUrl, `${server.origin}/moved#frag`);
    assert.equal(page.url, `${other.origin}/moved-here`);
    assert.equal(page.text, '<p>new home</p>');
  });

  test('a redirect to a non-http scheme is refused', async () => {
    server.route(
      '/to-file',
      (_req, res) => void res.writeHead(302, { Location: 'file:///etc/passwd' }).end(),
    );
    const error = await fetchError(
      withClient(testConfig(), (client) => client.fetch(`${server.origin}/to-file`)),
    );
    assert.equal(error.code, 'unsupported_scheme');
  });
});

describe('URLs and bodies', () => {
  test('bad URLs and other schemes are refused without a request', async () => {
    await withClient(testConfig(), async (client) => {
      assert.equal((await fetchError(client.fetch('not a url'))).code, 'bad_url');
      assert.equal((await fetchError(client.fetch('ftp://example.org/file'))).code, 'unsupported_scheme');
      assert.equal((await fetchError(client.fetch('javascript:alert(1)'))).code, 'unsupported_scheme');
    });
  });

  test('a GBK page without header charset is decoded through its meta', async () => {
    const body = Buffer.concat([
      Buffer.from(
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>',
      ),
      GBK_BYTES,
      Buffer.from('</p></body></html>'),
    ]);
    server.route(
      '/gbk.htm',
      (_req, res) => void res.writeHead(200, { 'Content-Type': 'text/html' }).end(body),
    );
    const page = await withClient(testConfig(), (client) => client.fetch(`${server.origin}/gbk.htm`));
    assert.equal(page.charset, 'gbk');
    assert.ok(page.text.includes(`<p>${SIMPLIFIED}</p>`));
    assert.deepEqual(Buffer.from(page.body), body, 'the raw bytes are kept');
  });

  test('a lying header charset (utf-8 on GBK bytes) is corrected from the bytes', async () => {
    server.route('/liar', (_req, res) =>
      html(res, Buffer.concat([Buffer.from('<p>'), GBK_BYTES, Buffer.from('</p>')])),
    );
    const page = await withClient(testConfig(), (client) => client.fetch(`${server.origin}/liar`));
    assert.equal(page.charset, 'gbk');
    assert.equal(page.text, `<p>${SIMPLIFIED}</p>`);
  });

  test('invalid UTF-8 decodes with replacement characters', async () => {
    server.route('/invalid-utf8', (_req, res) => html(res, Buffer.from('3c703ec0affffe3c2f703e', 'hex')));
    const page = await withClient(testConfig(), (client) => client.fetch(`${server.origin}/invalid-utf8`));
    assert.equal(page.charset, 'utf-8');
    assert.equal(page.text, '<p>\uFFFD\uFFFD\uFFFD\uFFFD</p>');
  });

  test('images keep their bytes and an empty text', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    server.route(
      '/pic.png',
      (_req, res) => void res.writeHead(200, { 'Content-Type': 'image/png' }).end(png),
    );
    const page = await withClient(testConfig(), (client) =>
      client.fetch(`${server.origin}/pic.png`, { accept: 'image/*', maxBytes: 1024 }),
    );
    assert.equal(page.text, '');
    assert.equal(page.contentType, 'image/png');
    assert.deepEqual(Buffer.from(page.body), png);
    assert.equal(server.hits('/pic.png')[0].headers.accept, 'image/*');
  });
});

describe('close', () => {
  test('fetches running or queued when the client closes fail instead of hanging', async () => {
    server.route('/hang', () => {});
    const client = createHttpClient(testConfig({ perHostConcurrency: 1, retries: 3 }));
    const running = fetchError(client.fetch(`${server.origin}/hang`));
    const queued = fetchError(client.fetch(`${server.origin}/hang`));
    while (server.hits('/hang').length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await client.close();
    const [first, second] = await Promise.all([running, queued]);
    assert.equal(first.code, 'network');
    assert.equal(second.code, 'network');
    assert.equal((await fetchError(client.fetch(`${server.origin}/hang`))).code, 'network');
  });
});
