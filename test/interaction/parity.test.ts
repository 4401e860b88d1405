import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideEscalation, raiseEscalation } from '../../src/use-cases/escalations.use-case.js';
import { decideReferral, raiseReferral } from '../../src/use-cases/referrals.use-case.js';
import { type Parity, type Person, startParity } from './parity-support.js';
import { exportVia, homeVia } from './parity-views.js';
import { EXPORT_COLUMNS } from '../../src/use-cases/export.use-case.js';

/**
 * One table, two platforms: every action of both workflows, by someone allowed and by someone refused, clicked on
 * Slack and on Teams over HTTP. Both must give the same outcome (the state after), the same refusal words and
 * the same answer to "does this click open a form?".
 */
type Setup = (p: Parity) => Promise<{ itemType: 'escalation' | 'referral'; id: number }>;

const ESCALATION = {
  crn: 'P100200',
  roshCurrent: 'HIGH',
  roshNew: 'HIGH',
  reason: 'other',
  urgency: 'standard',
  receivingUnitId: 'north-pp',
  summary: 'Risk has gone up; details for the parity test.',
  oasysReviewed: true,
} as const;

const escalation =
  (...steps: [Person, Parameters<typeof decideEscalation>[0]['action'], string?][]): Setup =>
  async (p) => {
    const ctx = p.t.app.ctx;
    const { row } = await raiseEscalation({ ctx, actorId: 'amara', input: ESCALATION, platform: 'slack' });
    for (const [who, action, caseManagerId] of steps) {
      await decideEscalation({ ctx, actorId: who, escalationId: row.id, action, rationale: 'Set-up step.', caseManagerId, platform: 'slack' });
    }
    return { itemType: 'escalation', id: row.id };
  };

const referral =
  (...steps: [Person, Parameters<typeof decideReferral>[0]['action'], string?][]): Setup =>
  async (p) => {
    const ctx = p.t.app.ctx;
    const input = { crn: 'P300400', referralType: 'Resettlement', providerUnitId: 'gateway-resettle', prison: 'HMP Leeds', releaseDate: '2027-06-01', releaseType: 'CRD', needs: [], notes: '' };
    const { row } = await raiseReferral({ ctx, actorId: 'amara', input, platform: 'slack' });
    for (const [who, action, workerId] of steps) {
      await decideReferral({ ctx, actorId: who, referralId: row.id, action, rationale: 'Set-up step.', workerId, platform: 'slack' });
    }
    return { itemType: 'referral', id: row.id };
  };

interface Row {
  action: string;
  setup: Setup;
  allowed: Person;
  refused: Person;
  /** The state the allowed actor's decision leads to. */
  to: string;
  /** Does the click open a form? (An action whose input may all be left empty is one click.) */
  form: boolean;
}

const TABLE: Row[] = [
  { action: 'escalation.countersign', form: true, setup: escalation(), allowed: 'tom', refused: 'dev', to: 'awaiting_acceptance' },
  { action: 'escalation.return', form: true, setup: escalation(), allowed: 'tom', refused: 'amara', to: 'returned' },
  { action: 'escalation.resubmit', form: false, setup: escalation(['tom', 'return']), allowed: 'amara', refused: 'tom', to: 'awaiting_countersign' },
  { action: 'escalation.withdraw', form: true, setup: escalation(), allowed: 'amara', refused: 'dev', to: 'withdrawn' },
  { action: 'escalation.accept', form: true, setup: escalation(['tom', 'countersign']), allowed: 'dev', refused: 'omar', to: 'awaiting_handover' },
  { action: 'escalation.decline', form: true, setup: escalation(['tom', 'countersign']), allowed: 'kate', refused: 'amara', to: 'declined' },
  { action: 'escalation.reallocate', form: true, setup: escalation(['tom', 'countersign'], ['dev', 'accept']), allowed: 'dev', refused: 'amara', to: 'awaiting_handover' },
  { action: 'escalation.confirm_handover', form: false, setup: escalation(['tom', 'countersign'], ['dev', 'accept', 'omar']), allowed: 'omar', refused: 'dev', to: 'awaiting_handover' },
  { action: 'escalation.return_misallocated', form: true, setup: escalation(['tom', 'countersign'], ['dev', 'accept']), allowed: 'kate', refused: 'omar', to: 'misallocated' },
  { action: 'escalation.take_back', form: false, setup: escalation(['tom', 'countersign'], ['dev', 'accept'], ['dev', 'return_misallocated']), allowed: 'tom', refused: 'amara', to: 'taken_back' },
  { action: 'referral.acknowledge', form: false, setup: referral(), allowed: 'will', refused: 'amara', to: 'acknowledged' },
  { action: 'referral.assign', form: true, setup: referral(), allowed: 'rosa', refused: 'amara', to: 'acknowledged' },
  { action: 'referral.record_assessment', form: true, setup: referral(['will', 'acknowledge'], ['rosa', 'assign', 'will']), allowed: 'will', refused: 'amara', to: 'assessed' },
  { action: 'referral.submit_action_plan', form: true, setup: referral(['rosa', 'assign', 'will'], ['will', 'record_assessment']), allowed: 'will', refused: 'amara', to: 'planned' },
  {
    action: 'referral.record_delivery',
    setup: referral(['rosa', 'assign', 'will'], ['will', 'record_assessment'], ['will', 'submit_action_plan']),
    allowed: 'rosa',
    refused: 'tom',
    to: 'delivered',
    form: true,
  },
  { action: 'referral.decline', form: true, setup: referral(), allowed: 'will', refused: 'tom', to: 'declined' },
  { action: 'referral.withdraw', form: true, setup: referral(), allowed: 'amara', refused: 'will', to: 'withdrawn' },
  { action: 'referral.change_release_date', form: true, setup: referral(), allowed: 'tom', refused: 'will', to: 'awaiting_acknowledgement' },
  { action: 'referral.return_misallocated', form: true, setup: referral(), allowed: 'will', refused: 'amara', to: 'misallocated' },
  { action: 'referral.take_back', form: false, setup: referral(['will', 'return_misallocated']), allowed: 'amara', refused: 'will', to: 'taken_back' },
];

