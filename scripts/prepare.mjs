// npm's `prepare` script: builds dist/ (scripts/build.mjs). It runs on `npm install` / `npm ci`
// in a checkout and before `npm pack`; a global install of the packed tarball runs nothing.
//
// Installing this repository from git as a global package (`npm install -g git+...`: what
// pre-commit does for a `language: node` hook) runs `prepare` in a clone whose devDependencies
// were never installed, because the global flag leaks into npm's own preparation install
// (npm/cli#8440). Then install them here first (from the lock file, without scripts, as a local
// install), and build.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

function resolvable(name) {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

if (!resolvable('esbuild')) {
  const npmCli = process.env.npm_execpath;
  if (!npmCli) {
    console.error('prepare: the devDependencies are missing (esbuild); run npm install first');
    process.exit(1);
  }
  const env = { ...process.env, npm_config_global: 'false', npm_config_location: 'project' };
  delete env.NPM_CONFIG_GLOBAL;
  delete env.NPM_CONFIG_LOCATION;
  const args = [npmCli, fs.existsSync(path.join(root, 'package-lock.json')) ? 'ci' : 'install', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save'];
  console.error('prepare: installing the devDependencies to build (npm/cli#8440)');
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

await import('./build.mjs');
