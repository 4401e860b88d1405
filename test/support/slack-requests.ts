/**
 * Builders for signed Slack requests (slash commands, block_actions, view_submission)
 * and a helper that POSTs them to the app's `/slack/events` endpoint.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const TEST_TEAM = { id: 'T1', domain: 'dutydesk-test' } as const;
export const TEST_APP_ID = 'A1';
/** Legacy verification token Slack still includes in payloads (Bolt ignores it). */
export const TEST_VERIFICATION_TOKEN = 'verification-token';
/** A response_url on loopback that refuses connections; pass `fake.responseUrl(id)` to capture instead. */
export const UNSET_RESPONSE_URL = 'http://127.0.0.1:9/response-url-not-set';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const randomTriggerId = () => `${Date.now()}.${TEST_TEAM.id}.${randomBytes(8).toString('hex')}`;

export function signSlackBody({
  secret,
  body,
  timestamp = nowSeconds(),
}: {
  secret: string;
  body: string;
  /** Seconds since epoch. */
  timestamp?: number;
}): { 'x-slack-signature': string; 'x-slack-request-timestamp': string } {
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestamp) };
}

const slackUser = (userId: string) => ({
  id: userId,
  username: userId.toLowerCase(),
  name: userId.toLowerCase(),
  team_id: TEST_TEAM.id,
});

export function slashCommandBody({
  command,
  text,
  userId,
  triggerId,
  channelId = 'C0DUTY',
  responseUrl,
}: {
  command: string;
  text: string;
  userId: string;
  triggerId?: string;
  channelId?: string;
  responseUrl?: string;
}): string {
  return new URLSearchParams({
    token: TEST_VERIFICATION_TOKEN,
    team_id: TEST_TEAM.id,
    team_domain: TEST_TEAM.domain,
    channel_id: channelId,
    channel_name: channelId.startsWith('D') ? 'directmessage' : 'duty-desk',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command,
    text,
    api_app_id: TEST_APP_ID,
    is_enterprise_install: 'false',
    response_url: responseUrl ?? UNSET_RESPONSE_URL,
    trigger_id: triggerId ?? randomTriggerId(),
  }).toString();
}

/** Form body Slack uses for interactivity: `payload=<urlencoded JSON>`. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function blockActionPayload({
  userId,
  actionId,
  value,
  blockId = 'actions',
  channelId = 'C0DUTY',
  messageTs = '1700000000.000001',
  responseUrl,
  triggerId,
  viewId,
}: {
  userId: string;
  actionId: string;
  value: string;
  blockId?: string;
  channelId?: string;
  messageTs?: string;
  responseUrl?: string;
  triggerId?: string;
  /** When set, the button sits in a view (App Home / modal) instead of a message. */
  viewId?: string;
}): Record<string, unknown> {
  const action = {
    type: 'button',
    action_id: actionId,
    block_id: blockId,
    value,
    text: { type: 'plain_text', text: actionId, emoji: true },
    action_ts: `${nowSeconds()}.000100`,
  };
  const common = {
    type: 'block_actions',
    user: slackUser(userId),
    api_app_id: TEST_APP_ID,
    token: TEST_VERIFICATION_TOKEN,
    trigger_id: triggerId ?? randomTriggerId(),
    team: TEST_TEAM,
    enterprise: null,
    is_enterprise_install: false,
    state: { values: {} },
    actions: [action],
  };
  if (viewId) {
    return {
      ...common,
      container: { type: 'view', view_id: viewId },
      view: {
        id: viewId,
        type: 'home',
        team_id: TEST_TEAM.id,
        blocks: [],
        private_metadata: '',
        callback_id: '',
        state: { values: {} },
        hash: '1.hash',
        app_id: TEST_APP_ID,
        bot_id: 'BBOT',
        root_view_id: viewId,
        previous_view_id: null,
        external_id: '',
      },
    };
  }
  return {
    ...common,
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    channel: { id: channelId, name: 'duty-desk' },
    message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', ts: messageTs, text: '', blocks: [], team: TEST_TEAM.id },
    response_url: responseUrl ?? UNSET_RESPONSE_URL,
  };
}

