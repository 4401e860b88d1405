// Builders for Bot Framework activities shaped as Microsoft Teams sends them (personal scope), for tests.
import { randomUUID } from 'node:crypto';

export const TEST_TENANT_ID = '72f988bf-0000-4000-8000-00000000d0d0';
export const TEST_APP_ID = '00000000-0000-4000-8000-000000d07d35';

export interface TeamsActivityBase {
  serviceUrl: string;
  userAadId: string;
  /** The user's Teams id ("29:…"); defaults to one derived from userAadId. */
  userId?: string;
  userName?: string;
  /** Defaults to a personal conversation id derived from the user id. */
  conversationId?: string;
  tenantId?: string;
  /** The bot's app id (recipient is `28:<appId>`). */
  appId?: string;
  botName?: string;
  locale?: string;
}

export type BotActivity = Record<string, unknown> & { type: string; id: string; conversation: Record<string, unknown> & { id: string } };

function base(args: TeamsActivityBase, type: string): BotActivity {
  const tenantId = args.tenantId ?? TEST_TENANT_ID;
  const userId = args.userId ?? `29:1${args.userAadId}`;
  const now = new Date().toISOString();
  const locale = args.locale ?? 'en-GB';
  return {
    type,
    id: `${Date.now()}${Math.floor(Math.random() * 1000)}`,
    timestamp: now,
    localTimestamp: now,
    channelId: 'msteams',
    serviceUrl: args.serviceUrl,
    from: { id: userId, name: args.userName ?? 'Test User', aadObjectId: args.userAadId },
    conversation: {
      conversationType: 'personal',
      tenantId,
      id: args.conversationId ?? `a:personal-${userId.replace(/^29:/, '')}`,
    },
    recipient: { id: `28:${args.appId ?? TEST_APP_ID}`, name: args.botName ?? 'dutydesk' },
    entities: [{ type: 'clientInfo', locale, country: 'GB', platform: 'Web', timezone: 'Europe/London' }],
    channelData: { tenant: { id: tenantId } },
    locale,
    localTimezone: 'Europe/London',
  };
}

export function messageActivity(args: TeamsActivityBase & { text: string }): BotActivity {
  return { ...base(args, 'message'), text: args.text, textFormat: 'plain', attachments: [] };
}

/** An Action.Execute click: invoke `adaptiveCard/action`; Teams merges the card's input values into `data`. */
export function actionExecuteActivity(args: TeamsActivityBase & { verb: string; data?: Record<string, unknown>; replyToId?: string; trigger?: 'manual' | 'automatic' }): BotActivity {
  const activity = base(args, 'invoke');
  return {
    ...activity,
    id: `f:${randomUUID()}`,
    name: 'adaptiveCard/action',
    ...(args.replyToId ? { replyToId: args.replyToId } : {}),
    channelData: {
      ...(activity.channelData as object),
      source: { name: 'message' },
      ...(args.replyToId ? { legacy: { replyToId: args.replyToId } } : {}),
    },
    value: { action: { type: 'Action.Execute', verb: args.verb, data: args.data ?? {} }, trigger: args.trigger ?? 'manual' },
  };
}

/** The app being added to (action 'add') or removed from ('remove') the user's personal scope. */
export function installActivity(args: TeamsActivityBase & { action?: 'add' | 'remove' | 'add-upgrade' }): BotActivity {
  const activity = base(args, 'installationUpdate');
  return {
    ...activity,
    id: `f:${randomUUID()}`,
    action: args.action ?? 'add',
    channelData: { ...(activity.channelData as object), source: { name: 'message' }, settings: { selectedChannel: { id: '' } } },
  };
}

/** The conversationUpdate Teams sends alongside an install: the bot joins the 1:1 conversation. */
export function botAddedActivity(args: TeamsActivityBase): BotActivity {
  const activity = base(args, 'conversationUpdate');
  return { ...activity, id: `f:${randomUUID()}`, membersAdded: [activity.recipient] };
}

export async function postActivity(args: { baseUrl: string; activity: object; token?: string }): Promise<{ status: number; json?: unknown; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (args.token) headers.authorization = `Bearer ${args.token}`;
  const res = await fetch(`${args.baseUrl.replace(/\/$/, '')}/api/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify(args.activity),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** A team-scope conversationUpdate as Teams sends it: the General channel's conversation, the team in channelData. */
function teamBase(args: { serviceUrl: string; teamId: string; teamName?: string; tenantId?: string; appId?: string; eventType: string; channel?: { id: string; name?: string } }): BotActivity {
  const tenantId = args.tenantId ?? TEST_TENANT_ID;
  const now = new Date().toISOString();
  return {
    type: 'conversationUpdate',
    id: `f:${randomUUID()}`,
    timestamp: now,
    channelId: 'msteams',
    serviceUrl: args.serviceUrl,
    from: { id: '29:1installer', aadObjectId: '3f1e9a52-7c4b-4d2e-9a61-00000000face', name: 'Team Owner' },
    conversation: { isGroup: true, conversationType: 'channel', tenantId, id: args.teamId },
    recipient: { id: `28:${args.appId ?? TEST_APP_ID}`, name: 'dutydesk' },
    channelData: {
      eventType: args.eventType,
      team: { id: args.teamId, name: args.teamName ?? 'North Region', aadGroupId: randomUUID() },
      ...(args.channel ? { channel: args.channel } : {}),
      tenant: { id: tenantId },
    },
  };
}

/** The app added to a team: Teams says so with the bot among membersAdded (eventType teamMemberAdded). */
export function teamInstallActivity(args: { serviceUrl: string; teamId: string; teamName?: string; tenantId?: string; appId?: string }): BotActivity {
  const activity = teamBase({ ...args, eventType: 'teamMemberAdded' });
  return { ...activity, membersAdded: [{ id: (activity.recipient as { id: string }).id }] };
}

/** The app removed from a team (the bot among membersRemoved). */
export function teamUninstallActivity(args: { serviceUrl: string; teamId: string; tenantId?: string; appId?: string }): BotActivity {
  const activity = teamBase({ ...args, eventType: 'teamMemberRemoved' });
  return { ...activity, membersRemoved: [{ id: (activity.recipient as { id: string }).id }] };
}

/** A channel created, restored, renamed or deleted in a team the app is in. */
export function channelEventActivity(args: {
  serviceUrl: string;
  teamId: string;
  eventType: 'channelCreated' | 'channelDeleted' | 'channelRenamed' | 'channelRestored';
  channel: { id: string; name?: string };
  tenantId?: string;
  appId?: string;
}): BotActivity {
  return teamBase(args);
}
