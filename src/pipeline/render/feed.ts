// feed.xml: an Atom feed of the newest articles, for readers who follow the mirror in a feed reader.
import { Feed } from 'feed';
import type { MirrorConfig } from '../../config/options.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import { escapeHtml, titleText } from './escape.ts';
import type { IndexEntry } from './indexes.ts';
import { publicUrlOf } from './paths.ts';
import { inScript } from './script.ts';

/**
 * The feed package accepts absolute links only. Without a public URL the links are written relative to the
 * feed (Atom allows IRI references): they are built on this reserved host (RFC 2606), which is then removed.
 */
const PLACEHOLDER_BASE = 'https://newsmirror.invalid/';

export function renderFeed(mirror: MirrorConfig, entries: IndexEntry[], now: Date): string {
  const base = mirror.publicUrl ?? PLACEHOLDER_BASE;
  const feed = new Feed({
    id: mirror.publicUrl ?? `urn:newsmirror:${encodeURIComponent(mirror.title)}`,
    title: mirror.title,
    updated: now,
    generator: 'newsmirror',
    link: publicUrlOf(base, MIRROR_LAYOUT.home),
    feedLinks: { atom: publicUrlOf(base, MIRROR_LAYOUT.feed) },
    copyright: '',
  });
  for (const entry of entries) {
    const published = entry.published ? new Date(entry.published) : undefined;
    // Undated: when the mirror found it, so it never stands as the newest entry in every run's feed.
    const found = entry.firstSeen ? new Date(entry.firstSeen) : undefined;
    const date =
      published && !Number.isNaN(published.getTime())
        ? published
        : found && !Number.isNaN(found.getTime())
          ? found
          : now;
    feed.addItem({
      // Titles go out as type="html": escaped, a title reads as text and cannot close the CDATA section.
      title: escapeHtml(inScript(titleText(entry.title), mirror.script)),
      // The page path is stable across a change of publicUrl, so readers never see an entry twice.
      id: `urn:newsmirror:${entry.path.split('/').map(encodeURIComponent).join('/')}`,
      link: publicUrlOf(base, entry.path),
      date,
      ...(published && !Number.isNaN(published.getTime()) ? { published } : {}),
    });
  }
  const xml = feed.atom1();
  return mirror.publicUrl ? xml : xml.replaceAll(PLACEHOLDER_BASE, '');
}
