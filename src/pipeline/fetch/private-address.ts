// Guards against URLs found in page content that point into the operator's own network (SSRF): a hostile
// page can link an image at http://169.254.169.254/ or redirect to http://127.0.0.1:6379/.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

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
];

const privateBlockList = new BlockList();
for (const [network, prefix, family] of PRIVATE_RANGES) privateBlockList.addSubnet(network, prefix, family);

/** true for loopback, private, link-local, CGNAT, multicast and reserved addresses (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return privateBlockList.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
export async function resolveHost(hostname: string): Promise<string[]> {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (isIP(bare)) return [bare];
  const answers = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(bare, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );
  return answers.map((answer) => answer.address);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net.connect that refuses private answers at connect time, so a DNS name that changes its answer
 * between our check and the connection (DNS rebinding) still cannot reach the local network.
 */
export function createGuardedLookup(isRefused: (address: string) => boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true } as LookupAllOptions, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((answer) => isRefused(answer.address));
      if (refused) return callback(new PrivateAddressRefused(hostname, refused.address), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      callback(null, first.address, first.family);
    });
  };
}
