// What the loopback fakes (Slack Web API, Bot Framework connector) share: listening, stopping, reading bodies.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on a free port on 127.0.0.1 and resolves to the server's origin, `http://127.0.0.1:PORT`. */
export const listenOnLoopback = (server: Server): Promise<string> =>
  new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });

/** Stops the server, dropping kept-alive connections so close() does not wait for clients to hang up. */
export const closeServer = (server: Server): Promise<void> =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses JSON-encoded strings (how form-encoded Slack calls carry objects); anything else comes back as it is. */
export function decodedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
