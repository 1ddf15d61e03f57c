// One esbuild build for the three bundles (client, server, CLI), plus the wasm files beside them.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { generateRegistry } from './gen-registry.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const t0 = Date.now();

generateRegistry();
fs.mkdirSync(dist, { recursive: true });

const entries = [
  { in: 'client/src/extension.ts', out: 'client', external: ['vscode'] },
  { in: 'server/src/lsp/main.ts', out: 'server', external: [] },
  { in: 'server/src/cli/main.ts', out: 'cli', external: [], banner: '#!/usr/bin/env node' },
  { in: 'server/src/worker/main.ts', out: 'worker', external: [] },
].filter((e) => fs.existsSync(path.join(root, e.in)));

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: true,
  minify: !watch,
  logLevel: 'warning',
  absWorkingDir: root,
  // web-tree-sitter's ESM build needs import.meta.url, which a CJS bundle lacks: use its CJS build.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
};

const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({
      ...common,
      entryPoints: { [e.out]: e.in },
      outdir: dist,
      external: e.external,
      banner: e.banner ? { js: e.banner } : undefined,
    }),
  ),
);

// wasm: the tree-sitter runtime and the Python grammar, loaded from disk at run time
const wasm = [
  [path.join(path.dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm'), 'web-tree-sitter.wasm'],
  [path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm', 'tree-sitter-python.wasm'), 'tree-sitter-python.wasm'],
];
for (const [from, to] of wasm) fs.copyFileSync(from, path.join(dist, to));

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching...');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const cli = path.join(dist, 'cli.js');
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
  console.log(`build: ${entries.map((e) => e.out).join(', ')} + wasm in ${Date.now() - t0} ms`);
}
