import { sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { people, unitMembers, units } from './schema.js';

export interface OrgSnapshot {
  people: { id: string; name: string; slack?: string; teams?: string; email?: string }[];
  units: {
    id: string;
    name: string;
    manager: string;
    seniorManager?: string;
    members: string[];
    duty: string[];
    escalatesTo?: string;
    receives: string[];
    channel: { slack?: string; teams?: string };
  }[];
}

/** People and units from the org file, upserted; anyone no longer in the file is kept and marked. */
export const createOrgRepository = (db: Executor) => ({
  async sync(org: OrgSnapshot) {
    await db.update(people).set({ inOrgFile: false });
    for (const entry of org.people) {
      const values = { id: entry.id, name: entry.name, slackUserId: entry.slack ?? null, teamsAadId: entry.teams ?? null, email: entry.email ?? null, inOrgFile: true, updatedAt: sql`now()` };
      await db.insert(people).values(values).onConflictDoUpdate({ target: people.id, set: values });
    }
    await db.update(units).set({ inOrgFile: false });
    await db.update(unitMembers).set({ active: false });
    for (const unit of org.units) {
      const values = {
        id: unit.id,
        name: unit.name,
        managerId: unit.manager,
        seniorManagerId: unit.seniorManager ?? null,
        escalatesTo: unit.escalatesTo ?? null,
        receives: unit.receives,
        slackChannel: unit.channel.slack ?? null,
        teamsChannel: unit.channel.teams ?? null,
        defaultDuty: unit.duty,
        inOrgFile: true,
        updatedAt: sql`now()`,
      };
      await db.insert(units).values(values).onConflictDoUpdate({ target: units.id, set: values });
      for (const personId of unit.members) {
        await db
          .insert(unitMembers)
          .values({ unitId: unit.id, personId, active: true })
          .onConflictDoUpdate({ target: [unitMembers.unitId, unitMembers.personId], set: { active: true } });
      }
    }
  },
  async names(): Promise<Map<string, string>> {
    const rows = await db.select({ id: people.id, name: people.name }).from(people);
    return new Map(rows.map((row) => [row.id, row.name]));
  },
});
