/**
 * The desktop launcher, for machines that can download VS Code: @vscode/test-electron downloads
 * a VS Code build and runs the integration suite in it on a copy of the tutorial example project.
 * (Offline, `npm run test:e2e` runs the same suite in code-server instead.)
 *
 * Environment: VSCODE_EXECUTABLE=/path/to/code uses an installed VS Code instead of downloading
 * one; VSCODE_VERSION=stable|insiders|1.91.0 picks the version to download (default: stable).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-e2e-'));
  fs.cpSync(path.join(repo, 'test', 'fixtures', 'projects', 'tutorial'), workspace, { recursive: true });
  try {
    await runTests({
      ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION ?? 'stable' }),
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out', 'e2e', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
