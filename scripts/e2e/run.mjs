// npm run test:e2e: installs the offline VS Code test environment on first run (.cache/e2e),
// builds and packages the extension, then runs, headless:
//   1. the integration suite (mocha, real vscode API) in code-server's extension host;
//   2. the UI suite (Playwright) against the packaged .vsix installed into a clean profile,
//      with screenshots in test-results/e2e/.
// Usage: node scripts/e2e/run.mjs [--only integration|ui]
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { log, repo, setup } from './env.mjs';
import { checkVsix } from './vsix.mjs';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const times = {};
const time = async (name, fn) => {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    times[name] = (Date.now() - t) / 1000;
  }
};
const npm = (...args) => {
  const r = spawnSync('npm', args, { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed`);
};

let failed = false;
try {
  await time('install (first run only)', () => setup());
  await time('build + package', () => {
    npm('run', '-s', 'package');
    const { size, files } = checkVsix(path.join(repo, 'django-readiness.vsix'));
    log(`django-readiness.vsix: ${(size / 1024).toFixed(0)} KB, ${files} files, all on the allow-list`);
    const r = spawnSync(process.execPath, [path.join(repo, 'scripts', 'e2e', 'build-tests.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building the e2e tests failed');
  });
  if (!only || only === 'integration') {
    const { runIntegration } = await import('./integration.mjs');
    const code = await time('integration suite', () => runIntegration());
    if (code !== 0) failed = true;
  }
  if (!only || only === 'ui') {
    const { runUi } = await import('./ui.mjs');
    const code = await time('UI suite (vsix in a clean profile)', () => runUi(path.join(repo, 'django-readiness.vsix')));
    if (code !== 0) failed = true;
  }
} catch (e) {
  console.error(e);
  failed = true;
}
for (const [k, v] of Object.entries(times)) log(`${k}: ${v.toFixed(1)} s`);
log(failed ? 'e2e: FAILED' : 'e2e: passed');
process.exit(failed ? 1 : 0);
