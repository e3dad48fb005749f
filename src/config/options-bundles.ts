// `bundles:` — the day's (or week's) news as one EPUB book or HTML file, written by `run` into the mirror's
// `bundles/` folder and linked from the home page and the channel indexes, for readers who pass news on by file.
import { z } from 'zod';

const bundleSchema = z
  .object({
    format: z
      .enum(['epub', 'html'])
      .default('epub')
      .describe(
        '`epub`: an EPUB 3 book (e-readers, phone reading apps); `html`: one self-contained HTML file with ' +
          'contents, images inlined (any browser, opens from a chat app)',
      ),
    every: z
      .enum(['day', 'week'])
      .default('day')
      .describe(
        'one bundle per UTC day (`bundles/<channel>/2024-05-20.epub`) or per ISO week, Monday to Sunday ' +
          '(`bundles/<channel>/2024-W21.epub`), by the day an index sorts an article by',
      ),
    channels: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('the channels bundled (ids); every channel when left out'),
    combined: z
      .boolean()
      .default(false)
      .describe(
        'one bundle of all those channels (`bundles/2024-05-20.epub`, contents by channel, each article once) ' +
          'instead of one per channel',
      ),
    finished: z
      .boolean()
      .default(false)
      .describe(
        "write a period only once it is over (UTC): yesterday's paper rather than today's, so git history holds " +
          'about one version of each file instead of one per run that added an article (rewritten only for late ' +
          'articles)',
      ),
    keep: z
      .number()
      .int()
      .min(1)
      .max(400)
      .default(7)
      .describe(
        'the newest periods (that have articles) kept in the mirror; older bundles are removed in the run that ' +
          'writes a newer one (git history keeps them). Each rewrite of a period adds its file to the history',
      ),
  })
  .strict();

export const bundlesSchema = z
  .array(bundleSchema)
  .default([])
  .describe(
    'bundles `run` and `rebuild` write into the mirror: a period is written again only when its articles ' +
      'changed, in the run that changed them; e.g. `[{ format: epub, every: day }]`',
  );

export type BundleSpec = z.infer<typeof bundleSchema>;

/** Issues of `bundles:` the schema cannot see alone: unknown channels, two entries writing the same files. */
export function bundleIssues(
  bundles: BundleSpec[],
  channelIds: Set<string>,
): Array<{ path: (string | number)[]; message: string }> {
  const issues: Array<{ path: (string | number)[]; message: string }> = [];
  const owner = new Map<string, number>();
  bundles.forEach((spec, n) => {
    (spec.channels ?? []).forEach((id, m) => {
      if (!channelIds.has(id)) {
        issues.push({ path: ['bundles', n, 'channels', m], message: `no channel "${id}" in sites` });
      }
    });
    const scopes = spec.combined ? ['(combined)'] : (spec.channels ?? [...channelIds]);
    for (const scope of scopes) {
      const key = `${spec.format} ${spec.every} ${scope}`;
      const first = owner.get(key);
      if (first !== undefined) {
        issues.push({
          path: ['bundles', n],
          message: `bundles ${first} and ${n} both write the ${spec.every === 'day' ? 'daily' : 'weekly'} ${spec.format} of ${scope}`,
        });
        break;
      }
      owner.set(key, n);
    }
  });
  return issues;
}
