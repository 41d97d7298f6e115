#!/usr/bin/env node
// Renders build/icon.svg into the icons electron-builder packs for the three platforms, and commits nothing
// itself: run it after changing the SVG, then commit what it wrote.
//   build/icon.png        1024×1024 (macOS, and the source electron-builder falls back to)
//   build/icons/NxN.png   16…1024 (Linux: AppImage and deb take the set by size)
//   build/icon.ico        16…256, PNG entries (Windows Vista and later read PNG-compressed ICO entries)
//   build/icon.icns       16…1024, PNG entries (ic04…ic10 types)
// Needs a Chromium: Debian's /usr/bin/chromium, or CHROMIUM=path.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const build = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
const svg = readFileSync(join(build, 'icon.svg'), 'utf8');
const SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const png = new Map();
try {
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const sized = svg.replace(/width="1024" height="1024"/, `width="${size}" height="${size}"`);
    await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`);
    png.set(size, await page.locator('svg').screenshot({ omitBackground: true }));
    await page.close();
  }
} finally {
  await browser.close();
}

mkdirSync(join(build, 'icons'), { recursive: true });
for (const size of SIZES) writeFileSync(join(build, 'icons', `${size}x${size}.png`), png.get(size));
writeFileSync(join(build, 'icon.png'), png.get(1024));

// ICO: a 6-byte header, a 16-byte directory entry per image, then the images (PNG data as is).
const icoSizes = SIZES.filter((s) => s <= 256);
const header = Buffer.alloc(6 + 16 * icoSizes.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2); // 1 = icon
header.writeUInt16LE(icoSizes.length, 4);
let offset = header.length;
icoSizes.forEach((size, i) => {
  const data = png.get(size);
  const entry = 6 + 16 * i;
  header.writeUInt8(size === 256 ? 0 : size, entry); // 0 means 256
  header.writeUInt8(size === 256 ? 0 : size, entry + 1);
  header.writeUInt16LE(1, entry + 4); // colour planes
  header.writeUInt16LE(32, entry + 6); // bits per pixel
  header.writeUInt32LE(data.length, entry + 8);
  header.writeUInt32LE(offset, entry + 12);
  offset += data.length;
});
writeFileSync(join(build, 'icon.ico'), Buffer.concat([header, ...icoSizes.map((s) => png.get(s))]));

// ICNS: 'icns' + total length, then (type, length incl. its 8-byte header, PNG data) per image.
const ICNS_TYPES = { 16: 'icp4', 32: 'icp5', 64: 'icp6', 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' };
const chunks = Object.entries(ICNS_TYPES).map(([size, type]) => {
  const data = png.get(Number(size));
  const head = Buffer.alloc(8);
  head.write(type, 0, 'ascii');
  head.writeUInt32BE(data.length + 8, 4);
  return Buffer.concat([head, data]);
});
const icnsHead = Buffer.alloc(8);
icnsHead.write('icns', 0, 'ascii');
icnsHead.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
writeFileSync(join(build, 'icon.icns'), Buffer.concat([icnsHead, ...chunks]));
console.log(`wrote build/icon.png, build/icon.ico, build/icon.icns and build/icons/ (${SIZES.join(', ')})`);
