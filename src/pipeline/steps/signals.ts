// A changed title or date in a listing is the signal that an article was edited; only then is it fetched again.
// Several channels may list one article under different titles, and a channel answering 304 lists nothing, so the
// signal is the set of titles (and dates) seen, and only a value never seen before counts as a change.
import { uniqueValues } from '../../internal/unique.ts';
import type { SourceSignal } from '../../store/index.ts';
import type { SourceItem } from '../types.ts';

const SIGNAL_SEPARATOR = '\n';
/** Values remembered per article: enough for a few channels and a few edits. */
const MAX_SIGNAL_VALUES = 8;

export function signalOf(items: SourceItem[]): SourceSignal {
  const titles = uniqueValues(items.map((item) => item.title && normalizeSpace(item.title)));
  const dates = uniqueValues(items.map((item) => item.published));
  return {
    title: titles.length > 0 ? titles.join(SIGNAL_SEPARATOR) : undefined,
    published: dates.length > 0 ? dates.join(SIGNAL_SEPARATOR) : undefined,
  };
}

export function signalChanged(remembered: SourceSignal, current: SourceSignal): boolean {
  const isNew = (now?: string, before?: string) => {
    const known = new Set(before?.split(SIGNAL_SEPARATOR) ?? []);
    return (now?.split(SIGNAL_SEPARATOR) ?? []).some((value) => !known.has(value));
  };
  return isNew(current.title, remembered.title) || isNew(current.published, remembered.published);
}

export function mergeSignals(remembered: SourceSignal, current: SourceSignal): SourceSignal {
  const merge = (now?: string, before?: string) => {
    const values = uniqueValues([
      ...(now?.split(SIGNAL_SEPARATOR) ?? []),
      ...(before?.split(SIGNAL_SEPARATOR) ?? []),
    ]);
    return values.length > 0 ? values.slice(0, MAX_SIGNAL_VALUES).join(SIGNAL_SEPARATOR) : undefined;
  };
  return {
    title: merge(current.title, remembered.title),
    published: merge(current.published, remembered.published),
  };
}

function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
