// `sites[].fetch`: the global `fetch` settings a site may override for requests to its own hosts (its base host and
// subdomains, decided per hop): its pages, and the images it serves itself; images on other hosts (CDNs) keep the
// global settings, as a slow publisher says nothing of its CDN.
import { z } from 'zod';

export const siteFetchSchema = z
  .object({
    perHostConcurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .optional()
      .describe("requests at once to each of this site's hosts"),
    connectTimeoutMs: z.number().int().positive().optional().describe('connecting, in ms'),
    headersTimeoutMs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('waiting for the response headers, in ms'),
    bodyTimeoutMs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('between body chunks, in ms; with the two above, the deadline of one attempt'),
    retries: z.number().int().min(0).max(10).optional().describe('retries of a failed request'),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('cap on one page after decompression (images keep `fetch.maxImageBytes`)'),
  })
  .strict();

export type SiteFetchConfig = z.infer<typeof siteFetchSchema>;
