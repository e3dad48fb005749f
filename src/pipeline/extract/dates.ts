// Dates as publishers write them, turned into ISO 8601. A time zone is only ever copied from the page
// (its own offset, or an offset seen elsewhere on it): guessing one from the language would be wrong for
// every publisher abroad, so without one the result has no offset.
import { MONTHS } from '../../internal/months.ts';

/** Years outside this range are page furniture (copyright lines, ids), not publication dates. */
const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

const MONTH_NAME =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
/** Optional English time after a date: ", 9:30 am", " at 09:30", " 21:05:10". */
const ENGLISH_TIME = '(?:,?\\s+(?:at\\s+)?(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s*([ap])\\.?m\\.?)?)?';

const ISO_DATE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const RFC_2822_DATE = new RegExp(
  `^(?:[A-Za-z]{3},?\\s+)?(\\d{1,2})\\s+${MONTH_NAME}\\s+(\\d{4})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*(GMT|UTC?|Z|[+-]\\d{4})?$`,
  'i',
);

/** Visible date patterns, tried in this order; each returns parts or undefined. */
const VISIBLE_PATTERNS: Array<{ pattern: RegExp; parts: (m: RegExpExecArray) => DateParts }> = [
  {
    // 2023-10-18 09:30, 2023/10/18, 2023.10.18 09:30:05
    pattern:
      /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d))?/,
    parts: (m) => numericParts(m[1], m[2], m[3], m[4], m[5], m[6]),
  },
  {
    // 2023年10月18日 09:30, 2023年10月18日下午3时05分
    pattern:
      /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号](?:\s*(上午|下午|晚上|早上)?\s*(\d{1,2})\s*[:：时點点]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?/,
    parts: (m) => {
      const parts = numericParts(m[1], m[2], m[3], m[5], m[6], m[7]);
      if (parts.hour !== undefined && /下午|晚上/.test(m[4] ?? '') && parts.hour < 12) parts.hour += 12;
      return parts;
    },
  },
  {
    // Oct 18, 2023 / October 18th 2023, 9:30 am
    pattern: new RegExp(
      `\\b${MONTH_NAME}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b${ENGLISH_TIME}`,
      'i',
    ),
    parts: (m) => englishParts(m[3], m[1], m[2], m[4], m[5], m[6], m[7]),
  },
  {
    // 18 October 2023 / 18 Oct. 2023 09:30
    pattern: new RegExp(
      `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_NAME}\\.?,?\\s+(\\d{4})\\b${ENGLISH_TIME}`,
      'i',
    ),
    parts: (m) => englishParts(m[3], m[2], m[1], m[4], m[5], m[6], m[7]),
  },
];

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** '+08:00', '-05:00' or 'Z'; absent when the source gave none. */
  offset?: string;
}

/**
 * Normalise a machine-readable date (ISO 8601 variants, RFC 2822, or one of the visible formats) to
 * ISO 8601. `pageOffset` is used only when the value itself has no offset and a time of day.
 */
export function normalizeDate(value: string, pageOffset?: string): string | undefined {
  const text = value.trim();
  if (!text) return undefined;
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const parts = numericParts(iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]);
    if (iso[7]) parts.offset = normalizeOffset(iso[7]);
    return formatDate(parts, pageOffset);
  }
  const rfc = RFC_2822_DATE.exec(text);
  if (rfc) {
    const parts = englishParts(rfc[3], rfc[2], rfc[1], rfc[4], rfc[5], rfc[6], undefined);
    if (rfc[7]) parts.offset = normalizeOffset(rfc[7]);
    return formatDate(parts, pageOffset);
  }
  return findVisibleDate(text, pageOffset);
}

/** The first date written in one of the visible formats anywhere in `text`, as ISO 8601. */
export function findVisibleDate(text: string, pageOffset?: string): string | undefined {
  let best: { index: number; iso: string } | undefined;
  for (const { pattern, parts } of VISIBLE_PATTERNS) {
    const match = pattern.exec(text);
    if (!match || (best && best.index <= match.index)) continue;
    const iso = formatDate(parts(match), pageOffset);
    if (iso) best = { index: match.index, iso };
  }
  return best?.iso;
}

/** The offset of an ISO 8601 date-time ('+08:00', 'Z'), to apply to the page's other dates. */
export function dateOffset(iso: string | undefined): string | undefined {
  return iso ? /T[\d:]+(Z|[+-]\d{2}:\d{2})$/.exec(iso)?.[1] : undefined;
}

function numericParts(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
): DateParts {
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: hour === undefined ? undefined : Number(hour),
    minute: minute === undefined ? undefined : Number(minute),
    second: second === undefined ? undefined : Number(second),
  };
}

function englishParts(
  year: string | undefined,
  monthName: string | undefined,
  day: string | undefined,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  meridiem: string | undefined,
): DateParts {
  const parts = numericParts(year, '0', day, hour, minute, second);
  parts.month = MONTHS[(monthName ?? '').slice(0, 3).toLowerCase()] ?? 0;
  if (parts.hour !== undefined && meridiem) {
    const pm = meridiem.toLowerCase() === 'p';
    if (pm && parts.hour < 12) parts.hour += 12;
    if (!pm && parts.hour === 12) parts.hour = 0;
  }
  return parts;
}

function normalizeOffset(raw: string): string {
  const upper = raw.toUpperCase();
  if (upper === 'Z' || upper === 'GMT' || upper === 'UT' || upper === 'UTC') return 'Z';
  const digits = raw.slice(1).replace(':', '').padEnd(4, '0');
  return `${raw[0]}${digits.slice(0, 2)}:${digits.slice(2, 4)}`;
}

function formatDate(parts: DateParts, pageOffset: string | undefined): string | undefined {
  const { year, month, day, hour, minute, second } = parts;
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) return undefined;
  // Date.UTC rolls 31 February into March: a round trip rejects impossible days.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  const date = `${year}-${pad(month)}-${pad(day)}`;
  if (hour === undefined || minute === undefined) return date;
  if (hour > 23 || minute > 59 || (second ?? 0) > 59) return date;
  return `${date}T${pad(hour)}:${pad(minute)}:${pad(second ?? 0)}${parts.offset ?? pageOffset ?? ''}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
