import { readFileSync } from 'node:fs';

/**
 * The top frames of a V8 CPU profile (`node --cpu-prof`), by self time and by total time, for BENCHMARKS.md's
 * "cause found by profiling" notes. `npx tsx bench/lib/profile-top.ts FILE.cpuprofile [N]`.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const short = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*?\/(src|bench|test)\//, '$1/');

export const topFrames = (args: { file?: string; profile?: Profile; count?: number; filter?: RegExp }) => {
  const profile = args.profile ?? (JSON.parse(readFileSync(args.file as string, 'utf8')) as Profile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
  const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${short(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
  const selfBy = new Map<string, number>();
  const inclusiveBy = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    selfBy.set(label(node), (selfBy.get(label(node)) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame) break;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusiveBy.set(key, (inclusiveBy.get(key) ?? 0) + us);
    }
  }
  const rank = (map: Map<string, number>) =>
    [...map.entries()]
      .filter(([key]) => !args.filter || args.filter.test(key))
      .sort((a, b) => b[1] - a[1])
      .slice(0, args.count ?? 15)
      .map(([frame, us]) => ({ frame, ms: us / 1000, share: us / total }));
  return { totalMs: total / 1000, self: rank(selfBy), inclusive: rank(inclusiveBy) };
};

if (process.argv[1]?.endsWith('profile-top.ts')) {
  const file = process.argv[2] as string;
  const count = Number(process.argv[3] ?? 25);
  const top = topFrames({ file, count, filter: process.argv[4] ? new RegExp(process.argv[4]) : undefined });
  process.stdout.write(`total ${top.totalMs.toFixed(0)} ms\n-- self\n`);
  for (const f of top.self) process.stdout.write(`${f.ms.toFixed(1).padStart(9)} ms ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.frame}\n`);
  process.stdout.write('-- inclusive\n');
  for (const f of top.inclusive) process.stdout.write(`${f.ms.toFixed(1).padStart(9)} ms ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.frame}\n`);
}

/** Profile `work` in this process (node:inspector) and name its top frames by self time (share of all samples). */
export const profileTop = async (args: { work: () => Promise<unknown>; count?: number; filter?: RegExp }): Promise<string> => {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  let profile: Profile;
  try {
    await args.work();
  } finally {
    profile = ((await session.post('Profiler.stop')) as { profile: Profile }).profile;
    session.disconnect();
  }
  const top = topFrames({ profile, count: args.count ?? 8, filter: args.filter });
  return top.self.map((f) => `${f.frame.replace(/:\d+$/, '')} ${(f.share * 100).toFixed(0)} %`).join(', ');
};
