/**
 * Integration-test entry point, loaded by the VS Code extension host (`extensionTestsPath`):
 * the same file serves @vscode/test-electron (desktop VS Code) and code-server (scripts/e2e).
 */
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'extension.e2e.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`MOCHA_DONE failures=${failures}`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
