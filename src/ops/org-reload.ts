import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/env.config.js';
import { parseOrgText } from '../config/org.loader.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { diffOrg, isEmptyDiff, type OrgDiff } from './org-diff.js';
import { type OrgHolder, orgHash } from './org-holder.js';

export type ReloadResult = { ok: true; changed: false; sha256: string } | { ok: true; changed: true; sha256: string; diff: OrgDiff } | { ok: false; problems: string[] };

/**
 * Reload the org file (shared/interface.md "Reloading the org file"). A valid file is stored, audited as
 * `config.reloaded` with what changed, and swapped in at once; an invalid one is refused line by line and the
 * running organisation stays as it was. Deadlines already running keep the policy snapshot stored on their row,
 * so only items (and deadlines) started after the reload use new durations.
 */
export const createOrgReloader = (args: {
  ctx: Pick<UseCaseContext, 'store' | 'clock' | 'logger'>;
  holder: OrgHolder;
  fileName: string;
  onFailure: () => void;
  /** After a successful swap (e.g. to check drift against other replicas). */
  onReloaded?: () => void;
}) => {
  const { ctx, holder, fileName } = args;
  let chain: Promise<unknown> = Promise.resolve();

  const refuse = (problems: string[], reason: string): ReloadResult => {
    args.onFailure();
    for (const problem of problems) ctx.logger.error({ file: fileName, reason, problem }, `org reload refused: ${problem}`);
    ctx.logger.warn({ file: fileName, reason, problems: problems.length, sha256: holder.version().sha256 }, 'org reload refused; the running organisation is unchanged');
    return { ok: false, problems };
  };

  const reloadNow = async (reason: string): Promise<ReloadResult> => {
    let text: string;
    try {
      text = await readFile(fileName, 'utf8');
    } catch (error) {
      return refuse([`${fileName}: cannot read the org file (${(error as NodeJS.ErrnoException).code ?? 'error'})`], reason);
    }
    let org;
    try {
      org = parseOrgText({ text, fileName });
    } catch (error) {
      if (error instanceof ConfigError) return refuse(error.problems, reason);
      throw error;
    }
    const before = holder.version();
    const diff = diffOrg(before.directory.org, org);
    const next = { org, text, now: ctx.clock.now() };
    if (isEmptyDiff(diff)) {
      // Same organisation (a touch, a comment, a save without changes): nothing to store; the hash follows the text.
      holder.swap(next);
      ctx.logger.info({ file: fileName, reason, sha256: holder.version().sha256 }, 'org file reloaded: no change to the organisation');
      return { ok: true, changed: false, sha256: holder.version().sha256 };
    }
    const sha256 = orgHash({ org, text });
    await ctx.store.transaction(async (repos) => {
      await repos.org.sync(org);
      await repos.records.audit({
        at: next.now,
        actorId: null,
        event: 'config.reloaded',
        details: { file: fileName, reason, sha256, previousSha256: before.sha256, people: org.people.length, units: org.units.length, changes: diff },
      });
    });
    holder.swap(next);
    ctx.logger.info(
      {
        file: fileName,
        reason,
        sha256,
        previousSha256: before.sha256,
        peopleAdded: diff.peopleAdded.length,
        peopleRemoved: diff.peopleRemoved.length,
        peopleChanged: diff.peopleChanged.length,
        unitsAdded: diff.unitsAdded.length,
        unitsRemoved: diff.unitsRemoved.length,
        unitsChanged: diff.unitsChanged.length,
        settingsChanged: diff.settingsChanged,
      },
      'org file reloaded',
    );
    args.onReloaded?.();
    return { ok: true, changed: true, sha256, diff };
  };

  return {
    /** Reloads run one after another (a SIGHUP during a file-change reload waits for it). */
    reload(reason: string): Promise<ReloadResult> {
      const run = chain.then(() => reloadNow(reason));
      chain = run.catch(() => undefined);
      return run.catch((error: unknown) => refuse([`could not apply the org file: ${error instanceof Error ? error.message : String(error)}`], reason));
    },
  };
};

export type OrgReloader = ReturnType<typeof createOrgReloader>;
