import { PGlite } from '@electric-sql/pglite';
import { signSlackBody } from '../../test/support/slack-requests.js';
import { escalationSubmissionBody } from './escalation-submission.js';
import { BENCH_SECRET, startBenchApp } from './bench-app.js';

/**
 * Statements the embedded database runs per escalation submission: on the request (replay ledger, the submission
 * transaction, the confirmation) and after it (the outbox delivering its DMs and recording them). Counted in this
 * process on a real app by watching PGlite's protocol messages: a Parse is one statement, a simple Query (BEGIN,
 * COMMIT) one round trip. PostgreSQL runs the same statements (its BEGIN/COMMIT go through the pool instead).
 */
export const statementsPerSubmission = async (args: { submissions: number }) => {
  const counts = { request: 0, after: 0 };
  let phase: keyof typeof counts | null = null;
  const texts = new Map<string, number>();
  const proto = PGlite.prototype as unknown as { execProtocolStream: (message: Uint8Array, ...rest: unknown[]) => Promise<unknown> };
  const original = proto.execProtocolStream;
  proto.execProtocolStream = function (this: unknown, message: Uint8Array, ...rest: unknown[]) {
    const kind = message[0];
    // 'P' (Parse) starts a statement; 'Q' is a simple query (BEGIN, COMMIT).
    if (phase && (kind === 0x50 || kind === 0x51)) {
      counts[phase] += 1;
      const text =
        Buffer.from(message.subarray(kind === 0x50 ? 6 : 5, 90))
          .toString('utf8')
          .split('\0')[0] ?? '';
      const key = text.replace(/\s+/g, ' ').trim().split(' ').slice(0, 3).join(' ');
      texts.set(key, (texts.get(key) ?? 0) + 1);
    }
    return original.call(this, message, ...rest);
  };
  const bench = await startBenchApp({ database: 'pglite', background: true });
  let sequence = 0;
  const submit = async () => {
    sequence += 1;
    const body = escalationSubmissionBody({ secret: BENCH_SECRET, userId: 'U0AMARA', crn: `X${String(300000 + sequence)}` });
    const response = await fetch(`${bench.baseUrl}/slack/events`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackBody({ secret: BENCH_SECRET, body }) },
    });
    await response.text();
    if (response.status !== 200) throw new Error(`submission answered ${response.status}`);
  };
  /** Until every outbox row is sent; the check's own statement (one per look) is taken off the count. */
  const delivered = async () => {
    for (let tries = 0; tries < 500; tries += 1) {
      const byStatus = await bench.app.store.repos.outbox.countsByStatus();
      if (phase) counts[phase] -= 1;
      if (!byStatus.pending && !byStatus.sending) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  try {
    for (let i = 0; i < 3; i += 1) await submit();
    await delivered();
    const sentBefore = bench.fake.callsTo('chat.postMessage').length;
    for (let i = 0; i < args.submissions; i += 1) {
      phase = 'request';
      await submit();
      phase = 'after';
      await delivered();
      phase = null;
    }
    const dms = (bench.fake.callsTo('chat.postMessage').length - sentBefore) / args.submissions;
    const per = (n: number) => n / args.submissions;
    const top = [...texts.entries()]
      .filter(([text]) => !text.startsWith('select "status",'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([text, n]) => `${per(n).toFixed(1)}× ${text}`);
    return { request: per(counts.request), after: per(counts.after), dms, top };
  } finally {
    phase = null;
    proto.execProtocolStream = original;
    await bench.stop();
  }
};
