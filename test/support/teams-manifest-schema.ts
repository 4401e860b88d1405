// Validates a Teams app manifest against Microsoft's official Teams manifest JSON schema, as shipped inside the
// `@microsoft/app-manifest` package (one schema per manifest version), using that package's own validator. The
// schema is read from the installed package, never fetched: a manifest version the package does not ship is a
// problem, not a download.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';

const packageRoot = path.dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json'));

/** The schema file the package ships for one manifest version, e.g. "1.16". */
export function teamsManifestSchemaFile(manifestVersion: string): string {
  return path.join(packageRoot, 'build', 'json-schemas', 'teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
}

/** Problems with the manifest (an empty list means valid), in the package's wording: "<path> <message>. Details: …". */
export async function validateTeamsManifest(manifest: unknown): Promise<string[]> {
  if (typeof manifest !== 'object' || manifest === null) return ['(manifest): not a JSON object'];
  const version = (manifest as { manifestVersion?: unknown }).manifestVersion;
  if (typeof version !== 'string') return ['(manifest): "manifestVersion" is required'];
  const file = teamsManifestSchemaFile(version);
  if (!existsSync(file)) return [`(manifest): no official schema for manifestVersion ${JSON.stringify(version)}`];
  // The published schemas use "\a" in a pattern, which JavaScript regular expressions reject; the package's own
  // loader makes the same substitution.
  const schema = JSON.parse(readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007')) as object;
  return AppManifestUtils.validateAgainstSchema(manifest as never, schema as never);
}
