import { createHmac, timingSafeEqual } from 'node:crypto';
import type express from 'express';

/** Slack's own replay window: a signed request older (or further ahead) than this is refused. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;
/** Largest body accepted at POST /slack/events (Slack's own payloads are far smaller). */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Where accepted requests are remembered for the replay window. The app's is the PostgreSQL ledger shared by every
 * replica (src/db/replay-ledger.repository.ts), so a captured request replayed to another replica is refused too.
 */
export interface ReplayLedger {
  /** True when this signed request is new (and is now remembered); false for a replay. */
  remember(entry: { timestamp: number; signature: string }): Promise<boolean>;
  /**
   * Resolves once every request accepted so far is stored (at once where the store decides; the write-behind
   * ledger writes its pending rows now). Work that changes something starts after it, so what a request changed
   * is never stored ahead of its ledger row. Never rejects.
   */
  settle(): Promise<void>;
}

/** How long an accepted request's ledger row may wait to be written with others on the embedded engine. */
const WRITE_BEHIND_MS = 200;
/** Bound on the fallback memory: ~100 bytes an entry, a few MB at most. */
const FALLBACK_MAX = 50_000;

/**
 * The ledger over the store. Slack's own retries carry a new timestamp and signature, so they still pass. Time is
 * real time (Slack signs with it), not the app's clock. While the database cannot be reached, this replica
 * remembers accepted requests in memory instead (a replay to it is still refused), so that the request goes on to
 * get the "database unavailable, nothing was saved" answer rather than an error page.
 */
export const createReplayLedger = (args: {
  remember: (row: { key: string; expiresAt: Date; now: Date }) => Promise<boolean>;
  /** A failure that means "the database is down" (fall back), as opposed to a bug (rethrow). */
  isUnavailable?: (error: unknown) => boolean;
  onFallback?: () => void;
  now?: () => number;
  /**
   * The embedded engine (one process per data dir, so this process sees every request): memory decides, and the
   * rows are written behind, off the ack path, grouped: one statement for the requests accepted in the last
   * `everyMs` (PGlite runs every statement on this one thread: a transaction per request was most of a slash
   * command's CPU). `remembered` are the keys still in the window at start (a restart still refuses them).
   * `settle()` writes the pending rows at once: the handlers call it before any work that changes something, so
   * a crash can forget only requests that changed nothing (a form opened, a link clicked) in the last `everyMs`.
   * `onWriteFailed` hears a write that failed (this process still remembers those requests).
   */
  writeBehind?: {
    remembered: { key: string; expiresAt: Date }[];
    write: (args: { rows: { key: string; expiresAt: Date }[]; now: Date }) => Promise<void>;
    onWriteFailed: (error: unknown) => void;
    everyMs?: number;
  };
}): ReplayLedger => {
  const fallback = new Map<string, number>();
  for (const row of args.writeBehind?.remembered ?? []) fallback.set(row.key, row.expiresAt.getTime());
  const behind = args.writeBehind;
  let pending: { key: string; expiresAt: Date }[] = [];
  let timer: NodeJS.Timeout | null = null;
  let written: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!behind || pending.length === 0) return written;
    const rows = pending;
    pending = [];
    const now = new Date((args.now ?? Date.now)());
    written = written.then(() => behind.write({ rows, now })).catch(behind.onWriteFailed);
    return written;
  };
  return {
    settle: flush,
    async remember(entry) {
      const now = (args.now ?? Date.now)();
      const expiresAt = new Date((Math.max(entry.timestamp, Math.floor(now / 1000)) + REPLAY_WINDOW_SECONDS) * 1000);
      const key = `${entry.timestamp}:${entry.signature}`;
      for (const [seen, expiry] of fallback) {
        if (expiry > now && fallback.size < FALLBACK_MAX) break;
        fallback.delete(seen);
      }
      if (fallback.has(key)) return false;
      if (behind) {
        fallback.set(key, expiresAt.getTime());
        pending.push({ key, expiresAt });
        if (!timer) {
          timer = setTimeout(flush, behind.everyMs ?? WRITE_BEHIND_MS);
          timer.unref();
        }
        return true;
      }
      try {
        return await args.remember({ key, expiresAt, now: new Date(now) });
      } catch (error) {
        if (!args.isUnavailable?.(error)) throw error;
        args.onFallback?.();
        fallback.set(key, expiresAt.getTime());
        return true;
      }
    },
  };
};

type Refusal = { status: 400 | 401 | 413; reason: string };

const readBody = (req: express.Request, limit: number): Promise<Buffer | Refusal> =>
  new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve({ status: 413, reason: 'too_large' });
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: Buffer | Refusal) => {
      if (done) return;
      done = true;
      resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        finish({ status: 413, reason: 'too_large' });
        return; // keep draining so the client can read the answer
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(Buffer.concat(chunks)));
    req.on('error', () => finish({ status: 400, reason: 'unreadable' }));
  });

const header = (req: express.Request, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const signatureValid = (args: { secret: string; timestamp: string; signature: string; body: Buffer }) => {
  const expected = Buffer.from(`v0=${createHmac('sha256', args.secret).update(`v0:${args.timestamp}:`).update(args.body).digest('hex')}`);
  const given = Buffer.from(args.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
};

/**
 * Express middleware for POST /slack/events, mounted before Bolt: reads the body (at most 1 MB, else 413),
 * checks the signature and the 5-minute window (401), and refuses a request already seen (401, a replay).
 * Only verified requests are remembered, so forged traffic cannot fill the ledger. Bolt then parses
 * `req.rawBody` (400 for malformed JSON or form encoding) without checking the signature a second time.
 */
export const createReplayGuard = (args: {
  signingSecret: string;
  ledger: ReplayLedger;
  maxBodyBytes?: number;
  onRefused?: (refusal: { status: number; reason: string }) => void;
}): express.RequestHandler => {
  const limit = args.maxBodyBytes ?? MAX_BODY_BYTES;
  const refuse = (res: express.Response, refusal: Refusal) => {
    args.onRefused?.(refusal);
    res.setHeader('connection', 'close');
    res.status(refusal.status).send();
  };
  return (req, res, next) => {
    void (async () => {
      const body = await readBody(req, limit);
      if (!Buffer.isBuffer(body)) return refuse(res, body);
      const timestamp = header(req, 'x-slack-request-timestamp') ?? '';
      const signature = header(req, 'x-slack-signature') ?? '';
      const seconds = Number(timestamp);
      if (!/^\d+$/.test(timestamp) || !signature) return refuse(res, { status: 401, reason: 'unsigned' });
      if (Math.abs(Math.floor(Date.now() / 1000) - seconds) > REPLAY_WINDOW_SECONDS) return refuse(res, { status: 401, reason: 'stale' });
      if (!signatureValid({ secret: args.signingSecret, timestamp, signature, body })) return refuse(res, { status: 401, reason: 'bad_signature' });
      if (!(await args.ledger.remember({ timestamp: seconds, signature }))) return refuse(res, { status: 401, reason: 'replayed' });
      (req as express.Request & { rawBody?: Buffer }).rawBody = body;
      next();
    })().catch(next);
  };
};
