// `revisit`: young articles are checked again at their source (conditional GET), so edits and retractions reach the
// mirror even when no listing says so.
import { z } from 'zod';

/** `90s`, `30m`, `6h`, `1d`. */
const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration such as `6h`; null when it is not one. */
export function durationMs(text: string): number | null {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]] : null;
}

export const revisitSchema = z
  .object({
    days: z
      .number()
      .min(0)
      .max(365)
      .default(3)
      .describe(
        'articles younger than this many days (by publication time, or first-seen time when later or unknown) ' +
          'are checked again at their source; `0` turns revisiting off',
      ),
    every: z
      .string()
      .refine((text) => (durationMs(text) ?? 0) > 0, 'a duration such as 6h, 30m or 1d')
      .default('6h')
      .describe(
        'at most one check per article this often (`90s`, `30m`, `6h`, `1d`); a check is a conditional GET, ' +
          'so an unchanged article costs one 304',
      ),
    limit: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .default(500)
      .describe('articles checked per run at most, newest first; the rest wait for the next run'),
    retracted: z
      .enum(['mark', 'remove', 'keep'])
      .default('mark')
      .describe(
        'an article whose source answers 404 or 410: `mark` keeps its text under a notice that it was ' +
          'retracted; `remove` keeps the page (links to it still work) with the notice only; `keep` leaves the ' +
          'page as it was. A 5xx or a timeout is never a retraction',
      ),
  })
  .strict();

export type RevisitConfig = z.infer<typeof revisitSchema>;
