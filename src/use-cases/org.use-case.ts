import { createHash } from 'node:crypto';
import type { Org } from '../config/org.schema.js';
import type { UseCaseContext } from './context.js';

/** Upsert people and units from the org file (never deleting: history keeps its actors) and audit the load. */
export const syncOrg = async (args: { ctx: UseCaseContext; org: Org; fileName: string; text?: string }) => {
  const now = args.ctx.clock.now();
  await args.ctx.store.transaction(async (repos) => {
    await repos.org.sync(args.org);
    await repos.records.audit({
      at: now,
      actorId: null,
      event: 'config.loaded',
      details: {
        file: args.fileName,
        sha256: args.text ? createHash('sha256').update(args.text).digest('hex') : undefined,
        people: args.org.people.length,
        units: args.org.units.length,
      },
    });
  });
};
