// A real HTTP proxy on 127.0.0.1 for tests: tunnels CONNECT (what undici's ProxyAgent sends, for http: and
// https: targets alike) and forwards absolute-URI requests, and logs every request that passed through it.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

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
