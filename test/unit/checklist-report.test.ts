/** The Markdown report: seed style, relative file:line links, manual state, score, date, no secrets. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { buildChecklist, CATEGORY_TITLES, emptyManualState, escapeMarkdown, MemoryFileSystem, renderMarkdownReport, setManualTick, type AnalysisResult, type ChecklistItemDef } from '../../server/src/engine';
import { analyze, ready } from '../helpers/fixtures';

const ROOT = '/work space/repo';
const SECRET = 'django-insecure-abcdefghijklmnopqrstuvwxyz0123456789';

before(ready);

function project(): AnalysisResult {
  const mem = new MemoryFileSystem({
    'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'my site.settings')\n",
    'my site/__init__.py': '',
    'my site/settings.py': `from pathlib import Path\n\nSECRET_KEY = '${SECRET}'\nDEBUG = True\nALLOWED_HOSTS = ['example.com']\n`,
  }, ROOT);
  return analyze(mem, ROOT);
}

test('a heading per category, - [x] / - [ ] per item, score and date', () => {
  const ticks = setManualTick(emptyManualState(), 'database.backups', { done: true, by: 'alice', date: '2026-02-01', note: 'nightly pg_dump, see docs/ops.md' });
  const report = buildChecklist(project(), ticks, allRules);
  const md = renderMarkdownReport(report, { root: ROOT, date: '2026-11-23' });
  assert.match(md, /^# Production readiness checklist\n/);
  assert.match(md, /\*\*Date:\*\* 2026-11-23/);
  assert.match(md, /\*\*Score:\*\* \d+% \(\d+ of \d+ automated checks passed, \d+ failing\)/);
  for (const c of report.categories) assert.ok(md.includes(`## ${CATEGORY_TITLES[c.category]}`), c.category);
  // every item appears exactly once, as a task line or a struck-through line
  for (const item of report.items) {
    const lines = md.split('\n').filter((l) => l.startsWith('- ') && l.includes(item.title));
    assert.equal(lines.length, 1, item.id);
    if (item.status === 'passed' || item.done) assert.ok(lines[0].startsWith('- [x] '), item.id);
    else if (item.status === 'not-applicable') assert.ok(lines[0].startsWith('- ~~'), item.id);
    else assert.ok(lines[0].startsWith('- [ ] '), item.id);
  }
  assert.match(md, /- \[x\] Automated backups run daily.* — _manual, done by alice on 2026-02-01_\n {2}- _Note:_ nightly pg_dump, see docs\/ops\.md/);
  assert.match(md, /- \[ \] A fresh production SECRET_KEY is generated.* — _manual, open_/);
});

test('failing items list their findings as relative file:line links, without the secret', () => {
  const report = buildChecklist(project(), emptyManualState(), allRules);
  const md = renderMarkdownReport(report, { root: ROOT, date: '2026-11-23' });
  assert.match(md, /- \[ \] SECRET_KEY has no hardcoded value.* — DJR101, DJR102 — \*\*failing\*\*/);
  assert.match(md, / {2}- \[my site\/settings\.py:3\]\(my%20site\/settings\.py#L3\) .*\(DJR101 hardcoded-secret-key\)/);
  assert.match(md, / {2}- \[my site\/settings\.py:4\]\(my%20site\/settings\.py#L4\) DEBUG is True/);
  assert.ok(!md.includes(ROOT), 'no absolute paths');
  assert.ok(!md.includes(SECRET) && !md.includes('abcdefghijklmnop'), 'the secret value never appears');
});

test('links are relative to the folder the report is written to', () => {
  const report = buildChecklist(project(), emptyManualState(), allRules);
  const md = renderMarkdownReport(report, { root: `${ROOT}/docs`, date: '2026-11-23' });
  assert.match(md, /\[\.\.\/my site\/settings\.py:3\]\(\.\.\/my%20site\/settings\.py#L3\)/);
});

test('not-applicable items are struck through with the reason; obsolete advice shows its replacement', () => {
  const defs: ChecklistItemDef[] = [
    { id: 'auth.jwt', category: 'auth', title: 'JWT access tokens are short-lived', why: 'why', rules: ['DJR501'], sources: { '000': ['x'] } },
    { id: 'https.xss', category: 'https', title: 'No X-XSS-Protection', why: 'why', rules: ['DJR311'], sources: { '000': ['x'] }, supersedes: { advice: 'SECURE_BROWSER_XSS_FILTER = True', replacement: 'a Content-Security-Policy', reason: 'Browsers removed the auditor.' } },
  ];
  const res = project();
  res.applicability = { ...res.applicability, DJR501: false, DJR311: true };
  const md = renderMarkdownReport(buildChecklist(res, emptyManualState(), [], defs), { root: ROOT, date: '2026-01-01' });
  assert.match(md, /- ~~JWT access tokens are short-lived~~ — DJR501 — _not applicable: /);
  assert.match(md, /- \[x\] No X-XSS-Protection — DJR311\n {2}- _Obsolete advice in the seeds: SECURE_BROWSER_XSS_FILTER = True\. Instead: a Content-Security-Policy\. Browsers removed the auditor\._/);
  assert.match(md, /\*\*Not applicable:\*\* 1/);
});

test('without a Django project the report says so', () => {
  const mem = new MemoryFileSystem({ 'README.md': 'hello' }, ROOT);
  const report = buildChecklist(analyze(mem, ROOT), emptyManualState(), allRules);
  const md = renderMarkdownReport(report, { root: ROOT, date: '2026-11-23' });
  assert.match(md, /No Django project/);
  assert.match(md, /\*\*Score:\*\* n\/a/);
});

test('messages cannot inject markup', () => {
  assert.equal(escapeMarkdown('a <script> [x](y) *b*\nnext'), 'a \\<script\\> \\[x\\](y) \\*b\\* next');
});
