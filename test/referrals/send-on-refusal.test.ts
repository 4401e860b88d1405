import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referCommand } from '../../commands/refer.command.js';
import { handleButton } from '../../src/interaction/interaction.core.js';
import { decideReferral } from '../../src/use-cases/referrals.use-case.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { referralOrg } from './referral-org.js';

describe('sending a misallocated referral on when no other provider takes its type', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ org: referralOrg() });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses the click with a reason instead of opening a form with nothing to choose, and changes nothing', async () => {
    const ctx = t.app.ctx;
    const values = { crn: 'X667788', referralType: 'Resettlement', providerUnitId: 'gateway-resettle', prison: 'HMP Leeds', releaseDate: '2027-08-02', releaseType: 'CRD', needs: [], notes: '' };
    expect((await referCommand.submit({ ctx, actorId: 'amara', values, context: {}, platform: 'slack' })).ok).toBe(true);
    const [row] = await t.app.store.repos.items.referralsByCrn('X667788');
    await decideReferral({ ctx, actorId: 'will', referralId: row!.id, action: 'return_misallocated', rationale: 'Not our area.', platform: 'slack' });
    const decisions = (await t.app.store.repos.records.decisionsFor([{ itemType: 'referral', itemId: row!.id }])).length;
    // Only gateway-resettle takes resettlement referrals (the other two providers list their types), and it returned it.
    const reply = await handleButton({ ctx, actorId: 'amara', platform: 'slack', value: `referral:${row!.id}:referral.send_on`, actionId: 'referral.send_on' });
    expect(reply).toMatchObject({
      kind: 'refusal',
      code: 'referral.no_other_provider',
      words: 'No other provider takes Resettlement referrals, so it cannot be sent on: take it back instead. Nothing was changed.',
    });
    expect((await t.app.store.repos.items.referral(row!.id))?.state).toBe('misallocated');
    expect((await t.app.store.repos.records.decisionsFor([{ itemType: 'referral', itemId: row!.id }])).length).toBe(decisions);
    // Taking it back is still one click away, and closes it.
    const taken = await handleButton({ ctx, actorId: 'amara', platform: 'slack', value: `referral:${row!.id}:referral.take_back`, actionId: 'referral.take_back' });
    expect(taken).toMatchObject({ kind: 'done' });
    expect(await t.app.store.repos.items.referral(row!.id)).toMatchObject({ state: 'taken_back' });
    expect(await t.app.store.repos.deadlines.openForItem({ itemType: 'referral', itemId: row!.id })).toEqual([]);
  });
});
