// Compiles the integration suite (test/e2e) to out/e2e: loaded by the VS Code extension host,
// with `vscode` and mocha resolved at run time (mocha from the project's node_modules).
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { repo } from './env.mjs';

await esbuild.build({
  entryPoints: ['suite/index.ts', 'suite/extension.e2e.ts', 'runTest.ts'].map((f) => path.join(repo, 'test', 'e2e', f)),
  outdir: path.join(repo, 'out', 'e2e'),
  outbase: path.join(repo, 'test', 'e2e'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: true,
  external: ['vscode', 'mocha', '@vscode/test-electron'],
  logLevel: 'warning',
});
