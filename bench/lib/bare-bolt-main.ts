import { startBareBolt } from './bare-bolt.js';

/** Run the bare Bolt app as its own process (the command-latency bench spawns it like dutydesk). */
const bare = await startBareBolt({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? 'bench',
  slackApiUrl: process.env.SLACK_API_URL ?? 'http://127.0.0.1:9/api/',
  port: Number(process.env.PORT ?? 0),
});
process.stdout.write(`${JSON.stringify({ msg: 'bare bolt listening', port: bare.port })}\n`);
const stop = () => void bare.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
