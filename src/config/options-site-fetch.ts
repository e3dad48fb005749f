// `sites[].fetch`: the global `fetch` settings a site may override for requests to its own hosts (its base host and
// subdomains, decided per hop): its pages, and the images it serves itself; images on other hosts (CDNs) keep the
// global settings, as a slow publisher says nothing of its CDN.
import { z } from 'zod';

/** The bounds of the `fetch` fields a site may override, shared with the global `fetch` so both accept the same values. */
export const fetchFields = {
  perHostConcurrency: z.number().int().min(1).max(64),
  connectTimeoutMs: z.number().int().positive(),
  headersTimeoutMs: z.number().int().positive(),
  bodyTimeoutMs: z.number().int().positive(),
  retries: z.number().int().min(0).max(10),
  maxBodyBytes: z.number().int().positive(),
};

export const siteFetchSchema = z
  .object({
    perHostConcurrency: fetchFields.perHostConcurrency
      .optional()
      .describe("requests at once to each of this site's hosts"),
    connectTimeoutMs: fetchFields.connectTimeoutMs.optional().describe('connecting, in ms'),
    headersTimeoutMs: fetchFields.headersTimeoutMs
      .optional()
      .describe('waiting for the response headers, in ms'),
    bodyTimeoutMs: fetchFields.bodyTimeoutMs
      .optional()
      .describe('between body chunks, in ms; with the two above, the deadline of one attempt'),
    retries: fetchFields.retries.optional().describe('retries of a failed request'),
    maxBodyBytes: fetchFields.maxBodyBytes
      .optional()
      .describe('cap on one page after decompression (images keep `fetch.maxImageBytes`)'),
  })
  .strict();

export type SiteFetchConfig = z.infer<typeof siteFetchSchema>;
