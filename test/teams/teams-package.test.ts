import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { PackageError, buildTeamsPackage } from '../../scripts/teams-package.js';
import { pngSize } from '../../scripts/teams-icons.js';
import { validateTeamsManifest } from '../support/teams-manifest-schema.js';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Reads a ZIP through its central directory, checking every entry's CRC: an independent check of the writer. */
const readZip = (zip: Buffer): Map<string, Buffer> => {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    expect(zip.readUInt32LE(localAt)).toBe(0x04034b50);
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const raw = zip.subarray(dataAt, dataAt + size);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    expect(crc32(data) >>> 0, name).toBe(crc);
    entries.set(name, data);
    at += 46 + nameLength + extra + comment;
  }
  return entries;
};

describe('the Teams app package', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dutydesk-teams-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds a zip with the manifest (app id filled in, personal bot, the command list) and both icons', async () => {
    const outFile = path.join(dir, 'dutydesk-teams.zip');
    buildTeamsPackage({ env: { MICROSOFT_APP_ID: APP_ID }, outFile });
    const entries = readZip(readFileSync(outFile));
    expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(await validateTeamsManifest(manifest)).toEqual([]);
    expect(manifest).toMatchObject({ manifestVersion: '1.16', id: APP_ID, version: '0.1.0', icons: { color: 'color.png', outline: 'outline.png' } });
    expect(JSON.stringify(manifest)).not.toMatch(/\$\{\{/);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({ botId: APP_ID, scopes: ['personal', 'team', 'groupChat'], supportsFiles: true });
    const lists = manifest.bots[0].commandLists.map((list: { scopes: string[]; commands: { title: string }[] }) => [list.scopes, list.commands.map((c) => c.title)]);
    expect(lists).toEqual([
      [['personal'], ['home', 'escalate', 'refer', 'duty', 'cases', 'away', 'help']],
      [
        ['team', 'groupChat'],
        ['escalate', 'refer', 'duty', 'cases', 'away', 'help'],
      ],
    ]);
    for (const command of COMMANDS) for (const [, titles] of lists) expect(titles).toContain(command.name);
    expect(pngSize(entries.get('color.png')!)).toEqual({ width: 192, height: 192 });
    expect(pngSize(entries.get('outline.png')!)).toEqual({ width: 32, height: 32 });
  });

  it("makes the managers' board the personal tab when BOARD_URL is set, and leaves the tab out without it", () => {
    const withBoard = buildTeamsPackage({ env: { MICROSOFT_APP_ID: APP_ID, BOARD_URL: 'https://dutydesk.example.org/' }, outFile: path.join(dir, 'board.zip') });
    expect(withBoard.manifest.staticTabs).toEqual([
      { entityId: 'dutydesk-board', name: 'Board', contentUrl: 'https://dutydesk.example.org/board', websiteUrl: 'https://dutydesk.example.org/board', scopes: ['personal'] },
    ]);
    expect(withBoard.manifest.validDomains).toEqual(['dutydesk.example.org']);
    const without = buildTeamsPackage({ env: { MICROSOFT_APP_ID: APP_ID }, outFile: path.join(dir, 'plain.zip') });
    expect(without.manifest.staticTabs).toBeUndefined();
    expect(without.manifest.validDomains).toEqual([]);
    expect(() => buildTeamsPackage({ env: { MICROSOFT_APP_ID: APP_ID, BOARD_URL: 'http://dutydesk.example.org' }, outFile: path.join(dir, 'x.zip') })).toThrow(/BOARD_URL: expected an https:\/\/ URL/);
  });

  it('refuses to build without a GUID app id, naming the variable', () => {
    expect(() => buildTeamsPackage({ env: {}, outFile: path.join(dir, 'x.zip') })).toThrow(PackageError);
    expect(() => buildTeamsPackage({ env: {}, outFile: path.join(dir, 'x.zip') })).toThrow(/^environment MICROSOFT_APP_ID: required/);
    expect(() => buildTeamsPackage({ env: { MICROSOFT_APP_ID: 'my-bot' }, outFile: path.join(dir, 'x.zip') })).toThrow(/expected a GUID/);
  });

  it('builds teams/build/dutydesk-teams.zip with `npm run teams:package`', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'teams:package'], { cwd: root, env: { ...process.env, MICROSOFT_APP_ID: APP_ID } });
    expect(stdout).toMatch(/wrote teams\/build\/dutydesk-teams\.zip/);
    const entries = readZip(readFileSync(path.join(root, 'teams/build/dutydesk-teams.zip')));
    expect(entries.size).toBe(3);
    expect(await validateTeamsManifest(JSON.parse(entries.get('manifest.json')!.toString('utf8')))).toEqual([]);
  });
});
