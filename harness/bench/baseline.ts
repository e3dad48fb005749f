// The baseline newsmirror is measured against: what people script instead. Read each channel's listing or feed,
// fetch every article, extract it with @mozilla/readability on linkedom, convert it with turndown (+ the GFM
// plugin) and write one Markdown file per article. No store, no images, no git: the least work that gives a
// folder of Markdown pages, so the ratio is in the baseline's favour.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gfm } from '@joplin/turndown-plugin-gfm';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';
import { CHANNEL_LIMIT, FEED_CHANNEL, LISTING_CHANNELS } from './site-generator.ts';

/** Requests in flight: the same as newsmirror's default per-host limit, which is what applies to one site. */
const BASELINE_CONCURRENCY = 4;

export interface BaselineOutcome {
  written: number;
  failed: number;
}

/** Readability's article HTML for one page, or null when it finds none. */
export function readabilityExtract(html: string, url: string): { title: string; content: string } | null {
  // linkedom documents have no URL: a <base href> lets Readability resolve relative links as a browser would.
  const withBase = html.replace(/<head\b[^>]*>/i, (head) => `${head}<base href="${url}">`);
  const { document } = parseHTML(withBase);
  const article = new Readability(
    document as unknown as ConstructorParameters<typeof Readability>[0],
  ).parse();
  return article?.content ? { title: article.title ?? '', content: article.content } : null;
}

export interface BaselineOptions {
  origin: string;
  outDir: string;
  /** Listing channels read (default: all of LISTING_CHANNELS) and whether the feed is read too (default yes). */
  channels?: readonly string[];
  feed?: boolean;
}

export async function runBaseline(options: BaselineOptions): Promise<BaselineOutcome> {
  const turndown = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced' });
  turndown.use(gfm);
  turndown.remove(['script', 'style', 'noscript']);

  const urls = new Set<string>();
  for (const channel of options.channels ?? LISTING_CHANNELS) {
    const html = await (await fetch(`${options.origin}/news/${channel}.html`)).text();
    const { document } = parseHTML(html);
    for (const anchor of [...document.querySelectorAll('.post-list .title a')].slice(0, CHANNEL_LIMIT)) {
      urls.add(new URL(anchor.getAttribute('href') ?? '', options.origin).href);
    }
  }
  if (options.feed !== false) {
    const feed = await (await fetch(`${options.origin}/rss/${FEED_CHANNEL}.xml`)).text();
    for (const match of feed.matchAll(/<link>([^<]+)<\/link>/g)) {
      if (match[1].includes('/a/')) urls.add(match[1]);
    }
  }

  const queue = [...urls];
  const outcome: BaselineOutcome = { written: 0, failed: 0 };
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      try {
        const html = await (await fetch(url)).text();
        const article = readabilityExtract(html, url);
        if (!article) throw new Error(`readability found no article in ${url}`);
        const markdown = `### ${article.title}\n\n---\n\n${turndown.turndown(article.content)}\n\n原文链接：${url}\n`;
        const id = /\/a\/(\d+)\.html$/.exec(url)?.[1] ?? String(outcome.written);
        await writeFile(join(options.outDir, `${id}.md`), markdown);
        outcome.written++;
      } catch {
        outcome.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: BASELINE_CONCURRENCY }, worker));
  return outcome;
}
