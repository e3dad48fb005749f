// Reads the golden cases of test/fixtures/sources and runs the sources stage over one of them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChannelConfig, type SiteConfig, siteSchema } from '../../../src/config/options.ts';
import {
  type DiscoveredLink,
  detectSourceFormat,
  parseFeed,
  parseListing,
  parseSitemap,
  toSourceItems,
} from '../../../src/pipeline/sources/index.ts';
import type { SourceItem } from '../../../src/pipeline/types.ts';

export const FIXTURES_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'sources');

interface CaseFile {
  url: string;
  selector?: string;
  site?: { id: string; base: string; articleId?: string };
  channel?: { id: string; limit?: number };
}

export interface CaseResult {
  format: string;
  links: DiscoveredLink[];
  sitemaps?: string[];
  items?: SourceItem[];
}

export function caseNames(): string[] {
  return readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function runCase(name: string): CaseResult {
  const dir = join(FIXTURES_DIR, name);
  const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseFile;
  const inputName = readdirSync(dir).find((file) => file.startsWith('input.'));
  if (inputName === undefined) throw new Error(`fixture ${name} has no input.xml or input.html`);
  const input = readFileSync(join(dir, inputName), 'utf8');
  const format = detectSourceFormat(input);
  const result: CaseResult = { format, links: [] };
  if (format === 'html') {
    if (spec.selector === undefined)
      throw new Error(`fixture ${name}: an HTML input needs "selector" in case.json`);
    result.links = parseListing(input, spec.url, spec.selector);
  } else if (format === 'sitemap') {
    const parsed = parseSitemap(input, spec.url);
    result.links = parsed.links;
    result.sitemaps = parsed.sitemaps;
  } else {
    result.links = parseFeed(input, spec.url);
  }
  if (spec.site !== undefined) {
    const { site, channel } = configFor(spec);
    result.items = toSourceItems(result.links, site, channel);
  }
  return result;
}

function configFor(spec: CaseFile): { site: SiteConfig; channel: ChannelConfig } {
  const channelId = spec.channel?.id ?? 'channel';
  const site = siteSchema.parse({
    ...spec.site,
    name: spec.site!.id,
    channels: [{ id: channelId, title: channelId, feed: spec.url, limit: spec.channel?.limit }],
  });
  return { site, channel: site.channels[0] };
}
