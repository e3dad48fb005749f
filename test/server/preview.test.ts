import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderGithubMarkdown } from '../../src/server/index.ts';
import { rawGet, startTestServer, type TestServer } from './helpers.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const SECRET = 'TOP-SECRET-OUTSIDE-THE-MIRROR';

const ARTICLE = `### 标题 *one*

---

#### [首页](../../README.md?n1) &nbsp;|&nbsp; [频道](../../indexes/world.md?n1)

<div align="center"><img src="../../assets/ab/photo.png" width="600"/></div>

Body with **bold** and a [link](n2.md).

<script>alert('x')</script>
<a href="javascript:alert(1)" onclick="steal()">bad link</a>
<img src="x.png" onerror="steal()">

| a | b |
|---|---|
| 1 | 2 |

<img src='https://counter.example.org/epoch-news/pages/world/n1.md' width='0px' height='0px'/>
`;

describe('preview', () => {
  let served: TestServer;

  before(async () => {
    served = await startTestServer({
      files: {
        'README.md': '# Home\n\n- [One](pages/world/n1.md)\n',
        'pages/world/n1.md': ARTICLE,
        'pages/world/n2.md': '### Two\n',
        'indexes/world.md': '### World\n',
        'assets/ab/photo.png': PNG,
        'feed.xml': '<?xml version="1.0"?><feed/>',
        'indexes/world.csv': 'n1,One\n',
        'pages/world/evil.html': '<script>alert(1)</script>',
        '.git/config': `[remote "origin"]\n\turl = https://token:${SECRET}@example.org/x.git\n`,
      },
    });
    writeFileSync(join(served.dir, 'secret.txt'), SECRET);
    symlinkSync(join(served.dir, 'secret.txt'), join(served.mirrorDir, 'pages', 'world', 'link.md'));
    symlinkSync(served.dir, join(served.mirrorDir, 'outside'));
  });
  after(() => served.close());

  const get = (path: string) => fetch(`${served.server.url}${path}`, { redirect: 'manual' });

  test('renders a page as the git host would: GFM, raw HTML kept but sanitised', async () => {
    const response = await get('/pages/world/n1.md');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await response.text();
    assert.match(html, /<h3>标题 <em>one<\/em><\/h3>/);
    assert.match(html, /<div align="center"><img src="..\/..\/assets\/ab\/photo.png" width="600"><\/div>/);
    assert.match(html, /<table>/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /javascript:/);
    assert.doesNotMatch(html, /onclick|onerror/);
    assert.match(html, /&#x3C;script>/, 'GFM tagfilter shows the script tag as text');
    assert.doesNotMatch(html, /counter\.example\.org/, 'the counter image is left out of the preview');
  });

  test('relative links and images resolve to the mirror files', async () => {
    const pageUrl = `${served.server.url}/pages/world/n1.md`;
    const html = await (await fetch(pageUrl)).text();
    const image = new URL('../../assets/ab/photo.png', pageUrl);
    const imageResponse = await fetch(image);
    assert.equal(imageResponse.status, 200);
    assert.equal(imageResponse.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await imageResponse.arrayBuffer()), PNG);
    for (const href of [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1].replaceAll('&#x26;', '&'))) {
      if (href.startsWith('/') || href.includes('stats')) continue;
      const target = await fetch(new URL(href, pageUrl));
      assert.equal(target.status, 200, href);
      await target.arrayBuffer();
    }
  });

  test('the root shows a listing and the README; folders redirect to their slash form', async () => {
    const root = await (await get('/')).text();
    assert.match(root, /<h1>Home<\/h1>/);
    assert.match(root, /href="pages\/"/);
    assert.doesNotMatch(root, /\.git/);
    const folder = await get('/pages/world');
    assert.equal(folder.status, 301);
    assert.equal(folder.headers.get('location'), '/pages/world/');
    assert.match(await (await get('/pages/world/')).text(), /href="n1.md"/);
  });

  test('other files get their content type; HTML from the mirror is shown as text, never run', async () => {
    const types: Record<string, string> = {
      '/feed.xml': 'application/xml; charset=utf-8',
      '/indexes/world.csv': 'text/csv; charset=utf-8',
      '/pages/world/evil.html': 'text/plain; charset=utf-8',
      '/pages/world/n2.md?raw=1': 'text/plain; charset=utf-8',
    };
    for (const [path, type] of Object.entries(types)) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), type, path);
      assert.match(response.headers.get('content-security-policy') ?? '', /sandbox/, path);
      await response.arrayBuffer();
    }
    assert.equal(await (await get('/pages/world/n2.md?raw=1')).text(), '### Two\n');
  });

  test('refuses path traversal, hidden files and links out of the mirror', async () => {
    const targets = [
      '/../secret.txt',
      '/../../../../etc/passwd',
      '/pages/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/pages/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/pages/..%2F..%2Fsecret.txt',
      '/..%5csecret.txt',
      '/pages/world/n1.md%00.png',
      '/.git/config',
      '/%2egit/config',
      '/pages//world/n1.md',
      '/pages/world/link.md',
      '/outside/secret.txt',
      '/%ff%fe',
    ];
    for (const target of targets) {
      const answer = await rawGet(served.server.port, target);
      assert.ok([400, 404].includes(answer.status), `${target}: status ${answer.status}`);
      assert.ok(!answer.text.includes(SECRET), `${target} leaked the file`);
      assert.ok(!answer.text.includes('root:'), `${target} leaked /etc/passwd`);
    }
  });

  test('a missing file is 404', async () => {
    const response = await get('/pages/world/none.md');
    assert.equal(response.status, 404);
    await response.arrayBuffer();
  });
});

describe('renderGithubMarkdown', () => {
  test('nests raw HTML split over several Markdown blocks as a browser would', () => {
    const html = renderGithubMarkdown('<div align="center">\n\n**bold** text\n\n</div>\n');
    assert.match(html, /<div align="center">\s*<p><strong>bold<\/strong> text<\/p>\s*<\/div>/);
  });

  test('prefixes ids like GitHub and drops styles and forms', () => {
    const html = renderGithubMarkdown(
      '<a id="top" name="top" style="color:red">x</a>\n\n<form><input name="q"></form>\n',
    );
    assert.match(html, /id="user-content-top"/);
    assert.doesNotMatch(html, /style=|<form/);
  });
});
