/**
 * The checklist model: statuses from findings, applicability and rule outcomes (accepted, not
 * checked, not applicable with reasons), manual ticks, counts and the weighted score, and
 * end-to-end runs on small projects.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { buildChecklist, checklistJsonItems, checklistSummary, CHECKLIST, emptyManualState, formatScore, MANUAL_WEIGHT, MemoryFileSystem, scoreItems, SEVERITY_WEIGHT, worstSeverity, type AnalysisResult, type ChecklistItemDef, type Finding, type ManualState, type Rule, type RuleOutcome } from '../../server/src/engine';
import * as path from 'node:path';
import { analyze, fixturesRoot, loadFolder, ready } from '../helpers/fixtures';

const ROOT = '/repo';

function finding(code: string, line = 3, file = `${ROOT}/mysite/settings.py`, severity: Finding['severity'] = 'error'): Finding {
  return { code, name: `rule-${code}`, severity, file, range: { start: { line, character: 0 }, end: { line, character: 10 } }, message: `problem ${code}`, fixes: [] };
}

function result(findings: Finding[], applicability: Record<string, boolean>, django = true, extra: { suppressed?: Finding[]; outcomes?: Record<string, RuleOutcome> } = {}): AnalysisResult {
  return {
    root: ROOT,
    projects: [django
      ? { root: ROOT, productionModule: `${ROOT}/mysite/settings.py`, productionDotted: 'mysite.settings', productionReason: 'the only settings.py', settingsModules: [{ path: `${ROOT}/mysite/settings.py`, dotted: 'mysite.settings', role: 'production' }], packages: [], djangoVersion: [5, 2], djangoVersionPinned: true }
      : { root: ROOT, productionReason: 'no Django project found', settingsModules: [], packages: [], djangoVersion: [6, 0], djangoVersionPinned: false }],
    findings,
    notes: [],
    applicability,
    ...extra,
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
    assert.match(a.reason, /2 problems found \(DJR101, DJR102\)/);
    assert.equal(byId(r, 'debug.b').status, 'failed');
  });

  test('no finding and an applicable rule: passed', () => {
    const r = buildChecklist(result([], { DJR101: true, DJR102: true, DJR201: true, DJR501: true }), emptyManualState(), rules, DEFS);
    assert.equal(byId(r, 'secrets.a').status, 'passed');
    assert.equal(byId(r, 'auth.jwt').status, 'passed');
    assert.match(byId(r, 'secrets.a').reason, /Checked by DJR101, DJR102: no problem found/);
    assert.equal(byId(r, 'secrets.a').ruleRefs[0].docUrl?.endsWith('DJR101-rule-DJR101.md'), true);
  });

  test('rules that do not apply: not applicable, saying which package is missing', () => {
    const r = buildChecklist(result([], { DJR101: true, DJR102: true, DJR501: false, DJR201: true }), emptyManualState(), rules, DEFS);
    const jwt = byId(r, 'auth.jwt');
    assert.equal(jwt.status, 'not-applicable');
    assert.match(jwt.reason, /djangorestframework-simplejwt/);
    assert.equal(jwt.ruleRefs[0].state, 'not-applicable');
  });

  test('a code this build does not have is left out of the decision', () => {
    const r = buildChecklist(result([], { DJR101: true }), emptyManualState(), [fakeRule('DJR101')], DEFS);
    const a = byId(r, 'secrets.a');
    assert.equal(a.status, 'passed');
    assert.deepEqual(a.ruleRefs.map((x) => x.state), ['applies', 'not-implemented']);
  });

  test('a rule switched off by the configuration makes its item "not checked", even when another of its rules passes; a tick does not change that', () => {
    const ticks: ManualState = { version: 1, items: { 'api.future': { done: true, by: 'alice', date: '2026-01-02' }, 'auth.jwt': { done: true } } };
    // DJR102 and DJR501 registered but missing from applicability: switched off
    const r = buildChecklist(result([], { DJR101: true, DJR201: true }), ticks, rules, DEFS);
    const a = byId(r, 'secrets.a');
    assert.equal(a.status, 'not-checked');
    assert.equal(a.reason, 'DJR102 is switched off by the configuration.');
    assert.equal(a.weight, 0, 'out of the score');
    const jwt = byId(r, 'auth.jwt');
    assert.equal(jwt.status, 'not-checked');
    assert.equal(jwt.done, undefined);
    // nothing in this build checks it
    const future = byId(r, 'api.future');
    assert.equal(future.status, 'not-checked');
    assert.equal(future.manual, false, 'still a rule item by definition');
    assert.match(future.reason, /DJR999 is not available in this version/);
    // a finding of the other rule still fails the item
    const r2 = buildChecklist(result([finding('DJR101')], { DJR101: true }), emptyManualState(), rules, DEFS);
    assert.equal(byId(r2, 'secrets.a').status, 'failed');
    // without the rule list the reason stays neutral
    const r3 = buildChecklist(result([], {}), emptyManualState(), undefined, DEFS);
    assert.equal(byId(r3, 'api.future').ruleRefs[0].state, 'not-evaluated');
    assert.equal(byId(r3, 'api.future').status, 'not-checked');
  });

  test("a rule that could not decide makes its item 'not checked' with the rule's reason", () => {
    const outcomes: Record<string, RuleOutcome> = { DJR201: { state: 'not-checked', reason: "DEBUG's production value cannot be read." } };
    const r = buildChecklist(result([], { DJR101: true, DJR102: true, DJR201: true, DJR501: true }, true, { outcomes }), emptyManualState(), rules, DEFS);
    const b = byId(r, 'debug.b');
    assert.equal(b.status, 'not-checked');
    assert.equal(b.reason, "DEBUG's production value cannot be read.");
    assert.equal(b.ruleRefs[0].state, 'not-checked');
    // a finding wins over the outcome
    const r2 = buildChecklist(result([finding('DJR201')], { DJR201: true }, true, { outcomes }), emptyManualState(), rules, DEFS);
    assert.equal(byId(r2, 'debug.b').status, 'failed');
  });

  test('rules saying what they check does not exist: not applicable with their reasons; one checked rule passes the item', () => {
    const outcomes: Record<string, RuleOutcome> = {
      DJR101: { state: 'not-applicable', reason: 'SQLite has no network connection to encrypt.' },
      DJR102: { state: 'not-applicable', reason: 'SQLite has no network connection to encrypt.' },
    };
    const r = buildChecklist(result([], { DJR101: true, DJR102: true }, true, { outcomes }), emptyManualState(), rules, DEFS);
    const a = byId(r, 'secrets.a');
    assert.equal(a.status, 'not-applicable');
    assert.equal(a.reason, 'SQLite has no network connection to encrypt.');
    const r2 = buildChecklist(result([], { DJR101: true, DJR102: true }, true, { outcomes: { DJR101: outcomes.DJR101 } }), emptyManualState(), rules, DEFS);
    assert.equal(byId(r2, 'secrets.a').status, 'passed');
    assert.match(byId(r2, 'secrets.a').reason, /Checked by DJR102/);
  });

  test('suppressed findings make the item accepted, with the reason written in the comment', () => {
    const s1: Finding = { ...finding('DJR101', 4), suppressed: { kind: 'line', reason: 'rotated by the vault agent', file: `${ROOT}/mysite/settings.py`, line: 4 } };
    const s2: Finding = { ...finding('DJR201', 8, undefined, 'warning'), suppressed: { kind: 'silenced-check', reason: '', file: `${ROOT}/mysite/settings.py`, line: 30, check: 'security.W018' } };
    const r = buildChecklist(result([], { DJR101: true, DJR102: true, DJR201: true }, true, { suppressed: [s1, s2] }), emptyManualState(), rules, DEFS);
    const a = byId(r, 'secrets.a');
    assert.equal(a.status, 'accepted');
    assert.equal(a.reason, 'Accepted: DJR101: "rotated by the vault agent" (an ignore comment at mysite/settings.py:5).');
    assert.deepEqual(a.accepted.map((f) => f.code), ['DJR101']);
    assert.deepEqual(a.findings, []);
    assert.equal(a.weight, 0, 'accepted items are left out of the score');
    assert.equal(byId(r, 'debug.b').reason, 'Accepted: DJR201: no reason written (SILENCED_SYSTEM_CHECKS (security.W018) at mysite/settings.py:31).');
    assert.equal(r.counts.accepted, 2);
    // a problem beside an accepted finding still fails the item
    const r2 = buildChecklist(result([finding('DJR102')], { DJR101: true, DJR102: true }, true, { suppressed: [s1] }), emptyManualState(), rules, DEFS);
    assert.equal(byId(r2, 'secrets.a').status, 'failed');
    assert.match(byId(r2, 'secrets.a').reason, /1 other finding accepted/);
    assert.equal(byId(r2, 'secrets.a').accepted.length, 1);
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
    // (the manual items stay manual, but nothing counts: no score)
    const r = buildChecklist(result([finding('DJR101')], { DJR101: true, DJR102: true, DJR201: false }, false), emptyManualState(), rules, DEFS);
    assert.equal(r.hasDjangoProject, false);
    for (const id of ['secrets.a', 'debug.b', 'auth.jwt', 'api.future']) assert.equal(byId(r, id).status, 'not-applicable', id);
    assert.equal(byId(r, 'database.backups').status, 'manual');
    assert.ok(r.items.every((i) => i.weight === 0));
    assert.equal(r.score, null);
  });
});

describe('counts and score', () => {
  test('the score is weighted by severity, counts manual items, and moves when one is ticked', () => {
    const rules = [fakeRule('DJR101'), fakeRule('DJR102'), fakeRule('DJR501', ['simplejwt']), { ...fakeRule('DJR201'), meta: { ...fakeRule('DJR201').meta, severity: 'warning' as const } }];
    // secrets.a passes (error rules: 4), debug.b fails with a warning (2), auth.jwt not applicable,
    // api.future not checked, two manual items (1 each), one ticked
    const ticks: ManualState = { version: 1, items: { 'database.backups': { done: true } } };
    const res = result([finding('DJR201', 3, undefined, 'warning')], { DJR101: true, DJR102: true, DJR501: false, DJR201: true });
    const r = buildChecklist(res, ticks, rules, DEFS);
    assert.deepEqual(r.counts, { total: 6, passed: 1, failed: 1, accepted: 0, notApplicable: 1, notChecked: 1, manual: 2, manualDone: 1, manualOpen: 1 });
    assert.equal(byId(r, 'secrets.a').weight, SEVERITY_WEIGHT.error);
    assert.equal(byId(r, 'debug.b').weight, SEVERITY_WEIGHT.warning);
    assert.equal(byId(r, 'database.backups').weight, MANUAL_WEIGHT);
    assert.deepEqual(r.points, { earned: 4 + 1, possible: 4 + 2 + 1 + 1 });
    assert.equal(r.score, 5 / 8);
    assert.equal(formatScore(r.score), '62%');
    // ticking the other manual item moves the score
    const r2 = buildChecklist(res, { version: 1, items: { ...ticks.items, 'database.restore': { done: true } } }, rules, DEFS);
    assert.equal(r2.score, 6 / 8);
    // an error finding weighs more than a warning one
    const r3 = buildChecklist(result([finding('DJR201', 3, undefined, 'error')], { DJR101: true, DJR102: true, DJR501: false, DJR201: true }), ticks, rules, DEFS);
    assert.ok((r3.score ?? 1) < (r.score ?? 0));
    const db = r.categories.find((c) => c.category === 'database');
    assert.deepEqual(db?.counts, { total: 2, passed: 0, failed: 0, accepted: 0, notApplicable: 0, notChecked: 0, manual: 2, manualDone: 1, manualOpen: 1 });
    assert.equal(db?.score, 0.5);
    // categories in the engine's order, items grouped by category
    assert.deepEqual(r.categories.map((c) => c.category), ['secrets', 'debug', 'auth', 'api', 'database']);
    assert.deepEqual(r.items.map((i) => i.category), ['secrets', 'debug', 'auth', 'api', 'database', 'database']);
    assert.deepEqual(r.problems, { error: 0, warning: 1, info: 0, hint: 0 });
    assert.deepEqual(checklistSummary(r), { score: 5 / 8, passed: 1, failed: 1, accepted: 0, notApplicable: 1, notChecked: 1, manual: 2, manualDone: 1, problems: { error: 0, warning: 1, info: 0, hint: 0 }, hasDjangoProject: true });
  });

  test('scoreItems, formatScore and worstSeverity', () => {
    assert.equal(scoreItems([]).score, null);
    assert.equal(scoreItems([{ status: 'not-checked', weight: 0 }]).score, null);
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

  test('the CLI JSON view carries id, category, title, status, rules, reason and weight; accepted findings with their suppression', () => {
    const r = buildChecklist(result([], { DJR101: true, DJR102: true }), emptyManualState(), [], DEFS);
    assert.deepEqual(checklistJsonItems(r)[0], { id: 'secrets.a', category: 'secrets', title: 'A title long enough', status: 'passed', rules: ['DJR101', 'DJR102'], reason: 'Checked by DJR101, DJR102: no problem found.', weight: 2 });
    const s: Finding = { ...finding('DJR101', 4), suppressed: { kind: 'file', reason: 'legacy module', file: `${ROOT}/mysite/settings.py`, line: 0 } };
    const r2 = buildChecklist(result([], { DJR101: true, DJR102: true }, true, { suppressed: [s] }), emptyManualState(), [fakeRule('DJR101'), fakeRule('DJR102')], DEFS);
    assert.deepEqual(checklistJsonItems(r2)[0], {
      id: 'secrets.a', category: 'secrets', title: 'A title long enough', status: 'accepted', rules: ['DJR101', 'DJR102'],
      reason: 'Accepted: DJR101: "legacy module" (a file-wide ignore comment at mysite/settings.py:1).', severity: 'error', weight: 0,
      accepted: [{ rule: 'DJR101', file: 'mysite/settings.py', line: 5, message: 'problem DJR101', suppression: { kind: 'file', reason: 'legacy module', file: 'mysite/settings.py', line: 1 } }],
    });
    const manualItem = checklistJsonItems(r2).find((i) => i.id === 'database.backups');
    assert.equal(manualItem?.done, false);
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
    // a rule item is never manual; one nothing in this build checks is not checked
    for (const item of r.items.filter((i) => !i.manual)) {
      assert.notEqual(item.status, 'manual', item.id);
      const registered = item.rules.filter((c) => allRules.some((x) => x.meta.code === c));
      if (registered.length === 0) assert.equal(item.status, 'not-checked', `${item.id}: nothing evaluated it`);
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

  test('production-ready: no item fails; the automated part of the score is full, the open manual items keep it below 100%', () => {
    const r = run('production-ready');
    assert.equal(r.hasDjangoProject, true);
    assert.deepEqual(r.items.filter((i) => i.status === 'failed').map((i) => `${i.id}: ${i.findings.map((f) => `${f.code} ${f.message}`).join('; ')}`), []);
    assert.equal(scoreItems(r.items.filter((i) => !i.manual)).score, 1);
    assert.ok(r.score !== null && r.score < 1);
  });

  test('everything-wrong: the classic items fail', () => {
    const r = run('everything-wrong');
    for (const id of ['secrets.secret-key-env', 'debug.debug-off', 'https.hsts']) assert.equal(byId(r, id).status, 'failed', id);
    assert.ok(r.score !== null && r.score < 0.5);
  });
});
