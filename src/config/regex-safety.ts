// Whether an operator's regular expression (a site's `articleId`) can stall a run on a hostile URL. recheck (a ReDoS
// checker built on automata theory, with fuzzing where that does not apply) proves exponential and polynomial
// backtracking; hand-written heuristics such as star height miss `(x|x)*` and flag harmless patterns.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Highest backtracking degree allowed. An unanchored pattern with any `+` or `*` is already quadratic (V8 retries
 * from each position), and over a URL of at most MAX_PATTERN_INPUT (internal/ids.ts) characters that is a few
 * million steps, milliseconds; cubic is billions of steps, a stalled run.
 */
export const MAX_REGEXP_DEGREE = 2;

/** A pattern the checker cannot settle in this time is refused rather than trusted. */
const CHECK_TIMEOUT_MS = 10_000;

/**
 * Verdicts outlive the process: loading recheck and checking one pattern takes about a second, which every hourly
 * run would pay again for the same config. Keyed by pattern and by what decides the verdict.
 */
const VERDICT_KEY = `v1 degree<=${MAX_REGEXP_DEGREE}`;

function verdictFile(): string {
  const cache =
    process.env.NEWSMIRROR_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'newsmirror');
  return join(cache, 'regexp-verdicts.json');
}

let verdicts: Map<string, string | null> | undefined;

function loadVerdicts(): Map<string, string | null> {
  if (verdicts) return verdicts;
  verdicts = new Map();
  try {
    const saved = JSON.parse(readFileSync(verdictFile(), 'utf8')) as {
      key?: string;
      verdicts?: Record<string, string | null>;
    };
    if (saved.key === VERDICT_KEY && saved.verdicts) verdicts = new Map(Object.entries(saved.verdicts));
  } catch {
    // No cache yet, or an unreadable one: check again.
  }
  return verdicts;
}

function saveVerdicts(known: Map<string, string | null>): void {
  const file = verdictFile();
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ key: VERDICT_KEY, verdicts: Object.fromEntries(known) }));
    renameSync(temp, file);
  } catch {
    // A read-only home only costs the next process the check again.
  }
}

/** Why `pattern` can make matching take super-quadratic time, with an input that shows it; null when it cannot. */
export function unsafeRegExpReason(pattern: string): string | null {
  const known = loadVerdicts();
  const saved = known.get(pattern);
  if (saved !== undefined) return saved;
  const verdict = judge(pattern);
  known.set(pattern, verdict);
  saveVerdicts(known);
  return verdict;
}

function judge(pattern: string): string | null {
  // Loaded only for a pattern not judged before: recheck is 5 MB of JavaScript.
  const { checkSync } = createRequire(import.meta.url)('recheck') as typeof import('recheck');
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
