/**
 * One count everywhere (issue 14, items 3 and 5): the language server's djangoReadiness/status
 * counts are exactly the diagnostics it published (what the Problems panel lists), which the
 * client's status item and the checklist's badge show; a folder without Django gets no
 * diagnostic and a status saying so.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { STATUS_NOTIFICATION, type StatusParams } from '../../server/src/protocol/messages';
import { tempProject, TestClient } from '../helpers/lsp';

const SEVERITY = ['error', 'error', 'warning', 'info', 'hint'] as const;

/** The published diagnostics, by severity (all files). */
function published(client: TestClient): Record<'error' | 'warning' | 'info' | 'hint', number> {
  const out = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const p of client.diagnostics.values()) for (const d of p.diagnostics) out[SEVERITY[d.severity ?? 1]]++;
  return out;
}

function lastStatus(client: TestClient): StatusParams | undefined {
  return [...client.notifications].reverse().find((n) => n.method === STATUS_NOTIFICATION)?.params as StatusParams | undefined;
}

test('the status counts are the published diagnostics, notes included', async () => {
  const root = tempProject('tutorial');
  const client = new TestClient({ root });
  try {
    await client.initialize();
    const uri = await client.open(path.join(root, 'mysite', 'settings.py'));
    await client.waitFor(uri, (d) => d.length > 0, 10_000);
    // the status follows each publication: wait until both have settled on the same numbers
    const t0 = Date.now();
    let status: StatusParams | undefined;
    for (;;) {
      status = lastStatus(client);
      if (status && JSON.stringify(status.counts) === JSON.stringify(published(client))) break;
      if (Date.now() - t0 > 10_000) assert.fail(`status ${JSON.stringify(status?.counts)} != published ${JSON.stringify(published(client))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status.hasDjangoProject, true);
    const total = status.counts.error + status.counts.warning + status.counts.info + status.counts.hint;
    assert.ok(total > 10, `${total} diagnostics`);
    assert.ok(status.counts.error > 0 && status.counts.warning > 0);
  } finally {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a folder without Django: no diagnostic, the status says there is no Django project', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-flask-')));
  fs.mkdirSync(path.join(root, 'app'));
  fs.writeFileSync(path.join(root, 'app', '__init__.py'), 'from flask import Flask\napp = Flask(__name__)\n');
  fs.writeFileSync(path.join(root, 'app', 'settings.py'), "DEBUG = True\nSECRET_KEY = 'flask-dev-key-not-django'\nALLOWED_HOSTS = ['*']\n");
  fs.writeFileSync(path.join(root, 'requirements.txt'), 'flask\n');
  const client = new TestClient({ root });
  try {
    await client.initialize();
    await client.open(path.join(root, 'app', 'settings.py'));
    const status = (await client.waitForNotification(STATUS_NOTIFICATION, (p) => (p as StatusParams).ms !== undefined, 10_000)) as StatusParams;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(status.hasDjangoProject, false);
    assert.deepEqual(lastStatus(client)?.counts, { error: 0, warning: 0, info: 0, hint: 0 });
    assert.deepEqual([...client.diagnostics.values()].flatMap((p) => p.diagnostics), []);
  } finally {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
