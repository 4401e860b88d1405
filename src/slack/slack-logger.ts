import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../use-cases/context.js';

/**
 * Bolt's and the WebClient's logger, forwarded to ours at warn and error only (their debug/info lines can
 * carry payloads). Messages are flattened to strings; tokens never appear in them.
 */
export const boltLogger = (logger: Logger): BoltLogger => {
  let level = 'warn' as LogLevel;
  let name = 'slack';
  const line = (parts: unknown[]) =>
    parts
      .map((part) => (part instanceof Error ? `${part.name}: ${part.message}` : typeof part === 'string' ? part : ''))
      .join(' ')
      .replace(/xox[a-z]-[A-Za-z0-9-]+/g, '[redacted]')
      .slice(0, 500);
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...parts: unknown[]) => logger.warn({ component: name }, line(parts)),
    error: (...parts: unknown[]) => logger.error({ component: name }, line(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
};
