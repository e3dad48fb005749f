// `notify`: where newsmirror tells an operator that something broke (a run failed, a channel stopped answering)
// and that it recovered, so a mirror left alone for months is not found broken weeks too late.
import { z } from 'zod';

export const notifySchema = z
  .object({
    webhook: z
      .string()
      .refine((value) => /^https?:\/\/[^/?#]/.test(value), 'an http:// or https:// URL')
      .optional()
      .describe(
        'a URL that gets a POST with a JSON body when a run fails, a push fails, or a channel breaks or ' +
          'recovers (`text` holds a one-line summary, which Slack and Mattermost incoming webhooks show as is; ' +
          '`events` lists what happened). A webhook that fails or times out is logged, never fails the run',
      ),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(5000)
      .describe('how long the webhook may take to answer before it is given up'),
  })
  .strict();

export type NotifyConfig = z.infer<typeof notifySchema>;
