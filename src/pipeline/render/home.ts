// README.md at the mirror root: nav bar, every channel with its article count, the newest articles.
import type { PhrasingContent } from 'mdast';
import type { MirrorConfig } from '../../config/options.ts';
import { labelsFor } from '../../internal/labels.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import { type BundleLink, homeBundleSection } from './bundle-links.ts';
import { heading, link, paragraph, separated, text } from './escape.ts';
import { cacheBuster, entryTable, type IndexEntry } from './indexes.ts';
import { renderNavBar } from './nav.ts';
import { relativeLink, withQuery } from './paths.ts';
import { inScript } from './script.ts';

const HOME_PATH = MIRROR_LAYOUT.home;

export function renderHome(
  mirror: MirrorConfig,
  channels: Array<{ id: string; title: string; count: number }>,
  newest: IndexEntry[],
  now: Date,
  /** The newest bundle of each kind (config `bundles`), linked under "download the news". */
  bundles: BundleLink[] = [],
): string {
  const buster = cacheBuster(now);
  const label = (value: string) => inScript(value, mirror.script);
  // "Newest articles", "all copies of this mirror", "Atom feed", "search", "updated", in the mirror's language.
  const labels = labelsFor(mirror.lang, mirror.labels);
  const lines = [heading(3, [text(mirror.title)]), '', '---', ''];
  const nav = renderNavBar(mirror.nav, HOME_PATH, buster);
  if (nav) lines.push(nav, '');
  if (channels.length > 0) {
    const channelLinks = channels.map((channel) =>
      link(
        `${label(channel.title)} (${channel.count})`,
        withQuery(relativeLink(HOME_PATH, MIRROR_LAYOUT.channelIndex(channel.id)), buster),
      ),
    );
    lines.push(heading(4, separated(channelLinks)), '');
  }
  const titles = new Map(channels.map((channel) => [channel.id, channel.title]));
  lines.push(...homeBundleSection(bundles, HOME_PATH, titles, mirror.script));
  lines.push(heading(4, [text(label(labels.newest))]), '');
  lines.push(
    entryTable(newest.slice(0, mirror.homeSize), HOME_PATH, buster, mirror.script, titles, labels),
    '',
  );
  const footer: PhrasingContent[] = separated([
    link(label(labels.mirrors), withQuery(relativeLink(HOME_PATH, MIRROR_LAYOUT.mirrors), buster)),
    link(label(labels.feed), relativeLink(HOME_PATH, MIRROR_LAYOUT.feed)),
    link(label(labels.search), withQuery(relativeLink(HOME_PATH, MIRROR_LAYOUT.searchGuide), buster)),
  ]);
  lines.push(
    '---',
    '',
    paragraph(footer),
    '',
    paragraph([text(`${label(labels.updated)} ${utcMinute(now)}`)]),
    '',
  );
  return lines.join('\n');
}

function utcMinute(now: Date): string {
  return `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
