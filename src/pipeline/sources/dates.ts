// Feed and sitemap dates to ISO 8601. A time with a known zone becomes UTC ('…Z'), so strings sort; a time
// without a zone stays local as written ('2024-05-01T12:00:00'): inventing a zone would make it wrong.
import { MONTHS } from '../../internal/months.ts';

/** RFC 822 zone names still common in RSS; military single letters are too ambiguous to trust. */
const ZONE_OFFSETS: Record<string, string> = {
  ut: '+00:00',
  utc: '+00:00',
  gmt: '+00:00',
  z: '+00:00',
  est: '-05:00',
  edt: '-04:00',
  cst: '-06:00',
  cdt: '-05:00',
  mst: '-07:00',
  mdt: '-06:00',
  pst: '-08:00',
  pdt: '-07:00',
};

// 2024-05-01T12:00:00.000+08:00, 2024-05-01 12:00, 2024/5/1, 2024年5月1日 12:00, 2024-05, 2024
const NUMERIC_DATE =
  /^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?$/i;
// Mon, 02 Jan 2006 15:04:05 +0800 (RFC 822 / 2822), day name optional, seconds optional, 2-digit years
const RFC822_DATE =
  /^(?:[A-Za-z]{3,9},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?$/;

/** ISO 8601 form of a date as found in a feed or sitemap; undefined when it cannot be read. */
export function toIsoTime(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const numeric = NUMERIC_DATE.exec(trimmed);
  if (numeric !== null) {
    const [, year, month, day, hour, minute, second, zone] = numeric;
    if (month === undefined) return year;
    if (day === undefined) return validParts(+year, +month, 1) ? `${year}-${pad(month)}` : undefined;
    return build(+year, +month, +day, hour, minute, second, zone);
  }
  const rfc = RFC822_DATE.exec(trimmed);
  if (rfc !== null) {
    const [, day, monthName, yearText, hour, minute, second, zone] = rfc;
    const month = MONTHS[monthName.toLowerCase()];
    if (month === undefined) return undefined;
    const year =
      yearText.length === 2 ? 2000 + Number(yearText) - (Number(yearText) > 50 ? 100 : 0) : +yearText;
    return build(year, month, +day, hour ?? '0', minute ?? '0', second, zone);
  }
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

function build(
  year: number,
  month: number,
  day: number,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  zone: string | undefined,
): string | undefined {
  if (!validParts(year, month, day)) return undefined;
  const date = `${year}-${pad(month)}-${pad(day)}`;
  if (hour === undefined) return date;
  if (+hour > 23 || +minute! > 59 || +(second ?? 0) > 60) return undefined;
  const local = `${date}T${pad(hour)}:${pad(minute!)}:${pad(second ?? '0')}`;
  if (zone === undefined) return local;
  const offset = zoneOffset(zone);
  if (offset === undefined) return local;
  const time = Date.parse(local + offset);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function zoneOffset(zone: string): string | undefined {
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (numeric !== null) return `${numeric[1]}${numeric[2]}:${numeric[3]}`;
  return ZONE_OFFSETS[zone.toLowerCase()];
}

function validParts(year: number, month: number, day: number): boolean {
  return year >= 1970 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function pad(value: string | number): string {
  return String(value).padStart(2, '0');
}
