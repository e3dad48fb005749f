// `newsmirror check -c FILE`: are the site rules still matching? Exits 1 when any rule is broken, so cron or CI alerts.
import { loadConfig } from '../config/load.ts';
import { ConfigError } from '../internal/errors.ts';
import { checkSiteRules, DEFAULT_ARTICLES_PER_CHANNEL } from '../pipeline/check.ts';
import { createHttpClient } from '../pipeline/fetch/client.ts';

export async function checkCommand(options: {
  config: string;
  perChannel?: string;
  site?: string[];
}): Promise<number> {
  const perChannel = options.perChannel ? Number(options.perChannel) : DEFAULT_ARTICLES_PER_CHANNEL;
  if (!Number.isInteger(perChannel) || perChannel < 1) {
    throw new ConfigError(
      `check: --per-channel must be a whole number of 1 or more (got "${options.perChannel}")`,
      {
        code: 'usage',
        retryable: false,
      },
    );
  }
  const loaded = loadConfig(options.config);
  const http = createHttpClient(loaded.config.fetch, { sites: loaded.config.sites });
  try {
    const report = await checkSiteRules(loaded, http, {
      perChannel,
      siteIds: options.site,
    });
    for (const problem of report.problems) {
      process.stdout.write(
        `BROKEN ${problem.siteId}/${problem.channelId} ${problem.rule}: ${problem.detail}${problem.url ? ` (${problem.url})` : ''}\n`,
      );
    }
    const sitesWithRules = loaded.config.sites.filter((site) => site.rules).length;
    process.stdout.write(
      `checked ${report.checked} articles of ${sitesWithRules} site(s) with rules: ` +
        `${report.problems.length === 0 ? 'all rules match' : `${report.problems.length} problem(s)`}\n`,
    );
    return report.problems.length === 0 ? 0 : 1;
  } finally {
    await http.close();
  }
}
