// Helpers shared by the SQLite query modules.

/** SQLite gives NULL for absent values; records leave such fields out rather than set them to undefined. */
export function withoutNulls<T extends object>(row: Record<string, unknown>): T {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) if (value !== null) record[name] = value;
  return record as T;
}

/** `undefined` is not a value SQLite can bind; absent optional fields are stored as NULL. */
export function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}
