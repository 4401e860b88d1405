// Draws the two Teams app icons as PNGs with nothing but node:zlib: teams/color.png (192x192, full colour) and
// teams/outline.png (32x32, white on transparent, as Teams requires). Run: npx tsx scripts/teams-icons.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

const chunk = (type: string, data: Buffer): Buffer => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
};

/** An RGBA PNG (colour type 6, 8 bits per channel, no filtering). */
export const encodePng = (args: { width: number; height: number; pixel: (x: number, y: number) => Rgba }): Buffer => {
  const { width, height } = args;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) raw.set(args.pixel(x, y), row + 1 + x * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
};

/** Width and height from a PNG's IHDR, or null when the bytes are not a PNG. */
export const pngSize = (bytes: Buffer): { width: number; height: number } | null => {
  if (bytes.length < 24 || bytes.toString('ascii', 12, 16) !== 'IHDR' || bytes[0] !== 0x89) return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
};

/** A clipboard with a tick: "a list of things owed, one done". Coordinates are in a 0..1 square. */
const inGlyph = (u: number, v: number): boolean => {
  const board = u >= 0.24 && u <= 0.76 && v >= 0.2 && v <= 0.84;
  const inner = u >= 0.3 && u <= 0.7 && v >= 0.26 && v <= 0.78;
  const clip = u >= 0.38 && u <= 0.62 && v >= 0.14 && v <= 0.26;
  const distance = (px: number, py: number, ax: number, ay: number, bx: number, by: number) => {
    const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
  };
  const tick = Math.min(distance(u, v, 0.36, 0.52, 0.46, 0.64), distance(u, v, 0.46, 0.64, 0.64, 0.4)) < 0.045;
  return (board && !inner) || clip || tick;
};

const ACCENT: Rgba = [0x1f, 0x4e, 0x79, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

export const colorIcon = (): Buffer => encodePng({ width: 192, height: 192, pixel: (x, y) => (inGlyph((x + 0.5) / 192, (y + 0.5) / 192) ? WHITE : ACCENT) });

export const outlineIcon = (): Buffer => encodePng({ width: 32, height: 32, pixel: (x, y) => (inGlyph((x + 0.5) / 32, (y + 0.5) / 32) ? WHITE : CLEAR) });

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = new URL('../teams/', import.meta.url);
  writeFileSync(new URL('color.png', dir), colorIcon());
  writeFileSync(new URL('outline.png', dir), outlineIcon());
  console.log('wrote teams/color.png (192x192) and teams/outline.png (32x32)');
}
