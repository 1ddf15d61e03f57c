// The integration suite (test/e2e/suite, mocha + the real `vscode` API) inside code-server's
// Node extension host: the browser is only the workbench shell. The URL payload carries
// extensionDevelopmentPath / extensionTestsPath (as @vscode/test-web does); the workbench calls
// window.codeAutomationExit(code) when the suite ends.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { launchBrowser, startCodeServer, writeUserSettings } from './codeServer.mjs';
import { cache, log, repo } from './env.mjs';

const NOISE = /Creating a socket|connection token|grace-time|AccountPolicyGate|AgentHost|Service Worker|builtin extensions|gallery|open-vsx|^\s+at |\[perf\]|ExtensionService#_doActivateExtension/;

/** Runs the suite on a fresh copy of the tutorial example; resolves to the mocha exit code. */
export async function runIntegration({ timeoutMs = 180_000 } = {}) {
  const dataDir = path.join(cache, 'run', 'integration');
  const workspace = path.join(cache, 'run', 'integration-workspace');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(path.join(repo, 'test', 'fixtures', 'projects', 'tutorial'), workspace, { recursive: true });
  // the split-settings example beside it: fix-all on save on its base.py (development settings stay unchanged)
  fs.cpSync(path.join(repo, 'test', 'fixtures', 'projects', 'split-fixall'), path.join(workspace, 'split-fixall'), { recursive: true });
  writeUserSettings(dataDir);
  const server = await startCodeServer({ dataDir, extensionsDir: path.join(dataDir, 'extensions'), smoke: true });
  let browser;
  try {
    browser = await launchBrowser(dataDir);
    const page = await browser.newPage();
    let exit;
    const done = new Promise((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    // the workbench forwards its log and the extension host's console (mocha's reporter) here
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...args);
      if (!NOISE.test(line)) console.log(`  | ${line}`);
    });
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${server.authority}${repo}`],
      ['extensionTestsPath', `vscode-remote://${server.authority}${path.join(repo, 'out', 'e2e', 'suite', 'index.js')}`],
    ];
    const url = `http://${server.authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log('integration suite: opening the workbench');
    await page.goto(url);
    const code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    log(`integration suite: exit code ${code}`);
    return code === 0 ? 0 : 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    server.stop();
  }
}
