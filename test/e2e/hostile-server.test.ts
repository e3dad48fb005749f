// `serve` under hostile requests (issue 17, class 6): path traversal in every encoding, a flood of distinct counter
// paths, very long URLs, slow-loris sockets and odd methods. Nothing outside the mirror (or in .git) is served,
// memory and disk stay bounded, and nothing about a reader reaches the disk or the log.
import assert from 'node:assert/strict';
import { statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rawGet, rawRequest, startTestServer, type TestServer, writeMirrorFile } from '../server/helpers.ts';

const SECRET = 'SECRET-OUTSIDE-THE-MIRROR';
const GIT_SECRET = 'https://token@git.example/secret-remote';
const PAGE = 'pages/world/n1.md';
const COUNTER = '/epoch-news/';

/** Every spelling of "up one folder" and of "a hidden or unsafe name" a server has been fooled by. */
const TRAVERSALS = [
  '/../secret.txt',
  '/pages/../../secret.txt',
  '/%2e%2e/secret.txt',
  '/%2E%2E/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/..%2fsecret.txt',
  '/..%2Fpages%2F..%2F..%2Fsecret.txt',
  '/.%2e/secret.txt',
  '/%252e%252e/secret.txt',
  '/%252e%252e%252fsecret.txt',
  '/%25252e%25252e/secret.txt',
  '/..%5csecret.txt',
  '/..%5c..%5csecret.txt',
  '/..\\secret.txt',
  '/pages\\..\\..\\secret.txt',
  '/%c0%ae%c0%ae/secret.txt',
  '/%c0%ae%c0%ae%c0%afsecret.txt',
  '/%e0%80%ae%e0%80%ae/secret.txt',
  '/%f0%80%80%ae%f0%80%80%ae/secret.txt',
  '/%c1%9c..%c1%9csecret.txt',
  '/%u002e%u002e/secret.txt',
  '/..%00/secret.txt',
  '/pages/world/n1.md%00.txt',
  '/%00../secret.txt',
  '/..;/secret.txt',
  '//secret.txt',
  '/.git/config',
  '/%2egit/config',
  '/.GIT/config',
  '/pages/../.git/config',
  '/pages/%2e%2e/.git/config',
  '/.%67it/config',
  '/link-out/secret.txt',
];

