/**
 * The checklist through the language server, in-process: djangoReadiness/checklist,
 * djangoReadiness/setManual (the tick lands in .django-readiness/checklist.json on disk) and
 * djangoReadiness/checklistChanged (sent when what the view shows changes, not per keystroke).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadManualState, NodeFileSystem, type ChecklistReport } from '../../server/src/engine';
import { CHECKLIST_CHANGED_NOTIFICATION, CHECKLIST_REQUEST, SET_MANUAL_REQUEST, type ChecklistChangedParams, type SetManualResult } from '../../server/src/protocol/checklist';
import { APPLY_FIX_REQUEST, type ApplyFixResult } from '../../server/src/protocol/messages';
import { tempProject, TestClient, uriOf } from '../helpers/lsp';

describe('language server: checklist', () => {
  let root: string;
  let client: TestClient;
  let folder: string;

  const checklist = () => client.conn.sendRequest(CHECKLIST_REQUEST, { uri: folder }) as Promise<ChecklistReport | null>;
  const item = (r: ChecklistReport | null, id: string) => {
    const it = r?.items.find((i) => i.id === id);
    assert.ok(it, id);
    return it;
  };
  const changes = () => client.notifications.filter((n) => n.method === CHECKLIST_CHANGED_NOTIFICATION).length;

  before(async () => {
    root = tempProject('tutorial');
    folder = uriOf(root);
    client = new TestClient({ root });
    await client.initialize();
    await client.open(path.join(root, 'mysite', 'settings.py'));
  });

  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('after the analysis: a checklistChanged notification with the score, and the report on request', async () => {
    const p = (await client.waitForNotification(CHECKLIST_CHANGED_NOTIFICATION, (x) => (x as ChecklistChangedParams).uri === folder)) as ChecklistChangedParams;
    assert.equal(p.summary.hasDjangoProject, true);
    assert.ok(p.summary.failed > 0);
    const r = await checklist();
    assert.ok(r);
    assert.equal(r.root, root);
    assert.equal(item(r, 'secrets.secret-key-env').status, 'failed');
    assert.equal(item(r, 'debug.debug-off').status, 'failed');
    assert.ok(item(r, 'debug.debug-off').findings[0].file.endsWith(path.join('mysite', 'settings.py')));
    assert.equal(item(r, 'database.backups').status, 'manual');
    assert.doesNotMatch(JSON.stringify(r.items.map((i) => i.findings.map((f) => f.message))), /\^8w!f3c/, 'messages are masked');
  });

  test('an unknown folder has no checklist', async () => {
    assert.equal(await client.conn.sendRequest(CHECKLIST_REQUEST, { uri: uriOf(path.join(root, 'nope')) }), null);
  });

  test('setManual writes the shared tick file and announces the change', async () => {
    const before = changes();
    const res = (await client.conn.sendRequest(SET_MANUAL_REQUEST, { uri: folder, id: 'database.backups', done: true, by: 'alice' })) as SetManualResult;
    assert.equal(res.ok, true, res.error);
    assert.equal(res.file, path.join(root, '.django-readiness', 'checklist.json'));
    const onDisk = loadManualState(new NodeFileSystem(), root);
    assert.equal(onDisk.items['database.backups']?.done, true);
    assert.equal(onDisk.items['database.backups']?.by, 'alice');
    assert.match(onDisk.items['database.backups']?.date ?? '', /^\d{4}-\d{2}-\d{2}$/);
    await client.waitForNotification(CHECKLIST_CHANGED_NOTIFICATION, () => changes() > before);
    const r = await checklist();
    assert.equal(item(r, 'database.backups').done, true);
    assert.equal(r?.counts.manualDone, 1);
    // undo
    assert.equal(((await client.conn.sendRequest(SET_MANUAL_REQUEST, { uri: folder, id: 'database.backups', done: false })) as SetManualResult).ok, true);
    assert.deepEqual(loadManualState(new NodeFileSystem(), root).items, {});
    assert.equal(item(await checklist(), 'database.backups').done, false);
  });

  test('a tick file edited by hand (or pulled from git) is read on the next request', async () => {
    fs.writeFileSync(path.join(root, '.django-readiness', 'checklist.json'), JSON.stringify({ version: 1, items: { 'deployment.tests': { done: true, by: 'bob' } } }));
    assert.equal(item(await checklist(), 'deployment.tests').done, true);
  });

  test('setManual refuses bad input and unreadable tick files', async () => {
    const bad = (await client.conn.sendRequest(SET_MANUAL_REQUEST, { uri: folder, id: '../../etc', done: true })) as SetManualResult;
    assert.equal(bad.ok, false);
    fs.writeFileSync(path.join(root, '.django-readiness', 'checklist.json'), '{ broken');
    const res = (await client.conn.sendRequest(SET_MANUAL_REQUEST, { uri: folder, id: 'database.backups', done: true })) as SetManualResult;
    assert.equal(res.ok, false);
    assert.match(res.error ?? '', /not valid JSON/);
    assert.equal(fs.readFileSync(path.join(root, '.django-readiness', 'checklist.json'), 'utf8'), '{ broken');
    fs.rmSync(path.join(root, '.django-readiness'), { recursive: true, force: true });
  });

  test('fixing DEBUG in the editor updates the checklist live; edits that change nothing are not announced', async () => {
    const uri = uriOf(path.join(root, 'mysite', 'settings.py'));
    const lines = client.text(uri).split('\n');
    const line = lines.findIndex((l) => l.startsWith('DEBUG = True'));
    assert.ok(line >= 0);
    const before = changes();
    await client.edit(uri, [{ range: { start: { line, character: 8 }, end: { line, character: 12 } }, newText: 'False' }]);
    await client.waitForNotification(CHECKLIST_CHANGED_NOTIFICATION, () => changes() > before);
    assert.equal(item(await checklist(), 'debug.debug-off').status, 'passed');
    // a comment at the end of the file moves no finding: no notification
    const after = changes();
    const end = client.text(uri).split('\n').length - 1;
    await client.edit(uri, [{ range: { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, newText: '# a comment\n' }]);
    await client.waitForCurrent(uri);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(changes(), after);
  });

  test('"Apply fix" by id: the server finds the fix again, runs it and applies the edit (workspace/applyEdit); a stale id applies nothing', async () => {
    const uri = uriOf(path.join(root, 'mysite', 'settings.py'));
    const secret = item(await checklist(), 'secrets.secret-key-env').findings.find((f) => f.code === 'DJR101');
    assert.ok(secret);
    const move = secret.fixes.find((x) => x.preferred);
    assert.ok(move);
    assert.match(move.id, /^DJR101@.*settings\.py:\d+:\d+#move-to-dotenv$/);
    const stale = (await client.conn.sendRequest(APPLY_FIX_REQUEST, { uri: folder, id: `${move.id}-gone` })) as ApplyFixResult;
    assert.equal(stale.applied, false);
    assert.match(stale.message ?? '', /no longer applies/);
    const before = client.appliedEdits.length;
    const res = (await client.conn.sendRequest(APPLY_FIX_REQUEST, { uri: folder, id: move.id })) as ApplyFixResult;
    assert.equal(res.applied, true, res.message);
    assert.equal(client.appliedEdits.length, before + 1);
    assert.equal(client.appliedEdits[before].label, move.title);
    assert.ok(fs.readFileSync(path.join(root, '.env'), 'utf8').includes('DJANGO_SECRET_KEY='));
    assert.doesNotMatch(client.text(uri), /^SECRET_KEY = ['"]/m);
    await client.waitForCurrent(uri, (d) => !d.some((x) => x.code === 'DJR101'));
  });
});
