// A loopback HTTP server that misbehaves on purpose, for hostile-input tests: bodies that drip or never end,
// compression bombs, missing or lying charsets, redirect loops and redirects to other hosts. It can listen on
// any 127.x address, so one test can stand for several hosts (a "public" site and a "private" one).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export type FaultyHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface FaultyServer {
  /** e.g. http://127.0.0.2:41234 */
  origin: string;
  host: string;
  port: number;
  /** Paths requested (without query), in order. */
  requests: string[];
  route(path: string, handler: FaultyHandler): void;
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startFaultyServer(options: { host?: string } = {}): Promise<FaultyServer> {
  const host = options.host ?? '127.0.0.1';
  const routes = new Map<string, FaultyHandler>();
  const requests: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    requests.push(path);
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  // Handlers that never end keep their timers here, so close() can stop them.
  server.on('request', (_req, res: ServerResponse) => {
    res.on('close', () => {
      for (const timer of (res as ServerResponse & { faultyTimers?: NodeJS.Timeout[] }).faultyTimers ?? []) {
        clearInterval(timer);
        timers.delete(timer);
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://${host}:${port}`,
    host,
    port,
    requests,
    route: (path, handler) => routes.set(path, handler),
    hits: (path) => requests.filter((requested) => requested === path).length,
    close: () =>
      new Promise((done) => {
        for (const timer of timers) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function keepTimer(res: ServerResponse, timer: NodeJS.Timeout): void {
  const holder = res as ServerResponse & { faultyTimers?: NodeJS.Timeout[] };
  holder.faultyTimers ??= [];
  holder.faultyTimers.push(timer);
}

/** Bytes as they are, with the given Content-Type (which may omit or lie about the charset). */
export function serveBytes(body: Uint8Array | string, contentType: string): FaultyHandler {
  return (_req, res) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': bytes.byteLength });
    res.end(bytes);
  };
}

/** Headers at once, then `chunk` every `everyMs` until `total` bytes: each chunk arrives well within a per-chunk
 * timeout, so only a deadline on the whole body stops it. */
export function slowDrip(options: { everyMs: number; total: number; chunk?: string }): FaultyHandler {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.write('<!doctype html><html><head><title>drip</title></head><body><p>');
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed || sent >= options.total) {
        clearInterval(timer);
        if (!res.destroyed) res.end('</p></body></html>');
        return;
      }
      res.write(options.chunk ?? '.');
      sent += (options.chunk ?? '.').length;
    }, options.everyMs);
    keepTimer(res, timer);
  };
}

/** A body that never ends, sent as fast as the client reads it. */
export function endlessBody(): FaultyHandler {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    const block = Buffer.from(`<p>${'无尽的正文。'.repeat(2000)}</p>\n`);
    const pump = () => {
      while (!res.destroyed && res.write(block)) {
        // keep writing until the socket pushes back
      }
    };
    res.on('drain', pump);
    res.write('<!doctype html><html><head><title>endless</title></head><body>');
    pump();
  };
}

/** A small gzip body that inflates to `inflatedBytes` (zeros then text): a compression bomb. */
export function gzipBomb(inflatedBytes: number): FaultyHandler {
  const body = gzipSync(Buffer.alloc(inflatedBytes, 0x20), { level: 9 });
  return (_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Encoding': 'gzip',
      'Content-Length': body.byteLength,
    });
    res.end(body);
  };
}

export function redirectTo(location: string, status = 302): FaultyHandler {
  return (_req, res) => {
    res.writeHead(status, { Location: location });
    res.end();
  };
}
