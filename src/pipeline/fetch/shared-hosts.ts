// The port through which the HTTP client shares its per-host politeness with other processes (the queue's workers:
// queue/host-limits.ts implements it over Redis). Without it, each client counts only its own requests.

/** Per-host limits counted over several processes: one slot per request, and a pause every process honours. */
export interface SharedHostLimits {
  /** Waits for one of the host's shared slots (and out any pause of it); resolves to the slot's release. */
  acquire(host: string): Promise<() => Promise<void>>;
  /** Asks every process to send nothing to `host` for `ms` (a Retry-After). */
  pause(host: string, ms: number): Promise<void>;
}
