import pino, { type DestinationStream } from 'pino';
import { REDACT_PATHS } from './ops/log-redaction.js';
import { requestLogFields } from './ops/request-context.js';

/**
 * JSON logs on stdout. Tokens, secrets and case narrative never go in: the redact list is a safety net;
 * code logs ids, references and codes, never summaries or rationales.
 */
export const createLogger = (args: { level: string; destination?: DestinationStream }) =>
  pino(
    {
      level: args.level,
      base: { service: 'dutydesk' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Every line written while handling an HTTP request carries its id (src/ops/request-context.ts).
      mixin: requestLogFields,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    args.destination ?? pino.destination(1),
  );

export type AppLogger = ReturnType<typeof createLogger>;
