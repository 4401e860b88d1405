// A loopback stand-in for the two Microsoft endpoints proactive installation calls: Entra's token endpoint (client
// credentials: `POST /{tenant}/oauth2/v2.0/token`, form-encoded) and Microsoft Graph's
// `POST /v1.0/users/{id}/teamwork/installedApps` with `teamsApp@odata.bind`. Request and answer shapes are Microsoft's
// documented ones; nothing leaves the machine.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, readBody } from './loopback-http.js';

export interface GraphInstallRequest {
  userId: string;
  /** The `teamsApp@odata.bind` the bot sent. */
  bind: unknown;
  authorized: boolean;
  status: number;
}

export interface FakeGraph {
  /** MICROSOFT_APP_AUTHORITY: `http://127.0.0.1:<port>/<tenant>` (the token endpoint is under it). */
  authority: string;
  /** MICROSOFT_GRAPH_URL: `http://127.0.0.1:<port>/v1.0`. */
  graphUrl: string;
  tokenRequests: Record<string, string>[];
  installs: GraphInstallRequest[];
  /** Users the app is installed for (after a 201, or from the start). */
  installedFor: Set<string>;
  /** Installs for this user are refused with `status` (403 Forbidden by default: an admin policy blocks the app). */
  refuse(userId: string, status?: number): void;
  /** The next `times` install calls fail with `status` (e.g. 503). */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body?: unknown): void => {
  if (body === undefined) res.writeHead(status).end();
  else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
const graphError = (res: ServerResponse, status: number, code: string, message: string) =>
  json(res, status, { error: { code, message, innerError: { 'request-id': randomUUID(), date: new Date().toISOString() } } });

export async function startFakeGraph(args: { tenantId: string; clientId: string; clientSecret: string; catalogId: string }): Promise<FakeGraph> {
  const tokenRequests: Record<string, string>[] = [];
  const installs: GraphInstallRequest[] = [];
  const installedFor = new Set<string>();
  const refused = new Map<string, number>();
  const failures: number[] = [];
  const issued = new Set<string>();
  let origin = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const raw = (await readBody(req)).toString('utf8');
    if (req.method === 'POST' && path === `/${args.tenantId}/oauth2/v2.0/token`) {
      const form = Object.fromEntries(new URLSearchParams(raw));
      tokenRequests.push(form);
      if (form.grant_type !== 'client_credentials') return json(res, 400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003' });
      if (form.client_id !== args.clientId || form.client_secret !== args.clientSecret)
        return json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      if (form.scope !== 'https://graph.microsoft.com/.default') return json(res, 400, { error: 'invalid_scope', error_description: 'AADSTS70011' });
      const token = `fake-graph-token-${randomUUID()}`;
      issued.add(token);
      return json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }
    const install = /^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps$/.exec(path);
    if (req.method === 'POST' && install) {
      const userId = decodeURIComponent(install[1] ?? '');
      const authorized = issued.has((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        /* answered below as a bad request */
      }
      const record: GraphInstallRequest = { userId, bind: body['teamsApp@odata.bind'], authorized, status: 201 };
      installs.push(record);
      const answer = (status: number, code: string, message: string) => {
        record.status = status;
        graphError(res, status, code, message);
      };
      if (!authorized) return answer(401, 'InvalidAuthenticationToken', 'Access token is empty.');
      const failure = failures.shift();
      if (failure) return answer(failure, 'ServiceUnavailable', 'injected failure');
      if (record.bind !== `${origin}/v1.0/appCatalogs/teamsApps/${args.catalogId}`) return answer(400, 'BadRequest', 'Invalid teamsApp@odata.bind');
      const refusal = refused.get(userId);
      if (refusal) return answer(refusal, 'Forbidden', 'Failed to execute Templates backend request CreateAppInstallation.');
      if (installedFor.has(userId)) return answer(409, 'Conflict', 'App is already installed for this user.');
      installedFor.add(userId);
      return json(res, 201);
    }
    return graphError(res, 404, 'NotFound', `no route ${req.method} ${path}`);
  }

  origin = await listenOnLoopback(server);
  return {
    authority: `${origin}/${args.tenantId}`,
    graphUrl: `${origin}/v1.0`,
    tokenRequests,
    installs,
    installedFor,
    refuse: (userId, status = 403) => void refused.set(userId, status),
    failNext: (status, times = 1) => {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    close: () => closeServer(server),
  };
}
