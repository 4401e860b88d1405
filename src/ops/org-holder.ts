import { createHash } from 'node:crypto';
import type { Org } from '../config/org.schema.js';
import { type Directory, buildDirectory } from '../use-cases/directory.js';

/** The sha256 a replica reports for its org: of the file's text when known, else of the parsed org. */
export const orgHash = (args: { org: Org; text?: string }): string =>
  createHash('sha256')
    .update(args.text ?? JSON.stringify(args.org))
    .digest('hex');

export interface OrgVersion {
  directory: Directory;
  sha256: string;
  loadedAt: Date;
}

/**
 * The running organisation as a swappable, read-only view. The use-case context reads `current()` on every
 * access, so a reload takes effect for the next request while a request already running keeps the directory it
 * started with (each use case reads `ctx.directory` into a local once).
 */
export const createOrgHolder = (args: { org: Org; text?: string; now: Date }) => {
  let version: OrgVersion = { directory: buildDirectory(args.org), sha256: orgHash(args), loadedAt: args.now };
  return {
    current: (): Directory => version.directory,
    version: (): OrgVersion => version,
    swap(next: { org: Org; text?: string; now: Date }): OrgVersion {
      version = { directory: buildDirectory(next.org), sha256: orgHash(next), loadedAt: next.now };
      return version;
    },
  };
};

export type OrgHolder = ReturnType<typeof createOrgHolder>;
