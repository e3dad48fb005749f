// Malformed and oversized requests are answered at once with a 4xx and count nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_URL_LENGTH } from '../../src/server/index.ts';
import { rawGet, rawRequest, startTestServer, type TestServer } from './helpers.ts';

describe('request limits', () => {
  let served: TestServer;
  const page = 'pages/world/n1.md';

  before(async () => {
    served = await startTestServer({ files: { [page]: '### One\n' } });
  });
  after(() => served.close());

  test('a URL longer than the limit gets 414 and is not counted', async () => {
    const target = `/epoch-news/${page}?${'q'.repeat(MAX_URL_LENGTH)}`;
    const answer = await rawGet(served.server.port, target);
    assert.equal(answer.status, 414);
    assert.equal((await served.server.flush()).views, 0);
  });

  test('huge headers get 431', async () => {
    const answer = await rawGet(served.server.port, `/epoch-news/${page}`, {
      'X-Padding': 'p'.repeat(64 * 1024),
    });
    assert.equal(answer.status, 431);
    assert.equal((await served.server.flush()).views, 0);
  });

  test('a request line far beyond the header budget gets 431 or 414, never 200', async () => {
    const answer = await rawGet(served.server.port, `/epoch-news/${'x'.repeat(100 * 1024)}`);
    assert.ok([414, 431].includes(answer.status), `status ${answer.status}`);
  });

  test('garbage instead of HTTP gets 400', async () => {
    const answer = await rawRequest(served.server.port, 'HELLO\r\n\r\n');
    assert.equal(answer.status, 400);
  });

  test('methods other than GET and HEAD get 405 and are not counted', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(`${served.server.url}/epoch-news/${page}`, {
        method,
        body: 'x'.repeat(1000),
      });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.get('allow'), 'GET, HEAD');
      await response.arrayBuffer();
    }
    assert.equal((await served.server.flush()).views, 0);
  });

  test('a bad Host header gets 400 from the preview (the counter never reads headers)', async () => {
    const answer = await rawRequest(
      served.server.port,
      `GET /${page} HTTP/1.1\r\nHost: a b/c\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(answer.status, 400);
  });

  test('a valid request still works after all of the above', async () => {
    const response = await fetch(`${served.server.url}/epoch-news/${page}`);
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    assert.equal((await served.server.flush()).views, 1);
  });
});
