import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A modal's private_metadata: which command it belongs to, the form's context and who it was opened for,
 * with an HMAC keyed by the signing secret. A view_submission whose metadata does not verify (a view the
 * bot never opened, or opened for someone else) is refused.
 */
export interface ViewMetadata {
  /** Command name, or 'decision' for a decision form. */
  command: string;
  formId: string;
  context: Record<string, string>;
  userId: string;
}

const mac = (secret: string, payload: ViewMetadata) =>
  createHmac('sha256', `dutydesk-view:${secret}`)
    .update(JSON.stringify([payload.command, payload.formId, payload.userId, Object.entries(payload.context).sort()]))
    .digest('base64url');

export const signViewMetadata = (args: { secret: string; metadata: ViewMetadata }): string => {
  const { command, formId, context, userId } = args.metadata;
  return JSON.stringify({ n: command, f: formId, c: context, u: userId, s: mac(args.secret, args.metadata) });
};

const isStringRecord = (value: unknown): value is Record<string, string> =>
  !!value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((entry) => typeof entry === 'string');

/** The metadata if it verifies for this user and callback_id; null otherwise. */
export const verifyViewMetadata = (args: { secret: string; raw: string; userId: string; callbackId: string }): ViewMetadata | null => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args.raw);
  } catch {
    return null;
  }
  const record = parsed as { n?: unknown; f?: unknown; c?: unknown; u?: unknown; s?: unknown };
  if (typeof record?.n !== 'string' || typeof record.f !== 'string' || typeof record.u !== 'string' || typeof record.s !== 'string') return null;
  if (!isStringRecord(record.c)) return null;
  const metadata: ViewMetadata = { command: record.n, formId: record.f, context: record.c, userId: record.u };
  const expected = Buffer.from(mac(args.secret, metadata));
  const given = Buffer.from(record.s);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  if (metadata.userId !== args.userId || metadata.formId !== args.callbackId) return null;
  return metadata;
};
