// Shared set-up for the duty rota tests: the example org with a weekly rota for the public protection unit
// (Wednesdays: Dev; Sundays: nobody; other days the default, Dev) and the escalation that waits on its duty desk.
import { ConfigError } from '../../src/config/env.config.js';
import { parseOrgText } from '../../src/config/org.loader.js';
import type { Org } from '../../src/config/org.schema.js';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import type { TestApp } from '../support/test-app.js';
import { exampleOrg } from '../support/test-org.js';

export const ROTA_LINE = '    rota: { wed: [dev], sun: [] }\n';

/** The example org with `rota` added to north-pp (and optionally other changes). */
export const rotaOrg = (change: (text: string) => string = (text) => text): Org =>
  exampleOrg((text) => change(text.replace('    duty: [dev]\n    receives: [escalations]\n', `    duty: [dev]\n${ROTA_LINE}    receives: [escalations]\n`)));

/** The problems an org file text is refused with (empty when it loads). */
export const orgProblems = (text: string): string[] => {
  try {
    parseOrgText({ text, fileName: 'org.yaml' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

/** Tom countersigns: the escalation now waits on north-pp's duty desk. */
export const countersign = (t: TestApp, id: number) => decideEscalation({ ctx: t.app.ctx, actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agreed.', platform: 'slack' });

/** Everything that must not change when a /duty command is refused. */
export const dutySnapshot = async (t: TestApp) => ({
  changes: (await t.app.store.repos.duty.history({ unitId: 'north-pp' })).length,
  outbox: (await t.app.store.repos.outbox.countsByStatus()) as Record<string, number>,
  audits: (await t.app.store.repos.records.auditEvents('duty.changed')).length,
});
