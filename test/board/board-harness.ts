/**
 * The bot with the board on, the fake Slack Web API, and two loopback OpenID providers (one standing in for
 * Slack, one for Microsoft Entra ID). BOARD_URL must name the bot's port before it starts, so a free port is
 * taken first.
 */
import { createServer } from 'node:net';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type FakeOidc, startFakeOidc } from '../support/fake-oidc.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { exampleOrg } from '../support/test-org.js';
import { SECRET } from '../slack/slack-harness.js';

/** Entra object ids given to two people of the example org for these tests. */
export const ENTRA = { joe: '0b5d6c1e-2f3a-4b5c-8d9e-00000000a0e1', kate: '0b5d6c1e-2f3a-4b5c-8d9e-00000000a0e2' } as const;

export interface BoardHarness {
  t: TestApp;
  fake: FakeSlack;
  slackIdp: FakeOidc;
  entraIdp: FakeOidc;
  boardUrl: string;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** `orgText` changes the example org further (e.g. to name a deputy). */
export const startBoardHarness = async (options: { orgText?: (text: string) => string } = {}): Promise<BoardHarness> => {
  const port = await freePort();
  const boardUrl = `http://127.0.0.1:${port}`;
  const fake = await startFakeSlack();
  const slackIdp = await startFakeOidc({
    name: 'slack',
    redirectUris: [`${boardUrl}/board/auth/slack/callback`],
    claimsFor: (login) => ({ 'https://slack.com/user_id': login, 'https://slack.com/team_id': 'T0TEST' }),
  });
  const entraIdp = await startFakeOidc({
    name: 'entra',
    redirectUris: [`${boardUrl}/board/auth/entra/callback`],
    // Entra's `sub` is pairwise per app; the object id the org file knows comes as `oid`.
    claimsFor: (login) => ({ oid: login, sub: `pairwise-${login}` }),
  });
  const org = exampleOrg((text) =>
    (options.orgText ?? ((same: string) => same))(
      text
        .replace('{ id: joe, name: Joe Walsh, slack: U0JOE }', `{ id: joe, name: Joe Walsh, slack: U0JOE, teams: ${ENTRA.joe} }`)
        .replace('{ id: kate, name: Kate Morgan, slack: U0KATE }', `{ id: kate, name: Kate Morgan, slack: U0KATE, teams: ${ENTRA.kate} }`),
    ),
  );
  const t = await startTestApp({
    org,
    port,
    env: {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: fake.url,
      BOARD_URL: boardUrl,
      SLACK_CLIENT_ID: slackIdp.clientId,
      SLACK_CLIENT_SECRET: slackIdp.clientSecret,
      SLACK_OIDC_ISSUER: slackIdp.issuer,
      ENTRA_CLIENT_ID: entraIdp.clientId,
      ENTRA_CLIENT_SECRET: entraIdp.clientSecret,
      ENTRA_OIDC_ISSUER: entraIdp.issuer,
    },
  });
  return {
    t,
    fake,
    slackIdp,
    entraIdp,
    boardUrl,
    stop: async () => {
      await t.stop();
      await Promise.all([fake.close(), slackIdp.close(), entraIdp.close()]);
    },
  };
};
