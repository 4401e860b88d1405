/**
 * The Teams edge with an app id: every refusal answered with its status, no row changed (case tables and stored
 * conversation references), nothing sent to the connector. Tokens are real RS256 JWTs from a key pair generated here,
 * checked by the Agents SDK against a loopback JWKS (MICROSOFT_APP_AUTHORITY points it there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_APP_ID, TEST_TENANT_ID, actionExecuteActivity, messageActivity, postActivity } from '../support/bot-activities.js';
import { type FakeEntra, startFakeEntra } from '../support/fake-entra.js';
import { tableCounts } from '../chaos/chaos-support.js';
import { AAD, type TeamsHarness, startTeamsHarness } from './teams-harness.js';

describe('Teams edge with MICROSOFT_APP_ID (single tenant)', () => {
  let h: TeamsHarness;
  let entra: FakeEntra;
  const figures: string[] = [];

  beforeAll(async () => {
    entra = await startFakeEntra({ tenantId: TEST_TENANT_ID });
    h = await startTeamsHarness({
      env: {
        TEAMS_EMULATOR: '',
        MICROSOFT_APP_ID: TEST_APP_ID,
        MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
        MICROSOFT_APP_TENANT_ID: TEST_TENANT_ID,
        MICROSOFT_APP_AUTHORITY: entra.authority,
        TEAMS_EXTRA_SERVICE_HOSTS: '127.0.0.1',
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
    await entra?.close();
    console.info(`[figures] Teams edge:\n  ${figures.join('\n  ')}`);
  });

  const references = async () => (await h.t.app.store.repos.teams.reachable()).size;
  const refused = async (what: string, activity: object, token: string | undefined, status: number) => {
    const before = { rows: await tableCounts(h.t.app), references: await references() };
    const sent = h.fake.requests.length;
    const answer = await postActivity({ baseUrl: h.t.baseUrl, activity, token });
    expect(answer.status, what).toBe(status);
    await h.t.app.dispatcher.drain();
    expect({ rows: await tableCounts(h.t.app), references: await references() }, what).toEqual(before);
    expect(h.fake.requests.length, what).toBe(sent);
    figures.push(`${what}: ${answer.status}, rows unchanged, nothing sent`);
  };
  const tom = () => ({ ...h.base('tom'), appId: TEST_APP_ID });
  const valid = () => entra.sign({ aud: TEST_APP_ID, serviceUrl: h.fake.url });

  it('says at start that Teams is authenticated', () => {
    expect(h.t.app.platforms.teams).toBe(`http /api/messages (authenticated, app id ${TEST_APP_ID})`);
  });

  it('refuses no token, an expired token and a token for another app id with 401', async () => {
    const activity = messageActivity({ ...tom(), text: 'cases X123456' });
    await refused('no token', activity, undefined, 401);
    await refused('expired token (10 min ago)', activity, entra.sign({ aud: TEST_APP_ID, serviceUrl: h.fake.url, expiresInSeconds: -600 }), 401);
    await refused('token for another app id', activity, entra.sign({ aud: '00000000-0000-4000-8000-00000000beef', serviceUrl: h.fake.url }), 401);
    await refused('token signed by another key (unknown kid)', activity, entra.sign({ aud: TEST_APP_ID, serviceUrl: h.fake.url, kid: 'someone-else' }), 401);
    await refused('token from another issuer', activity, entra.sign({ aud: TEST_APP_ID, serviceUrl: h.fake.url, iss: 'https://attacker.example/', tid: undefined }), 401);
  });

  it('refuses a valid token on an activity that is not from Teams, or from another tenant, with 403', async () => {
    await refused('wrong channelId (webchat)', { ...messageActivity({ ...tom(), text: 'cases' }), channelId: 'webchat' }, valid(), 403);
    await refused('wrong channelId (emulator)', { ...messageActivity({ ...tom(), text: 'cases' }), channelId: 'emulator' }, valid(), 403);
    await refused('wrong tenant', messageActivity({ ...tom(), text: 'cases', tenantId: '11111111-2222-4333-8444-555555555555' }), valid(), 403);
  });

  it("refuses a serviceUrl outside Microsoft's connector hosts with 400, and stores no reference to it", async () => {
    const evil = 'https://collector.attacker.example/';
    const token = entra.sign({ aud: TEST_APP_ID, serviceUrl: evil });
    await refused('serviceUrl outside the allowed hosts', messageActivity({ ...tom(), serviceUrl: evil, text: 'cases X123456' }), token, 400);
    await refused(
      "serviceUrl differing from the token's serviceurl claim",
      messageActivity({ ...tom(), text: 'cases' }),
      entra.sign({ aud: TEST_APP_ID, serviceUrl: 'https://smba.trafficmanager.net/uk/' }),
      400,
    );
    expect(await h.t.app.store.repos.teams.reference(AAD.tom)).toBeUndefined();
  });

  it('lets a valid token from our tenant through the edge: the SDK checks it against the loopback keys', async () => {
    const before = await tableCounts(h.t.app);
    const answer = await postActivity({ baseUrl: h.t.baseUrl, activity: actionExecuteActivity({ ...tom(), verb: 'escalation.countersign', data: {} }), token: valid() });
    // Past the token and the edge, the SDK asks Entra for the bot's own outbound token before running any handler:
    // MSAL refuses a non-https authority, so offline the turn stops there (500), with nothing stored or sent.
    expect([401, 403, 400]).not.toContain(answer.status);
    expect(answer.status).toBe(500);
    expect(entra.requests.some((path) => path.endsWith('/discovery/v2.0/keys'))).toBe(true);
    expect(await tableCounts(h.t.app)).toEqual(before);
    figures.push('valid token, right tenant and channel: passes the edge (keys from the loopback JWKS); outbound token needs Entra (500 offline)');
  });
});

describe('Teams without MICROSOFT_APP_ID and without TEAMS_EMULATOR', () => {
  it('is off: /api/messages answers 404 and the start-up line says how to turn it on', async () => {
    const h = await startTeamsHarness({ env: { TEAMS_EMULATOR: '' } });
    try {
      expect(h.t.app.platforms.teams).toBe('off: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to connect Teams (or TEAMS_EMULATOR=1 for a local emulator)');
      const before = await tableCounts(h.t.app);
      const answer = await postActivity({ baseUrl: h.t.baseUrl, activity: messageActivity({ ...h.base('tom'), text: 'cases' }) });
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ error: 'Teams is off: set MICROSOFT_APP_ID (and its password) to connect Teams, or TEAMS_EMULATOR=1 for local testing' });
      expect(await tableCounts(h.t.app)).toEqual(before);
      expect(await h.t.app.store.repos.teams.reference(AAD.tom)).toBeUndefined();
      expect(h.fake.requests).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