const VALUES = { rationale: 'Recorded through the parity test.', personId: 'omar', releaseDate: '2027-07-01' };
const valuesFor = (action: string) => (action === 'referral.assign' ? { ...VALUES, personId: 'will' } : VALUES);

describe('Slack and Teams give the same answers for every action of every workflow', () => {
  let p: Parity;
  beforeAll(async () => {
    p = await startParity();
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  const stateOf = async (item: { itemType: string; id: number }) => {
    const module = p.t.app.ctx.workflows.get(item.itemType)!;
    return (await module.table(p.t.app.store.repos).get(item.id))?.state;
  };

  it.each(TABLE)(
    '$action: allowed for $allowed, refused for $refused',
    async (row) => {
      const seen: Record<string, unknown>[] = [];
      for (const platform of ['slack', 'teams'] as const) {
        const refusedItem = await row.setup(p);
        const before = await stateOf(refusedItem);
        const refused = await p.act({ platform, who: row.refused, value: `${refusedItem.itemType}:${refusedItem.id}:${row.action}`, actionId: row.action, values: valuesFor(row.action) });
        const allowedItem = await row.setup(p);
        const allowed = await p.act({ platform, who: row.allowed, value: `${allowedItem.itemType}:${allowedItem.id}:${row.action}`, actionId: row.action, values: valuesFor(row.action) });
        seen.push({
          refusedOpensForm: refused.opensForm,
          refusal: refused.refusal,
          refusedStateKept: (await stateOf(refusedItem)) === before,
          allowedOpensForm: allowed.opensForm,
          allowedRefusal: allowed.refusal,
          allowedState: await stateOf(allowedItem),
        });
      }
      const [slack, teams] = seen;
      expect(teams).toEqual(slack);
      // A refused click never opens a form and changes nothing; the allowed one goes through.
      expect(slack).toMatchObject({ refusedOpensForm: false, refusedStateKept: true, allowedOpensForm: row.form, allowedRefusal: null, allowedState: row.to });
      expect(slack?.refusal).toMatch(/Nothing was changed|You raised this escalation/);
    },
    60_000,
  );
});

/**
 * What a person asks to see, on both platforms: a case's export (the file's facts, or the same refusal) and the
 * home view (the same queue lines and buttons), for the same case and the same people.
 */
type ViewRow = { view: 'export'; who: Person; file: boolean; refusal?: RegExp } | { view: 'home'; who: Person; items: number };

const VIEWS: ViewRow[] = [
  { view: 'export', who: 'tom', file: true }, // the raiser's manager: need to know, and a manager
  { view: 'export', who: 'kate', file: true }, // the receiving unit's manager
  { view: 'export', who: 'priya', file: false, refusal: /^P100200: not shown\. Only people with a role on this case can see it\.$/ }, // a manager, no role
  { view: 'export', who: 'amara', file: false, refusal: /^You are not allowed to take that decision on this item\. Nothing was changed\.$/ }, // a role on the case, not a manager
  { view: 'home', who: 'tom', items: 1 }, // owes the countersign
  { view: 'home', who: 'amara', items: 0 },
];

describe('Slack and Teams show the same facts for the same case: exports and the home view', () => {
  let p: Parity;
  beforeAll(async () => {
    p = await startParity();
    await raiseEscalation({ ctx: p.t.app.ctx, actorId: 'amara', input: ESCALATION, platform: 'slack' });
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it.each(VIEWS)(
    '$view for $who',
    async (row) => {
      if (row.view === 'export') {
        const slack = await exportVia({ p, platform: 'slack', who: row.who, crn: ESCALATION.crn });
        const teams = await exportVia({ p, platform: 'teams', who: row.who, crn: ESCALATION.crn });
        expect(teams).toEqual(slack);
        if (row.file) {
          expect(slack.filename).toBe('P100200-timeline.csv');
          expect(slack.refusal).toBeNull();
          expect(slack.rows[0]).toBe(EXPORT_COLUMNS.slice(1).join(','));
          expect(slack.rows.filter((line) => /,decision,raise,amara,/.test(line))).toHaveLength(1);
        } else {
          expect(slack).toMatchObject({ filename: null, rows: [] });
          expect(slack.refusal).toMatch(row.refusal!);
        }
        return;
      }
      const slack = await homeVia({ p, platform: 'slack', who: row.who });
      const teams = await homeVia({ p, platform: 'teams', who: row.who });
      expect(teams).toEqual(slack);
      expect(slack.items).toHaveLength(row.items);
      if (row.items > 0) expect(slack.items[0]).toMatch(/^ESC-\d{6} · P100200 · /);
    },
    60_000,
  );
});
