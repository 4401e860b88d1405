/**
 * Node.js release lines dutydesk runs on, with their end of life (nodejs.org release schedule). Tested in CI on the
 * machine's Node and on Node 24; 22 and 24 are the supported LTS lines, 20 still runs but is past its end of life.
 */
const END_OF_LIFE: Record<number, string> = { 18: '2025-04-30', 20: '2026-04-30', 22: '2027-04-30', 24: '2028-04-30' };
export const SUPPORTED_NODE_LINES = [22, 24] as const;

export type NodeSupport = { major: number; status: 'supported' | 'end-of-life' | 'untested'; warning?: string };

/** What the start-up line says about the Node it runs on (`version` as in `process.version`). */
export const nodeSupport = (args: { version: string; today: Date }): NodeSupport => {
  const major = Number(/^v?(\d+)/.exec(args.version)?.[1] ?? 0);
  const eol = END_OF_LIFE[major];
  const upgrade = `upgrade to Node ${SUPPORTED_NODE_LINES.join(' or ')}`;
  if (eol && args.today.toISOString().slice(0, 10) > eol) {
    return { major, status: 'end-of-life', warning: `Node ${args.version} reached end of life on ${eol} and gets no security fixes: ${upgrade}` };
  }
  if ((SUPPORTED_NODE_LINES as readonly number[]).includes(major) || eol) return { major, status: 'supported' };
  return { major, status: 'untested', warning: `Node ${args.version} is not a line dutydesk is tested on: use Node ${SUPPORTED_NODE_LINES.join(' or ')} (LTS)` };
};
