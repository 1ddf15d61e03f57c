// Draws the marketplace icon, media/icon.png (128x128 RGBA): the checklist of
// media/readiness.svg (a clipboard with two ticked lines) in white and Django green on a dark
// green rounded square. No image library: strokes are distances to line segments, 4x4
// supersampled, and the PNG is written with node:zlib.
// Usage: node scripts/gen-icon.mjs [out.png]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const SIZE = 128;
const SS = 4; // samples per pixel and axis
const BACKGROUND = [0x0c, 0x4b, 0x33];
const WHITE = [0xff, 0xff, 0xff];
const GREEN = [0x44, 0xb7, 0x8b];

// the SVG's 24x24 viewBox, scaled and centred
const SCALE = 4.3;
const OFFSET = (SIZE - 24 * SCALE) / 2;
const STROKE = 1.6 * SCALE;
const P = (x, y) => [OFFSET + x * SCALE, OFFSET + y * SCALE];

/** Quarter arc from angle a0 to a1 (degrees) around (cx, cy), as points. */
function arc(cx, cy, r, a0, a1, steps = 8) {
  const pts = [];
  for (let i = 0; i <= steps; i++) {
    const a = ((a0 + ((a1 - a0) * i) / steps) * Math.PI) / 180;
    pts.push(P(cx + r * Math.cos(a), cy + r * Math.sin(a)));
  }
  return pts;
}

/** Segments of a polyline. */
function poly(points) {
  const segs = [];
  for (let i = 1; i < points.length; i++) segs.push([points[i - 1], points[i]]);
  return segs;
}

// the clip: M9 3h6a1 1 0 0 1 1 1v1H8V4a1 1 0 0 1 1-1z
const clip = poly([P(9, 3), P(15, 3), ...arc(15, 4, 1, -90, 0), P(16, 5), P(8, 5), P(8, 4), ...arc(9, 4, 1, 180, 270)]);
// the board: M8 4.5H6a1.5 1.5 0 0 0-1.5 1.5v14 … h12 … V6 … h-2 (open at the clip)
const board = poly([P(8, 4.5), P(6, 4.5), ...arc(6, 6, 1.5, 270, 180), P(4.5, 20), ...arc(6, 20, 1.5, 180, 90), P(18, 21.5), ...arc(18, 20, 1.5, 90, 0), P(19.5, 6), ...arc(18, 6, 1.5, 0, -90), P(16, 4.5)]);
const lines = [...poly([P(14, 11), P(17, 11)]), ...poly([P(14, 17), P(17, 17)])];
const ticks = [...poly([P(8, 10.5), P(9.5, 12), P(12, 9.5)]), ...poly([P(8, 16.5), P(9.5, 18), P(12, 15.5)])];
const white = [...clip, ...board, ...lines];

function distToSegment(px, py, [[ax, ay], [bx, by]]) {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
const inStroke = (x, y, segs) => segs.some((s) => distToSegment(x, y, s) <= STROKE / 2);

/** Inside the background: a square with rounded corners (radius 24). */
function inBackground(x, y) {
  const r = 24;
  const cx = Math.max(r, Math.min(SIZE - r, x));
  const cy = Math.max(r, Math.min(SIZE - r, y));
  return Math.hypot(x - cx, y - cy) <= r;
}

export function render() {
  const rgba = Buffer.alloc(SIZE * SIZE * 4);
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const x = px + (sx + 0.5) / SS;
          const y = py + (sy + 0.5) / SS;
          if (!inBackground(x, y)) continue;
          const c = inStroke(x, y, ticks) ? GREEN : inStroke(x, y, white) ? WHITE : BACKGROUND;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const o = (py * SIZE + px) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round((255 * a) / (SS * SS));
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An RGBA image as a PNG file (8 bits per channel, no filter). */
export function png(rgba, width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'media', 'icon.png');
  fs.writeFileSync(out, png(render(), SIZE, SIZE));
  console.log(`${out}: ${SIZE}x${SIZE}, ${fs.statSync(out).size} bytes`);
}
