/** The board over plain HTTP: cookie flags, security headers, and what a request without a session gets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BoardHarness, startBoardHarness } from './board-harness.js';

describe('the board over HTTP', () => {
  let h: BoardHarness;
  beforeAll(async () => {
    h = await startBoardHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('starts a sign-in with PKCE and state, in an HttpOnly SameSite=Lax cookie (no Secure on a loopback http BOARD_URL)', async () => {
    const response = await fetch(`${h.boardUrl}/board/sign-in/slack`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin).toBe(h.slackIdp.issuer);
    expect(Object.fromEntries(['client_id', 'redirect_uri', 'response_type', 'code_challenge_method', 'scope'].map((key) => [key, location.searchParams.get(key)]))).toEqual({
      client_id: h.slackIdp.clientId,
      redirect_uri: `${h.boardUrl}/board/auth/slack/callback`,
      response_type: 'code',
      code_challenge_method: 'S256',
      scope: 'openid profile',
    });
    expect(location.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(location.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(response.headers.get('set-cookie')).toMatch(/^dutydesk_board_signin=[\w-]+; Path=\/board\/auth; Max-Age=600; HttpOnly; SameSite=Lax$/);
  });

  it('refuses a callback that was not started here, a POST without a session, and an unknown provider', async () => {
    const callback = await fetch(`${h.boardUrl}/board/auth/slack/callback?code=abc&state=xyz`, { redirect: 'manual' });
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain('That sign-in has expired or was not started here.');
    const post = await fetch(`${h.boardUrl}/board/items/ESC-000001/decisions`, {
      method: 'POST',
      body: new URLSearchParams({ action: 'escalation.countersign', rationale: 'no session', csrf: 'x' }),
      redirect: 'manual',
    });
    expect(post.status).toBe(401);
    expect((await fetch(`${h.boardUrl}/board/sign-in/github`)).status).toBe(404);
    const item = await fetch(`${h.boardUrl}/board/items/ESC-000001`, { redirect: 'manual' });
    expect([item.status, item.headers.get('location')]).toEqual([303, '/board']);
  });

  it('sends no script, a strict content security policy, and no caching', async () => {
    const response = await fetch(`${h.boardUrl}/board`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' https:; base-uri 'none'; frame-ancestors https:\/\/teams\.microsoft\.com /,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.text();
    expect(body).not.toMatch(/<script/i);
    expect(body).toContain('<html lang="en-GB">');
  });
});
