// README.md at the mirror root: nav bar, every channel with its article count, the newest articles.
import type { PhrasingContent } from 'mdast';
import type { MirrorConfig } from '../../config/options.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import { heading, link, paragraph, separated, text } from './escape.ts';
import { cacheBuster, entryTable, type IndexEntry } from './indexes.ts';
import { renderNavBar } from './nav.ts';
import { relativeLink, withQuery } from './paths.ts';
import { inScript } from './script.ts';

const HOME_PATH = MIRROR_LAYOUT.home;
/** "Newest articles", "all copies of this mirror", "Atom feed", "search", "updated". */
const NEWEST_HEADING = '最新文章';
const MIRRORS_LABEL = '所有镜像';
const FEED_LABEL = 'Atom 订阅';
const SEARCH_LABEL = '搜索';
const UPDATED_LABEL = '更新于';

export function renderHome(
  mirror: MirrorConfig,
  channels: Array<{ id: string; title: string; count: number }>,
  newest: IndexEntry[],
  now: Date,
): string {
  const buster = cacheBuster(now);
  const label = (value: string) => inScript(value, mirror.script);
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
  lines.push(heading(4, [text(label(NEWEST_HEADING))]), '');
  lines.push(entryTable(newest.slice(0, mirror.homeSize), HOME_PATH, buster, mirror.script, titles), '');
  const footer: PhrasingContent[] = separated([
    link(label(MIRRORS_LABEL), withQuery(relativeLink(HOME_PATH, MIRROR_LAYOUT.mirrors), buster)),
    link(label(FEED_LABEL), relativeLink(HOME_PATH, MIRROR_LAYOUT.feed)),
    link(label(SEARCH_LABEL), withQuery(relativeLink(HOME_PATH, MIRROR_LAYOUT.searchGuide), buster)),
  ]);
  lines.push(
    '---',
    '',
    paragraph(footer),
    '',
    paragraph([text(`${label(UPDATED_LABEL)} ${utcMinute(now)}`)]),
    '',
  );
  return lines.join('\n');
}

function utcMinute(now: Date): string {
  return `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
