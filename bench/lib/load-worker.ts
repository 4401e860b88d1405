/**
 * The load generator, run in its own process (bench/lib/load.ts spawns it once) so that it never competes with
 * the app under test for an event loop. Takes LoadPlans over its IPC channel (or one as JSON in argv[2]), runs
 * autocannon at a fixed overall rate, and answers with every response time (ms, float) and autocannon's counters.
 */
import autocannon from 'autocannon';
import { signSlackBody, slashCommandBody } from '../../test/support/slack-requests.js';
import { escalationSubmissionBody } from './escalation-submission.js';
import type { LoadPlan } from './load.js';

let plan = {} as LoadPlan;
let sequence = 0;
const crn = () => `X${String(100000 + ((sequence * 7919) % 900000)).padStart(6, '0')}`;

const slashBody = () => slashCommandBody({ command: '/escalate', text: crn(), userId: plan.userId });

const submissionBody = () => escalationSubmissionBody({ secret: plan.secret, userId: plan.userId, crn: crn() });

const runPlan = (next: LoadPlan, answer: (result: unknown) => void) => {
  plan = next;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const instance = autocannon(
    {
      url: plan.url,
      connections: plan.connections,
      overallRate: plan.rate,
      duration: plan.durationS,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          path: '/slack/events',
          setupRequest: (request) => {
            sequence += 1;
            const body = plan.kind === 'slash' ? slashBody() : submissionBody();
            return {
              ...request,
              body,
              headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded', ...signSlackBody({ secret: plan.secret, body }) },
            };
          },
        },
      ],
    },
    (error, result) => {
      if (error) {
        answer({ error: String(error) });
        return;
      }
      answer({
        latencies,
        statuses,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        sent: result.requests.sent,
        durationS: result.duration,
        autocannonP50: result.latency.p50,
        autocannonP99: result.latency.p99,
      });
    },
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
};

if (process.send) {
  process.on('message', (message) => runPlan(message as LoadPlan, (result) => process.send?.(result)));
} else {
  runPlan(JSON.parse(process.argv[2] ?? '{}') as LoadPlan, (result) => process.stdout.write(`${JSON.stringify(result)}\n`));
}
