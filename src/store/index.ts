// The store's public face: the interface, its records, and the two implementations (SQLite, PostgreSQL).
import { existsSync } from 'node:fs';
import { openPostgresStore } from './postgres/postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

export { StoreError } from './errors.ts';
export { latestSchemaVersion, type Migration, migrations } from './migrations.ts';
export { openPostgresStore, type PostgresStoreOptions } from './postgres/postgres.ts';
export { openMemoryStore, openSqliteStore } from './sqlite.ts';
export type * from './store.ts';

/** What choosing a store needs of a loaded config (config/load.ts), without depending on the config module. */
export interface StoreLocation {
  config: { store: { url?: string } };
  /** The SQLite file, used when no `store.url` is set. */
  storePath: string;
}

/** Opens the store the config names: the PostgreSQL database of `store.url`, or else the SQLite file. */
export function openStore(loaded: StoreLocation): Promise<Store> {
  const url = loaded.config.store.url;
  return url === undefined ? openSqliteStore(loaded.storePath) : openPostgresStore(url);
}

/**
 * Whether there is a store to read, for commands that must not create one (`size`, `site`): the SQLite file
 * exists, or a database is configured (a server's store is there to connect to).
 */
export function storeExists(loaded: StoreLocation): boolean {
  return loaded.config.store.url !== undefined || existsSync(loaded.storePath);
}
