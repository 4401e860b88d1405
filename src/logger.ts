import pino from 'pino';

/**
 * JSON logs on stdout. Tokens, secrets and case narrative never go in: the redact list is a safety net;
 * code logs ids, references and codes, never summaries or rationales.
 */
export const createLogger = (args: { level: string }) =>
  pino({
    level: args.level,
    base: { service: 'dutydesk' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['token', 'botToken', 'appToken', 'signingSecret', 'password', 'authorization', 'headers.authorization', '*.token', 'summary', 'rationale', 'text', 'details.summary'],
      censor: '[redacted]',
    },
  });

export type AppLogger = ReturnType<typeof createLogger>;
