/**
 * A small proxy in front of the fake Slack that fails calls for one channel or one user only (the fake's own
 * failure modes are per method): `channel_not_found` for an archived unit channel, `user_not_found` /
 * `account_inactive` for a person who left. Everything else is forwarded untouched.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Rule {
  method: string;
  /** Matches the call's `channel` or `users` argument. */
  target: string;
  error: string;
}

export interface SelectiveSlack {
  url: string;
  rules: Rule[];
  refused: { method: string; target: string; error: string }[];
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export const startSelectiveSlack = async (args: { upstream: string }): Promise<SelectiveSlack> => {
  const rules: Rule[] = [];
  const refused: SelectiveSlack['refused'] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const type = String(req.headers['content-type'] ?? '');
      const fields: Record<string, unknown> = type.includes('json')
        ? (JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      const targets = [fields.channel, fields.users].filter((value): value is string => typeof value === 'string');
      const rule = rules.find((candidate) => candidate.method === method && targets.includes(candidate.target));
      if (rule) {
        refused.push({ method, target: rule.target, error: rule.error });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: rule.error }));
        return;
      }
      const upstream = await fetch(`${args.upstream.replace(/\/api\/?$/, '')}${req.url ?? ''}`, {
        method: req.method,
        headers: Object.fromEntries(Object.entries(req.headers).filter(([key]) => !['host', 'content-length', 'connection'].includes(key)) as [string, string][]),
        body: req.method === 'GET' ? undefined : body,
      });
      const headers: Record<string, string> = {};
      upstream.headers.forEach((value, key) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(key)) headers[key] = value;
      });
      res.writeHead(upstream.status, headers).end(Buffer.from(await upstream.arrayBuffer()));
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    rules,
    refused,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
