import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BoardRepository, BoardSessionRow } from '../db/board.repository.js';
import type { BoardSettings } from './board-config.js';

export const SESSION_COOKIE = 'dutydesk_board';
export const SIGN_IN_COOKIE = 'dutydesk_board_signin';
export const SESSION_MS = 8 * 3_600_000;
export const SIGN_IN_MS = 10 * 60_000;

export const randomToken = () => randomBytes(32).toString('base64url');

/** Only this hash is stored: the cookie's value never reaches the database. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The CSRF token every form carries: derived from the session's own secret, so it is per session. */
export const csrfToken = (session: Pick<BoardSessionRow, 'csrfSecret'>) => createHmac('sha256', session.csrfSecret).update('board-form').digest('base64url');

export const csrfMatches = (session: Pick<BoardSessionRow, 'csrfSecret'>, given: unknown): boolean => {
  if (typeof given !== 'string' || given.length === 0) return false;
  const expected = Buffer.from(csrfToken(session));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

export const readCookie = (header: string | undefined, name: string): string | undefined => {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
};

/** `HttpOnly; SameSite=Lax` always; `Secure` unless BOARD_URL is plain http on loopback (local runs, tests). */
export const cookieHeader = (args: { settings: BoardSettings; name: string; value: string; path: string; maxAgeMs: number }) =>
  [
    `${args.name}=${encodeURIComponent(args.value)}`,
    `Path=${args.path}`,
    `Max-Age=${Math.max(0, Math.floor(args.maxAgeMs / 1000))}`,
    'HttpOnly',
    ...(args.settings.secureCookies ? ['Secure'] : []),
    'SameSite=Lax',
  ].join('; ');

export const createSessions = (args: { repo: BoardRepository; settings: BoardSettings }) => {
  const { repo, settings } = args;
  return {
    async startSignIn(values: { provider: string; pending: NonNullable<BoardSessionRow['pending']>; now: Date }) {
      const token = randomToken();
      await repo.insertSession({
        idHash: hashToken(token),
        personId: null,
        provider: values.provider,
        csrfSecret: randomToken(),
        pending: values.pending,
        createdAt: values.now,
        expiresAt: new Date(values.now.getTime() + SIGN_IN_MS),
      });
      return { cookie: cookieHeader({ settings, name: SIGN_IN_COOKIE, value: token, path: '/board/auth', maxAgeMs: SIGN_IN_MS }) };
    },
    takeSignIn: (token: string, now: Date) => repo.takePending({ idHash: hashToken(token), now }),
    async create(values: { personId: string; provider: string; now: Date }) {
      const token = randomToken();
      await repo.deleteExpired(values.now);
      await repo.insertSession({
        idHash: hashToken(token),
        personId: values.personId,
        provider: values.provider,
        csrfSecret: randomToken(),
        pending: null,
        createdAt: values.now,
        expiresAt: new Date(values.now.getTime() + SESSION_MS),
      });
      return { cookie: cookieHeader({ settings, name: SESSION_COOKIE, value: token, path: '/board', maxAgeMs: SESSION_MS }) };
    },
    async current(cookieHeaderValue: string | undefined, now: Date): Promise<(BoardSessionRow & { personId: string }) | null> {
      const token = readCookie(cookieHeaderValue, SESSION_COOKIE);
      if (!token) return null;
      const row = await repo.session({ idHash: hashToken(token), now });
      return row?.personId ? (row as BoardSessionRow & { personId: string }) : null;
    },
    async end(session: BoardSessionRow) {
      await repo.deleteSession(session.idHash);
      return cookieHeader({ settings, name: SESSION_COOKIE, value: '', path: '/board', maxAgeMs: 0 });
    },
    clearSignIn: () => cookieHeader({ settings, name: SIGN_IN_COOKIE, value: '', path: '/board/auth', maxAgeMs: 0 }),
  };
};

export type Sessions = ReturnType<typeof createSessions>;
