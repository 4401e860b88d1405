/**
 * Fields that may carry case narrative or secrets, at any of the depths our log lines and the SDKs' objects put
 * them. pino's paths match one level per `*`, so each name is listed at the top and up to three levels down.
 * Code logs ids, references and codes; this list is the safety net if a whole object slips into a line.
 */
const NARRATIVE = ['summary', 'rationale', 'notes', 'text', 'body', 'payload', 'blocks', 'view', 'values', 'private_metadata', 'privateMetadata', 'message', 'details.summary'];
const SECRETS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'password',
  'appPassword',
  'clientSecret',
  'secret',
  'authorization',
  'cookie',
  'access_token',
  'refresh_token',
  'x-slack-signature',
  'response_url',
  'responseUrl',
  'trigger_id',
  'url',
];

const atDepths = (name: string) => {
  const key = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(name) ? name : `["${name}"]`;
  const join = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
  return [key, join('*'), join('*.*'), join('*.*.*')];
};

export const REDACT_PATHS = [...new Set([...NARRATIVE, ...SECRETS].flatMap(atDepths))];
