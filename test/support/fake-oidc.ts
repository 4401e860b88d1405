/**
 * A real OpenID Connect provider on loopback (`oidc-provider`, with its development login and consent pages):
 * it stands in for Slack's "Sign in with Slack" or for Microsoft Entra ID in the board's browser tests. The
 * login typed on its page becomes the account; `claimsFor` adds the claims the real issuer would send
 * (Slack's user id claim, Entra's object id `oid`).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface FakeOidc {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export const startFakeOidc = async (args: { name: string; redirectUris: string[]; claimsFor: (login: string) => Record<string, string> }): Promise<FakeOidc> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = `${args.name}-client`;
  const clientSecret = `${args.name}-secret-0123456789abcdef`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: args.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, ...args.claimsFor(id) }) }),
    claims: { openid: ['sub', 'oid', 'https://slack.com/user_id', 'https://slack.com/team_id'], profile: ['name'] },
    // Like Slack and Entra, put the identity claims in the ID token itself.
    conformIdTokenClaims: false,
    cookies: { keys: [`${args.name}-cookie-key`] },
    // Our own signing key and lifetimes (the library's built-in development ones print warnings on every start).
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: `${args.name}-key`, use: 'sig', alg: 'RS256' } as never] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: true } },
  });
  provider.on('server_error', (_ctx: unknown, error: Error) => process.stderr.write(`fake oidc ${args.name}: ${error.message}\n`));
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
