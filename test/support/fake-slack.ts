/**
 * A fake Slack Web API on 127.0.0.1 for end-to-end tests. Point Bolt / WebClient at it with
 * `clientOptions: { slackApiUrl: fake.url }`. It records every call (decoded), answers like
 * Slack, can inject failures / delays / per-channel rate limits, checks Block Kit limits
 * (`violations`), accepts file uploads and acts as a `response_url` target.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkBlockKit } from './block-kit-limits.js';
import { closeServer, decodedJson, listenOnLoopback, readBody } from './loopback-http.js';

export type SlackFailure = { status: 500 } | { status: 429; retryAfter: number } | { error: string };

/**
 * One received Web API call. `args` is the decoded body (JSON-encoded form fields such as `blocks` /
 * `view` parsed back); `at` is arrival time in ms; `token` comes from the Authorization header;
 * `failed` marks injected failures and rate limits, with the HTTP `status` answered and the Slack
 * `error` code (`ratelimited` for 429, `http_500` for 500).
 */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  token?: string;
  failed: boolean;
  status: number;
  error?: string;
}

export interface RespondedUrl {
  id: string;
  body: unknown;
  at: number;
}
export interface FileUpload {
  fileId: string;
  contentType: string;
  bytes: Buffer;
  at: number;
}

export interface FakeSlackOptions {
  rateLimit?: { perChannelPerSecond: number; retryAfterSeconds: number };
  /** Answers for methods this fake does not know (e.g. the Socket Mode side's apps.connections.open). */
  extraAnswers?: (method: string, args: Record<string, unknown>) => Record<string, unknown> | undefined;
}

export interface FakeSlack {
  /** `url`: base Web API URL ending in `/api/`; `origin`: `http://127.0.0.1:PORT`. */
  url: string;
  origin: string;
  calls: SlackCall[];
  violations: string[];
  respondedUrls: RespondedUrl[];
  uploads: FileUpload[];
  /** Number of chat.postMessage calls refused by rate-limit mode. */
  readonly rateLimited: number;
  callsTo(method: string): SlackCall[];
  /** Successful chat.postMessage / chat.postEphemeral calls to a channel, a user's DM, or (ephemeral) a user. */
  messagesTo(channelOrUser: string): SlackCall[];
  dmChannelFor(userId: string): string;
  responseUrl(id: string): string;
  responsesTo(id: string): RespondedUrl[];
  /** Override fields of the user returned by users.info. */
  setUser(user: { id: string } & Record<string, unknown>): void;
  /** Fail the next `times` calls of `method` — only those to `channel` (a channel id, or a user id for their DM) when given. */
  failNext(method: string, failure: SlackFailure, times?: number, channel?: string): void;
  failAlways(method: string, failure: SlackFailure): void;
  /** Clears failNext / failAlways / hang settings. */
  clearFailures(): void;
  /** Delay every response for `method` by `ms` (0 to stop). */
  hang(method: string, ms: number): void;
  /** Resolves once `count` calls to `method` (matching `where`) were recorded; rejects after `timeoutMs`. */
  waitFor(query: { method: string; count?: number; timeoutMs?: number; where?: (call: SlackCall) => boolean }): Promise<SlackCall[]>;
  reset(): void;
  close(): Promise<void>;
}

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral']);
const VIEW_METHODS = new Set(['views.open', 'views.push', 'views.update', 'views.publish']);
/** Free-text fields that are never JSON-decoded even if they look like JSON. */
const PLAIN_FIELDS = new Set(['text', 'markdown_text', 'initial_comment', 'content', 'title', 'alt_text', 'query']);

function decodeField(key: string, value: string): unknown {
  if (PLAIN_FIELDS.has(key) || !/^\s*[[{]/.test(value)) return value;
  return decodedJson(value);
}

const parseForm = (raw: Buffer, contentType: string) => new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();

async function decodeBody(contentType: string, raw: Buffer): Promise<Record<string, unknown>> {
  if (raw.length === 0) return {};
  if (contentType.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { body: parsed };
  }
  if (contentType.includes('multipart/form-data')) {
    const form = await parseForm(raw, contentType);
    const args: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) {
      args[key] = typeof value === 'string' ? decodeField(key, value) : { filename: value.name, size: value.size };
    }
    return args;
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) args[key] = decodeField(key, value);
  return args;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const [type, text] = typeof body === 'string' ? ['text/plain', body] : ['application/json', JSON.stringify(body)];
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, ...headers }).end(text);
}

