// Guards against URLs found in page content that point into the operator's own network (SSRF): a hostile
// page can link an image at http://169.254.169.254/ or redirect to http://127.0.0.1:6379/.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { BlockList, isIP, type Socket } from 'node:net';
import { buildConnector } from 'undici';

/** Ranges that are not the public internet (RFC 6890 special-purpose registries, trimmed to what matters here). */
const PRIVATE_RANGES: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"; 0.0.0.0 reaches the local host
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata services
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved and broadcast
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['ff00::', 8, 'ipv6'], // multicast
  ['fec0::', 10, 'ipv6'], // site-local (deprecated, still routed inside some networks)
  ['100::', 64, 'ipv6'], // discard-only
  ['2001::', 32, 'ipv6'], // Teredo: the IPv4 inside is obfuscated, and no publisher serves from it
  ['2001:db8::', 32, 'ipv6'], // documentation
];

const privateBlockList = new BlockList();
for (const [network, prefix, family] of PRIVATE_RANGES) privateBlockList.addSubnet(network, prefix, family);

/**
 * true for loopback, private, link-local, CGNAT, multicast and reserved addresses, also when written as an IPv6
 * address that carries an IPv4 one (mapped, compatible, translated, NAT64 64:ff9b::/96, 6to4 2002::/16): those
 * reach the IPv4 address through the host's stack or a gateway. Only IP literals; names are resolved first.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return privateBlockList.check(address, 'ipv4');
  if (privateBlockList.check(address, 'ipv6')) return true;
  const inner = embeddedIPv4(address);
  return inner !== undefined && privateBlockList.check(inner, 'ipv4');
}

/** The IPv4 address an IPv6 address stands for by one of the embedding conventions, if any. */
export function embeddedIPv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  const zero = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const ipv4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  // ::a.b.c.d (compatible; :: and ::1 are IPv6's own), ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (translated)
  if (zero(0, 6) && (groups[6] !== 0 || groups[7] > 1)) return ipv4(groups[6], groups[7]);
  if (zero(0, 5) && groups[5] === 0xffff) return ipv4(groups[6], groups[7]);
  if (zero(0, 4) && groups[4] === 0xffff && groups[5] === 0) return ipv4(groups[6], groups[7]);
  // 64:ff9b::a.b.c.d, the well-known NAT64 prefix (RFC 6052)
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6)) return ipv4(groups[6], groups[7]);
  // 2002:AABB:CCDD::/48, 6to4 (RFC 3056): the relay forwards to a.b.c.d
  if (groups[0] === 0x2002) return ipv4(groups[1], groups[2]);
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (any spelling: `::`, a dotted IPv4 tail, a zone id). */
function ipv6Groups(address: string): number[] | undefined {
  const bare = address.replace(/%.*$/, '');
  if (isIP(bare) !== 6) return undefined;
  // The URL parser writes every IPv6 address in one canonical form: lower-case hex, IPv4 tails as two groups.
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  const [head, tail] = canonical.split('::');
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((group) => Number.parseInt(group, 16)) : [];
  const front = parse(head);
  const back = parse(tail);
  if (tail === undefined) return front;
  return [...front, ...new Array(8 - front.length - back.length).fill(0), ...back];
}

/** Thrown (and passed through undici's connector) when a host resolves to a refused address. */
export class PrivateAddressRefused extends Error {
  readonly address: string;
  constructor(hostname: string, address: string) {
    super(`${hostname} resolves to ${address}, a private or loopback address`);
    this.name = 'PrivateAddressRefused';
    this.address = address;
  }
}

/** The addresses `hostname` stands for: itself when it is an IP literal (brackets stripped), else every DNS answer. */
export async function resolveHost(hostname: string, lookup: Lookup = systemLookup): Promise<string[]> {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (isIP(bare)) return [bare];
  const answers = await new Promise<LookupAddress[]>((resolve, reject) =>
    lookup(bare, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );
  return answers.map((answer) => answer.address);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** How names are resolved: node's `dns.lookup`, or a test's stand-in mapping names to loopback addresses. */
export type Lookup = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemLookup: Lookup = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/**
 * A `lookup` for net.connect that refuses private answers at connect time, so a DNS name that changes its answer
 * between our check and the connection (DNS rebinding) still cannot reach the local network.
 */
export function createGuardedLookup(isRefused: (address: string) => boolean, lookup: Lookup = systemLookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true } as LookupAllOptions, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((answer) => isRefused(answer.address));
      if (refused) return callback(new PrivateAddressRefused(hostname, refused.address), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      callback(null, first.address, first.family);
    });
  };
}

/**
 * undici's connector with the guard at the socket: an IP literal is refused before connecting (net.connect never
 * looks those up), a name through the guarded lookup, and whatever address the socket did reach is checked once
 * more before a byte of the request is written. The check before the request (client.ts) only gives the clearer
 * early message; this is the guard.
 */
export function createGuardedConnector(
  options: buildConnector.BuildOptions,
  isRefused: (address: string) => boolean,
  lookup: Lookup = systemLookup,
): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: createGuardedLookup(isRefused, lookup) });
  return (target, callback) => {
    const literal = isIP(target.hostname) ? target.hostname : undefined;
    if (literal && isRefused(literal))
      return callback(new PrivateAddressRefused(target.hostname, literal), null);
    const refusal = (socket: Socket) => {
      const address = socket.remoteAddress;
      return address === undefined || isRefused(address)
        ? new PrivateAddressRefused(target.hostname, address ?? 'an unknown address')
        : undefined;
    };
    // undici's connector returns the socket: checked on the TCP connect, before a TLS handshake starts.
    const socket = connect(target, (error, connected) => {
      if (error) return callback(error, null);
      const refused = refusal(connected);
      if (!refused) return callback(null, connected);
      connected.destroy();
      callback(refused, null);
    }) as unknown as Socket | undefined;
    socket?.once?.('connect', () => {
      const refused = refusal(socket);
      if (refused) socket.destroy(refused);
    });
  };
}
