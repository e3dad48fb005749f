// Step 7, notify: when a run failed, a push failed, or a channel broke or recovered, one POST to `notify.webhook`.
// It never fails the run: the mirror is already committed and the webhook may be down too; the failure is logged.
import type { Config } from '../../config/options.ts';
import { errorMessage } from '../../internal/errors.ts';
import type { Logger } from '../../internal/log.ts';
import { postWebhook } from '../publish/webhook.ts';
import type { RunSummary } from './summary.ts';

export type NotifyEvent =
  | { type: 'run_failed'; message: string }
  | { type: 'push_failed'; remote: string; message: string }
  | { type: 'channel_broke'; site: string; channel: string; message: string }
  | { type: 'channel_recovered'; site: string; channel: string };

/** What is worth telling of a finished run (nothing when all is as it was). */
export function eventsOf(summary: RunSummary): NotifyEvent[] {
  const events: NotifyEvent[] = [];
  for (const push of summary.pushes) {
    if (!push.ok)
      events.push({ type: 'push_failed', remote: push.remote, message: push.error ?? 'push failed' });
  }
  for (const change of summary.channelChanges) {
    events.push(
      change.change === 'broke'
        ? {
            type: 'channel_broke',
            site: change.siteId,
            channel: change.channelId,
            message: change.message ?? '',
          }
        : { type: 'channel_recovered', site: change.siteId, channel: change.channelId },
    );
  }
  return events;
}

function lineOf(event: NotifyEvent): string {
  switch (event.type) {
    case 'run_failed':
      return `run failed: ${event.message}`;
    case 'push_failed':
      return `push to ${event.remote} failed: ${event.message}`;
    case 'channel_broke':
      return `channel ${event.site}/${event.channel} broke: ${event.message}`;
    case 'channel_recovered':
      return `channel ${event.site}/${event.channel} recovered`;
  }
}

/** Posts `events` (if any, and if a webhook is configured); logs, never throws. */
export async function notifyWebhook(
  config: Config,
  events: NotifyEvent[],
  summary: RunSummary | undefined,
  at: Date,
  log: Logger,
  /** Shorter than `notify.timeoutMs` when the run is stopping. */
  maxMs?: number,
): Promise<void> {
  const url = config.notify.webhook;
  if (url === undefined || events.length === 0) return;
  const body = {
    source: 'newsmirror',
    mirror: config.mirror.title,
    at: at.toISOString(),
    text: `newsmirror ${config.mirror.title}: ${events.map(lineOf).join('; ')}`,
    events,
    run: summary && {
      new: summary.new,
      updated: summary.updated,
      failed: summary.failed,
      channelsFailed: summary.channelFailures.length,
      commit: summary.commit,
      seconds: summary.seconds,
    },
  };
  try {
    await postWebhook(url, body, Math.min(config.notify.timeoutMs, maxMs ?? Infinity));
    log.info(`notify: told the webhook of ${events.length} event(s)`);
  } catch (error) {
    log.warn(`${errorMessage(error)} (the run itself is not affected)`);
  }
}
