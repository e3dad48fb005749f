// Whether an operator's regular expression (a site's `articleId`) can stall a run on a hostile URL. recheck (a ReDoS
// checker built on automata theory, with fuzzing where that does not apply) proves exponential and polynomial
// backtracking; hand-written heuristics such as star height miss `(x|x)*` and flag harmless patterns.
import { checkSync } from 'recheck';

/**
 * Highest backtracking degree allowed. An unanchored pattern with any `+` or `*` is already quadratic (V8 retries
 * from each position), and over a URL of at most MAX_PATTERN_INPUT (internal/ids.ts) characters that is a few
 * million steps, milliseconds; cubic is billions of steps, a stalled run.
 */
export const MAX_REGEXP_DEGREE = 2;

/** A pattern the checker cannot settle in this time is refused rather than trusted. */
const CHECK_TIMEOUT_MS = 10_000;

const verdicts = new Map<string, string | null>();

/** Why `pattern` can make matching take super-quadratic time, with an input that shows it; null when it cannot. */
export function unsafeRegExpReason(pattern: string): string | null {
  const known = verdicts.get(pattern);
  if (known !== undefined) return known;
  const verdict = judge(pattern);
  verdicts.set(pattern, verdict);
  return verdict;
}

function judge(pattern: string): string | null {
  const result = checkSync(pattern, '', { timeout: CHECK_TIMEOUT_MS, randomSeed: 1 });
  if (result.status === 'safe') return null;
  if (result.status === 'unknown') {
    const why = 'message' in result.error ? result.error.message : result.error.kind;
    return `could not be shown safe from catastrophic backtracking (${why}); simplify it`;
  }
  const { complexity } = result;
  if (complexity.type === 'polynomial' && complexity.degree <= MAX_REGEXP_DEGREE) return null;
  const growth =
    complexity.type === 'exponential'
      ? 'exponential'
      : `polynomial of degree ${complexity.degree} (at most ${MAX_REGEXP_DEGREE} is allowed)`;
  const attack = JSON.stringify(result.attack.string.slice(0, 40));
  return (
    `can take ${growth} time on a hostile URL (catastrophic backtracking, e.g. on ${attack}…); ` +
    'rewrite it without nested or overlapping repetition, such as `(\\w+)*` or `(a|a)*`'
  );
}

/** A zod check: the pattern's verdict as the field's issue. */
export function refuseCatastrophicRegExp(
  pattern: string,
  ctx: { addIssue(issue: { code: 'custom'; message: string }): void },
): void {
  const reason = unsafeRegExpReason(pattern);
  if (reason !== null) ctx.addIssue({ code: 'custom', message: reason });
}
