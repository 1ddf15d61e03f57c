/**
 * The checklist tree, in-process: the plain model behind the VS Code TreeDataProvider
 * (client/src/checklist/tree.ts has no vscode import).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChecklistTreeModel, docCodeOf, docUrlOf, fixableFinding, primaryFix, type ChecklistNode } from '../../client/src/checklist/tree';
import { buildChecklist, emptyManualState, type AnalysisResult, type ChecklistItemDef, type ChecklistReport, type Finding, type Fix, type Rule } from '../../server/src/engine';

const ROOT = '/ws/app';

function finding(code: string, line: number, severity: Finding['severity'], fixes: Finding['fixes'] = []): Finding {
  return { code, name: `name-${code}`, severity, file: `${ROOT}/mysite/settings.py`, range: { start: { line, character: 0 }, end: { line, character: 5 } }, message: `message of ${code}`, fixes };
}

function rule(code: string): Rule {
  return { meta: { code, name: `name-${code}`, category: 'secrets', severity: 'error', kind: 'settings', seeds: ['000'], message: 'm', fix: 'none', docs: { what: 'w', why: 'w', example: 'e', instead: 'i', references: ['r'] } } };
}

const DEFS: ChecklistItemDef[] = [
  { id: 'secrets.key', category: 'secrets', title: 'Secret key from env', why: 'why key', rules: ['DJR101', 'DJR102'], sources: { '000': ['a'] } },
  { id: 'secrets.rotate', category: 'secrets', title: 'Key rotation documented', why: 'why rotate', manual: true, sources: { '001': ['b'] } },
  { id: 'debug.off', category: 'debug', title: 'DEBUG off', why: 'why debug', rules: ['DJR201'], sources: { '002': ['c'] } },
  { id: 'auth.jwt', category: 'auth', title: 'Short JWT', why: 'why jwt', rules: ['DJR501'], sources: { '003': ['d'] } },
  { id: 'database.backups', category: 'database', title: 'Backups', why: 'why backups', manual: true, sources: { '004': ['e'] } },
];

function report(root = ROOT, opts: { django?: boolean; ticks?: Record<string, boolean> } = {}): ChecklistReport {
  const fix: Fix = { id: 'DJR101@x#fix', title: 'Read SECRET_KEY from the environment', applicability: 'unsafe', edits: [] };
  const safeFix: Fix = { id: 'DJR101@x#fix-2', title: 'Drop the default', applicability: 'safe', edits: [] };
  const res: AnalysisResult = {
    root,
    projects: [opts.django === false ? { root, productionReason: 'no Django project found', settingsModules: [], packages: [], djangoVersion: [6, 0], djangoVersionPinned: false } : { root, productionModule: `${root}/mysite/settings.py`, productionReason: 'the only settings.py', settingsModules: [], packages: [], djangoVersion: [5, 2], djangoVersionPinned: true }],
    findings: [finding('DJR101', 4, 'error', [fix, safeFix]), finding('DJR102', 9, 'warning')].map((f) => ({ ...f, file: f.file.replace(ROOT, root) })),
    notes: [],
    applicability: { DJR101: true, DJR102: true, DJR201: true, DJR501: false },
    stats: { filesFound: 0, pythonFiles: 0, parsed: 0, skippedByPrefilter: 0, skippedLargeOrBinary: 0, ms: 0 },
  };
  const ticks = emptyManualState();
  for (const [id, done] of Object.entries(opts.ticks ?? {})) ticks.items[id] = { done, by: 'alice', date: '2026-01-02' };
  return buildChecklist(res, ticks, [rule('DJR101'), rule('DJR102'), rule('DJR201'), rule('DJR501')], DEFS);
}

function model(...reports: [string, ChecklistReport | undefined][]): ChecklistTreeModel {
  const m = new ChecklistTreeModel();
  for (const [uri, r] of reports) m.setFolder({ uri, name: uri.split('/').pop()!, report: r, loading: !r });
  return m;
}

const labels = (m: ChecklistTreeModel, nodes: ChecklistNode[]) => nodes.map((n) => m.treeItem(n).label);

describe('structure', () => {
  test('one folder: categories at the top with counts, items below in checklist order', () => {
    const m = model(['file:///ws/app', report()]);
    const cats = m.children();
    assert.deepEqual(labels(m, cats), ['Secrets and environment', 'Debug and hosts', 'Authentication: JWT, passwords, accounts', 'Database']);
    const secrets = m.treeItem(cats[0]);
    assert.equal(secrets.description, '0/1 passed · 1 failing · manual 0/1');
    assert.equal(secrets.collapsible, 'expanded', 'a category with failures opens');
    assert.equal(m.treeItem(cats[1]).collapsible, 'collapsed');
    assert.equal(m.treeItem(cats[2]).description, '1 n/a');
    assert.deepEqual(labels(m, m.children(cats[0])), ['Secret key from env', 'Key rotation documented']);
  });

  test('item icons, descriptions and context values follow the status', () => {
    const m = model(['file:///ws/app', report(ROOT, { ticks: { 'database.backups': true } })]);
    const [secrets, debug, auth, db] = m.children();
    const [key, rotate] = m.children(secrets);
    const k = m.treeItem(key);
    assert.deepEqual(k.icon, { id: 'error', color: 'problemsErrorIcon.foreground' });
    assert.equal(k.description, 'message of DJR101 (+1 more)', "the first finding's message");
    assert.equal(k.collapsible, 'collapsed');
    assert.equal(k.contextValue, 'djrItem failed fixable doc');
    assert.match(k.tooltip ?? '', /why key/);
    const r = m.treeItem(rotate);
    assert.deepEqual(r.icon, { id: 'checklist' });
    assert.equal(r.contextValue, 'djrItem manual manualOpen');
    assert.equal(r.description, 'check by hand');
    const d = m.treeItem(m.children(debug)[0]);
    assert.deepEqual(d.icon, { id: 'pass', color: 'testing.iconPassed' });
    assert.equal(d.collapsible, 'none');
    const a = m.treeItem(m.children(auth)[0]);
    assert.deepEqual(a.icon, { id: 'circle-slash', color: 'disabledForeground' });
    assert.match(a.description ?? '', /^not applicable: /);
    const b = m.treeItem(m.children(db)[0]);
    assert.deepEqual(b.icon, { id: 'pass-filled', color: 'testing.iconPassed' });
    assert.equal(b.contextValue, 'djrItem manual manualDone');
    assert.equal(b.description, 'done by alice, 2026-01-02');
  });

  test('a failed item expands to its findings; clicking one opens the file at its range', () => {
    const m = model(['file:///ws/app', report()]);
    const key = m.children(m.children()[0])[0];
    const findings = m.children(key);
    assert.equal(findings.length, 2);
    const f = m.treeItem(findings[0]);
    assert.equal(f.label, 'mysite/settings.py:5');
    assert.equal(f.description, 'message of DJR101');
    assert.deepEqual(f.open, { file: `${ROOT}/mysite/settings.py`, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 5 } } });
    assert.equal(f.contextValue, 'djrFinding fixable doc');
    assert.deepEqual(m.treeItem(findings[1]).icon, { id: 'warning', color: 'problemsWarningIcon.foreground' });
    assert.equal(m.treeItem(findings[1]).contextValue, 'djrFinding doc');
    // parents, for reveal
    assert.equal(m.parent(findings[0])?.kind, 'item');
    assert.equal(m.parent(key)?.kind, 'category');
    assert.equal(m.parent(m.children()[0]), undefined);
    // passed items have no children
    assert.deepEqual(m.children(m.children(m.children()[1])[0]), []);
  });

  test('ids are stable across refreshes (expansion state survives)', () => {
    const m = model(['file:///ws/app', report()]);
    const ids = () => m.children().flatMap((c) => [m.treeItem(c).id, ...m.children(c).flatMap((i) => [m.treeItem(i).id, ...m.children(i).map((f) => m.treeItem(f).id)])]);
    const before = ids();
    m.setFolder({ uri: 'file:///ws/app', name: 'app', report: report() });
    assert.deepEqual(ids(), before);
    assert.equal(new Set(before).size, before.length, 'unique');
  });

  test('several folders with a Django project: one node per folder', () => {
    const m = model(['file:///ws/app', report()], ['file:///ws/other', report('/ws/other')], ['file:///ws/docs', report('/ws/docs', { django: false })]);
    const top = m.children();
    assert.deepEqual(labels(m, top), ['app', 'other'], 'the folder without Django is hidden');
    assert.equal(m.treeItem(top[0]).description, '40% · 1 failing', 'the weighted score: secrets.key fails (4), debug.off passes (4), two open manual items (1 each)');
    assert.equal(m.children(top[1]).length, 4);
    const cat = m.children(top[1])[0];
    assert.equal(m.parent(cat)?.kind, 'folder');
  });
});

describe('filter, state and summary', () => {
  test('show only failing hides the rest', () => {
    const m = model(['file:///ws/app', report()]);
    m.onlyFailing = true;
    const cats = m.children();
    assert.deepEqual(labels(m, cats), ['Secrets and environment']);
    assert.deepEqual(labels(m, m.children(cats[0])), ['Secret key from env']);
    assert.match(m.description(), /only failing/);
  });

  test('nothing failing under the filter says so', () => {
    const r = report();
    r.items = r.items.filter((i) => i.status !== 'failed');
    const m = model(['file:///ws/app', r]);
    m.onlyFailing = true;
    assert.deepEqual(labels(m, m.children()), ['No failing item.']);
  });

  test('the score goes into the view description', () => {
    const m = model(['file:///ws/app', report(ROOT, { ticks: { 'database.backups': true } })]);
    assert.equal(m.description(), 'Score 50% · 1 failing · manual 1/2');
    assert.equal(m.title(), 'Checklist · 50%', 'the score in the title, where it is always visible');
    assert.deepEqual(m.totals(), { passed: 1, failed: 1, accepted: 0, notChecked: 0, notApplicable: 1, manual: 2, manualDone: 1, score: 0.5, problems: { error: 0, warning: 0, info: 0, hint: 0 } });
  });

  test('the badge counts what the Problems panel and the status item show (published diagnostics), not failing items', () => {
    const m = model(['file:///ws/app', report()]);
    assert.equal(m.badge(), undefined, 'no status yet: no badge');
    m.setProblems('file:///ws/app', { error: 5, warning: 17, info: 5, hint: 2 });
    assert.deepEqual(m.badge(), { value: 27, tooltip: '27 problems (5 errors, 17 warnings, 5 info), as in the Problems panel · 1 checklist item failing · score 40%' });
    // a status that arrives before the checklist is kept for it
    const m2 = new ChecklistTreeModel();
    m2.setProblems('file:///ws/app', { error: 1, warning: 0, info: 0, hint: 0 });
    m2.setFolder({ uri: 'file:///ws/app', name: 'app', report: report() });
    assert.equal(m2.badge()?.value, 1);
    // outside Django: no badge whatever the counts
    const m3 = model(['file:///ws/app', report(ROOT, { django: false })]);
    m3.setProblems('file:///ws/app', { error: 1, warning: 1, info: 0, hint: 0 });
    assert.equal(m3.badge(), undefined);
    assert.equal(m3.title(), 'Checklist');
  });

  test('accepted and not-checked items: their own icon, the reason, accepted findings as children; failing first', () => {
    const res = {
      root: ROOT,
      projects: [{ root: ROOT, productionModule: `${ROOT}/mysite/settings.py`, productionReason: 'the only settings.py', settingsModules: [], packages: [], djangoVersion: [5, 2] as [number, number], djangoVersionPinned: true }],
      findings: [finding('DJR201', 7, 'warning')],
      suppressed: [{ ...finding('DJR101', 4, 'error'), suppressed: { kind: 'line' as const, reason: 'rotated by the vault agent', file: `${ROOT}/mysite/settings.py`, line: 4 } }],
      notes: [],
      applicability: { DJR101: true, DJR102: true, DJR201: true, DJR501: true },
      outcomes: { DJR501: { state: 'not-checked' as const, reason: "SIMPLE_JWT is computed in a way the static analysis cannot follow, so its production value is unknown." } },
      stats: { filesFound: 0, pythonFiles: 0, parsed: 0, skippedByPrefilter: 0, skippedLargeOrBinary: 0, ms: 0 },
    };
    const r = buildChecklist(res, emptyManualState(), [rule('DJR101'), rule('DJR102'), rule('DJR201'), rule('DJR501')], DEFS);
    const m = model(['file:///ws/app', r]);
    const [secrets, , auth] = m.children();
    const key = m.children(secrets)[0];
    const k = m.treeItem(key);
    assert.deepEqual(k.icon, { id: 'shield', color: 'problemsInfoIcon.foreground' });
    assert.equal(k.description, 'accepted: "rotated by the vault agent"');
    assert.equal(k.collapsible, 'collapsed');
    const [acc] = m.children(key);
    const a = m.treeItem(acc);
    assert.equal(a.label, 'mysite/settings.py:5');
    assert.equal(a.description, 'accepted: "rotated by the vault agent"');
    assert.match(a.tooltip ?? '', /Reason: rotated by the vault agent \(ignore comment at mysite\/settings\.py:5\)/);
    assert.deepEqual(a.open?.range.start, { line: 4, character: 0 });
    const jwt = m.treeItem(m.children(auth)[0]);
    assert.deepEqual(jwt.icon, { id: 'question', color: 'disabledForeground' });
    assert.equal(jwt.description, 'not checked: SIMPLE_JWT is computed in a way the static analysis cannot follow, so its production value is unknown.');
    assert.match(m.treeItem(secrets).description ?? '', /1 accepted/);
    assert.match(m.description(), /1 accepted/);
  });

  test('within a category: failing items first, by severity, then accepted, not checked, passed, not applicable, manual', () => {
    const defs: ChecklistItemDef[] = [
      { id: 'secrets.manual', category: 'secrets', title: 'Manual one', why: 'w', manual: true, sources: { '000': ['a'] } },
      { id: 'secrets.pass', category: 'secrets', title: 'Passing one', why: 'w', rules: ['DJR106'], sources: { '000': ['a'] } },
      { id: 'secrets.warn', category: 'secrets', title: 'Warning one', why: 'w', rules: ['DJR102'], sources: { '000': ['a'] } },
      { id: 'secrets.err', category: 'secrets', title: 'Error one', why: 'w', rules: ['DJR101'], sources: { '000': ['a'] } },
    ];
    const res = { root: ROOT, projects: [{ root: ROOT, productionModule: `${ROOT}/s.py`, productionReason: 'x', settingsModules: [], packages: [], djangoVersion: [5, 2] as [number, number], djangoVersionPinned: true }], findings: [finding('DJR102', 1, 'warning'), finding('DJR101', 2, 'error')], notes: [], applicability: { DJR101: true, DJR102: true, DJR106: true }, stats: { filesFound: 0, pythonFiles: 0, parsed: 0, skippedByPrefilter: 0, skippedLargeOrBinary: 0, ms: 0 } };
    const m = model(['file:///ws/app', buildChecklist(res, emptyManualState(), [rule('DJR101'), rule('DJR102'), rule('DJR106')], defs)]);
    assert.deepEqual(labels(m, m.children(m.children()[0])), ['Error one', 'Warning one', 'Passing one', 'Manual one']);
  });

  test('welcome states: loading, no Django project, ready', () => {
    const m = new ChecklistTreeModel();
    assert.equal(m.state(), 'loading');
    m.setFolder({ uri: 'file:///ws/app', name: 'app', loading: true });
    assert.equal(m.state(), 'loading');
    assert.deepEqual(labels(m, m.children()), ['Analysing the project…']);
    m.setFolder({ uri: 'file:///ws/app', name: 'app', report: report(ROOT, { django: false }) });
    assert.equal(m.state(), 'no-project');
    assert.deepEqual(m.children(), [], 'empty: the viewsWelcome content shows');
    assert.equal(m.description(), '');
    m.setFolder({ uri: 'file:///ws/app', name: 'app', report: report() });
    assert.equal(m.state(), 'ready');
    m.setFolder({ uri: 'file:///ws/app', name: 'app', error: 'The language server is not running.' });
    assert.deepEqual(labels(m, m.children()), ['The language server is not running.']);
  });
});

describe('actions', () => {
  test('the fix, the documentation link and the item node for reveal', () => {
    const r = report();
    const m = model(['file:///ws/app', r]);
    const key = m.children(m.children()[0])[0];
    assert.equal(key.kind, 'item');
    if (key.kind !== 'item') return;
    const f = fixableFinding(key.item);
    assert.equal(f?.code, 'DJR101');
    assert.equal(primaryFix(f!)?.title, 'Drop the default', 'a safe fix before an unsafe one');
    assert.equal(docUrlOf(key), 'https://github.com/django-readiness/django-readiness/blob/main/docs/rules/DJR101-name-DJR101.md');
    const second = m.children(key)[1];
    assert.equal(docUrlOf(second), 'https://github.com/django-readiness/django-readiness/blob/main/docs/rules/DJR102-name-DJR102.md');
    assert.equal(docCodeOf(key), 'DJR101');
    assert.equal(docCodeOf(second), 'DJR102');
    assert.equal(docCodeOf(m.itemNode('file:///ws/app', 'database.backups')!), undefined, 'manual items have no rule page');
    assert.equal(m.itemNode('file:///ws/app', 'database.backups')?.kind, 'item');
    assert.equal(m.itemNode('file:///ws/app', 'nope'), undefined);
  });
});
