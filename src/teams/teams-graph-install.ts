// Proactive installation of the Teams app for a person who has not installed it (Microsoft Graph,
// `POST /users/{id}/teamwork/installedApps`), with an app-only token from the Entra token endpoint. Both base URLs
// are configuration, so national clouds and the tests' loopback fakes work the same way.
import { z } from 'zod';
import { ConfigError, type Env } from '../config/env.config.js';

export interface GraphInstallSettings {
  catalogId: string;
  graphUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/** With MICROSOFT_APP_CATALOG_ID set, what the Graph calls need; null when proactive installation is off. */
export const graphInstallSettings = (env: Env): GraphInstallSettings | null => {
  if (!env.MICROSOFT_APP_CATALOG_ID) return null;
  const clientId = env.MICROSOFT_GRAPH_CLIENT_ID ?? env.MICROSOFT_APP_ID;
  const clientSecret = env.MICROSOFT_GRAPH_CLIENT_SECRET ?? env.MICROSOFT_APP_PASSWORD;
  const problems = [
    !clientId && 'environment MICROSOFT_APP_CATALOG_ID: needs MICROSOFT_APP_ID (or MICROSOFT_GRAPH_CLIENT_ID) for Microsoft Graph',
    !clientSecret && 'environment MICROSOFT_APP_CATALOG_ID: needs MICROSOFT_APP_PASSWORD (or MICROSOFT_GRAPH_CLIENT_SECRET) for Microsoft Graph',
    !env.MICROSOFT_APP_TENANT_ID && !env.MICROSOFT_APP_AUTHORITY && 'environment MICROSOFT_APP_CATALOG_ID: needs MICROSOFT_APP_TENANT_ID (the tenant Graph installs the app in)',
  ].filter((line): line is string => typeof line === 'string');
  if (problems.length > 0) throw new ConfigError(problems);
  const authority = (env.MICROSOFT_APP_AUTHORITY ?? `https://login.microsoftonline.com/${env.MICROSOFT_APP_TENANT_ID}`).replace(/\/+$/, '');
  return {
    catalogId: env.MICROSOFT_APP_CATALOG_ID,
    graphUrl: env.MICROSOFT_GRAPH_URL.replace(/\/+$/, ''),
    tokenUrl: `${authority}/oauth2/v2.0/token`,
    clientId: clientId as string,
    clientSecret: clientSecret as string,
  };
};

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });

/** installed: now (or already) installed. refused: Graph said no for good (no consent, app blocked, user unknown). */
export type InstallOutcome = { result: 'installed' } | { result: 'refused' | 'failed'; status: number | null; code: string };

/** Graph error bodies are `{ error: { code, message } }`; only the code is kept (the message may name the user). */
const graphCode = async (response: Response): Promise<string> => {
  const body = (await response.json().catch(() => null)) as { error?: { code?: unknown } } | null;
  return typeof body?.error?.code === 'string' ? body.error.code.slice(0, 80) : `http_${response.status}`;
};

export const createGraphInstaller = (settings: GraphInstallSettings) => {
  let token: { value: string; until: number } | null = null;

  const accessToken = async (): Promise<string> => {
    if (token && token.until > Date.now()) return token.value;
    const response = await fetch(settings.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' }),
    });
    if (!response.ok) throw new GraphTokenError(response.status, await graphCode(response));
    const parsed = tokenAnswer.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new GraphTokenError(response.status, 'token.malformed');
    // Renewed a minute early: a token that expires mid-call is refused.
    token = { value: parsed.data.access_token, until: Date.now() + Math.max(0, parsed.data.expires_in - 60) * 1000 };
    return token.value;
  };

  const attempt = async (userAadId: string): Promise<InstallOutcome> => {
    let bearer: string;
    try {
      bearer = await accessToken();
    } catch (error) {
      const status = error instanceof GraphTokenError ? error.status : null;
      return { result: status === 400 || status === 401 ? 'refused' : 'failed', status, code: error instanceof GraphTokenError ? `token.${error.code}` : 'token.network' };
    }
    let response: Response;
    try {
      response = await fetch(`${settings.graphUrl}/users/${encodeURIComponent(userAadId)}/teamwork/installedApps`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ 'teamsApp@odata.bind': `${settings.graphUrl}/appCatalogs/teamsApps/${encodeURIComponent(settings.catalogId)}` }),
      });
    } catch {
      return { result: 'failed', status: null, code: 'network' };
    }
    // 201 Created; 409 Conflict is Graph's "already installed for this user": reachable either way.
    if (response.ok || response.status === 409) return { result: 'installed' };
    if (response.status === 401) token = null;
    const code = await graphCode(response);
    return { result: [400, 403, 404].includes(response.status) ? 'refused' : 'failed', status: response.status, code };
  };

  return {
    /** Install the app for this person, retried once; the outcome of the last try. */
    async install(userAadId: string): Promise<InstallOutcome> {
      const first = await attempt(userAadId);
      return first.result === 'installed' ? first : attempt(userAadId);
    },
  };
};

export type GraphInstaller = ReturnType<typeof createGraphInstaller>;

class GraphTokenError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`token endpoint answered ${status} (${code})`);
    this.name = 'GraphTokenError';
  }
}
