import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';

/**
 * The floor for command latency: a bare Bolt app on the same receiver as dutydesk (ExpressReceiver at
 * /slack/events, signature checked, ack before work) whose /escalate handler only acks and calls views.open on
 * the same fake Slack API. No database, no org, no metrics.
 */
export const startBareBolt = async (args: { signingSecret: string; slackApiUrl: string; port?: number }) => {
  const receiver = new ExpressReceiver({ signingSecret: args.signingSecret, endpoints: '/slack/events', processBeforeResponse: false });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-bare' }),
    clientOptions: { slackApiUrl: args.slackApiUrl, retryConfig: { retries: 0 } },
    logLevel: LogLevel.ERROR,
  });
  app.command('/escalate', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'escalate',
        title: { type: 'plain_text', text: 'Risk escalation' },
        submit: { type: 'plain_text', text: 'Send' },
        blocks: [{ type: 'input', block_id: 'crn', label: { type: 'plain_text', text: 'CRN' }, element: { type: 'plain_text_input', action_id: 'value' } }],
      },
    });
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = receiver.app.listen(args.port ?? 0, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  server.keepAliveTimeout = 5_000;
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
