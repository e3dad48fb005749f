// How `run` and `watch` stop on SIGTERM or SIGINT (systemd, docker stop, Ctrl-C): no new article starts; the ones
// in flight get a short grace, then their fetches are abandoned (the next run does them); what finished is
// rendered, committed and pushed. A second signal abandons at once; a third is not caught, so it kills (the store
// and the mirror survive a kill too: the next run recovers).
import type { Logger } from '../internal/log.ts';

/** Grace for articles in flight: most finish in a second or two; with commit and push a stop takes under 10 s. */
export const STOP_GRACE_MS = 3000;

export interface StopSignals {
  /** Aborts at the first signal: take no new work. */
  stop: AbortSignal;
  /** Aborts once the grace is over (or at the second signal): give up the fetches in flight. */
  abandon: AbortSignal;
  /** Removes the handlers and the grace timer. */
  dispose(): void;
}

export function handleStopSignals(log: Logger, what: string, graceMs = STOP_GRACE_MS): StopSignals {
  const stop = new AbortController();
  const abandon = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    received++;
    if (received === 1) {
      log.warn(
        `${what}: ${signal}: finishing the run in flight (articles get ${graceMs / 1000} s, then commit and push), then exiting; send again to stop at once`,
      );
      stop.abort();
      timer = setTimeout(giveUp, graceMs);
      return;
    }
    if (received === 2) {
      giveUp();
      return;
    }
    dispose();
    process.kill(process.pid, signal);
  };
  function giveUp() {
    if (abandon.signal.aborted) return;
    log.warn(`${what}: abandoning the articles still in flight; the next run fetches them`);
    abandon.abort();
  }
  function dispose() {
    clearTimeout(timer);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { stop: stop.signal, abandon: abandon.signal, dispose };
}
