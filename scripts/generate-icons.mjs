// Draws the RustChain Desktop icon (a vintage DIP chip on a rust-coloured tile) and writes
// assets/icon.svg, assets/icons/<n>x<n>.png, assets/icon.png, assets/icon.ico and assets/icon.icns.
// One shape list feeds both the SVG and the rasteriser, so the vector and bitmap icons always agree.
// Pure Node (node:zlib); run with `node scripts/generate-icons.mjs` after changing the drawing.
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CANVAS = 1024;
const GOLD = '#e8c77a';
const BODY = '#23272c';
const RUST_TOP = '#c8612a';
const RUST_BOTTOM = '#7a2e0c';

/** Painter's order. Coordinates on a 1024 × 1024 canvas. */
const shapes = [
  { kind: 'rect', x: 64, y: 64, w: 896, h: 896, r: 200, fill: 'gradient' },
  ...[332, 452, 572, 692].flatMap((cy) => [
    { kind: 'rect', x: 212, y: cy - 28, w: 120, h: 56, r: 14, fill: GOLD },
    { kind: 'rect', x: 692, y: cy - 28, w: 120, h: 56, r: 14, fill: GOLD },
  ]),
  { kind: 'rect', x: 312, y: 232, w: 400, h: 560, r: 40, fill: BODY },
  { kind: 'circle', cx: 512, cy: 232, r: 48, fill: 'gradient' }, // the notch: background shows through
  { kind: 'circle', cx: 372, cy: 300, r: 20, fill: '#8b939c' },
  { kind: 'circle', cx: 512, cy: 540, r: 124, fill: RUST_TOP },
  { kind: 'circle', cx: 512, cy: 540, r: 84, fill: BODY },
  { kind: 'circle', cx: 512, cy: 540, r: 44, fill: GOLD },
];

function rgb(hex) {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
}

function gradientAt(y) {
  const t = Math.min(Math.max((y - 64) / 896, 0), 1);
  const a = rgb(RUST_TOP);
  const b = rgb(RUST_BOTTOM);
  return a.map((v, i) => v + (b[i] - v) * t);
}

function inside(s, x, y) {
  if (s.kind === 'circle') return (x - s.cx) ** 2 + (y - s.cy) ** 2 <= s.r ** 2;
  const qx = Math.abs(x - (s.x + s.w / 2)) - (s.w / 2 - s.r);
  const qy = Math.abs(y - (s.y + s.h / 2)) - (s.h / 2 - s.r);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) <= s.r;
}

const solid = new Map(shapes.filter((s) => s.fill !== 'gradient').map((s) => [s.fill, rgb(s.fill)]));

/** RGBA pixels of the icon at size × size, anti-aliased by supersampling. */
function render(size) {
  const ss = size >= 512 ? 2 : size >= 64 ? 4 : 8;
  const scale = CANVAS / size;
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) * scale;
          const y = (py + (sy + 0.5) / ss) * scale;
          for (let i = shapes.length - 1; i >= 0; i--) {
            const s = shapes[i];
            if (!inside(s, x, y)) continue;
            const c = s.fill === 'gradient' ? gradientAt(y) : solid.get(s.fill);
            r += c[0];
            g += c[1];
            b += c[2];
            a += 1;
            break;
          }
        }
      }
      const o = (py * size + px) * 4;
      // Colours are averaged over covered samples only (straight alpha), coverage becomes alpha.
      out[o] = a ? Math.round(r / a) : 0;
      out[o + 1] = a ? Math.round(g / a) : 0;
      out[o + 2] = a ? Math.round(b / a) : 0;
      out[o + 3] = Math.round((255 * a) / (ss * ss));
    }
  }
  return out;
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

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** ICO with PNG-compressed images (Windows Vista and later). */
function encodeIco(pngs) {
  const head = Buffer.alloc(6 + 16 * pngs.length);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(pngs.length, 4);
  let offset = head.length;
  pngs.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    head[e] = size >= 256 ? 0 : size;
    head[e + 1] = size >= 256 ? 0 : size;
    head.writeUInt16LE(1, e + 4);
    head.writeUInt16LE(32, e + 6);
    head.writeUInt32LE(png.length, e + 8);
    head.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([head, ...pngs.map((p) => p.png)]);
}

/** ICNS with PNG entries; each OSType names a pixel size (and Retina variants reuse the larger PNG). */
function encodeIcns(byType) {
  const parts = byType.map(([type, png]) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([h, png]);
  });
  const total = 8 + parts.reduce((n, p) => n + p.length, 0);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(total, 4);
  return Buffer.concat([h, ...parts]);
}

function svg() {
  const el = shapes.map((s) => {
    const fill = s.fill === 'gradient' ? 'url(#rust)' : s.fill;
    return s.kind === 'circle'
      ? `  <circle cx="${s.cx}" cy="${s.cy}" r="${s.r}" fill="${fill}"/>`
      : `  <rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="${s.r}" fill="${fill}"/>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CANVAS} ${CANVAS}" width="${CANVAS}" height="${CANVAS}">`,
    '  <title>RustChain Desktop</title>',
    '  <defs>',
    '    <linearGradient id="rust" x1="0" y1="64" x2="0" y2="960" gradientUnits="userSpaceOnUse">',
    `      <stop offset="0" stop-color="${RUST_TOP}"/>`,
    `      <stop offset="1" stop-color="${RUST_BOTTOM}"/>`,
    '    </linearGradient>',
    '  </defs>',
    ...el,
    '</svg>',
    '',
  ].join('\n');
}

const assets = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');
mkdirSync(join(assets, 'icons'), { recursive: true });
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const png = new Map(SIZES.map((size) => [size, encodePng(size, render(size))]));
for (const [size, data] of png) writeFileSync(join(assets, 'icons', `${size}x${size}.png`), data);
writeFileSync(join(assets, 'icon.png'), png.get(1024));
writeFileSync(join(assets, 'icon.svg'), svg());
writeFileSync(
  join(assets, 'icon.ico'),
  encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: png.get(size) }))),
);
writeFileSync(
  join(assets, 'icon.icns'),
  encodeIcns([
    ['icp4', png.get(16)],
    ['icp5', png.get(32)],
    ['icp6', png.get(64)],
    ['ic07', png.get(128)],
    ['ic08', png.get(256)],
    ['ic09', png.get(512)],
    ['ic10', png.get(1024)],
    ['ic11', png.get(32)],
    ['ic12', png.get(64)],
    ['ic13', png.get(256)],
    ['ic14', png.get(512)],
  ]),
);
console.log(`icons written to ${assets}`);
