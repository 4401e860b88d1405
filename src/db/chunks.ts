/** PostgreSQL's wire protocol allows at most 65,535 bind parameters per statement; stay well under it. */
const MAX_PARAMS = 60_000;

/** Split rows for multi-row statements so that each statement binds fewer than 65,535 parameters. */
export const chunksOf = <T>(args: { rows: readonly T[]; paramsPerRow: number }): T[][] => {
  const size = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, args.paramsPerRow)));
  const chunks: T[][] = [];
  for (let start = 0; start < args.rows.length; start += size) chunks.push(args.rows.slice(start, start + size));
  return chunks;
};
