import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_FOLDER } from '../db/database.js';
import type { Store } from '../db/store.js';

/** Migrations shipped with this build (drizzle-kit's journal). */
const shippedMigrations = (): number => {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
};

/** /readyz's database checks: reachable now, and every shipped migration applied (checked until it is, then kept). */
export const databaseReadiness = (store: Store) => {
  let migrated = false;
  const expected = shippedMigrations();
  return {
    database: () => store.ping(),
    migrations: async () => {
      if (!migrated) migrated = (await store.repos.ops.appliedMigrations()) >= expected;
      return migrated;
    },
  };
};
