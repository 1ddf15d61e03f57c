/**
 * Writes the synthetic Django repository of repo-generator.ts to a folder.
 * Usage: node bench/out/gen-repo.js DIR [--files 4000] [--seed 42]
 * (built by `npm run bench`; or run from source: node --import tsx bench/gen-repo.ts DIR)
 */
import * as path from 'node:path';
import { writeRepo } from './repo-generator';

function main(): void {
  const argv = process.argv.slice(2);
  const opt = (name: string, def: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : def;
  };
  const dir = argv.find((a, i) => !a.startsWith('-') && !argv[i - 1]?.startsWith('--'));
  if (!dir) {
    process.stderr.write('usage: gen-repo DIR [--files N] [--seed S]\n');
    process.exit(2);
  }
  const t0 = performance.now();
  const s = writeRepo(path.resolve(dir), { files: opt('--files', 4000), seed: opt('--seed', 42) });
  process.stdout.write(`${path.resolve(dir)}: ${s.files} files (${s.pythonFiles} Python), ${s.lines} lines, ${(s.bytes / 1024 / 1024).toFixed(1)} MB, ${(s.lines / s.files).toFixed(0)} lines/file, in ${(performance.now() - t0).toFixed(0)} ms\n`);
}

main();
