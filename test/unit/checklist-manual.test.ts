/** Manual ticks: the shared `.django-readiness/checklist.json` file, read, written, round-tripped. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { emptyManualState, findManualStateFile, isoDate, loadManualState, manualStatePath, manualStateText, MemoryFileSystem, NodeFileSystem, parseManualState, readManualState, saveManualState, setManualTick, updateManualState } from '../../server/src/engine';

const ROOT = '/repo';

test('a missing file is an empty state; the path is <root>/.django-readiness/checklist.json', () => {
  const mem = new MemoryFileSystem({ 'manage.py': '' }, ROOT);
  assert.deepEqual(loadManualState(mem, ROOT), { version: 1, items: {} });
  assert.equal(manualStatePath(ROOT), path.join(ROOT, '.django-readiness', 'checklist.json'));
  assert.deepEqual(findManualStateFile(mem, ROOT), { file: manualStatePath(ROOT), exists: false });
});

test('save then load round-trips, with sorted keys and a final newline', () => {
  const mem = new MemoryFileSystem({ 'manage.py': '' }, ROOT);
  let state = emptyManualState();
  state = setManualTick(state, 'logging.monitoring-alerts', { done: true, by: 'bob', date: '2026-02-03' });
  state = setManualTick(state, 'database.backups', { done: true, by: 'alice', date: '2026-02-01', note: 'see runbook' });
  const text = saveManualState(manualStatePath(ROOT), state, (f, t) => mem.write(f, t));
  assert.equal(text, mem.readFile(manualStatePath(ROOT)));
  assert.ok(text.endsWith('}\n'));
  assert.ok(text.indexOf('database.backups') < text.indexOf('logging.monitoring-alerts'), 'keys sorted');
  assert.deepEqual(loadManualState(mem, ROOT), state);
  assert.equal(manualStateText(loadManualState(mem, ROOT)), text, 'stable text');
  // un-ticking removes the entry
  const undone = setManualTick(state, 'database.backups', undefined);
  assert.deepEqual(Object.keys(undone.items), ['logging.monitoring-alerts']);
  assert.ok('database.backups' in state.items, 'setManualTick does not mutate');
});

test('the file format is the documented one', () => {
  const text = manualStateText(setManualTick(emptyManualState(), 'ops.backups-tested', { done: true, by: 'me', date: '2026-01-01' }));
  assert.deepEqual(JSON.parse(text), { version: 1, items: { 'ops.backups-tested': { done: true, by: 'me', date: '2026-01-01' } } });
});

test('parsing is tolerant: booleans as shorthand, unknown ids kept, bad entries reported', () => {
  const { state, errors } = parseManualState('\uFEFF{"version":1,"items":{"a.b":true,"c.d":{"done":false,"by":"x"},"e.f":{"by":"y"},"g.h":"yes","old.item":{"done":true,"extra":1}}}');
  assert.deepEqual(state.items, { 'a.b': { done: true }, 'c.d': { done: false, by: 'x' }, 'old.item': { done: true } });
  assert.equal(errors.length, 2);
  assert.match(parseManualState('{nope').errors[0], /not valid JSON/);
  assert.deepEqual(parseManualState('[1]').state.items, {});
  assert.match(parseManualState('{"version":2,"items":{}}').errors[0], /unknown version/);
});

test('the nearest tick file above the analysed folder is used, up to the repository root', () => {
  const mem = new MemoryFileSystem({
    '.git/HEAD': 'ref: refs/heads/main',
    '.django-readiness/checklist.json': '{"version":1,"items":{"database.backups":{"done":true}}}',
    'backend/manage.py': '',
  }, ROOT);
  const found = findManualStateFile(mem, `${ROOT}/backend`);
  assert.deepEqual(found, { file: manualStatePath(ROOT), exists: true });
  assert.equal(loadManualState(mem, `${ROOT}/backend`).items['database.backups']?.done, true);
  // above the repository root nothing is looked at
  const outer = new MemoryFileSystem({ '.django-readiness/checklist.json': '{"items":{"x.y":true}}', 'repo/.git/HEAD': '', 'repo/manage.py': '' }, '/');
  assert.deepEqual(loadManualState(outer, '/repo').items, {});
});

test('updateManualState ticks, un-ticks, and refuses to overwrite a file it cannot read', () => {
  const mem = new MemoryFileSystem({ 'manage.py': '' }, ROOT);
  const w = (f: string, t: string) => mem.write(f, t);
  updateManualState(mem, ROOT, 'database.backups', { done: true, by: 'a', date: '2026-05-06' }, w);
  updateManualState(mem, ROOT, 'deployment.tests', { done: true }, w);
  assert.deepEqual(Object.keys(readManualState(mem, ROOT).state.items), ['database.backups', 'deployment.tests']);
  updateManualState(mem, ROOT, 'database.backups', undefined, w);
  assert.deepEqual(Object.keys(loadManualState(mem, ROOT).items), ['deployment.tests']);
  mem.write(manualStatePath(ROOT), '{ "items": { broken');
  assert.throws(() => updateManualState(mem, ROOT, 'x.y', { done: true }, w), /Fix the file by hand/);
  assert.equal(mem.readFile(manualStatePath(ROOT)), '{ "items": { broken', 'left untouched');
});

test('saveManualState writes through node:fs by default (creating the folder)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-checklist-'));
  try {
    const state = setManualTick(emptyManualState(), 'database.backups', { done: true, date: isoDate(new Date(2026, 0, 5)) });
    saveManualState(manualStatePath(dir), state);
    assert.deepEqual(loadManualState(new NodeFileSystem(), dir), { version: 1, items: { 'database.backups': { done: true, date: '2026-01-05' } } });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
