/**
 * The start-up log, in-process: the server says what it decided (version, workspace folder,
 * the production settings module chosen and why, rules enabled, time to the first diagnostics);
 * djangoReadiness.logLevel filters it; a folder without Django says so.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { tempProject, TestClient } from '../helpers/lsp';
import pkg from '../../package.json';

async function waitForLog(client: TestClient, re: RegExp, ms = 5000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const hit = client.logs.find((l) => re.test(l));
    if (hit) return hit;
    if (Date.now() - t0 > ms) assert.fail(`no log line matching ${re}; got:\n${client.logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('start-up lines: version, folder, production module and why, rules, first diagnostics', async () => {
  const root = tempProject('tutorial');
  const client = new TestClient({ root, settings: { rules: { ignore: ['DJR9'] } } });
  try {
    await client.initialize();
    await client.open(path.join(root, 'mysite', 'settings.py'));
    const name = path.basename(root);
    await waitForLog(client, new RegExp(`^Django Readiness ${pkg.version.replace(/\./g, '\\.')}: language server started \\(Node v\\d+[.\\d]*, \\d+ rules\\)$`));
    await waitForLog(client, new RegExp(`^Workspace folder ${name}: ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    await waitForLog(client, new RegExp(`^${name}: Django project: production settings mysite\\.settings \\(mysite/settings\\.py\\), chosen because .+`));
    const rules = await waitForLog(client, new RegExp(`^${name}: \\d+ rules enabled, \\d+ switched off by the configuration$`));
    assert.ok(Number(/, (\d+) switched off/.exec(rules)?.[1]) >= 8, 'the DJR9xx rules are off');
    await waitForLog(client, new RegExp(`^${name}: first diagnostics \\d+ ms after start \\(analysis \\d+ ms\\): \\d+ problems in \\d+ files, \\d+ files read$`));
    // debug lines only at logLevel debug
    assert.ok(!client.logs.some((l) => / analysed in \d+ ms/.test(l)));
    // the production module is said once at start-up (not also in another form)...
    assert.equal(client.logs.filter((l) => /production settings/.test(l)).length, 1, client.logs.join('\n'));
    // ...and again, in the same form, when the choice changes
    await client.changeSettings({ rules: { ignore: ['DJR9'] }, productionSettingsModule: 'mysite.settings' });
    await waitForLog(client, new RegExp(`^${name}: Django project: production settings mysite\\.settings \\(mysite/settings\\.py\\), chosen because configured$`));
    assert.equal(client.logs.filter((l) => /production settings/.test(l)).length, 2, client.logs.join('\n'));
  } finally {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('logLevel error: no start-up lines; debug: each analysis too', async () => {
  const root = tempProject('tutorial');
  const quiet = new TestClient({ root, settings: { logLevel: 'error' } });
  try {
    await quiet.initialize();
    const uri = await quiet.open(path.join(root, 'mysite', 'settings.py'));
    await quiet.waitFor(uri, (d) => d.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(quiet.logs.filter((l) => /started|first diagnostics|production settings/.test(l)), []);
  } finally {
    await quiet.dispose();
  }
  const loud = new TestClient({ root, settings: { logLevel: 'debug' } });
  try {
    await loud.initialize();
    const uri = await loud.open(path.join(root, 'mysite', 'settings.py'));
    await loud.waitFor(uri, (d) => d.length > 0);
    await loud.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# edited\n' }]);
    await waitForLog(loud, / analysed in \d+ ms, \d+ problems, diagnostics of \d+ files? published$/);
  } finally {
    await loud.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a folder without Django says so', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-flask-'));
  fs.writeFileSync(path.join(root, 'app.py'), 'from flask import Flask\napp = Flask(__name__)\n');
  const client = new TestClient({ root });
  try {
    await client.initialize();
    await client.open(path.join(root, 'app.py'));
    await waitForLog(client, /: no Django project \(manage\.py or a settings module\) in this folder: nothing is reported here\.$/);
  } finally {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
