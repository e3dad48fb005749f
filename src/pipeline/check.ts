// Rule health: are a site's extraction rules still matching? Fetches a few recent articles per channel, extracts each
// with the site's rules and with the generic extractor alone, and reports every rule that no longer matches (no body,
// a field that finds nothing, or a body far shorter than what the generic extractor finds).
import type { LoadedConfig } from '../config/load.ts';
import type { SiteConfig } from '../config/options.ts';
import { errorMessage } from '../internal/errors.ts';
import type { HttpClient } from './fetch/client.ts';
import { extractPage, type PageInput, pageInputOf } from './job/extract-page.ts';
import { toPlainText } from './render/index.ts';
import { discoverChannel } from './steps/discover.ts';

export interface RuleProblem {
  siteId: string;
  channelId: string;
  url: string;
  /** 'body' | 'title' | 'leadImage' | 'caption' | 'date' | 'author' | 'remove:<selector>' | 'short_body' | 'fetch' | 'listing' */
  rule: string;
  detail: string;
}

export interface CheckReport {
  checked: number;
  problems: RuleProblem[];
}

/** Articles checked per channel: enough to tell a redesign from one odd page. */
export const DEFAULT_ARTICLES_PER_CHANNEL = 3;
/** A rule body under this share of the generic extractor's text is probably cut by a changed layout. */
const SHORT_BODY_RATIO = 0.5;
/** ...unless it is long anyway: short notes and photo stories have little text either way. */
const SHORT_BODY_MIN_GENERIC_CHARS = 400;

export async function checkSiteRules(
  loaded: LoadedConfig,
  http: HttpClient,
  options: { perChannel?: number; siteIds?: string[] } = {},
): Promise<CheckReport> {
  const perChannel = options.perChannel ?? DEFAULT_ARTICLES_PER_CHANNEL;
  const report: CheckReport = { checked: 0, problems: [] };
  const sites = loaded.config.sites.filter(
    (site) => site.rules && (!options.siteIds || options.siteIds.includes(site.id)),
  );
  for (const site of sites) {
    const seen = new Set<string>();
    const optional: RuleProblem[] = [];
    let checkedOfSite = 0;
    for (const channel of site.channels) {
      let urls: string[];
      try {
        // A channel that yields no article link throws, naming the selector: reported as a 'listing' problem.
        const discovered = await discoverChannel(site, channel, http, undefined);
        urls = discovered.items.map((item) => item.url).filter((url) => !seen.has(url));
      } catch (error) {
        report.problems.push({
          siteId: site.id,
          channelId: channel.id,
          url: '',
          rule: 'listing',
          detail: errorMessage(error),
        });
        continue;
      }
      for (const url of urls.slice(0, perChannel)) {
        seen.add(url);
        report.checked++;
        const problems = await checkArticle(site, channel.id, url, http);
        report.problems.push(...problems.filter((problem) => !OPTIONAL_FIELDS.test(problem.rule)));
        optional.push(...problems.filter((problem) => OPTIONAL_FIELDS.test(problem.rule)));
        // Only articles that were read can tell whether an optional rule matches.
        if (!problems.some((problem) => problem.rule === 'fetch')) checkedOfSite++;
      }
    }
    // A lead image, caption, date, author or ad block may be absent from one article by nature; a rule for one of
    // them is broken when it matches on none of the articles checked.
    const missesByRule = new Map<string, RuleProblem[]>();
    for (const problem of optional)
      missesByRule.set(problem.rule, [...(missesByRule.get(problem.rule) ?? []), problem]);
    for (const misses of missesByRule.values()) {
      if (misses.length >= checkedOfSite && checkedOfSite > 0) {
        report.problems.push({
          ...misses[0],
          detail: `${misses[0].detail} on all ${checkedOfSite} articles checked`,
        });
      }
    }
  }
  return report;
}

/** Rule fields that an article may legitimately lack. */
const OPTIONAL_FIELDS = /^(leadImage|caption|date|author|remove:.*)$/;

async function checkArticle(
  site: SiteConfig,
  channelId: string,
  url: string,
  http: HttpClient,
): Promise<RuleProblem[]> {
  const problem = (rule: string, detail: string): RuleProblem => ({
    siteId: site.id,
    channelId,
    url,
    rule,
    detail,
  });
  let page: PageInput;
  try {
    // Read as a run reads it: raw bytes, decoded where they are extracted.
    page = pageInputOf(await http.fetch(url, { fromContent: true, decode: false }));
  } catch (error) {
    return [problem('fetch', errorMessage(error))];
  }
  const withRules = extractPage(page, { url, rules: site.rules, lang: site.lang });
  const generic = extractPage(page, { url, lang: site.lang });
  const problems: RuleProblem[] = [];
  const misses = withRules?.ruleMisses ?? ['body'];
  for (const miss of misses) {
    const selector = ruleSelector(site, miss);
    problems.push(problem(miss, selector ? `"${selector}" matches nothing` : 'matches nothing'));
  }
  if (withRules?.method === 'rules' && generic) {
    const ruleChars = toPlainText(withRules.body).length;
    const genericChars = toPlainText(generic.body).length;
    if (genericChars >= SHORT_BODY_MIN_GENERIC_CHARS && ruleChars < genericChars * SHORT_BODY_RATIO) {
      problems.push(
        problem(
          'short_body',
          `"${site.rules?.body}" gives ${ruleChars} characters; the generic extractor finds ${genericChars}`,
        ),
      );
    }
  }
  return problems;
}

function ruleSelector(site: SiteConfig, miss: string): string | undefined {
  if (miss.startsWith('remove:')) return miss.slice('remove:'.length);
  const rules = site.rules as Record<string, unknown> | undefined;
  const value = rules?.[miss];
  return typeof value === 'string' ? value : undefined;
}
