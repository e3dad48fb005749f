// Mirror-root paths -> links relative to the page being written, so forks and copies work unchanged.
import { posix } from 'node:path';

/** Link from the file `fromFile` to `toPath`, both relative to the mirror root with '/' separators. */
export function relativeLink(fromFile: string, toPath: string): string {
  const relative = posix.relative(posix.dirname(posix.normalize(fromFile)), posix.normalize(toPath));
  return relative === '' ? posix.basename(toPath) : relative;
}
