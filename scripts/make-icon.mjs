// Draws build/icon.png (1024×1024): a case-file folder with a magnifier, in two flat colours. Kept as a
// script so the icon is reproducible without an image editor; electron-builder derives .ico/.icns from it.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 1024;
const px = Buffer.alloc(N * N * 4);
const set = (x, y, [r, g, b, a]) => px.set([r, g, b, a], (y * N + x) * 4);
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const BG = [36, 87, 197, 255];
const FOLDER = [247, 247, 245, 255];
const TAB = [214, 224, 245, 255];
const LENS = [29, 31, 35, 255];
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    if (!inRoundRect(x, y, 40, 40, 984, 984, 200)) continue;
    let c = BG;
    if (inRoundRect(x, y, 200, 250, 520, 380, 40)) c = TAB;
    if (inRoundRect(x, y, 200, 320, 824, 780, 50)) c = FOLDER;
    const d = Math.hypot(x - 600, y - 560);
    if (d > 120 && d < 165) c = LENS;
    const along = ((x - 600) + (y - 560)) / Math.SQRT2;
    const across = ((x - 600) - (y - 560)) / Math.SQRT2;
    if (along > 160 && along < 330 && Math.abs(across) < 32) c = LENS;
    set(x, y, c);
  }
}
const rows = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) px.copy(rows, y * (N * 4 + 1) + 1, y * N * 4, (y + 1) * N * 4);
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('../build/icon.png', import.meta.url), png);