describe('serve under hostile requests', () => {
  let served: TestServer;

  before(async () => {
    served = await startTestServer({ files: { [PAGE]: '### One\n' }, headersTimeoutMs: 1_000 });
    writeFileSync(join(served.dir, 'secret.txt'), SECRET);
    writeMirrorFile(served.mirrorDir, '.git/config', `[remote "origin"]\n\turl = ${GIT_SECRET}\n`);
    // A symbolic link inside the mirror that points out of it.
    symlinkSync(served.dir, join(served.mirrorDir, 'link-out'));
    await served.server.rescan();
  });
  after(() => served.close());

  test('path traversal in every encoding: never a file outside the mirror or in .git, preview or counter', async () => {
    for (const path of TRAVERSALS) {
      for (const target of [path, `${COUNTER.slice(0, -1)}${path}`, `http://127.0.0.1${path}`]) {
        const answer = await rawGet(served.server.port, target);
        assert.ok(!answer.text.includes(SECRET), `${target}: secret served`);
        assert.ok(!answer.text.includes(GIT_SECRET), `${target}: .git served`);
        if (!target.startsWith(COUNTER)) assert.ok(answer.status >= 400, `${target}: ${answer.status}`);
      }
    }
    // The counter answered its pixel for each, and counted none of them.
    assert.equal((await served.server.flush()).views, 0);
  });

  test('a flood of distinct counter paths: nothing stored for them, memory and disk stay bounded', async () => {
    await served.server.flush();
    const storeBytes = () => statSync(served.storePath).size;
    const before = storeBytes();
    const rss = process.memoryUsage.rss();
    const paths = Array.from(
      { length: 5_000 },
      (_, n) => `${COUNTER}pages/flood/${n}-${'x'.repeat(n % 200)}.md`,
    );
    for (let at = 0; at < paths.length; at += 100) {
      await Promise.all(
        paths.slice(at, at + 100).map(async (path) => {
          const response = await fetch(`${served.server.url}${path}?${at}`);
          assert.equal(response.status, 200);
          await response.arrayBuffer();
        }),
      );
    }
    // One real page among them still counts.
    await (await fetch(`${served.server.url}${COUNTER}${PAGE}`)).arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 200)); // Store lookups of the last requests settle.
    const flushed = await served.server.flush();
    assert.equal(flushed.views, 1);
    assert.ok(storeBytes() - before < 64 * 1024, `store grew ${storeBytes() - before} bytes`);
    assert.ok((process.memoryUsage.rss() - rss) / 1e6 < 150, 'memory stays bounded');
    const rows = await served.store.views.top({ sinceDay: '2000-01-01', limit: 10_000 });
    assert.deepEqual(
      rows.map((row) => row.path),
      [PAGE],
    );
  });

  test('very long URLs: 414 or 431, never served and never counted', async () => {
    for (const target of [
      `${COUNTER}${PAGE}?${'q'.repeat(4_000)}`,
      `${COUNTER}${'a/'.repeat(3_000)}n1.md`,
      `/${'%2e%2e/'.repeat(2_000)}secret.txt`,
      `/${'x'.repeat(200_000)}`,
    ]) {
      const answer = await rawGet(served.server.port, target);
      assert.ok([400, 404, 414, 431].includes(answer.status), `${target.slice(0, 40)}: ${answer.status}`);
    }
    assert.equal((await served.server.flush()).views, 0);
  });

  test('slow-loris sockets are closed at the headers deadline, and others are still served meanwhile', async () => {
    const sockets: Socket[] = [];
    const closed: Promise<number>[] = [];
    const start = performance.now();
    for (let n = 0; n < 50; n++) {
      const socket = connect(served.server.port, '127.0.0.1');
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.resume(); // Read the 408 and the close, or 'close' never fires.
      socket.write(`GET ${COUNTER}${PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      // One header byte every 200 ms: each byte well within any idle timeout, the headers never finished.
      const timer = setInterval(() => socket.writable && socket.write('X'), 200);
      closed.push(
        new Promise((resolve) =>
          socket.on('close', () => {
            clearInterval(timer);
            resolve(performance.now() - start);
          }),
        ),
      );
    }
    const meanwhile = await rawGet(served.server.port, `/${PAGE}`);
    assert.equal(meanwhile.status, 200);
    const times = await Promise.all(closed);
    // headersTimeoutMs is 1 s here; Node checks every second, so each closes within about 2 s (default checks: 30 s).
    assert.ok(Math.max(...times) < 5_000, `closed after ${Math.round(Math.max(...times))} ms`);
    for (const socket of sockets) socket.destroy();
    assert.equal((await served.server.flush()).views, 0);
  });

  test('odd methods: refused, never counted, never served', async () => {
    for (const method of [
      'TRACE',
      'OPTIONS',
      'PROPFIND',
      'CONNECT',
      'PATCH',
      'PUT',
      'DELETE',
      'FOO',
      'get',
    ]) {
      for (const target of [`${COUNTER}${PAGE}`, `/${PAGE}`]) {
        const line = method === 'CONNECT' ? `CONNECT 127.0.0.1:22 HTTP/1.1` : `${method} ${target} HTTP/1.1`;
        const answer = await rawRequest(
          served.server.port,
          `${line}\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        );
        assert.ok(answer.status >= 400 || answer.status === 0, `${method} ${target}: ${answer.status}`);
        assert.ok(!answer.text.includes('### One'), `${method} ${target}: served`);
      }
    }
    assert.equal((await served.server.flush()).views, 0);
  });

  test('nothing about a reader reached the log', () => {
    const joined = served.logLines.join('\n');
    for (const trace of ['127.0.0.1', 'secret', 'flood', '%2e', 'PROPFIND', 'User-Agent']) {
      assert.ok(
        !joined.toLowerCase().includes(trace.toLowerCase()),
        `log mentions ${trace}: ${joined.slice(0, 300)}`,
      );
    }
  });
});
