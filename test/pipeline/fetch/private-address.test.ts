import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { describe, test } from 'node:test';
import {
  createGuardedLookup,
  isPrivateAddress,
  PrivateAddressRefused,
  resolveHost,
} from '../../../src/pipeline/fetch/private-address.ts';

describe('isPrivateAddress', () => {
  test('loopback, private, link-local, CGNAT, multicast and reserved ranges are private', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '0.0.0.0',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      // IPv4 inside IPv6: compatible, translated, NAT64, 6to4 (each reaches the IPv4 address through a gateway)
      '::127.0.0.1',
      '::ffff:0:7f00:1',
      '64:ff9b::127.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::',
      '2002:c0a8:101::1',
      'fec0::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    ]) {
      assert.equal(isPrivateAddress(address), true, address);
    }
  });

  test('public addresses and non-addresses are not private', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '2001:4860:4860::8888',
      // NAT64 and 6to4 of public addresses are how IPv6-only networks reach the IPv4 internet
      '64:ff9b::8.8.8.8',
      '2002:808:808::1',
      '::ffff:8.8.8.8',
      'example.org',
    ]) {
      assert.equal(isPrivateAddress(address), false, address);
    }
  });
});

describe('resolveHost', () => {
  test('IP literals resolve to themselves, brackets stripped', async () => {
    assert.deepEqual(await resolveHost('203.0.113.7'), ['203.0.113.7']);
    assert.deepEqual(await resolveHost('[::1]'), ['::1']);
  });

  test('names resolve through DNS (every answer)', async () => {
    const addresses = await resolveHost('localhost');
    assert.ok(addresses.length >= 1);
    assert.ok(addresses.every(isPrivateAddress));
  });
});

describe('createGuardedLookup (connect-time check against DNS rebinding)', () => {
  const lookupWith = (isRefused: (address: string) => boolean, all: boolean) =>
    new Promise<{ error: Error | null; address: string | LookupAddress[] }>((resolve) =>
      createGuardedLookup(isRefused)('localhost', { all }, (error, address) => resolve({ error, address })),
    );

  test('refuses a name whose answers include a refused address', async () => {
    const { error } = await lookupWith(isPrivateAddress, false);
    assert.ok(error instanceof PrivateAddressRefused);
    assert.match(error.message, /localhost resolves to .*, a private or loopback address/);
  });

  test('passes allowed answers through in the shape net.connect asked for', async () => {
    const single = await lookupWith(() => false, false);
    assert.equal(single.error, null);
    assert.equal(typeof single.address, 'string');
    const all = await lookupWith(() => false, true);
    assert.ok(Array.isArray(all.address) && all.address.length >= 1);
  });
});
