// A temporary mirror + SQLite store on disk and `serve` on loopback around them, plus a raw HTTP client for requests
// that fetch() would normalise or refuse to send (dot segments, oversized headers).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLogger, type Logger } from '../../src/internal/log.ts';
import { dayBefore, type RunningServer, type ServeOptions, startServer } from '../../src/server/index.ts';
import { openSqliteStore, type Store } from '../../src/store/index.ts';

export const COUNTER_URL = 'https://counter.example.org/epoch-news/{path}';

export interface TestServer {
  dir: string;
  mirrorDir: string;
  storePath: string;
  store: Store;
  server: RunningServer;
  /** Every line the server logged. */
  logLines: string[];
  close(): Promise<void>;
}

export function writeMirrorFile(mirrorDir: string, path: string, content: string | Buffer): void {
  const file = join(mirrorDir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

export async function seedArticle(
  store: Store,
  article: { id: string; channel: string; title: string; siteId?: string },
): Promise<string> {
  const pagePath = `pages/${article.channel}/${article.id}.md`;
  const at = '2024-01-01T00:00:00.000Z';
  await store.articles.save({
    siteId: article.siteId ?? 'site',
    id: article.id,
    url: `https://news.example.org/${article.id}.htm`,
    homeChannel: article.channel,
    pagePath,
    title: article.title,
    contentHash: `hash-${article.id}`,
    extracted: '{}',
    firstSeen: at,
    updatedAt: at,
  });
  return pagePath;
}

export async function startTestServer(
  options: {
    files?: Record<string, string | Buffer>;
    setup?: (store: Store) => Promise<void>;
  } & Partial<Omit<ServeOptions, 'store' | 'mirrorDir' | 'log'>> = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'newsmirror-serve-'));
  const mirrorDir = join(dir, 'mirror');
  mkdirSync(mirrorDir);
  for (const [path, content] of Object.entries(options.files ?? {}))
    writeMirrorFile(mirrorDir, path, content);
  const storePath = join(dir, 'store', 'store.sqlite');
  const store = await openSqliteStore(storePath);
  await options.setup?.(store);
  const logLines: string[] = [];
  const log: Logger = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
  const { files: _files, setup: _setup, ...serveOptions } = options;
  const server = await startServer({
    mirrorTitle: 'Test mirror',
    counterUrl: COUNTER_URL,
    port: 0,
    // Tests flush by hand; a timer would make what is on disk depend on timing.
    flushIntervalMs: 3_600_000,
    ...serveOptions,
    store,
    mirrorDir,
    log,
  });
  return {
    dir,
    mirrorDir,
    storePath,
    store,
    server,
    logLines,
    async close() {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends `request` as raw bytes and returns the status code of the answer (0 if the connection closed first). */
export function rawRequest(
  port: number,
  request: string | Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close while we still write an oversized request; what it answered is what counts.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') finish();
      else reject(error);
    });
    socket.on('end', finish);
    socket.on('close', finish);
    let done = false;
    function finish() {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : 0, text });
    }
    socket.write(request);
  });
}

/** A GET with Connection: close, built by hand so the target is sent exactly as given. */
export function rawGet(
  port: number,
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const lines = [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return rawRequest(port, `${lines.join('\r\n')}\r\n\r\n`);
}

/** A fixed clock: windows and the chart do not depend on when the test runs. */
export const NOW = new Date('2024-05-20T12:00:00Z');

/** Seeds three articles with views on known days around NOW, and 1,000 views outside every window. */
export async function seedViews(store: Store): Promise<void> {
  const a = await seedArticle(store, { id: 'n1', channel: 'world', title: 'World <one> & "quoted"' });
  const b = await seedArticle(store, { id: 'n2', channel: 'world', title: 'World two' });
  const c = await seedArticle(store, { id: 'n3', channel: 'china', title: '中国 三' });
  const day = (n: number) => dayBefore(NOW, n);
  await store.views.add([
    { path: a, day: day(0), count: 5 },
    { path: b, day: day(0), count: 2 },
    { path: a, day: day(3), count: 10 },
    { path: c, day: day(3), count: 20 },
    { path: b, day: day(10), count: 40 },
    { path: c, day: day(29), count: 7 },
    // Outside every window.
    { path: a, day: day(40), count: 1000 },
  ]);
}
