// The store's public face: the interface, its records, and the SQLite implementation.
export { StoreError } from './errors.ts';
export { latestSchemaVersion, type Migration, migrations } from './migrations.ts';
export { openMemoryStore, openSqliteStore } from './sqlite.ts';
export type * from './store.ts';
