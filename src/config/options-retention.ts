// `mirror.keep` and `mirror.archive`: the main mirror keeps each channel's newest pages, a second repository (or one
// per year) receives the older ones, so the repository readers clone stays small however long the mirror runs.
import { z } from 'zod';

/** `{year}` in the archive's dir, publicUrl and remote URLs makes one archive repository per year. */
export const YEAR_PLACEHOLDER = '{year}';

export const keepSchema = z
  .number()
  .int()
  .min(1)
  .max(1_000_000)
  .optional()
  .describe(
    "newest pages of each channel kept in the main mirror (300, as the original's sister mirror); older pages move " +
      'to `mirror.archive`. Unset: every page stays. A channel may set its own `keep`',
  );

export const channelKeepSchema = keepSchema.describe(
  "this channel's own `keep` (newest pages kept in the main mirror), instead of `mirror.keep`",
);

const archiveRemoteSchema = z.union([
  z.string().min(1),
  z
    .object({
      name: z.string().min(1).describe("the remote's name in the archive's git configuration"),
      url: z
        .string()
        .min(1)
        .describe('its URL (may hold `{year}`); a relative path is a folder beside the config'),
    })
    .strict(),
]);

export const archiveSchema = z
  .object({
    dir: z
      .string()
      .min(1)
      .describe(
        'the archive working tree, a git repository (created when missing), relative to the config; ' +
          '`{year}` in it (e.g. `./archive-{year}`) makes one repository per year of publication',
      ),
    publicUrl: z
      .string()
      .refine((value) => URL.canParse(value.replaceAll(YEAR_PLACEHOLDER, '2000')), 'an absolute URL')
      .describe(
        "base URL of the archive's public copy (e.g. `https://github.com/you/news-archive-{year}/blob/main/`): " +
          'links from the main mirror to archived pages and the QR codes of archived pages use it',
      ),
    title: z
      .string()
      .min(1)
      .optional()
      .describe("the archive's name on its home page; default: the mirror's title + `（存档）` (+ the year)"),
    remotes: z
      .array(archiveRemoteSchema)
      .default([])
      .describe(
        "push targets of the archive, like `mirror.remotes`; `{year}` in a URL is the archive's year",
      ),
  })
  .strict()
  .optional()
  .describe(
    'where pages beyond `keep` go: a second git repository with the same layout (pages, their images, its own ' +
      'indexes and home page), committed and pushed with each run',
  );

export type ArchiveConfig = NonNullable<z.infer<typeof archiveSchema>>;

/** Issues the schema cannot see alone: `keep` without an archive, an archive without a main public URL. */
export function retentionIssues(config: {
  mirror: { keep?: number; archive?: ArchiveConfig; publicUrl?: string };
  sites: Array<{ channels: Array<{ keep?: number }> }>;
}): Array<{ path: (string | number)[]; message: string }> {
  const issues: Array<{ path: (string | number)[]; message: string }> = [];
  const { archive } = config.mirror;
  const keeps =
    config.mirror.keep !== undefined ||
    config.sites.some((s) => s.channels.some((c) => c.keep !== undefined));
  if (keeps && !archive) {
    issues.push({
      path: ['mirror', 'archive'],
      message: '`keep` moves older pages to an archive: set mirror.archive (dir and publicUrl)',
    });
  }
  if (archive && !config.mirror.publicUrl) {
    issues.push({
      path: ['mirror', 'publicUrl'],
      message: 'archived pages link back to the main mirror by its public URL: set mirror.publicUrl',
    });
  }
  if (archive && archive.dir.includes(YEAR_PLACEHOLDER) !== archive.publicUrl.includes(YEAR_PLACEHOLDER)) {
    issues.push({
      path: ['mirror', 'archive', 'publicUrl'],
      message: 'use {year} in both mirror.archive.dir and mirror.archive.publicUrl, or in neither',
    });
  }
  return issues;
}
