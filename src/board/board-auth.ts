import type express from 'express';
import * as oidc from 'openid-client';
import type { UseCaseContext } from '../use-cases/context.js';
import { type BoardProvider, type BoardSettings, isLoopbackHttp } from './board-config.js';
import { SIGN_IN_COOKIE, type Sessions, readCookie } from './board-sessions.js';
import { messagePage, signInPage } from './board-pages.js';

/**
 * "Sign in with Slack" and Microsoft Entra ID over OpenID Connect (authorization code, PKCE, state and nonce).
 * The signed-in identity (Slack user id, Entra object id) must be a person of the org file; anyone else is refused.
 */
export const createBoardAuth = (args: { ctx: UseCaseContext; settings: BoardSettings; sessions: Sessions }) => {
  const { ctx, settings, sessions } = args;
  const configs = new Map<string, Promise<oidc.Configuration>>();

  const configFor = (provider: BoardProvider) => {
    let config = configs.get(provider.id);
    if (!config) {
      // Plain http is allowed only for an issuer on loopback (a local OpenID provider in tests or a demo).
      const options = isLoopbackHttp(provider.issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined;
      config = oidc.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, undefined, options);
      config.catch(() => configs.delete(provider.id)); // try discovery again on the next sign-in
      configs.set(provider.id, config);
    }
    return config;
  };

  const redirectUri = (provider: BoardProvider) => `${settings.baseUrl}/board/auth/${provider.id}/callback`;
  const providerOf = (id: string | undefined) => settings.providers.find((provider) => provider.id === id);

  const personFor = (provider: BoardProvider, claims: Record<string, unknown>) => {
    for (const claim of provider.identityClaims) {
      const value = claims[claim];
      if (typeof value !== 'string' || value === '') continue;
      return { externalId: value, person: provider.id === 'slack' ? ctx.directory.personBySlack(value) : ctx.directory.personByTeams(value) };
    }
    return { externalId: null, person: undefined };
  };

  const signIn: express.RequestHandler = async (req, res) => {
    const provider = providerOf(String(req.params.provider));
    if (!provider) {
      res
        .status(404)
        .type('html')
        .send(messagePage({ title: 'Not found', text: 'There is no such sign-in on this board.' }));
      return;
    }
    try {
      const config = await configFor(provider);
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const { cookie } = await sessions.startSignIn({ provider: provider.id, pending: { state, nonce, codeVerifier, returnTo: '/board' }, now: ctx.clock.now() });
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri(provider),
        scope: 'openid profile',
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      res.setHeader('Set-Cookie', cookie);
      res.redirect(303, url.href);
    } catch (error) {
      ctx.logger.warn({ component: 'board', op: 'sign-in', provider: provider.id, error: (error as Error).name }, 'board sign-in provider unreachable');
      res
        .status(503)
        .type('html')
        .send(messagePage({ title: 'Sign-in unavailable', text: `${provider.label} is not reachable just now. Try again in a minute.` }));
    }
  };

  const callback: express.RequestHandler = async (req, res) => {
    const provider = providerOf(String(req.params.provider));
    const token = readCookie(req.headers.cookie, SIGN_IN_COOKIE);
    const now = ctx.clock.now();
    const pending = token ? await sessions.takeSignIn(token, now) : undefined;
    res.setHeader('Set-Cookie', sessions.clearSignIn());
    if (!provider || !pending?.pending || pending.provider !== provider.id) {
      res
        .status(400)
        .type('html')
        .send(signInPage({ settings, problem: 'That sign-in has expired or was not started here. Please sign in again.' }));
      return;
    }
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(await configFor(provider), new URL(req.originalUrl, settings.baseUrl), {
        pkceCodeVerifier: pending.pending.codeVerifier,
        expectedState: pending.pending.state,
        expectedNonce: pending.pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims() as Record<string, unknown> | undefined;
    } catch (error) {
      ctx.logger.warn({ component: 'board', op: 'callback', provider: provider.id, error: (error as Error).name, code: (error as { code?: string }).code }, 'board sign-in failed');
    }
    if (!claims) {
      res
        .status(401)
        .type('html')
        .send(signInPage({ settings, problem: 'The sign-in did not complete. Please try again.' }));
      return;
    }
    const { externalId, person } = personFor(provider, claims);
    if (!person) {
      await ctx.store.repos.records.audit({ at: now, actorId: null, event: 'board.sign_in_refused', details: { provider: provider.id, externalId } });
      res
        .status(403)
        .type('html')
        .send(
          messagePage({ title: 'Not in the directory', text: 'Your account is not in the DutyDesk directory, so the board cannot show you anything. Ask an administrator to add it to the org file.' }),
        );
      return;
    }
    const { cookie } = await sessions.create({ personId: person.id, provider: provider.id, now });
    await ctx.store.repos.records.audit({ at: now, actorId: person.id, event: 'board.signed_in', details: { provider: provider.id } });
    res.setHeader('Set-Cookie', [sessions.clearSignIn(), cookie]);
    res.redirect(303, pending.pending.returnTo.startsWith('/board') ? pending.pending.returnTo : '/board');
  };

  return { signIn, callback };
};
