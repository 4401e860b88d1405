import { ConfigError, type Env } from '../config/env.config.js';

export type BoardProviderId = 'slack' | 'entra';

export interface BoardProvider {
  id: BoardProviderId;
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Which claim of the ID token holds the id the org file knows (Slack user id, Entra object id). */
  identityClaims: string[];
}

export interface BoardSettings {
  /** Public base URL of this process, no trailing slash; the board is at `${baseUrl}/board`. */
  baseUrl: string;
  providers: BoardProvider[];
  /** `Secure` on the session cookie: dropped only for a loopback http BOARD_URL (local runs and tests). */
  secureCookies: boolean;
  weeklyCron: string;
}

const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i;

export const isLoopbackHttp = (url: string) => LOOPBACK_HTTP.test(url);

/**
 * The board's settings from the environment, or why it is off. Half a provider (an id without its secret) or a
 * plain-http BOARD_URL off loopback is a configuration error, not a silently disabled board.
 */
export const boardSettings = (env: Env): { settings: BoardSettings | null; whyNot: string | null } => {
  const problems: string[] = [];
  const providers: BoardProvider[] = [];
  const pair = (id: string | undefined, secret: string | undefined, idName: string, secretName: string) => {
    if (id && !secret) problems.push(`environment ${secretName}: required with ${idName}`);
    if (secret && !id) problems.push(`environment ${idName}: required with ${secretName}`);
    return Boolean(id && secret);
  };
  if (pair(env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, 'SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET')) {
    providers.push({
      id: 'slack',
      label: 'Sign in with Slack',
      issuer: env.SLACK_OIDC_ISSUER ?? 'https://slack.com',
      clientId: env.SLACK_CLIENT_ID as string,
      clientSecret: env.SLACK_CLIENT_SECRET as string,
      identityClaims: ['https://slack.com/user_id', 'sub'],
    });
  }
  if (pair(env.ENTRA_CLIENT_ID, env.ENTRA_CLIENT_SECRET, 'ENTRA_CLIENT_ID', 'ENTRA_CLIENT_SECRET')) {
    const issuer = env.ENTRA_OIDC_ISSUER ?? (env.ENTRA_TENANT_ID ? `https://login.microsoftonline.com/${env.ENTRA_TENANT_ID}/v2.0` : undefined);
    if (!issuer) problems.push('environment ENTRA_TENANT_ID: required with ENTRA_CLIENT_ID (or set ENTRA_OIDC_ISSUER)');
    else {
      providers.push({
        id: 'entra',
        label: 'Sign in with Microsoft',
        issuer,
        clientId: env.ENTRA_CLIENT_ID as string,
        clientSecret: env.ENTRA_CLIENT_SECRET as string,
        identityClaims: ['oid'],
      });
    }
  }
  const baseUrl = env.BOARD_URL?.replace(/\/+$/, '');
  if (baseUrl && !baseUrl.startsWith('https://') && !isLoopbackHttp(baseUrl)) {
    problems.push('environment BOARD_URL: expected an https:// URL (plain http only for 127.0.0.1 or localhost)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (!baseUrl && providers.length === 0)
    return { settings: null, whyNot: 'set BOARD_URL and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET or ENTRA_CLIENT_ID/ENTRA_CLIENT_SECRET/ENTRA_TENANT_ID to turn it on' };
  if (!baseUrl) return { settings: null, whyNot: 'set BOARD_URL (the public URL of this service) to turn it on' };
  if (providers.length === 0) return { settings: null, whyNot: 'set SLACK_CLIENT_ID/SLACK_CLIENT_SECRET or ENTRA_CLIENT_ID/ENTRA_CLIENT_SECRET/ENTRA_TENANT_ID to turn it on' };
  return { settings: { baseUrl, providers, secureCookies: !isLoopbackHttp(baseUrl), weeklyCron: env.BOARD_WEEKLY_CRON }, whyNot: null };
};
