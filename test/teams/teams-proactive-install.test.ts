import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../src/config/env.config.js';
import { graphInstallSettings } from '../../src/teams/teams-graph-install.js';
import { decideEscalation, raiseEscalation } from '../../src/use-cases/escalations.use-case.js';
import { TEST_TENANT_ID } from '../support/bot-activities.js';
import { type FakeGraph, startFakeGraph } from '../support/fake-graph.js';
import { cardText } from './teams-harness.js';
import { type Region, aadOf, personalConversation, startRegion } from './teams-region-support.js';

const CLIENT = { clientId: '0f1e2d3c-0000-4000-8000-00000000c1d1', clientSecret: 'graph-test-secret' };
const CATALOG_ID = '1c1e8f3a-0000-4000-8000-0000000ca7a1';
const ESCALATION = {
  crn: 'X800200',
  roshCurrent: 'MEDIUM',
  roshNew: 'HIGH',
  reason: 'rosh_increase',
  urgency: 'standard',
  receivingUnitId: 'north-pp',
  summary: 'Threats made to a former partner on Friday.',
  oasysReviewed: true,
} as const;

describe('MICROSOFT_APP_CATALOG_ID: the settings proactive installation needs', () => {
  it('is off without a catalog id, and names every missing setting when it is on', () => {
    expect(graphInstallSettings(parseEnv({}))).toBeNull();
    let problems: string[] = [];
    try {
      graphInstallSettings(parseEnv({ MICROSOFT_APP_CATALOG_ID: CATALOG_ID }));
    } catch (error) {
      problems = error instanceof ConfigError ? error.problems : [];
    }
    expect(problems).toEqual([
      'environment MICROSOFT_APP_CATALOG_ID: needs MICROSOFT_APP_ID (or MICROSOFT_GRAPH_CLIENT_ID) for Microsoft Graph',
      'environment MICROSOFT_APP_CATALOG_ID: needs MICROSOFT_APP_PASSWORD (or MICROSOFT_GRAPH_CLIENT_SECRET) for Microsoft Graph',
      'environment MICROSOFT_APP_CATALOG_ID: needs MICROSOFT_APP_TENANT_ID (the tenant Graph installs the app in)',
    ]);
    expect(graphInstallSettings(parseEnv({ MICROSOFT_APP_CATALOG_ID: CATALOG_ID, MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'b', MICROSOFT_APP_TENANT_ID: 'contoso' }))).toEqual({
      catalogId: CATALOG_ID,
      graphUrl: 'https://graph.microsoft.com/v1.0',
      tokenUrl: 'https://login.microsoftonline.com/contoso/oauth2/v2.0/token',
      clientId: 'a',
      clientSecret: 'b',
    });
  });
});

