/**
 * The Socket Mode side of the fake Slack: `apps.connections.open` (answered by the fake Web API) hands out a
 * `ws://127.0.0.1:…` URL served here with the `ws` package. Like Slack it sends `hello` on connect, pings, delivers
 * envelopes (`slash_commands`, `interactive`, `events_api`) and records acks by `envelope_id`; it can ask for a
 * refresh (`disconnect` / `refresh_requested`), drop the connection abruptly, and redeliver an envelope.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';

export interface SocketAck {
  envelopeId: string;
  payload: Record<string, unknown>;
  at: number;
}
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface FakeSlackSocket {
  /** The fake Web API, answering apps.connections.open with this side's URL. */
  fake: FakeSlack;
  /** Connections made so far (each apps.connections.open hands out a new ticket). */
  readonly connections: number;
  /** Whether a connection is open now. */
  readonly open: boolean;
  acks: SocketAck[];
  /** Deliver an envelope on the open connection; resolves with the app's ack. */
  deliver(args: { type: EnvelopeType; payload: Record<string, unknown>; envelopeId?: string; retryAttempt?: number }): Promise<SocketAck>;
  /** Deliver without waiting for the ack (for a drop before it). */
  send(envelope: Envelope): void;
  /** Slack's "please reconnect": a `disconnect` message with reason `refresh_requested`. */
  requestRefresh(): void;
  /** The network drops: the socket is terminated without a close handshake. */
  drop(): void;
  /** Resolves once `count` connections have said hello. */
  waitForConnection(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const startFakeSlackSocket = async (): Promise<FakeSlackSocket> => {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const acks: SocketAck[] = [];
  const waiters = new Map<string, (ack: SocketAck) => void>();
  let current: WebSocket | null = null;
  let connections = 0;
  const pingers = new Set<NodeJS.Timeout>();

  wss.on('connection', (socket, req) => {
    connections += 1;
    current = socket;
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake-slack', approximate_connection_time: 18060 },
        connection_info: { app_id: 'A1' },
        ticket: new URL(req.url ?? '/', 'ws://x').searchParams.get('ticket'),
      }),
    );
    // Slack pings its clients; the Socket Mode client gives up on a server that stays silent for 30 s.
    const pinger = setInterval(() => socket.ping(), 2_000);
    pingers.add(pinger);
    socket.on('close', () => {
      clearInterval(pinger);
      pingers.delete(pinger);
      if (current === socket) current = null;
    });
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      if (!message.envelope_id) return;
      const ack = { envelopeId: message.envelope_id, payload: message.payload ?? {}, at: Date.now() };
      acks.push(ack);
      waiters.get(message.envelope_id)?.(ack);
      waiters.delete(message.envelope_id);
    });
  });

  let ticket = 0;
  const fake = await startFakeSlack({
    extraAnswers: (method) => {
      if (method !== 'apps.connections.open') return undefined;
      ticket += 1;
      return { url: `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=A1` };
    },
  });

  const send = (envelope: Envelope) => {
    if (!current) throw new Error('fake-slack-socket: no open connection');
    current.send(JSON.stringify(envelope));
  };

  return {
    fake,
    get connections() {
      return connections;
    },
    get open() {
      return current !== null && current.readyState === current.OPEN;
    },
    acks,
    deliver: ({ type, payload, envelopeId, retryAttempt }) => {
      const id = envelopeId ?? randomUUID();
      const acked = new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake-slack-socket: no ack for ${id}`)), 10_000);
        waiters.set(id, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
      });
      send({ envelope_id: id, type, payload, accepts_response_payload: type !== 'events_api', ...(retryAttempt ? { retry_attempt: retryAttempt, retry_reason: 'timeout' } : {}) });
      return acked;
    },
    send,
    requestRefresh: () => current?.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake-slack' } })),
    drop: () => current?.terminate(),
    waitForConnection: async (count, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (connections < count || !(current && current.readyState === current.OPEN)) {
        if (Date.now() > deadline) throw new Error(`fake-slack-socket: expected ${count} connection(s), saw ${connections}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: async () => {
      for (const pinger of pingers) clearInterval(pinger);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.close();
    },
  };
};
