/**
 * The checklist model: statuses from findings and applicability, the manual fallback for rules
 * that did not run, manual ticks, counts and score, and an end-to-end run on a small project.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { buildChecklist, checklistJsonItems, checklistSummary, CHECKLIST, emptyManualState, formatScore, MemoryFileSystem, scoreOf, worstSeverity, type AnalysisResult, type ChecklistItemDef, type Finding, type ManualState, type Rule } from '../../server/src/engine';
import * as path from 'node:path';
import { analyze, fixturesRoot, loadFolder, ready } from '../helpers/fixtures';

const ROOT = '/repo';

function finding(code: string, line = 3, file = `${ROOT}/mysite/settings.py`, severity: Finding['severity'] = 'error'): Finding {
  return { code, name: `rule-${code}`, severity, file, range: { start: { line, character: 0 }, end: { line, character: 10 } }, message: `problem ${code}`, fixes: [] };
}

function result(findings: Finding[], applicability: Record<string, boolean>, django = true): AnalysisResult {
  return {
    root: ROOT,
    projects: [django
      ? { root: ROOT, productionModule: `${ROOT}/mysite/settings.py`, productionDotted: 'mysite.settings', productionReason: 'the only settings.py', settingsModules: [{ path: `${ROOT}/mysite/settings.py`, dotted: 'mysite.settings', role: 'production' }], packages: [], djangoVersion: [5, 2], djangoVersionPinned: true }
      : { root: ROOT, productionReason: 'no Django project found', settingsModules: [], packages: [], djangoVersion: [6, 0], djangoVersionPinned: false }],
    findings,
    notes: [],
    applicability,
    stats: { filesFound: 0, pythonFiles: 0, parsed: 0, skippedByPrefilter: 0, skippedLargeOrBinary: 0, ms: 0 },
  };
}

function fakeRule(code: string, requires?: Rule['meta']['requires']): Rule {
  return {
    meta: { code, name: `rule-${code}`, category: 'secrets', severity: 'error', kind: 'settings', seeds: ['000'], message: 'm', fix: 'none', requires, docs: { what: 'w', why: 'w', example: 'e', instead: 'i', references: ['r'] } },
  };
}

const DEFS: ChecklistItemDef[] = [
  { id: 'secrets.a', category: 'secrets', title: 'A title long enough', why: 'why a', rules: ['DJR101', 'DJR102'], sources: { '000': ['x'] } },
  { id: 'auth.jwt', category: 'auth', title: 'JWT things', why: 'why jwt', rules: ['DJR501'], sources: { '001': ['y'] } },
  { id: 'debug.b', category: 'debug', title: 'B title', why: 'why b', rules: ['DJR201'], sources: { '002': ['z'] } },
  { id: 'database.backups', category: 'database', title: 'Backups', why: 'why backups', manual: true, sources: { '003': ['w'] } },
  { id: 'database.restore', category: 'database', title: 'Restore tested', why: 'why restore', manual: true, sources: { '004': ['v'] } },
  { id: 'api.future', category: 'api', title: 'Future rule', why: 'why future', rules: ['DJR999'], sources: { '000': ['u'] } },
];

const byId = (r: ReturnType<typeof buildChecklist>, id: string) => {
  const it = r.items.find((i) => i.id === id);
  assert.ok(it, id);
  return it;
};

describe('statuses', () => {
  const rules = [fakeRule('DJR101'), fakeRule('DJR102'), fakeRule('DJR501', ['simplejwt']), fakeRule('DJR201')];

  test('a finding fails the item; its findings are attached in file/line order', () => {
    const r = buildChecklist(result([finding('DJR102', 9), finding('DJR101', 2), finding('DJR201')], { DJR101: true, DJR102: true, DJR501: false, DJR201: true }), emptyManualState(), rules, DEFS);
    const a = byId(r, 'secrets.a');
    assert.equal(a.status, 'failed');
    assert.deepEqual(a.findings.map((f) => f.code), ['DJR101', 'DJR102']);
    assert.match(a.reason, /2 findings from DJR101, DJR102/);
    assert.equal(byId(r, 'debug.b').status, 'failed');
  });

  test('no finding and an applicable rule: passed', () => {
    const r = buildChecklist(result([], { DJR101: true, DJR102: true, DJR201: true, DJR501: true }), emptyManualState(), rules, DEFS);
    assert.equal(byId(r, 'secrets.a').status, 'passed');
    assert.equal(byId(r, 'auth.jwt').status, 'passed');
    assert.match(byId(r, 'secrets.a').reason, /Checked by DJR101, DJR102/);
    assert.equal(byId(r, 'secrets.a').ruleRefs[0].docUrl?.endsWith('DJR101-rule-DJR101.md'), true);
  });

  test('rules that do not apply: not applicable, saying which package is missing', () => {
    const r = buildChecklist(result([], { DJR101: true, DJR102: true, DJR501: false, DJR201: true }), emptyManualState(), rules, DEFS);
    const jwt = byId(r, 'auth.jwt');
    assert.equal(jwt.status, 'not-applicable');
    assert.match(jwt.reason, /djangorestframework-simplejwt/);
    assert.equal(jwt.ruleRefs[0].state, 'not-applicable');
  });

  test('one applicable rule is enough to pass; a rule that did not run is noted', () => {
    const r = buildChecklist(result([], { DJR101: true }), emptyManualState(), [fakeRule('DJR101')], DEFS);
    const a = byId(r, 'secrets.a');
    assert.equal(a.status, 'passed');
    assert.match(a.reason, /DJR102 was not evaluated/);
    assert.deepEqual(a.ruleRefs.map((x) => x.state), ['applies', 'not-implemented']);
  });

  test('no code evaluated (not implemented, or disabled): falls back to manual, outside the score', () => {
    const ticks: ManualState = { version: 1, items: { 'api.future': { done: true, by: 'alice', date: '2026-01-02' } } };
    const r = buildChecklist(result([], { DJR101: true, DJR102: true, DJR201: true }), ticks, rules, DEFS);
    const future = byId(r, 'api.future');
    assert.equal(future.status, 'manual');
    assert.equal(future.manual, false, 'still a rule item by definition');
    assert.equal(future.done, true);
    assert.match(future.reason, /DJR999 is not available in this version/);
    // DJR501 registered but missing from applicability: switched off by the configuration
    const jwt = byId(r, 'auth.jwt');
    assert.equal(jwt.status, 'manual');
    assert.equal(jwt.done, false);
    assert.match(jwt.reason, /switched off by the configuration/);
    // without the rule list the reason stays neutral
    const r2 = buildChecklist(result([], {}), emptyManualState(), undefined, DEFS);
    assert.equal(byId(r2, 'api.future').ruleRefs[0].state, 'not-evaluated');
    assert.match(byId(r2, 'api.future').reason, /not evaluated/);
  });

  test('a tick never overrides a rule verdict', () => {
    const ticks: ManualState = { version: 1, items: { 'secrets.a': { done: true } } };
    const r = buildChecklist(result([finding('DJR101')], { DJR101: true, DJR102: true }), ticks, rules, DEFS);
    assert.equal(byId(r, 'secrets.a').status, 'failed');
    assert.equal(byId(r, 'secrets.a').done, undefined);
  });

  test('manual items are done or open from the tick file', () => {
    const ticks: ManualState = { version: 1, items: { 'database.backups': { done: true, by: 'bob', date: '2026-03-04', note: 'runbook/backups.md' }, 'database.restore': { done: false } } };
    const r = buildChecklist(result([], {}), ticks, rules, DEFS);
    const b = byId(r, 'database.backups');
    assert.equal(b.status, 'manual');
    assert.equal(b.done, true);
    assert.equal(b.tick?.by, 'bob');
    assert.equal(byId(r, 'database.restore').done, false);
  });

  test('no Django project: every rule item is not applicable and findings are ignored', () => {
    const r = buildChecklist(result([finding('DJR101')], { DJR101: true, DJR102: true, DJR201: false }, false), emptyManualState(), rules, DEFS);
    assert.equal(r.hasDjangoProject, false);
    for (const id of ['secrets.a', 'debug.b', 'auth.jwt', 'api.future']) assert.equal(byId(r, id).status, 'not-applicable', id);
    assert.equal(byId(r, 'database.backups').status, 'manual');
    assert.equal(r.score, null);
  });
});

describe('counts and score', () => {
  test('score = passed / (passed + failed); manual and not-applicable counted apart', () => {
    const rules = [fakeRule('DJR101'), fakeRule('DJR102'), fakeRule('DJR501', ['simplejwt']), fakeRule('DJR201')];
    const ticks: ManualState = { version: 1, items: { 'database.backups': { done: true } } };
    const r = buildChecklist(result([finding('DJR201')], { DJR101: true, DJR102: true, DJR501: false, DJR201: true }), ticks, rules, DEFS);
    assert.deepEqual(r.counts, { total: 6, passed: 1, failed: 1, notApplicable: 1, manual: 3, manualDone: 1, manualOpen: 2 });
    assert.equal(r.score, 0.5);
    assert.equal(formatScore(r.score), '50%');
    const db = r.categories.find((c) => c.category === 'database');
    assert.deepEqual(db?.counts, { total: 2, passed: 0, failed: 0, notApplicable: 0, manual: 2, manualDone: 1, manualOpen: 1 });
    // categories in the engine's order, items grouped by category
    assert.deepEqual(r.categories.map((c) => c.category), ['secrets', 'debug', 'auth', 'api', 'database']);
    assert.deepEqual(r.items.map((i) => i.category), ['secrets', 'debug', 'auth', 'api', 'database', 'database']);
    assert.deepEqual(checklistSummary(r), { score: 0.5, passed: 1, failed: 1, notApplicable: 1, manual: 3, manualDone: 1, hasDjangoProject: true });
  });

  test('scoreOf, formatScore and worstSeverity', () => {
    assert.equal(scoreOf({ passed: 0, failed: 0 }), null);
    assert.equal(formatScore(null), 'n/a');
    assert.equal(formatScore(2 / 3), '66%');
    assert.equal(formatScore(1), '100%');
    assert.equal(worstSeverity([{ severity: 'info' }, { severity: 'warning' }, { severity: 'hint' }]), 'warning');
    assert.equal(worstSeverity([]), undefined);
  });

  test('findings of a rule no item lists are kept apart', () => {
    const r = buildChecklist(result([finding('DJR998')], {}), emptyManualState(), [], DEFS);
    assert.deepEqual(r.unlisted.map((f) => f.code), ['DJR998']);
  });

  test('the CLI JSON view carries id, category, title, status and rules', () => {
    const r = buildChecklist(result([], { DJR101: true, DJR102: true }), emptyManualState(), [], DEFS);
    assert.deepEqual(checklistJsonItems(r)[0], { id: 'secrets.a', category: 'secrets', title: 'A title long enough', status: 'passed', rules: ['DJR101', 'DJR102'] });
  });
});

describe('on a real analysis', () => {
  before(ready);

  test('a hardcoded SECRET_KEY and DEBUG = True fail their items; the real checklist is complete', () => {
    const mem = new MemoryFileSystem({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
      'mysite/__init__.py': '',
      'mysite/settings.py': "SECRET_KEY = 'django-insecure-abcdefghijklmnopqrstuvwxyz0123456789'\nDEBUG = True\nALLOWED_HOSTS = ['example.com']\nINSTALLED_APPS = ['django.contrib.admin']\n",
    }, ROOT);
    const res = analyze(mem, ROOT);
    const r = buildChecklist(res, emptyManualState(), allRules);
    assert.equal(r.items.length, CHECKLIST.length);
    assert.equal(r.hasDjangoProject, true);
    const key = byId(r, 'secrets.secret-key-env');
    assert.equal(key.status, 'failed');
    assert.ok(key.findings.every((f) => f.code === 'DJR101' || f.code === 'DJR102'));
    assert.equal(byId(r, 'debug.debug-off').status, 'failed');
    // every registered rule that ran and found nothing passes its item
    for (const item of r.items.filter((i) => !i.manual)) {
      const registered = item.rules.filter((c) => allRules.some((x) => x.meta.code === c));
      if (registered.length === 0) assert.equal(item.status, 'manual', `${item.id}: nothing evaluated it`);
      else assert.notEqual(item.status, 'manual', item.id);
    }
    assert.equal(r.counts.total, CHECKLIST.length);
    assert.ok(r.score !== null && r.score < 1);
  });
});

describe('on the example projects', () => {
  before(ready);
  const run = (name: string) => {
    const root = `/examples/${name}`;
    const mem = loadFolder(path.join(fixturesRoot, 'projects', name), root);
    return buildChecklist(analyze(mem, root), emptyManualState(), allRules);
  };

  test('production-ready: no item fails', () => {
    const r = run('production-ready');
    assert.equal(r.hasDjangoProject, true);
    assert.deepEqual(r.items.filter((i) => i.status === 'failed').map((i) => `${i.id}: ${i.findings.map((f) => `${f.code} ${f.message}`).join('; ')}`), []);
    assert.equal(r.score, 1);
  });

  test('everything-wrong: the classic items fail', () => {
    const r = run('everything-wrong');
    for (const id of ['secrets.secret-key-env', 'debug.debug-off', 'https.hsts']) assert.equal(byId(r, id).status, 'failed', id);
    assert.ok(r.score !== null && r.score < 0.5);
  });
});
