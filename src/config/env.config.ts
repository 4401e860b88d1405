import cron from 'node-cron';
import { z } from 'zod';
import { parseDeadlineSpec } from '../domain/time/deadline-spec.js';

/** The environment, parsed once at start (README.md "Configuration" lists every variable). */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== '' ? value.trim() : undefined));

/** A fixed span (weeks, days, hours, minutes, seconds: no months or years) in milliseconds. */
const fixedDuration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const parsed = parseDeadlineSpec(value);
      const spec = parsed.ok && parsed.spec.kind === 'duration' && parsed.spec.years === 0 && parsed.spec.months === 0 ? parsed.spec : null;
      if (!spec) {
        ctx.addIssue({ code: 'custom', message: 'expected an ISO 8601 duration in weeks, days or hours, e.g. P7D' });
        return z.NEVER;
      }
      return ((((spec.weeks * 7 + spec.days) * 24 + spec.hours) * 60 + spec.minutes) * 60 + spec.seconds) * 1000;
    });

const flag = z
  .string()
  .optional()
  .refine((value) => value === undefined || /^(1|0|true|false|)$/i.test(value.trim()), { message: 'expected 1 or 0' })
  .transform((value) => value !== undefined && /^(1|true)$/i.test(value.trim()));

const cronExpression = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => cron.validate(value), { message: 'expected a node-cron expression, e.g. "0 9 * * 1-5"' });

export const envSchema = z.object({
  PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535).default(3000),
  DATABASE_URL: optionalText.refine((value) => !value || /^postgres(ql)?:\/\//.test(value), {
    message: 'expected a postgres:// URL',
  }),
  DATA_DIR: z.string().default('./data'),
  ORG_FILE: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: z.string().url({ message: 'expected a URL such as https://slack.com/api/' }).default('https://slack.com/api/'),
  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: optionalText,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  /** Without MICROSOFT_APP_ID, serve /api/messages unauthenticated to loopback callers (emulator, tests). */
  TEAMS_EMULATOR: flag,
  /** Extra hosts allowed as an activity's serviceUrl besides Microsoft's connector hosts (tests; comma-separated). */
  TEAMS_EXTRA_SERVICE_HOSTS: optionalText.transform((value) =>
    value
      ? value
          .split(',')
          .map((host) => host.trim())
          .filter(Boolean)
      : [],
  ),
  /** Entra authority for token validation and acquisition (sovereign clouds; tests point it at a loopback server). */
  MICROSOFT_APP_AUTHORITY: optionalText.refine((value) => !value || /^https?:\/\//.test(value), { message: 'expected a URL' }),
  /** Teams app catalog id: reach people who have not installed the app by installing it for them (Microsoft Graph). */
  MICROSOFT_APP_CATALOG_ID: optionalText,
  /** Microsoft Graph's base URL (national clouds; tests point it at a loopback fake). */
  MICROSOFT_GRAPH_URL: z.string().url({ message: 'expected a URL such as https://graph.microsoft.com/v1.0' }).default('https://graph.microsoft.com/v1.0'),
  /** The app registration Graph tokens are asked for (default: the bot's own MICROSOFT_APP_ID and password). */
  MICROSOFT_GRAPH_CLIENT_ID: optionalText,
  MICROSOFT_GRAPH_CLIENT_SECRET: optionalText,
  /** The owner role that runs migrations; DATABASE_URL is then the runtime role with only the grants it needs. */
  MIGRATIONS_DATABASE_URL: optionalText.refine((value) => !value || /^postgres(ql)?:\/\//.test(value), { message: 'expected a postgres:// URL' }),
  /** Sent outbox rows lose their rendered message after this long (the record stays in items and decisions). */
  OUTBOX_RETENTION: fixedDuration('P7D'),
  SWEEP_CRON: cronExpression('*/30 * * * * *'),
  DIGEST_CRON: cronExpression('0 9 * * 1-5'),
  RETENTION_CRON: cronExpression('30 2 * * *'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  NODE_ENV: optionalText,
  /** How long SIGTERM may take to drain (requests, sends, leases) before the process closes anyway; in ms. */
  SHUTDOWN_GRACE: z
    .string()
    .default('10s')
    .refine((value) => /^\d+(\.\d+)?(ms|s)?$/.test(value.trim()), { message: 'expected a duration such as 10s or 1500ms' })
    .transform((value) => {
      const text = value.trim();
      return Math.round(text.endsWith('ms') ? Number(text.slice(0, -2)) : Number(text.replace(/s$/, '')) * 1000);
    }),
  // The managers' board (src/board): off unless BOARD_URL and at least one sign-in provider are set.
  BOARD_URL: optionalText.refine((value) => !value || /^https?:\/\/[^/]+(\/.*)?$/.test(value), { message: "expected the board's public base URL, e.g. https://dutydesk.example.org" }),
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_OIDC_ISSUER: optionalText.refine((value) => !value || /^https?:\/\//.test(value), { message: 'expected an issuer URL such as https://slack.com' }),
  ENTRA_CLIENT_ID: optionalText,
  ENTRA_CLIENT_SECRET: optionalText,
  ENTRA_TENANT_ID: optionalText,
  ENTRA_OIDC_ISSUER: optionalText.refine((value) => !value || /^https?:\/\//.test(value), { message: 'expected an issuer URL such as https://login.microsoftonline.com/<tenant>/v2.0' }),
  BOARD_WEEKLY_CRON: cronExpression('0 8 * * 1'),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parse `process.env`-like input; every problem becomes one line naming the variable. */
export const parseEnv = (source: Record<string, string | undefined>): Env => {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => `environment ${issue.path.join('.')}: ${issue.message}`));
};

export interface SlackSettings {
  signingSecret: string;
  botToken: string;
  appToken?: string;
  apiUrl: string;
}

/** Which platforms are connected, and for the ones that are not, why. */
export const platformSettings = (env: Env) => {
  const slackMissing = [!env.SLACK_SIGNING_SECRET && 'SLACK_SIGNING_SECRET', !env.SLACK_BOT_TOKEN && 'SLACK_BOT_TOKEN'].filter(Boolean) as string[];
  const slack: SlackSettings | null =
    slackMissing.length === 0
      ? {
          signingSecret: env.SLACK_SIGNING_SECRET as string,
          botToken: env.SLACK_BOT_TOKEN as string,
          appToken: env.SLACK_APP_TOKEN,
          apiUrl: env.SLACK_API_URL,
        }
      : null;
  return {
    slack,
    slackWhyNot: slack ? null : `set ${slackMissing.join(' and ')} to connect Slack`,
    teams: {
      appId: env.MICROSOFT_APP_ID,
      appPassword: env.MICROSOFT_APP_PASSWORD,
      tenantId: env.MICROSOFT_APP_TENANT_ID,
      appType: env.MICROSOFT_APP_TYPE,
      emulator: env.TEAMS_EMULATOR,
      extraServiceHosts: env.TEAMS_EXTRA_SERVICE_HOSTS,
      authority: env.MICROSOFT_APP_AUTHORITY,
    },
  };
};
