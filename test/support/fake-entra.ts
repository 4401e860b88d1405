// A loopback stand-in for Microsoft Entra's token signing keys, for tests: a real RSA key pair generated here, its
// public half served as a JWKS (and OpenID metadata) where the Agents SDK looks for the tenant's keys, and RS256
// tokens signed with the private half. Nothing leaves the machine.
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeEntra {
  /** The authority to configure (MICROSOFT_APP_AUTHORITY): `http://127.0.0.1:<port>/<tenant>`. */
  authority: string;
  tenantId: string;
  /** The issuer Entra v1 tokens carry for the tenant; in the SDK's default issuer list for it. */
  issuer: string;
  /** Every path the SDK (or anything else) fetched, in order. */
  requests: string[];
  sign(claims: { aud: string; serviceUrl?: string; expiresInSeconds?: number; tid?: string; iss?: string; kid?: string }): string;
  close(): Promise<void>;
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export async function startFakeEntra(args: { tenantId: string }): Promise<FakeEntra> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `test-${randomUUID()}`;
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, use: 'sig', alg: 'RS256', kty: 'RSA' };
  const requests: string[] = [];
  let base = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    requests.push(path);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === `/${args.tenantId}/discovery/v2.0/keys` || path === `/${args.tenantId}/discovery/keys`) return json(200, { keys: [jwk] });
    if (path.endsWith('/.well-known/openid-configuration')) {
      return json(200, { issuer: `https://sts.windows.net/${args.tenantId}/`, jwks_uri: `${base}/${args.tenantId}/discovery/v2.0/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    return json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `https://sts.windows.net/${args.tenantId}/`;
  return {
    authority: `${base}/${args.tenantId}`,
    tenantId: args.tenantId,
    issuer,
    requests,
    sign(claims) {
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: 'RS256', typ: 'JWT', kid: claims.kid ?? kid };
      const payload = {
        iss: claims.iss ?? issuer,
        aud: claims.aud,
        tid: claims.tid ?? args.tenantId,
        iat: now - 60,
        nbf: now - 60,
        exp: now + (claims.expiresInSeconds ?? 3600),
        ...(claims.serviceUrl ? { serviceurl: claims.serviceUrl } : {}),
      };
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
      const signature = createSign('RSA-SHA256').update(input).sign(privateKey);
      return `${input}.${b64url(signature)}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