/** One input's value in Slack's `view.state.values[blockId][actionId]` shape. */
export type StateValue =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'static_select'; selected_option: SlackOption | null }
  | { type: 'checkboxes'; selected_options: SlackOption[] }
  | { type: 'radio_buttons'; selected_option: SlackOption | null }
  | { type: 'datepicker'; selected_date: string | null }
  | { type: 'users_select'; selected_user: string | null }
  | { type: string; [key: string]: unknown };

export interface SlackOption {
  text: { type: 'plain_text' | 'mrkdwn'; text: string };
  value: string;
}

const option = (value: string): SlackOption => ({ text: { type: 'plain_text', text: value }, value });

/** Builders for state values; `text` of options defaults to the value. */
export const stateValue = {
  text: (value: string | null): StateValue => ({ type: 'plain_text_input', value }),
  select: (value: string | null): StateValue => ({ type: 'static_select', selected_option: value === null ? null : option(value) }),
  checkboxes: (values: string[]): StateValue => ({ type: 'checkboxes', selected_options: values.map(option) }),
  radio: (value: string | null): StateValue => ({ type: 'radio_buttons', selected_option: value === null ? null : option(value) }),
  date: (isoDate: string | null): StateValue => ({ type: 'datepicker', selected_date: isoDate }),
  user: (userId: string | null): StateValue => ({ type: 'users_select', selected_user: userId }),
};

export function viewSubmissionPayload({
  userId,
  callbackId,
  privateMetadata,
  values,
  viewId = 'V0MODAL1',
}: {
  userId: string;
  callbackId: string;
  privateMetadata: string;
  /** `values[blockId][actionId]`; a bare string is shorthand for a plain_text_input value. */
  values: Record<string, Record<string, StateValue | string>>;
  viewId?: string;
}): Record<string, unknown> {
  const stateValues = Object.fromEntries(
    Object.entries(values).map(([blockId, actions]) => [blockId, Object.fromEntries(Object.entries(actions).map(([actionId, v]) => [actionId, typeof v === 'string' ? stateValue.text(v) : v]))]),
  );
  return {
    type: 'view_submission',
    team: TEST_TEAM,
    user: slackUser(userId),
    api_app_id: TEST_APP_ID,
    token: TEST_VERIFICATION_TOKEN,
    trigger_id: randomTriggerId(),
    view: {
      id: viewId,
      team_id: TEST_TEAM.id,
      type: 'modal',
      blocks: [],
      private_metadata: privateMetadata,
      callback_id: callbackId,
      state: { values: stateValues },
      hash: '1700000000.hash',
      title: { type: 'plain_text', text: 'DutyDesk' },
      submit: { type: 'plain_text', text: 'Submit' },
      close: { type: 'plain_text', text: 'Cancel' },
      clear_on_close: false,
      notify_on_close: false,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: TEST_APP_ID,
      external_id: '',
      app_installed_team_id: TEST_TEAM.id,
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface SlackHttpResponse {
  status: number;
  text: string;
  json?: unknown;
  headers: Headers;
}

/**
 * POSTs `body` to `${baseUrl}/slack/events` (or `path`), signed with `secret` unless an explicit
 * `signature` is given (use a wrong one to test rejection).
 */
export async function postToSlack({
  baseUrl,
  secret,
  body,
  contentType = 'application/x-www-form-urlencoded',
  timestamp,
  signature,
  path = '/slack/events',
  headers = {},
}: {
  baseUrl: string;
  secret: string;
  body: string;
  contentType?: string;
  timestamp?: number;
  signature?: string;
  path?: string;
  /** Extra headers, e.g. `{ 'x-slack-retry-num': '1' }`. */
  headers?: Record<string, string>;
}): Promise<SlackHttpResponse> {
  const signed = signSlackBody({ secret, body, timestamp });
  if (signature !== undefined) signed['x-slack-signature'] = signature;
  const response = await fetch(`${baseUrl.replace(/\/+$/, '')}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...signed, ...headers },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, headers: response.headers };
}
