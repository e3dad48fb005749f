// A real HTTP proxy on 127.0.0.1 for tests: tunnels CONNECT (what undici's ProxyAgent sends, for http: and
// https: targets alike) and forwards absolute-URI requests, and logs every request that passed through it.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';

export interface ProxyLogEntry {
  method: string;
  /** host:port for CONNECT, the absolute URL for forwarded requests. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface TestProxy {
  url: string;
  log: ProxyLogEntry[];
  close(): Promise<void>;
}

/** `hosts` maps a name the proxy alone knows ('news.example:80') to where it really is ('127.0.0.1:41234'):
 * a request for that name that succeeds can only have gone through the proxy. */
export async function startTestProxy(options: { hosts?: Record<string, string> } = {}): Promise<TestProxy> {
  const hosts = options.hosts ?? {};
  const log: ProxyLogEntry[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    log.push({ method: req.method ?? 'GET', target: req.url ?? '', headers: req.headers });
    const target = new URL(req.url ?? '');
    const alias = hosts[`${target.hostname}:${target.port || 80}`];
    if (alias) target.host = alias;
    const upstream = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, 'proxy-connection': undefined } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    log.push({ method: 'CONNECT', target: req.url ?? '', headers: req.headers });
    const [host, port] = (hosts[req.url ?? ''] ?? req.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A SOCKS5 proxy (RFC 1928, no authentication, CONNECT only) on 127.0.0.1 that logs each target. */
export async function startTestSocksProxy(
  options: { hosts?: Record<string, string> } = {},
): Promise<TestProxy> {
  const log: ProxyLogEntry[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let stage: 'greeting' | 'request' | 'open' = 'greeting';
    client.on('data', (chunk: Buffer) => {
      if (stage === 'open') return;
      buffered = Buffer.concat([buffered, chunk]);
      if (stage === 'greeting') {
        if (buffered.length < 2 || buffered.length < 2 + buffered[1]) return;
        buffered = buffered.subarray(2 + buffered[1]);
        client.write(Buffer.from([5, 0]));
        stage = 'request';
      }
      if (stage !== 'request' || buffered.length < 5) return;
      const type = buffered[3];
      const hostLength = type === 1 ? 4 : type === 4 ? 16 : 1 + buffered[4];
      if (buffered.length < 4 + hostLength + 2) return;
      const host =
        type === 1
          ? [...buffered.subarray(4, 8)].join('.')
          : type === 3
            ? buffered.subarray(5, 5 + buffered[4]).toString('latin1')
            : 'unsupported-ipv6';
      const port = buffered.readUInt16BE(4 + hostLength);
      const rest = buffered.subarray(4 + hostLength + 2);
      stage = 'open';
      log.push({ method: 'SOCKS5 CONNECT', target: `${host}:${port}`, headers: {} });
      const [realHost, realPort] = (options.hosts?.[`${host}:${port}`] ?? `${host}:${port}`).split(
        /:(?=\d+$)/,
      );
      const upstream = connect(Number(realPort), realHost, () => {
        client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
        if (rest.length > 0) upstream.write(rest);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `socks5://127.0.0.1:${port}`,
    log,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
