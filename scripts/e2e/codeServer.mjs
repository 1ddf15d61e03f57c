// Starting code-server and a headless Chromium for the e2e suites.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as path from 'node:path';
import { log, paths } from './env.mjs';

/** A free local port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function waitHttp(url, ms) {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const go = () =>
      http
        .get(url, (r) => {
          r.resume();
          resolve();
        })
        .on('error', () => (Date.now() > end ? reject(new Error(`code-server did not answer on ${url}`)) : setTimeout(go, 250)));
    go();
  });
}

/** VS Code user settings for a quiet, offline, deterministic workbench. */
export function writeUserSettings(dataDir, extra = {}) {
  const dir = path.join(dataDir, 'user', 'User');
  fs.mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'editor.hover.delay': 150,
    'git.enabled': false,
    ...extra,
  };
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * Starts code-server on a free port with its data under `dataDir`.
 * `smoke`: VS Code's smoke-test driver, needed for extension tests passed in the URL payload.
 */
export async function startCodeServer({ dataDir, extensionsDir, smoke = false }) {
  const port = await freePort();
  fs.mkdirSync(extensionsDir, { recursive: true });
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dataDir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(dataDir, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(dataDir, 'xdg', 'cache'),
    TMPDIR: paths.tmp,
    EXTENSIONS_GALLERY: '{}', // no marketplace lookups
  };
  const out = fs.openSync(path.join(dataDir, 'code-server.log'), 'a');
  const args = [
    paths.codeServer,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(smoke ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    '--user-data-dir', path.join(dataDir, 'user'),
    '--extensions-dir', extensionsDir,
  ];
  const child = spawn(paths.node24, args, { stdio: ['ignore', out, out], detached: true, env });
  await waitHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
  log(`code-server up on port ${port} (pid ${child.pid})`);
  return {
    port,
    authority: `127.0.0.1:${port}`,
    stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

/** Installs a .vsix into an extensions folder with code-server's CLI. */
export function installVsix(vsix, dataDir, extensionsDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(paths.node24, [paths.codeServer, '--user-data-dir', path.join(dataDir, 'user'), '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, XDG_CONFIG_HOME: path.join(dataDir, 'xdg', 'config'), XDG_DATA_HOME: path.join(dataDir, 'xdg', 'data'), TMPDIR: paths.tmp, EXTENSIONS_GALLERY: '{}' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`--install-extension failed (${code}): ${output}`))));
  });
}

/** playwright-core from the cache (not a dependency of the project). */
export function playwright() {
  const require = createRequire(path.join(paths.playwright, 'package.json'));
  return require(paths.playwright);
}

export async function launchBrowser(dataDir) {
  const { chromium } = playwright();
  return chromium.launch({
    executablePath: paths.chromium,
    headless: true,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(dataDir, 'xdg', 'chromium-config'), XDG_CACHE_HOME: path.join(dataDir, 'xdg', 'chromium-cache'), TMPDIR: paths.tmp },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
