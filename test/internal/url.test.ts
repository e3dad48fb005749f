import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  isTrackingParameter,
  normalizeArticleUrl,
  relativePath,
  resolveHttpUrl,
  sameSite,
} from '../../src/internal/url.ts';

describe('normalizeArticleUrl', () => {
  test('drops fragment, tracking parameters and default port; lower-cases scheme and host', () => {
    assert.equal(
      normalizeArticleUrl('HTTPS://WWW.Example.COM:443/Path/A.htm?utm_source=x&id=7&fbclid=1&p=2#top'),
      'https://www.example.com/Path/A.htm?id=7&p=2',
    );
  });

  test('keeps the remaining query in its original order and encoding', () => {
    assert.equal(
      normalizeArticleUrl('http://a.example/x?z=1&gclid=9&a=%e4%b8%ad&m=a+b'),
      'http://a.example/x?z=1&a=%E4%B8%AD&m=a+b',
    );
  });

  test('keeps share parameters that are not safe to drop', () => {
    assert.equal(
      normalizeArticleUrl('https://a.example/n1.htm?from=timeline&ref=home&source=rss'),
      'https://a.example/n1.htm?from=timeline&ref=home&source=rss',
    );
  });

  test('removes the query entirely when only tracking parameters were in it', () => {
    assert.equal(
      normalizeArticleUrl('https://a.example/x?utm_source=a&UTM_Medium=b&_ga=1'),
      'https://a.example/x',
    );
    assert.equal(normalizeArticleUrl('https://a.example/x?'), 'https://a.example/x');
  });

  test('recognises percent-encoded tracking parameter names', () => {
    assert.equal(normalizeArticleUrl('https://a.example/x?utm%5Fsource=a&b=1'), 'https://a.example/x?b=1');
  });

  test('resolves relative URLs against the base only', () => {
    assert.equal(
      normalizeArticleUrl('../b/n2.htm', 'https://a.example/gb/c/list.htm'),
      'https://a.example/gb/b/n2.htm',
    );
    assert.equal(normalizeArticleUrl('//cdn.example/x', 'http://a.example/'), 'http://cdn.example/x');
    assert.equal(normalizeArticleUrl('n2.htm'), null);
  });

  test('refuses everything but http and https', () => {
    for (const raw of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'mailto:a@b.c',
      'data:text/html,<b>x</b>',
      'ftp://a.example/x',
      'file:///etc/passwd',
      'vbscript:x',
    ]) {
      assert.equal(normalizeArticleUrl(raw, 'https://a.example/'), null, raw);
    }
  });

  test('drops credentials', () => {
    assert.equal(normalizeArticleUrl('https://user:pw@a.example/x'), 'https://a.example/x');
  });

  test('two tracking variants of one article normalise to the same URL', () => {
    const variants = [
      'https://www.epochtimes.com/gb/24/5/1/n14097883.htm',
      'https://www.epochtimes.com/gb/24/5/1/n14097883.htm?utm_source=twitter&utm_medium=social',
      'https://WWW.EPOCHTIMES.COM:443/gb/24/5/1/n14097883.htm#comments',
      'https://www.epochtimes.com/gb/24/5/1/n14097883.htm?fbclid=IwAR0abc&mc_cid=1&mc_eid=2',
    ];
    assert.equal(new Set(variants.map((raw) => normalizeArticleUrl(raw))).size, 1);
  });

  test('property: idempotent on arbitrary strings and URLs', () => {
    const urlish = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.webUrl({ withQueryParameters: true }).map((url) => url.toUpperCase()),
    );
    fc.assert(
      fc.property(urlish, (raw) => {
        const once = normalizeArticleUrl(raw, 'https://base.example/dir/page.htm');
        if (once === null) return;
        assert.equal(normalizeArticleUrl(once), once);
      }),
      { numRuns: 2000 },
    );
  });

  test('property: every utm_* parameter is removed and the other parameters keep their order', () => {
    const name = fc.oneof(
      fc.constantFrom('id', 'page', 'from', 'ref', 'a', 'utm'),
      fc
        .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 })
        .map((suffix) => 'utm_' + encodeURIComponent(suffix)),
      fc.constantFrom('utm_source', 'UTM_MEDIUM', 'utm%5Fcampaign', 'utm_'),
    );
    const value = fc.string({ unit: 'grapheme-ascii', maxLength: 6 });
    fc.assert(
      fc.property(fc.webUrl(), fc.array(fc.tuple(name, value), { maxLength: 8 }), (base, params) => {
        const query = params.map(([key, val]) => `${key}=${encodeURIComponent(val)}`).join('&');
        const normal = normalizeArticleUrl(`${base.split(/[?#]/)[0]}?${query}`);
        assert.notEqual(normal, null);
        const keys = [...new URL(normal!).searchParams.keys()];
        assert.ok(!keys.some((key) => key.toLowerCase().startsWith('utm_')), normal!);
        const expectedKeys = params
          .map(([key]) => decodeURIComponent(key))
          .filter((key) => !key.toLowerCase().startsWith('utm_'));
        assert.deepEqual(keys, expectedKeys);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('isTrackingParameter', () => {
  test('knows the conservative list and nothing more', () => {
    for (const name of [
      'utm_source',
      'utm_content',
      'fbclid',
      'gclid',
      'dclid',
      'msclkid',
      'mc_cid',
      'mc_eid',
    ]) {
      assert.ok(isTrackingParameter(name), name);
    }
    for (const name of ['igshid', 'yclid', '_ga', 'spm']) assert.ok(isTrackingParameter(name), name);
    for (const name of ['id', 'from', 'ref', 'source', 'page', 'utm', 'p', 'share']) {
      assert.ok(!isTrackingParameter(name), name);
    }
  });
});

describe('resolveHttpUrl', () => {
  test('resolves without normalising further', () => {
    assert.equal(
      resolveHttpUrl('x.htm?utm_source=a#f', 'https://a.example/d/'),
      'https://a.example/d/x.htm?utm_source=a#f',
    );
    assert.equal(resolveHttpUrl('mailto:a@b.c', 'https://a.example/'), null);
    assert.equal(resolveHttpUrl('http://[bad', 'https://a.example/'), null);
  });
});

describe('sameSite', () => {
  const base = 'https://www.epochtimes.com';
  test('same host, the bare domain and subdomains are the site', () => {
    assert.ok(sameSite('https://www.epochtimes.com/gb/n1.htm', base));
    assert.ok(sameSite('http://www.epochtimes.com/gb/n1.htm', base));
    assert.ok(sameSite('https://epochtimes.com/gb/n1.htm', base));
    assert.ok(sameSite('https://news.epochtimes.com/n1.htm', base));
  });

  test('look-alike and foreign hosts are not', () => {
    assert.ok(!sameSite('https://evilepochtimes.com/n1.htm', base));
    assert.ok(!sameSite('https://epochtimes.com.evil.example/n1.htm', base));
    assert.ok(!sameSite('https://www.ntdtv.com/n1.htm', base));
    assert.ok(!sameSite('javascript:alert(1)', base));
    assert.ok(!sameSite('not a url', base));
  });

  test('without www, only the host and its subdomains', () => {
    assert.ok(sameSite('https://a.news.example.org/x', 'https://news.example.org/'));
    assert.ok(!sameSite('https://example.org/x', 'https://news.example.org/'));
  });

  test('IP addresses and ports must match exactly', () => {
    assert.ok(sameSite('http://127.0.0.1:8080/a', 'http://127.0.0.1:8080/'));
    assert.ok(!sameSite('http://127.0.0.1:9090/a', 'http://127.0.0.1:8080/'));
    assert.ok(!sameSite('http://10.127.0.0.1/a', 'http://127.0.0.1/'));
  });
});

describe('relativePath', () => {
  test('climbs out of the page folder to the asset', () => {
    assert.equal(relativePath('pages/a/1.md', 'assets/ab/x.jpg'), '../../assets/ab/x.jpg');
  });

  test('same folder, root file and deeper targets', () => {
    assert.equal(relativePath('pages/a/1.md', 'pages/a/2.md'), '2.md');
    assert.equal(relativePath('README.md', 'pages/a/1.md'), 'pages/a/1.md');
    assert.equal(relativePath('indexes/a/2.md', 'indexes/a.md'), '../a.md');
    assert.equal(relativePath('pages/a/2024-05/1.md', 'pages/b/2.md'), '../../b/2.md');
  });

  test('refuses paths outside the mirror root', () => {
    assert.throws(() => relativePath('/etc/passwd', 'a.md'), /not a path inside the mirror root/);
    assert.throws(() => relativePath('a.md', '../outside.md'), /not a path inside the mirror root/);
    assert.throws(() => relativePath('pages/../../x.md', 'a.md'), /not a path inside the mirror root/);
  });
});
