import { expect } from 'vitest';
import { escalateCommand } from '../../commands/escalate.command.js';
import type { Org } from '../../src/config/org.schema.js';
import type { UseCaseContext } from '../../src/use-cases/context.js';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { exampleOrg } from '../support/test-org.js';

/** Entra object ids for the referral tests' Teams people (lower case, as the bot keys them). */
export const aadOf = (who: string) => `5a0c7e11-2b3d-4c5e-8f60-${Buffer.from(who).toString('hex').padStart(12, '0').slice(-12)}`;

const EXTRA_PEOPLE = ['  - { id: nia, name: Nia Brooks, slack: U0NIA }', '  - { id: femi, name: Femi Ade, slack: U0FEMI }'].join('\n');

/** Two more providers: one taking only accommodation referrals, one only women's services. */
const EXTRA_UNITS = `  - id: city-housing
    name: City Housing Advice
    manager: nia
    duty: [nia]
    receives: [referrals]
    referralTypes: [Accommodation]
    channel: { slack: C0CITYH }
  - id: womens-centre
    name: Women's Centre
    manager: femi
    duty: [femi]
    receives: [referrals]
    referralTypes: ["Women's services"]
    channel: { slack: C0WOMEN }
`;

/**
 * The example org with two more referral providers. `teams` lists people moved from Slack to Teams (their Entra
 * object id from `aadOf`).
 */
export const referralOrg = (options: { teams?: string[] } = {}): Org =>
  exampleOrg((text) => {
    let changed = text.replace('  - { id: will, name: Will Evans, slack: U0WILL }', `  - { id: will, name: Will Evans, slack: U0WILL }\n${EXTRA_PEOPLE}`);
    changed = changed.replace('\nreferralTypes:', `${EXTRA_UNITS}\nreferralTypes:`);
    for (const who of options.teams ?? []) changed = changed.replace(new RegExp(`(\\{ id: ${who}, name: [^,]+), slack: U0[A-Z]+`), `$1, teams: ${aadOf(who)}`);
    return changed;
  });

/** Amara raises an escalation to North PPU for this CRN and Tom countersigns it: it waits for the duty officer. */
export const countersignedEscalation = async (args: { ctx: UseCaseContext; crn: string; platform: 'slack' | 'teams' }): Promise<number> => {
  const { ctx, crn, platform } = args;
  const values = {
    crn,
    roshCurrent: 'HIGH',
    roshNew: 'HIGH',
    reason: 'other',
    urgency: 'standard',
    receivingUnitId: 'north-pp',
    summary: 'Risk has gone up; details here.',
    oasysReviewed: ['done'],
  };
  expect((await escalateCommand.submit({ ctx, actorId: 'amara', values, context: {}, platform })).ok).toBe(true);
  const id = (await ctx.store.repos.items.escalationsByCrn(crn))[0]!.id;
  await decideEscalation({ ctx, actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agreed.', platform });
  return id;
};
