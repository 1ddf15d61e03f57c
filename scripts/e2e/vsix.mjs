// Checks the packaged .vsix before the suites install it: its size, and that it holds only what
// .vscodeignore allows (the bundles, the wasm files, the icons, README, CHANGELOG, LICENSE and
// the manifest). Reads the zip's central directory itself (no unzip needed).
import * as fs from 'node:fs';

export const MAX_BYTES = 3 * 1024 * 1024;

const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/LICENSE(\.txt)?$/i,
  /^extension\/dist\/(client|server|worker)\.js$/,
  /^extension\/dist\/[\w.-]+\.wasm$/,
  /^extension\/media\/[\w.-]+\.(png|svg)$/,
];
const REQUIRED = ['extension/package.json', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/media/icon.png'];

/** The names of a zip file's entries. */
export function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** Throws when the package is too large or holds a file it should not; returns a summary. */
export function checkVsix(file) {
  const size = fs.statSync(file).size;
  if (size > MAX_BYTES) throw new Error(`${file} is ${(size / 1024 / 1024).toFixed(2)} MB (at most 3 MB)`);
  const names = zipEntries(file).filter((n) => !n.endsWith('/'));
  const extra = names.filter((n) => !ALLOWED.some((re) => re.test(n)));
  if (extra.length > 0) throw new Error(`${file} holds files outside the allow-list: ${extra.join(', ')}`);
  const missing = REQUIRED.filter((n) => !names.includes(n));
  if (missing.length > 0) throw new Error(`${file} lacks ${missing.join(', ')}`);
  return { size, files: names.length };
}
