// Builds the benchmarks with the same esbuild settings as the shipped bundles, then runs them.
// Usage: node bench/run.mjs [engine|lsp|repo ...]   (default: every bench/*.ts entry with a main)
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'bench', 'out');
const all = ['engine', 'lsp', 'repo'].filter((n) => fs.existsSync(path.join(root, 'bench', `${n}.ts`)));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : all;
fs.mkdirSync(out, { recursive: true });
for (const f of ['web-tree-sitter.wasm', 'tree-sitter-python.wasm']) fs.copyFileSync(path.join(root, 'dist', f), path.join(out, f));
for (const name of names) {
  await esbuild.build({
    entryPoints: [path.join(root, 'bench', `${name}.ts`)],
    outfile: path.join(out, `${name}.js`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    minify: true,
    logLevel: 'warning',
    alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  });
  console.log(`\n## bench ${name}`);
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(out, `${name}.js`), ...process.argv.slice(2).filter((a) => a.startsWith('-'))], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
