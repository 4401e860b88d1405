/**
 * Where an embedded store's memory goes, stage by stage, in a fresh process (run by the footprint bench, one
 * process per setting): Node itself, the PGlite module loaded, the WASM instance open on an existing data dir,
 * after a few queries. Prints one JSON line: RSS after each stage (MB).
 */
import { PGlite } from '@electric-sql/pglite';

const rss = () => process.memoryUsage.rss() / 2 ** 20;
const settle = async () => {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 300));
};

const dataDir = process.argv[2] as string;
const options = JSON.parse(process.argv[3] ?? '{}') as { postgresqlconf?: string; initialMemory?: number };
const stages: Record<string, number> = {};
await settle();
stages.node = rss();
const db = new PGlite(dataDir, { ...(options.initialMemory ? { initialMemory: options.initialMemory } : {}), ...(options.postgresqlconf ? { postgresqlconf: options.postgresqlconf } : {}) } as never);
await db.waitReady;
await settle();
stages.open = rss();
for (let i = 0; i < 50; i += 1) await db.query('SELECT count(*) FROM pg_class');
await db.query('SELECT * FROM outbox LIMIT 100').catch(() => undefined);
await settle();
stages.queried = rss();
process.stdout.write(`${JSON.stringify({ stages })}\n`);
await db.close();
