// A third workflow, defined here and nowhere else: a two-step transfer request (the receiving unit's manager
// approves, the officer who asked completes it). Registered at app composition, it runs end to end on Slack and
// on Teams with the same core, presenter, outbox and words as the built-in workflows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgView } from '../../src/domain/policy/org-view.js';
import { notify, person } from '../../src/domain/workflow.types.js';
import type { WorkflowDefinition } from '../../src/domain/workflows/workflow.js';
import { type StoredItem, raiseStoredItem, storedItemTable } from '../../src/use-cases/workflows/stored-item.js';
import type { WorkflowModule } from '../../src/use-cases/workflows/workflow-module.js';
import { installActivity, postActivity } from '../support/bot-activities.js';
import { stateValue, viewSubmissionPayload, blockActionPayload, interactionBody, postToSlack } from '../support/slack-requests.js';
import { SLACK } from '../support/test-org.js';
import { type Parity, type Person, aadOf, startParity } from './parity-support.js';

type State = 'requested' | 'approved' | 'done' | 'declined';
type Role = 'requester' | 'receiving_manager';
interface Facts {
  state: State;
  raisedBy: string;
  toUnitId: string;
}

const transferWorkflow: WorkflowDefinition<State, Role, 'approve' | 'decline' | 'complete', Facts> = {
  itemType: 'transfer',
  states: ['requested', 'approved', 'done', 'declined'],
  terminal: ['done', 'declined'],
  roles: ['requester', 'receiving_manager'],
  roleOrder: ['requester', 'receiving_manager'],
  actions: {
    approve: {
      from: ['requested'],
      roles: ['receiving_manager'],
      refusal: 'action.not_allowed',
      input: { rationale: 'required' },
      buttonOn: ['transfer.approval_requested'],
      style: 'primary',
      apply: ({ facts }) => ({ to: 'approved', effects: [notify(person(facts.raisedBy), 'transfer.completion_requested', { withActions: true })] }),
    },
    decline: {
      from: ['requested'],
      roles: ['receiving_manager'],
      refusal: 'action.not_allowed',
      input: { rationale: 'required' },
      buttonOn: ['transfer.approval_requested'],
      style: 'danger',
      apply: ({ facts }) => ({ to: 'declined', effects: [notify(person(facts.raisedBy), 'transfer.declined')] }),
    },
    complete: {
      from: ['approved'],
      roles: ['requester'],
      refusal: 'action.not_allowed',
      input: { rationale: 'optional' },
      buttonOn: ['transfer.completion_requested'],
      style: 'primary',
      apply: ({ facts }) => ({ to: 'done', effects: [notify({ kind: 'unitManager', unitId: facts.toUnitId }, 'transfer.done')] }),
    },
  },
};

const transferModule: WorkflowModule<StoredItem, Facts> = {
  definition: transferWorkflow,
  refPrefix: 'TRF',
  facts: (row) => ({ state: row.state as State, raisedBy: String(row.raisedBy), toUnitId: String(row.toUnitId) }),
  policy: {
    roles: ({ facts, personId, org }: { facts: Facts; personId: string; org: OrgView }) => {
      const roles = new Set<Role>();
      if (facts.raisedBy === personId) roles.add('requester');
      if (org.unit(facts.toUnitId)?.manager === personId) roles.add('receiving_manager');
      return roles;
    },
    dutyUnits: () => [],
  },
  table: storedItemTable('transfer'),
  handle: (row) => ({ itemType: 'transfer', itemId: row.id, version: row.version, crn: row.crn, urgent: false }),
  personUnit: (row) => String(row.toUnitId),
  present: ({ row, directory }) => ({
    shared: [
      { label: 'CRN', value: row.crn },
      { label: 'State', value: transferModule.words?.state[row.state] ?? row.state },
    ],
    people: [{ label: 'To', value: directory.unit(String(row.toUnitId))?.name ?? String(row.toUnitId) }],
    details: [],
  }),
  words: {
    name: 'Transfer',
    update: 'Transfer update',
    rationale_none: 'No note given',
    action: {
      raise: { label: 'Request', past: 'requested', done: 'Requested' },
      approve: { label: 'Approve transfer', past: 'approved', done: 'Transfer approved' },
      decline: { label: 'Decline transfer', past: 'declined', done: 'Transfer declined' },
      complete: { label: 'Transfer done', past: 'completed', done: 'Transfer completed' },
    },
    state: { requested: 'Awaiting approval', approved: 'Approved, awaiting the move', done: 'Transferred', declined: 'Declined' },
    message: { approval_requested: 'Transfer to approve', completion_requested: 'Transfer approved: complete it', declined: 'Transfer declined', done: 'Transfer completed', status: 'Transfer' },
  },
};

