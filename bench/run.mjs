// Builds the benchmarks with the same esbuild settings as the shipped bundles, then runs them.
// Usage: node bench/run.mjs [NAME [ARGS...]]   (npm run bench -- repo PATH --files 4000)
//   NAME: engine (settings keystroke), repo (whole-project CLI check), activation (language
//   server start to first diagnostics, memory and responsiveness on a large workspace), lsp
//   (scripts/bench-lsp.ts: keystrokes through the language server), hostile (a 100,000-element list,
//   syntax-error-heavy modules), prefilters (how precise the code rules' prefilters are on real
//   projects, and that they lose no finding), keystroke (a large repository's settings module
//   against a standalone 1,000-line one, side by side; --memory N: RSS at rest after N edits),
//   findings (--compare OTHER/dist/cli.js: the same findings as another build on the example
//   projects and the generated repository; needs --compare, so not part of the default).
//   Default: all of them but findings.
// Also builds bench/out/gen-repo.js (node bench/out/gen-repo.js DIR --files 4000) and
// bench/out/floor.js (bench/floor.ts).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'bench', 'out');
const bundled = ['engine', 'repo', 'activation', 'hostile', 'prefilters', 'keystroke', 'findings'].filter((n) => fs.existsSync(path.join(root, 'bench', `${n}.ts`)));
const all = [...bundled, 'lsp'];
// findings needs another build to compare with (--compare)
const defaults = all.filter((n) => n !== 'findings');
const args = process.argv.slice(2);
// the first argument names one benchmark, the rest are its own; without a name: all, default options
const names = args.length > 0 && all.includes(args[0]) ? [args[0]] : defaults;
const rest = args.length > 0 && all.includes(args[0]) ? args.slice(1) : args;
fs.mkdirSync(out, { recursive: true });
for (const f of ['web-tree-sitter.wasm', 'tree-sitter-python.wasm']) fs.copyFileSync(path.join(root, 'dist', f), path.join(out, f));
const build = (name) =>
  esbuild.build({
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
await build('gen-repo');
// the floors bench repo compares the CLI with (bench/floor.ts), run as a child process
await build('floor');
for (const name of names) {
  console.log(`\n## bench ${name}`);
  let r;
  if (name === 'lsp') {
    r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'bench-lsp.ts'), ...rest], { stdio: 'inherit', cwd: root });
  } else {
    await build(name);
    r = spawnSync(process.execPath, ['--expose-gc', path.join(out, `${name}.js`), ...rest], { stdio: 'inherit', cwd: root });
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
}