describe('Teams: a person who has not installed the app, with proactive installation on', () => {
  let r: Region;
  let graph: FakeGraph;
  beforeAll(async () => {
    graph = await startFakeGraph({ tenantId: TEST_TENANT_ID, ...CLIENT, catalogId: CATALOG_ID });
    r = await startRegion({
      env: {
        MICROSOFT_APP_CATALOG_ID: CATALOG_ID,
        MICROSOFT_GRAPH_URL: graph.graphUrl,
        MICROSOFT_APP_AUTHORITY: graph.authority,
        MICROSOFT_GRAPH_CLIENT_ID: CLIENT.clientId,
        MICROSOFT_GRAPH_CLIENT_SECRET: CLIENT.clientSecret,
        MICROSOFT_APP_TENANT_ID: TEST_TENANT_ID,
      },
    });
    await r.installInTeam();
    await r.installFor('amara');
  });
  afterAll(async () => {
    await r?.stop();
    await graph?.close();
  });

  it('installs the app for Tom through Graph (retrying a failed call once), opens his chat and delivers the card', async () => {
    graph.failNext(503);
    const ctx = r.t.app.ctx;
    const { row } = await raiseEscalation({ ctx, actorId: 'amara', input: ESCALATION, platform: 'teams' });
    expect(row.countersignerId).toBe('tom');
    await r.t.app.dispatcher.drain();

    expect(graph.installs.filter((call) => call.userId === aadOf('tom'))).toEqual([
      { userId: aadOf('tom'), bind: `${graph.graphUrl}/appCatalogs/teamsApps/${CATALOG_ID}`, authorized: true, status: 503 },
      { userId: aadOf('tom'), bind: `${graph.graphUrl}/appCatalogs/teamsApps/${CATALOG_ID}`, authorized: true, status: 201 },
    ]);
    expect(graph.tokenRequests).toEqual([{ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' }]);
    // The 1:1 conversation is created on the team's connector, for Tom's Entra id, and the card sent into it.
    const created = r.fake.requests.filter((request) => request.method === 'POST' && request.path === '/v3/conversations' && JSON.stringify(request.body).includes(aadOf('tom')));
    expect(created).toHaveLength(1);
    const conversation = created[0]!.responseId!;
    const cards = r.fake.activitiesTo(conversation).flatMap((activity) => activity.attachments ?? []);
    expect(cards).toHaveLength(1);
    expect(cardText(cards[0]!.content as Record<string, unknown>)).toMatch(/Countersign needed: ESC-000001/);
    expect(((await r.t.app.store.repos.teams.reference(aadOf('tom'))) as { conversation: { id: string } }).conversation.id).toBe(conversation);
    expect((await r.t.app.store.repos.records.auditEvents('teams.app_installed')).map((event) => event.details)).toEqual([{ people: ['tom'] }]);
    // Amara had installed it herself: no Graph call for her.
    expect(graph.installs.filter((call) => call.userId === aadOf('amara'))).toEqual([]);
    expect(r.fake.activitiesTo(personalConversation('amara'))).toHaveLength(1);

    // The next message to Tom goes into the stored conversation: no second installation.
    await decideEscalation({ ctx, actorId: 'tom', escalationId: row.id, action: 'return', rationale: 'Please add the police reference.', platform: 'teams' });
    await decideEscalation({ ctx, actorId: 'amara', escalationId: row.id, action: 'resubmit', platform: 'teams' });
    await r.t.app.dispatcher.drain();
    expect(graph.installs.filter((call) => call.userId === aadOf('tom'))).toHaveLength(2);
    expect(r.fake.activitiesTo(conversation).length).toBe(2);
  });

  it('reports a refused installation (retried once): an audit event, the dead row and a line in the unit digest', async () => {
    graph.refuse(aadOf('dev'));
    const ctx = r.t.app.ctx;
    const [item] = await r.t.app.store.repos.items.recentEscalations(1);
    await decideEscalation({ ctx, actorId: 'tom', escalationId: item!.id, action: 'countersign', rationale: 'Agreed.', platform: 'teams' });
    await r.t.app.dispatcher.drain();
    expect(graph.installs.filter((call) => call.userId === aadOf('dev')).map((call) => call.status)).toEqual([403, 403]);
    const devRows = (await r.t.app.store.repos.outbox.byDedupePrefix(`escalation:${item!.id}:`)).filter((entry) => entry.target.id === aadOf('dev'));
    expect(devRows.map((entry) => ({ status: entry.status, lastError: entry.lastError }))).toEqual([{ status: 'dead', lastError: 'teams.install_refused' }]);
    expect((await r.t.app.store.repos.records.auditEvents('teams.install_refused')).map((event) => event.details)).toEqual([{ people: ['dev'], status: 403, code: 'Forbidden' }]);

    await r.t.app.scheduler.digestOnce({ force: true });
    await r.t.app.dispatcher.drain();
    // Kate (north-pp's manager) had not installed the app either: Graph installs it for her digest.
    expect(graph.installedFor.has(aadOf('kate'))).toBe(true);
    const kate = r.fake.requests.find((request) => request.method === 'POST' && request.path === '/v3/conversations' && JSON.stringify(request.body).includes(aadOf('kate')))!.responseId!;
    const digest = r.fake
      .activitiesTo(kate)
      .flatMap((activity) => activity.attachments ?? [])
      .map((attachment) => cardText(attachment.content as Record<string, unknown>))
      .find((text) => /Overdue in North Public Protection Unit/.test(text));
    expect(digest).toContain('Teams app could not be installed for: Dev Patel (refused by Microsoft Graph; see "Not delivered").');
    expect(digest).toContain('Not delivered: ESC-000001 to Dev Patel (teams, teams.install_refused)');
    r.expectAllCardsValid();
  });
});

describe('Teams: a person who has not installed the app, without proactive installation', () => {
  let r: Region;
  beforeAll(async () => {
    r = await startRegion();
    await r.installInTeam();
    for (const who of ['amara', 'sam'] as const) await r.installFor(who);
  });
  afterAll(async () => {
    await r?.stop();
  });

  it('falls back to the manager (Tom → Sam) and says so in the digest', async () => {
    const { row } = await raiseEscalation({ ctx: r.t.app.ctx, actorId: 'amara', input: ESCALATION, platform: 'teams' });
    await r.t.app.dispatcher.drain();
    expect(
      r
        .cardsTo('sam')
        .map(cardText)
        .filter((text) => /Countersign needed: ESC-000001/.test(text)),
    ).toHaveLength(1);
    expect((await r.t.app.store.repos.outbox.byDedupePrefix(`escalation:${row.id}:`)).filter((entry) => entry.target.id === aadOf('tom'))).toEqual([]);
    await r.t.app.scheduler.digestOnce({ force: true });
    await r.t.app.dispatcher.drain();
    const channelDigest = r.fake
      .channelPosts()
      .filter((post) => post.channelId === '19:north-team-3@thread.tacv2')
      .map((post) => cardText((post.activity.attachments ?? [])[0]!.content as Record<string, unknown>));
    expect(channelDigest).toHaveLength(1);
    expect(channelDigest[0]).toContain('The bot cannot reach: Tom Reyes (no usable Slack or Teams account).');
  });
});
