import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type SiteConfig, siteSchema } from '../../../src/config/options.ts';
import {
  type DiscoveredLink,
  mergeChannelItems,
  toSourceItems,
} from '../../../src/pipeline/sources/index.ts';

function site(options: { articleId?: string; limit?: number } = {}): SiteConfig {
  return siteSchema.parse({
    id: 'epochtimes',
    name: '大纪元',
    base: 'https://www.epochtimes.com',
    articleId: options.articleId,
    channels: [
      { id: 'intl', title: '国际', feed: 'https://www.epochtimes.com/intl.xml', limit: options.limit },
      { id: 'china', title: '中国', feed: 'https://www.epochtimes.com/china.xml' },
    ],
  });
}

const PATTERN = '/(n\\d+)\\.htm$';

describe('toSourceItems', () => {
  test('normalises, keeps same-site article URLs, drops repeats, numbers positions', () => {
    const config = site({ articleId: PATTERN });
    const links: DiscoveredLink[] = [
      { url: 'https://www.epochtimes.com/gb/n1.htm?utm_source=x', title: 'one' },
      { url: 'https://www.epochtimes.com/gb/ncid1.htm', title: 'a channel page' },
      { url: 'https://www.ntdtv.com/gb/n2.htm', title: 'another site' },
      { url: 'javascript:void(0)', title: 'script' },
      { url: 'https://www.epochtimes.com/gb/n1.htm#top', title: 'one again' },
      { url: 'https://news.epochtimes.com/gb/n3.htm' },
    ];
    assert.deepEqual(toSourceItems(links, config, config.channels[0]), [
      {
        url: 'https://www.epochtimes.com/gb/n1.htm',
        siteId: 'epochtimes',
        channelId: 'intl',
        position: 0,
        title: 'one',
      },
      { url: 'https://news.epochtimes.com/gb/n3.htm', siteId: 'epochtimes', channelId: 'intl', position: 1 },
    ]);
  });

  test('a repeat fills in a missing title or time', () => {
    const config = site();
    const items = toSourceItems(
      [
        { url: 'https://www.epochtimes.com/n1.htm' },
        { url: 'https://www.epochtimes.com/n1.htm', title: 't', published: '2024-05-01' },
      ],
      config,
      config.channels[0],
    );
    assert.deepEqual(items, [
      {
        url: 'https://www.epochtimes.com/n1.htm',
        siteId: 'epochtimes',
        channelId: 'intl',
        position: 0,
        title: 't',
        published: '2024-05-01',
      },
    ]);
  });

  test('two URLs with one article id are one item when the site has a pattern', () => {
    const config = site({ articleId: PATTERN });
    const items = toSourceItems(
      [
        { url: 'https://www.epochtimes.com/gb/n1.htm' },
        { url: 'https://www.epochtimes.com/b5/n1.htm?from=timeline' },
      ],
      config,
      config.channels[0],
    );
    assert.equal(items.length, 1);
  });

  test('newest first when every item has a time, stable for equal times', () => {
    const config = site();
    const links = [
      { url: 'https://www.epochtimes.com/a', published: '2024-05-01T00:00:00Z' },
      { url: 'https://www.epochtimes.com/b', published: '2024-05-03T00:00:00Z' },
      { url: 'https://www.epochtimes.com/c', published: '2024-05-02T00:00:00+08:00' },
      { url: 'https://www.epochtimes.com/d', published: '2024-05-01T00:00:00Z' },
    ];
    assert.deepEqual(
      toSourceItems(links, config, config.channels[0]).map((item) => item.url.slice(-1)),
      ['b', 'c', 'a', 'd'],
    );
  });

  test('as listed when some item has no time', () => {
    const config = site();
    const links = [
      { url: 'https://www.epochtimes.com/a', published: '2024-05-01T00:00:00Z' },
      { url: 'https://www.epochtimes.com/b' },
      { url: 'https://www.epochtimes.com/c', published: '2024-05-03T00:00:00Z' },
    ];
    assert.deepEqual(
      toSourceItems(links, config, config.channels[0]).map((item) => item.url.slice(-1)),
      ['a', 'b', 'c'],
    );
  });

  test('cut to the channel limit after ordering', () => {
    const config = site({ limit: 2 });
    const links = [1, 2, 3, 4].map((day) => ({
      url: `https://www.epochtimes.com/${day}`,
      published: `2024-05-0${day}T00:00:00Z`,
    }));
    assert.deepEqual(
      toSourceItems(links, config, config.channels[0]).map((item) => [item.url.slice(-1), item.position]),
      [
        ['4', 0],
        ['3', 1],
      ],
    );
  });
});

describe('mergeChannelItems', () => {
  test('one article listed in several channels is one entry; the first channel is its home', () => {
    const config = site({ articleId: PATTERN });
    const intl = toSourceItems(
      [{ url: 'https://www.epochtimes.com/gb/n1.htm' }, { url: 'https://www.epochtimes.com/gb/n2.htm' }],
      config,
      config.channels[0],
    );
    const china = toSourceItems(
      [
        { url: 'https://www.epochtimes.com/gb/n3.htm' },
        { url: 'https://www.epochtimes.com/gb/n1.htm?utm_medium=social' },
      ],
      config,
      config.channels[1],
    );
    const merged = mergeChannelItems([intl, china]);
    assert.deepEqual(
      [...merged.keys()],
      [
        'https://www.epochtimes.com/gb/n1.htm',
        'https://www.epochtimes.com/gb/n2.htm',
        'https://www.epochtimes.com/gb/n3.htm',
      ],
    );
    assert.deepEqual(
      merged.get('https://www.epochtimes.com/gb/n1.htm')!.map((item) => [item.channelId, item.position]),
      [
        ['intl', 0],
        ['china', 1],
      ],
    );
  });

  test('a channel listing one URL twice counts once', () => {
    const item = { url: 'https://x.example/1', siteId: 's', channelId: 'c', position: 0 };
    assert.equal(mergeChannelItems([[item, { ...item, position: 1 }]]).get(item.url)!.length, 1);
  });
});
