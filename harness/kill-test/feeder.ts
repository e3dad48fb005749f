// Feeds the kill test's copy of the demo site between cycles: new articles (copies of a short demo article) in
// the listings, and now and then an edit of one, so each killed run has new and updated articles to mirror.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoSite } from '../demo-site.ts';
import type { ExpectedArticle } from './checks.ts';

/** The demo article copied for new ones: no lead image, one channel. */
const TEMPLATE_ARTICLE = '/gb/23/10/16/n14097688.htm';
const TEMPLATE_ID = 'n14097688';
/** Where a new entry goes in each channel's listing (the two listing templates of the demo), and its markup. */
const LISTING_ANCHORS: Record<string, { anchor: string; entry: (path: string, title: string) => string }> = {
  ncid1078159: {
    anchor: '<div class="post_list"><ul>',
    entry: (path, title) =>
      `<li><div class="one_post"><div class="title"><a href="${path}">${title}</a></div></div></li>`,
  },
  ncid1146487: {
    anchor: '<div id="artlist" class="artlist">',
    entry: (path, title) =>
      `<div class="artlist_item"><div class="arttitle"><a href="${path}">${title}</a></div></div>`,
  },
};
const FEED_CHANNELS = Object.keys(LISTING_ANCHORS);

export function createFeeder(site: DemoSite, random: () => number) {
  const template = readFileSync(join(site.root, TEMPLATE_ARTICLE), 'utf8');
  const templateTitle = /<h1 class="title">([^<]+)<\/h1>/.exec(template)?.[1] ?? '';
  const added: Array<{ id: string; path: string; title: string; channel: string }> = [];
  let serial = 0;
  const listingFile = (channel: string) => {
    const entry = site.manifest.channels.find((candidate) => candidate.id === channel)!;
    return join(site.root, entry.path);
  };
  const writeArticle = (path: string, id: string, title: string, extra: string) => {
    const html = template
      .replaceAll(TEMPLATE_ID, id)
      .replaceAll(templateTitle, title)
      .replace('<!-- article content end -->', `${extra}<!-- article content end -->`);
    const file = join(site.root, path);
    writeFileSync(file, html);
  };
  return {
    add(count: number): ExpectedArticle[] {
      const fresh: ExpectedArticle[] = [];
      for (let n = 0; n < count; n++) {
        serial++;
        const id = `n${30000000 + serial}`;
        const channel = FEED_CHANNELS[serial % FEED_CHANNELS.length];
        const path = `/gb/23/10/16/${id}.htm`;
        const title = `测试新闻第${serial}号 随机${Math.floor(random() * 1e6)}`;
        writeArticle(path, id, title, `<p>第${serial}号测试稿件的补充段落。</p>`);
        const listing = listingFile(channel);
        const { anchor, entry } = LISTING_ANCHORS[channel];
        const before = readFileSync(listing, 'utf8');
        if (!before.includes(anchor)) throw new Error(`the demo listing of ${channel} has no ${anchor}`);
        writeFileSync(listing, before.replace(anchor, `${anchor}${entry(path, title)}`));
        added.push({ id, path, title, channel });
        fresh.push({ id, homeChannel: channel, channels: [channel] });
      }
      return fresh;
    },
    /** Changes one added article's title in its listing and its page (an edit at the source). */
    editOne(): void {
      if (added.length === 0) return;
      const article = added[Math.floor(random() * added.length)];
      const title = `${article.title}（更新）`;
      writeArticle(article.path, article.id, title, '<p>更正：本文已更新。</p>');
      const listing = listingFile(article.channel);
      writeFileSync(listing, readFileSync(listing, 'utf8').replaceAll(`>${article.title}<`, `>${title}<`));
      article.title = title;
    },
  };
}