function sendFailure(res: ServerResponse, failure: SlackFailure): void {
  if ('error' in failure) send(res, 200, { ok: false, error: failure.error });
  else if (failure.status === 429) send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
  else send(res, 500, 'Internal Server Error');
}

const failureCode = (f: SlackFailure) => ('error' in f ? f.error : f.status === 429 ? 'ratelimited' : 'http_500');
const str = (value: unknown) => (typeof value === 'string' ? value : value === undefined ? undefined : String(value));

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const violations: string[] = [];
  const respondedUrls: RespondedUrl[] = [];
  const uploads: FileUpload[] = [];
  const queued = new Map<string, { failure: SlackFailure; remaining: number; channel?: string }[]>();
  const always = new Map<string, SlackFailure>();
  const hangs = new Map<string, number>();
  const users = new Map<string, Record<string, unknown>>();
  const windows = new Map<string, number[]>();
  let rateLimited = 0;
  let sequence = 0;
  let shutdown = new AbortController();

  const next = () => ++sequence;
  const nextTs = () => {
    const n = next();
    return `${1700000000 + Math.floor(n / 1e6)}.${String(n % 1e6).padStart(6, '0')}`;
  };
  const dmChannelFor = (userId: string) => `D${userId}`;
  const channelFor = (channel: unknown) => {
    const id = str(channel) ?? '';
    return /^[UW]/.test(id) ? dmChannelFor(id) : id;
  };

  function takeFailure(method: string, args: Record<string, unknown>): SlackFailure | undefined {
    const queue = queued.get(method) ?? [];
    const matches = (channel?: string) => channel === undefined || args.channel === channel || args.channel === dmChannelFor(channel) || args.user === channel;
    const index = queue.findIndex((entry) => matches(entry.channel));
    const head = queue[index];
    if (head) {
      head.remaining -= 1;
      if (head.remaining <= 0) queue.splice(index, 1);
      return head.failure;
    }
    return always.get(method);
  }

  function rateLimitFailure(method: string, args: Record<string, unknown>): SlackFailure | undefined {
    const limit = options.rateLimit;
    if (!limit || method !== 'chat.postMessage') return undefined;
    const channel = channelFor(args.channel);
    const now = Date.now();
    const recent = (windows.get(channel) ?? []).filter((t) => now - t < 1000);
    windows.set(channel, recent);
    if (recent.length >= limit.perChannelPerSecond) {
      rateLimited += 1;
      return { status: 429, retryAfter: limit.retryAfterSeconds };
    }
    recent.push(now);
    return undefined;
  }

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const extra = options.extraAnswers?.(method, args);
    if (extra) return extra;
    if (VIEW_METHODS.has(method)) {
      const view = (args.view && typeof args.view === 'object' ? args.view : {}) as Record<string, unknown>;
      const id = str(args.view_id) ?? `V${String(next()).padStart(8, '0')}`;
      const type = view.type ?? (method === 'views.publish' ? 'home' : 'modal');
      return {
        view: {
          id,
          team_id: 'T1',
          app_id: 'A1',
          bot_id: 'BBOT',
          hash: `${next()}.hash`,
          state: { values: {} },
          private_metadata: '',
          callback_id: '',
          external_id: '',
          previous_view_id: null,
          root_view_id: id,
          ...view,
          type,
        },
      };
    }
    switch (method) {
      case 'auth.test':
        return { url: 'https://dutydesk-test.slack.com/', team: 'DutyDesk Test', user: 'dutydesk', team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT', is_enterprise_install: false };
      case 'conversations.open': {
        const ids = (str(args.users) ?? '')
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean);
        const id = str(args.channel) ?? (ids.length === 1 ? dmChannelFor(ids[0] ?? '') : `G${ids.join('')}`);
        return { channel: { id } };
      }
      case 'chat.postMessage': {
        const ts = nextTs();
        const message = { type: 'message', user: 'UBOT', bot_id: 'BBOT', text: args.text ?? '', blocks: args.blocks, thread_ts: args.thread_ts, ts };
        return { channel: channelFor(args.channel), ts, message };
      }
      case 'chat.update':
        return { channel: channelFor(args.channel), ts: args.ts, text: args.text ?? '', message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', text: args.text ?? '', blocks: args.blocks } };
      case 'chat.postEphemeral':
        return { message_ts: nextTs() };
      case 'chat.delete':
        return { channel: channelFor(args.channel), ts: args.ts };
      case 'users.info': {
        const id = str(args.user) ?? '';
        const defaults = { id, team_id: 'T1', name: id.toLowerCase(), real_name: `User ${id}`, deleted: false, is_bot: false, tz: 'Europe/London' };
        return { user: { ...defaults, ...users.get(id) } };
      }
      case 'files.getUploadURLExternal': {
        const fileId = `F${String(next()).padStart(8, '0')}`;
        return { upload_url: `${origin}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(args.files) ? (args.files as { id?: unknown; title?: unknown }[]) : [];
        return { files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      default:
        return {};
    }
  }

  async function handleApi(method: string, req: IncomingMessage, res: ServerResponse, args: Record<string, unknown>) {
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : str(args.token);
    const call: SlackCall = { method, args, at: Date.now(), token, failed: false, status: 200 };
    calls.push(call);
    for (const violation of checkBlockKit(method, args)) violations.push(`${method}: ${violation}`);
    const delay = hangs.get(method);
    if (delay) await sleep(delay, undefined, { signal: shutdown.signal }).catch(() => undefined);
    const failure = takeFailure(method, args) ?? rateLimitFailure(method, args);
    if (failure) {
      Object.assign(call, { failed: true, status: 'status' in failure ? failure.status : 200, error: failureCode(failure) });
      return sendFailure(res, failure);
    }
    send(res, 200, { ok: true, ...answer(method, args) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const path = new URL(req.url ?? '/', origin).pathname;
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: 'method_not_allowed' });
    const [, kind, rest] = /^\/(api|upload|response)\/(.+)$/.exec(path) ?? [];
    const name = decodeURIComponent(rest ?? '');
    if (kind === 'api') return handleApi(name, req, res, await decodeBody(contentType, raw));
    if (kind === 'upload') {
      let bytes = raw;
      if (contentType.includes('multipart/form-data')) {
        const form = await parseForm(raw, contentType);
        const file = [...form.values()].find((v): v is File => typeof v !== 'string');
        if (file) bytes = Buffer.from(await file.arrayBuffer());
      }
      uploads.push({ fileId: name, contentType, bytes, at: Date.now() });
      return send(res, 200, `OK - ${bytes.length}`);
    }
    if (kind === 'response') {
      respondedUrls.push({ id: name, body: await decodeBody(contentType, raw), at: Date.now() });
      return send(res, 200, { ok: true });
    }
    send(res, 404, { ok: false, error: 'unknown_path' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 400, { ok: false, error: 'fake_slack_error', detail: String(error) }));
  });
  const origin = await listenOnLoopback(server);

  const callsTo = (method: string) => calls.filter((c) => c.method === method);

  return {
    url: `${origin}/api/`,
    origin,
    calls,
    violations,
    respondedUrls,
    uploads,
    get rateLimited() {
      return rateLimited;
    },
    callsTo,
    messagesTo: (target) => calls.filter((c) => MESSAGE_METHODS.has(c.method) && !c.failed && (c.args.channel === target || c.args.user === target || c.args.channel === dmChannelFor(target))),
    dmChannelFor,
    responseUrl: (id) => `${origin}/response/${encodeURIComponent(id)}`,
    responsesTo: (id) => respondedUrls.filter((r) => r.id === id),
    setUser: (user) => void users.set(user.id, { ...users.get(user.id), ...user }),
    failNext: (method, failure, times = 1, channel) => {
      queued.set(method, [...(queued.get(method) ?? []), { failure, remaining: times, channel }]);
    },
    failAlways: (method, failure) => void always.set(method, failure),
    clearFailures: () => [queued, always, hangs].forEach((map) => map.clear()),
    hang: (method, ms) => void (ms > 0 ? hangs.set(method, ms) : hangs.delete(method)),
    waitFor: async ({ method, count = 1, timeoutMs = 5000, where = () => true }) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = callsTo(method).filter(where);
        if (found.length >= count) return found;
        if (Date.now() > deadline) {
          throw new Error(`fake-slack: expected ${count} call(s) to ${method}, saw ${found.length} within ${timeoutMs}ms`);
        }
        await sleep(10);
      }
    },
    reset: () => {
      for (const list of [calls, violations, respondedUrls, uploads]) list.length = 0;
      for (const map of [queued, always, hangs, users, windows]) map.clear();
      rateLimited = 0;
      shutdown.abort();
      shutdown = new AbortController();
    },
    close: async () => {
      shutdown.abort();
      await closeServer(server);
    },
  };
}
