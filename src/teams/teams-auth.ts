// The Teams edge (shared/interface.md "Microsoft Teams … the local mode"): which requests /api/messages serves at
// all, the SDK's auth configuration, and the hosts the bot may call back. Nothing here trusts a header for identity.
import type { Request } from 'express';
import { type AuthConfiguration, OutboundHostValidator } from '@microsoft/agents-hosting';

/** How the endpoint runs: with an app id (Bot Framework tokens), the explicit local emulator mode, or off. */
export type TeamsMode = 'authenticated' | 'emulator' | 'off';

export const teamsMode = (args: { appId?: string; emulator?: boolean }): TeamsMode => (args.appId ? 'authenticated' : args.emulator ? 'emulator' : 'off');

/**
 * Bot Connector hosts Teams calls back from (public cloud, GCC, GCC High, DoD, and Azure Bot Service), without the
 * SDK's wider defaults (Graph, SharePoint, blob storage), which are never an activity's serviceUrl.
 */
export const CONNECTOR_HOSTS = [
  'smba.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
  'botframework.com',
  'botframework.azure.us',
] as const;
/** The emulator and tests run on this machine. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'] as const;

/** The outbound policy the SDK applies to every inbound serviceUrl and every connector client it creates. */
export const serviceHostValidator = (args: { mode: TeamsMode; extraHosts?: readonly string[] }) =>
  new OutboundHostValidator({
    enabled: true,
    includeDefaultMicrosoftHosts: false,
    hosts: [...(args.mode === 'authenticated' ? CONNECTOR_HOSTS : LOOPBACK_HOSTS), ...(args.extraHosts ?? [])],
  });

/** True only for the socket's own peer address: never a header (X-Forwarded-For, X-Real-IP, Forwarded…). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

const RELAY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host', 'via'] as const;

export type EdgeRefusal = { status: 400 | 403 | 404; error: string; reason: string };

const record = (value: unknown): Record<string, unknown> | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

/** The tenant an activity says it comes from: channelData.tenant.id, else conversation.tenantId. */
const tenantOf = (body: Record<string, unknown>): string | undefined => {
  const fromChannelData = record(record(body.channelData)?.tenant)?.id;
  const fromConversation = record(body.conversation)?.tenantId;
  const tenant = typeof fromChannelData === 'string' ? fromChannelData : typeof fromConversation === 'string' ? fromConversation : undefined;
  return tenant?.toLowerCase();
};

/** Before the SDK sees the request: is this endpoint on, and is the caller one it may serve? */
export const refuseBeforeAuth = (args: { mode: TeamsMode; req: Request }): EdgeRefusal | null => {
  if (args.mode === 'off') {
    return { status: 404, reason: 'off', error: 'Teams is off: set MICROSOFT_APP_ID (and its password) to connect Teams, or TEAMS_EMULATOR=1 for local testing' };
  }
  if (args.mode === 'emulator') {
    // The decision is the socket's peer address. A request that also says it was relayed (a proxy on this host)
    // is refused too: its real caller is elsewhere. The absence of such headers proves nothing and is not relied on.
    const relayed = RELAY_HEADERS.some((name) => args.req.headers[name] !== undefined);
    if (!isLoopbackAddress(args.req.socket.remoteAddress) || relayed) {
      return { status: 403, reason: 'not_loopback', error: 'Teams emulator mode (no MICROSOFT_APP_ID) serves loopback callers only' };
    }
  }
  const body = args.req.body as unknown;
  if (!record(body)) return { status: 400, reason: 'not_json', error: 'expected a JSON Bot Framework activity' };
  return null;
};

/**
 * After the token (authenticated mode): the activity must come from Teams (`channelId` msteams) and, for a single
 * tenant app, from the configured tenant. The emulator mode also accepts the Bot Framework Emulator's channel.
 */
export const refuseAfterAuth = (args: { mode: TeamsMode; body: Record<string, unknown>; tenantId?: string; singleTenant: boolean }): EdgeRefusal | null => {
  const channelId = args.body.channelId;
  if (typeof channelId !== 'string' || channelId === '') return { status: 400, reason: 'no_channel', error: 'expected a Bot Framework activity (channelId)' };
  const channels = args.mode === 'emulator' ? ['msteams', 'emulator'] : ['msteams'];
  if (!channels.includes(channelId)) return { status: 403, reason: 'channel', error: 'only Microsoft Teams activities are accepted' };
  if (args.mode === 'authenticated' && args.singleTenant && args.tenantId && tenantOf(args.body) !== args.tenantId.toLowerCase()) {
    return { status: 403, reason: 'tenant', error: 'activity from another tenant' };
  }
  return null;
};

const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];

export interface TeamsAuthSettings {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: string;
  /** Entra authority (sovereign clouds; tests point it at a loopback OpenID/JWKS server). */
  authority?: string;
  nodeEnv?: string;
}

/** The app type in force: explicit, else single tenant when a tenant id is given. */
export const appTypeOf = (args: TeamsAuthSettings): string => args.appType?.trim() || (args.tenantId ? 'SingleTenant' : 'MultiTenant');

export function buildAuthConfig(args: TeamsAuthSettings): AuthConfiguration {
  // Every key is given explicitly so that nothing is picked up from process.env (the SDK merges its env settings under ours).
  const none = { clientId: undefined, clientSecret: undefined, tenantId: undefined, authType: undefined };
  if (!args.appId) {
    if (args.nodeEnv?.toLowerCase() === 'production') {
      throw new Error('MICROSOFT_APP_ID is required for Teams when NODE_ENV=production (the Agents SDK refuses anonymous mode)');
    }
    return none;
  }
  const appType = appTypeOf(args);
  if (!APP_TYPES.includes(appType)) throw new Error(`MICROSOFT_APP_TYPE must be one of ${APP_TYPES.join(', ')}, got "${appType}"`);
  if (appType === 'SingleTenant' && !args.tenantId) throw new Error('MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_TYPE=SingleTenant');
  // validateIssuer: the token's issuer must be Bot Framework's or our tenant's (the SDK leaves this off by default).
  const authority = { validateIssuer: true, ...(args.authority ? { authority: args.authority } : {}) };
  if (appType === 'UserAssignedMSI') {
    return { ...none, ...authority, clientId: args.appId, tenantId: args.tenantId, authType: 'UserManagedIdentity' };
  }
  if (!args.appPassword) throw new Error('MICROSOFT_APP_PASSWORD is required when MICROSOFT_APP_ID is set');
  return {
    ...none,
    ...authority,
    clientId: args.appId,
    clientSecret: args.appPassword,
    authType: 'ClientSecret',
    tenantId: appType === 'SingleTenant' ? args.tenantId : undefined, // multi-tenant bots get tokens from botframework.com
  };
}
