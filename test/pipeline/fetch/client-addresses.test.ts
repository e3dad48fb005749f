// The HTTP client's guard against private addresses: names, literals and redirects, and at connect time.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type FixtureServer, startFixtureServer } from '../../../harness/fixture-server.ts';
import { isPrivateAddress, resolveHost } from '../../../src/pipeline/fetch/private-address.ts';
import { fetchError, html, startSecondHost, testConfig, withClient } from './client-helpers.ts';

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

describe('private addresses', () => {
  test('a fromContent fetch to loopback is refused before any request, unless allowPrivateAddresses', async () => {
    server.route('/internal', (_req, res) => html(res, 'secret'));
    const url = `${server.origin}/internal`;
    const error = await fetchError(
      withClient(testConfig({ allowPrivateAddresses: false }), (client) =>
        client.fetch(url, { fromContent: true }),
      ),
    );
    assert.equal(error.code, 'private_address');
    assert.equal(error.retryable, false);
    assert.match(error.message, /127\.0\.0\.1, a private or loopback address/);
    assert.equal(server.hits('/internal').length, 0);

    const allowed = await withClient(testConfig({ allowPrivateAddresses: true }), (client) =>
      client.fetch(url, { fromContent: true }),
    );
    assert.equal(allowed.text, 'secret');
    const configured = await withClient(testConfig({ allowPrivateAddresses: false }), (client) =>
      client.fetch(url),
    );
    assert.equal(configured.text, 'secret', 'URLs from the config are not restricted');
  });

  test('names resolving to loopback are refused too', async () => {
    const error = await fetchError(
      withClient(testConfig({ allowPrivateAddresses: false }), (client) =>
        client.fetch(`http://localhost:${server.port}/internal`, { fromContent: true }),
      ),
    );
    assert.equal(error.code, 'private_address');
  });

  test('every redirect hop is checked: a public page redirecting into loopback is refused', async () => {
    // 127.0.0.2 plays a public host here; only 127.0.0.1 counts as private.
    other.route(
      '/innocent',
      (_req, res) => void res.writeHead(302, { Location: `${server.origin}/admin` }).end(),
    );
    server.route('/admin', (_req, res) => html(res, 'admin panel'));
    const error = await fetchError(
      withClient(
        testConfig({ allowPrivateAddresses: false }),
        (client) => client.fetch(`${other.origin}/innocent`, { fromContent: true }),
        { isPrivateAddress: (address) => address === '127.0.0.1' },
      ),
    );
    assert.equal(error.code, 'private_address');
    assert.equal(error.where, `${other.origin}/innocent`);
    assert.equal(server.hits('/admin').length, 0);
  });
});

describe('private addresses at connect time', () => {
  test('a name that passes the check and then resolves into loopback (DNS rebinding) is still refused', async () => {
    server.route('/rebound', (_req, res) => html(res, 'admin panel'));
    // The first look-up (our check) sees only public answers; the connection's own look-up sees loopback.
    let checksLeft = (await resolveHost('localhost')).length;
    const error = await fetchError(
      withClient(
        testConfig({ allowPrivateAddresses: false }),
        (client) => client.fetch(`http://localhost:${server.port}/rebound`, { fromContent: true }),
        { isPrivateAddress: (address) => checksLeft-- <= 0 && isPrivateAddress(address) },
      ),
    );
    assert.equal(error.code, 'private_address');
    assert.equal(error.retryable, false);
    assert.equal(server.hits('/rebound').length, 0);
  });
});
