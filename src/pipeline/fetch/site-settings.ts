// Per-site `fetch` overrides (`sites[].fetch`): the settings a request uses are its target host's site's, decided
// per hop like the site's headers, so a redirect to another host (or an image on a CDN) uses the global ones.
import type { FetchConfig, SiteConfig } from '../../config/options.ts';
import { sameSite } from '../../internal/url.ts';
import type { Dispatchers } from './dispatchers.ts';

export interface HostSettings {
  config: FetchConfig;
  /** The deadline of one attempt: the sum of the three timeouts (undici's are per phase, a drip never trips them). */
  deadlineMs: number;
  /** Connect timeouts live in the dispatcher: a site overriding one gets dispatchers of its own. */
  dispatchers: Dispatchers;
}

export interface SiteSettings {
  of(target: URL): HostSettings;
  /** Ends the dispatchers made for sites (not the global ones). */
  close(): Promise<void>;
}

export function attemptDeadlineOf(config: FetchConfig): number {
  return config.connectTimeoutMs + config.headersTimeoutMs + config.bodyTimeoutMs;
}

export function createSiteSettings(
  config: FetchConfig,
  sites: Array<Pick<SiteConfig, 'base' | 'fetch'>>,
  dispatchers: Dispatchers,
  makeDispatchers: (config: FetchConfig) => Dispatchers,
): SiteSettings {
  const global: HostSettings = { config, deadlineMs: attemptDeadlineOf(config), dispatchers };
  const overriding = sites.filter(
    (site) => site.fetch && Object.values(site.fetch).some((v) => v !== undefined),
  );
  const made = new Map<string, HostSettings>();
  return {
    of(target) {
      const site = overriding.find((candidate) => sameSite(target.href, candidate.base));
      if (!site) return global;
      let settings = made.get(site.base);
      if (!settings) {
        const merged: FetchConfig = { ...config };
        for (const [key, value] of Object.entries(site.fetch ?? {})) {
          if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
        }
        settings = {
          config: merged,
          deadlineMs: attemptDeadlineOf(merged),
          dispatchers:
            merged.connectTimeoutMs === config.connectTimeoutMs ? dispatchers : makeDispatchers(merged),
        };
        made.set(site.base, settings);
      }
      return settings;
    },
    async close() {
      const own = [...made.values()].filter((settings) => settings.dispatchers !== dispatchers);
      await Promise.all(own.flatMap(({ dispatchers: d }) => [d.open.destroy(), d.guarded.destroy()]));
    },
  };
}
