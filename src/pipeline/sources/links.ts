// What the parsers hand to `toSourceItems`: links as found, before normalisation and filtering.

/** A link found on a listing page, feed or sitemap: absolute http(s) URL, not yet normalised. */
export interface DiscoveredLink {
  url: string;
  title?: string;
  /** ISO 8601 (see dates.ts). */
  published?: string;
}

/** A link with only the fields that have values, so results compare cleanly with expected JSON. */
export function discoveredLink(url: string, title?: string, published?: string): DiscoveredLink {
  const link: DiscoveredLink = { url };
  if (title !== undefined) link.title = title;
  if (published !== undefined) link.published = published;
  return link;
}