describe('a third workflow registered at composition (a two-step transfer request)', () => {
  let p: Parity;
  const SECRET = 'parity-test-slack-signing-secret';
  beforeAll(async () => {
    p = await startParity({ workflows: [transferModule] });
    for (const who of ['amara', 'priya'] as Person[]) {
      await postActivity({ baseUrl: p.t.baseUrl, activity: installActivity({ serviceUrl: p.teams.url, userAadId: aadOf(who), userName: who }) });
    }
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  const raise = async () => {
    const { row, ref } = await raiseStoredItem({
      ctx: p.t.app.ctx,
      itemType: 'transfer',
      actorId: 'amara',
      crn: 'T100200',
      state: 'requested',
      facts: { raisedBy: 'amara', toUnitId: 'north-5' },
      effects: [notify({ kind: 'unitManager', unitId: 'north-5' }, 'transfer.approval_requested', { withActions: true })],
      platform: 'slack',
    });
    await p.t.app.dispatcher.drain();
    return { id: row.id, ref };
  };
  const stateOf = async (id: number) => (await transferModule.table(p.t.app.store.repos).get(id))?.state;
  const slackButtons = (who: Person, ref: string) =>
    p.slack
      .callsTo('chat.postMessage')
      .filter((call) => !call.failed && call.args.channel === p.slack.dmChannelFor(SLACK[who]) && String(call.args.text).includes(ref))
      .flatMap((call) => ((call.args.blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[]) ?? []).flatMap((block) => block.elements ?? []))
      .filter((element) => element.value);
  const teamsButtons = (who: Person, ref: string) =>
    p.teams
      .activitiesTo(`a:personal-1${aadOf(who)}`)
      .flatMap((activity) => activity.attachments ?? [])
      .map((attachment) => attachment.content as { body: { text?: string }[]; actions?: { verb?: string; data: { value: string; action?: string } }[] })
      .filter((card) => JSON.stringify(card.body).includes(ref))
      .flatMap((card) => card.actions ?? []);

  it('runs request → approve (a form) → complete (one click) on Slack', async () => {
    const { id, ref } = await raise();
    const approve = slackButtons('priya', ref).find((button) => button.action_id?.startsWith('transfer.approve'));
    expect(slackButtons('priya', ref).map((button) => button.action_id?.split(':')[0])).toEqual(['transfer.approve', 'transfer.decline']);
    const opened = p.slack.callsTo('views.open').length;
    await postToSlack({
      baseUrl: p.t.baseUrl,
      secret: SECRET,
      body: interactionBody(blockActionPayload({ userId: SLACK.priya, actionId: 'transfer.approve', value: approve!.value!, channelId: p.slack.dmChannelFor(SLACK.priya) })),
    });
    const [call] = (await p.slack.waitFor({ method: 'views.open', count: opened + 1 })).slice(opened);
    const view = call!.args.view as Record<string, unknown>;
    const submitted = await postToSlack({
      baseUrl: p.t.baseUrl,
      secret: SECRET,
      body: interactionBody(
        viewSubmissionPayload({
          userId: SLACK.priya,
          callbackId: String(view.callback_id),
          privateMetadata: String(view.private_metadata),
          values: { rationale: { value: stateValue.text('Room in North Team 5.') } },
        }),
      ),
    });
    expect((submitted.json as { response_action: string }).response_action).toBe('update');
    expect(await stateOf(id)).toBe('approved');
    await p.t.app.dispatcher.drain();
    const complete = slackButtons('amara', ref).find((button) => button.action_id?.startsWith('transfer.complete'));
    await postToSlack({
      baseUrl: p.t.baseUrl,
      secret: SECRET,
      body: interactionBody(blockActionPayload({ userId: SLACK.amara, actionId: 'transfer.complete', value: complete!.value!, channelId: p.slack.dmChannelFor(SLACK.amara) })),
    });
    await expect.poll(() => stateOf(id)).toBe('done');
    const decisions = await p.t.app.store.repos.records.decisionsFor([{ itemType: 'transfer', itemId: id }]);
    expect(decisions.map((d) => [d.action, d.actorId, d.toState, d.platform])).toEqual([
      ['raise', 'amara', 'requested', 'slack'],
      ['approve', 'priya', 'approved', 'slack'],
      ['complete', 'amara', 'done', 'slack'],
    ]);
  });

  it('runs the same on Teams, and refuses the requester approving her own transfer in the same words as Slack', async () => {
    const { id, ref } = await raise();
    const buttons = teamsButtons('priya', ref);
    // Both need a rationale: each opens a Teams dialog (msteams task/fetch), named by the action in its data.
    expect(buttons.map((button) => button.verb ?? button.data.action)).toEqual(['transfer.approve', 'transfer.decline']);
    const invoke = async (who: Person, verb: string, data: Record<string, unknown>) => {
      const { actionExecuteActivity } = await import('../support/bot-activities.js');
      const res = await postActivity({ baseUrl: p.t.baseUrl, activity: actionExecuteActivity({ serviceUrl: p.teams.url, userAadId: aadOf(who), userName: who, verb, data }) });
      return res.json as { type: string; value: unknown };
    };
    const refused = await invoke('amara', 'transfer.approve', { value: buttons[0]!.data.value });
    expect(refused.value).toBe('You are not allowed to take that decision on this item. Nothing was changed.');
    const slackRefusal = await p.act({ platform: 'slack', who: 'amara', value: buttons[0]!.data.value, actionId: 'transfer.approve', values: {} });
    expect(slackRefusal).toEqual({ opensForm: false, refusal: refused.value });

    const task = async (kind: 'fetch' | 'submit', data: Record<string, unknown>) => {
      const { taskFetchActivity, taskSubmitActivity } = await import('../support/bot-activities-ui.js');
      const activity = (kind === 'fetch' ? taskFetchActivity : taskSubmitActivity)({ serviceUrl: p.teams.url, userAadId: aadOf('priya'), userName: 'priya', data });
      return (await postActivity({ baseUrl: p.t.baseUrl, activity })).json as { task: { type: string; value: unknown } };
    };
    const opened = await task('fetch', buttons[0]!.data);
    expect(opened.task.type).toBe('continue');
    const form = (opened.task.value as { card: { content: { body: { id?: string }[]; actions: { data: object }[] } } }).card.content;
    expect(form.body.filter((element) => element.id).map((element) => element.id)).toEqual(['rationale']);
    const priyaBefore = p.teams.activitiesTo(`a:personal-1${aadOf('priya')}`).length;
    const done = await task('submit', { ...form.actions[0]!.data, rationale: 'Room in North Team 5.' });
    expect(done.task.type).toBe('message'); // the dialog closes; the chat gets the item as it now stands
    expect(JSON.stringify(p.teams.activitiesTo(`a:personal-1${aadOf('priya')}`).slice(priyaBefore))).toMatch(/Transfer approved by Priya Shah/);
    await p.t.app.dispatcher.drain();
    const complete = teamsButtons('amara', ref).find((button) => button.verb === 'transfer.complete');
    const closed = await invoke('amara', 'transfer.complete', { value: complete!.data.value });
    expect(JSON.stringify(closed.value)).toMatch(/Transferred/);
    expect(await stateOf(id)).toBe('done');
  });
});
