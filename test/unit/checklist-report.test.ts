/**
 * The Markdown report, as a tech lead reads it: the summary first (score, problems by severity,
 * top five problems), items ordered by severity within their section with the fix snippet under
 * each failing one, accepted risks with their reason, manual checks in their own section at the
 * end, relative file:line links, no internal words, no secrets.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { buildChecklist, CATEGORY_TITLES, CHECKLIST, emptyManualState, escapeMarkdown, MemoryFileSystem, renderMarkdownReport, reportOrder, setManualTick, topProblems, type AnalysisResult, type ChecklistItemDef, type ChecklistReport } from '../../server/src/engine';
import { analyze, fixturesRoot, loadFolder, ready } from '../helpers/fixtures';

const ROOT = '/work space/repo';
const SECRET = 'django-insecure-abcdefghijklmnopqrstuvwxyz0123456789';
const SEVERITY_RANK = { error: 0, warning: 1, info: 2, hint: 3 } as const;

before(ready);

function project(): AnalysisResult {
  const mem = new MemoryFileSystem({
    'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'my site.settings')\n",
    'my site/__init__.py': '',
    'my site/settings.py': `from pathlib import Path\n\nSECRET_KEY = '${SECRET}'\nDEBUG = True\nALLOWED_HOSTS = ['example.com']\n`,
  }, ROOT);
  return analyze(mem, ROOT);
}

/** The `## ` sections of a report: heading -> body lines. */
function sections(md: string): { heading: string; lines: string[] }[] {
  const out: { heading: string; lines: string[] }[] = [];
  for (const line of md.split('\n')) {
    if (line.startsWith('## ')) out.push({ heading: line.slice(3), lines: [] });
    else out[out.length - 1]?.lines.push(line);
  }
  return out;
}

describe('the bundled example (tutorial)', () => {
  let report: ChecklistReport;
  let md: string;
  const root = '/examples/tutorial';
  before(() => {
    const mem = loadFolder(path.join(fixturesRoot, 'projects', 'tutorial'), root);
    report = buildChecklist(analyze(mem, root), emptyManualState(), allRules);
    md = renderMarkdownReport(report, { root, date: '2026-11-23' });
  });

  test('starts with the summary: score, problems by severity, counts, the top five problems', () => {
    const all = sections(md);
    assert.match(md, /^# Production readiness report: tutorial\n\n2026-11-23 · /);
    assert.equal(all[0].heading, 'Summary', 'the first section');
    const summary = all[0].lines.join('\n');
    assert.match(summary, /\*\*Score: \d+%\*\* \(\d+ of \d+ points\)/);
    const p = report.problems;
    assert.ok(p.error > 0 && p.warning > 0);
    assert.ok(summary.includes(`| Problems | ${p.error} errors, ${p.warning} warnings, ${p.info} info |`), summary);
    assert.match(summary, /\| Automated checks \| \d+ passed · \d+ failing/);
    assert.match(summary, /\| Manual checks \| 0 of \d+ done \|/);
    const top = summary.split('\n').filter((l) => /^\d\. \*\*/.test(l));
    assert.equal(top.length, 5);
    const expected = topProblems(report);
    top.forEach((l, i) => assert.ok(l.startsWith(`${i + 1}. **${expected[i].title}** (${expected[i].severity})`), l));
    for (let i = 1; i < expected.length; i++) assert.ok(SEVERITY_RANK[expected[i - 1].severity!] <= SEVERITY_RANK[expected[i].severity!], 'worst first');
    assert.equal(expected[0].severity, 'error');
  });

  test('within each section: failing items first, by severity; then not checked, passed, not applicable', () => {
    const rank = { failed: 0, accepted: 1, 'not-checked': 2, passed: 3, 'not-applicable': 4 } as Record<string, number>;
    let checkedSections = 0;
    for (const s of sections(md)) {
      const cat = report.categories.find((c) => s.heading.startsWith(c.title) && !s.heading.startsWith('Manual'));
      if (!cat) continue;
      checkedSections++;
      // the items in the order they appear in the text
      const shown = s.lines
        .filter((l) => l.startsWith('- '))
        .map((l) => report.items.find((i) => i.category === cat.category && l.includes(i.title)))
        .filter((i) => i !== undefined);
      assert.ok(shown.length > 0, s.heading);
      assert.deepEqual(shown.map((i) => i.id), reportOrder(report.items.filter((i) => i.category === cat.category && i.status !== 'manual')).map((i) => i.id), s.heading);
      for (let i = 1; i < shown.length; i++) {
        const [a, b] = [shown[i - 1], shown[i]];
        assert.ok(rank[a.status] <= rank[b.status], `${s.heading}: ${a.status} before ${b.status}`);
        if (a.status === 'failed' && b.status === 'failed') assert.ok(SEVERITY_RANK[a.severity!] <= SEVERITY_RANK[b.severity!], `${s.heading}: ${a.title} (${a.severity}) before ${b.title} (${b.severity})`);
      }
    }
    assert.equal(checkedSections, report.categories.length);
    // e.g. in Static files and deployment: the error (runserver) before the warnings
    const dep = sections(md).find((s) => s.heading.startsWith('Static files and deployment'))!;
    const first = dep.lines.find((l) => l.startsWith('- '))!;
    assert.match(first, /A production server .* — error, 2 problems/);
  });

  test("each failing item shows its findings, why it matters and the rule's fix snippet", () => {
    const block = md.slice(md.indexOf('- [ ] **SECRET_KEY has no hardcoded value'));
    const end = block.indexOf('\n- ', 2);
    const item = block.slice(0, end);
    assert.match(item, /\[mysite\/settings\.py:20\]\(mysite\/settings\.py#L20\) SECRET_KEY is a hardcoded string/);
    assert.match(item, /_Why it matters:_ Whoever knows the key/);
    const instead = allRules.find((r) => r.meta.code === 'DJR101')!.meta.docs.instead;
    const fenced = ['```python', ...instead.split('\n'), '```'].map((l) => (l ? `    ${l}` : l)).join('\n');
    assert.ok(item.includes(`  - _Fix:_\n\n${fenced}`), item);
    // a Dockerfile fix is fenced as a Dockerfile, a requirements one as text
    assert.match(md, /```dockerfile\n {4}CMD \["gunicorn"/);
    assert.match(md, /```text\n {4}Django==/);
  });

  test('manual items are in their own section, at the end', () => {
    const all = sections(md);
    const last = all[all.length - 1];
    assert.match(last.heading, /^Manual checks \(0 of \d+ done\)$/);
    const manual = report.items.filter((i) => i.status === 'manual');
    const before = md.slice(0, md.indexOf('## Manual checks'));
    for (const m of manual) {
      assert.ok(!before.includes(m.title), `${m.title} appears before the manual section`);
      assert.ok(last.lines.some((l) => l === `- [ ] ${m.title}`), m.title);
    }
  });

  test('no internal words: no seeds, no catalogue, no item ids, no absolute paths', () => {
    assert.doesNotMatch(md, /\bseeds?\b/i);
    assert.doesNotMatch(md, /catalogue/i);
    for (const def of CHECKLIST) assert.ok(!md.includes(def.id), `the item id ${def.id} appears`);
    assert.ok(!md.includes(root));
  });
});

test('manual ticks: done with who and when, and the note', () => {
  const ticks = setManualTick(emptyManualState(), 'database.backups', { done: true, by: 'alice', date: '2026-02-01', note: 'nightly pg_dump, see docs/ops.md' });
  const report = buildChecklist(project(), ticks, allRules);
  const md = renderMarkdownReport(report, { root: ROOT, date: '2026-11-23' });
  assert.match(md, /- \[x\] Automated backups run daily.* — _done by alice on 2026-02-01_\n {2}- _Note:_ nightly pg_dump, see docs\/ops\.md/);
  assert.match(md, /- \[ \] A fresh production SECRET_KEY is generated/);
  assert.match(md, /\| Manual checks \| 1 of \d+ done \|/);
  for (const c of report.categories) if (report.items.some((i) => i.category === c.category && i.status !== 'manual')) assert.ok(md.includes(`## ${CATEGORY_TITLES[c.category]}`), c.category);
});

test('failing items list their findings as relative file:line links, without the secret', () => {
  const report = buildChecklist(project(), emptyManualState(), allRules);
  const md = renderMarkdownReport(report, { root: ROOT, date: '2026-11-23' });
  assert.match(md, /- \[ \] \*\*SECRET_KEY has no hardcoded value.*\*\* — error, 1 problem/);
  assert.match(md, / {2}- \[my site\/settings\.py:3\]\(my%20site\/settings\.py#L3\) .*\(DJR101\)/);
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
  res.outcomes = {};
  const md = renderMarkdownReport(buildChecklist(res, emptyManualState(), [], defs), { root: ROOT, date: '2026-01-01' });
  assert.match(md, /- ~~JWT access tokens are short-lived~~ — _not applicable: /);
  assert.match(md, /- \[x\] No X-XSS-Protection\n {2}- _Often recommended, now obsolete: SECURE_BROWSER_XSS_FILTER = True\. Instead: a Content-Security-Policy\. Browsers removed the auditor\._/);
  assert.match(md, /1 not applicable/);
});

test('without a Django project the report says so and stops', () => {
  const mem = new MemoryFileSystem({ 'README.md': 'hello' }, ROOT);
  const report = buildChecklist(analyze(mem, ROOT), emptyManualState(), allRules);
  const md = renderMarkdownReport(report, { root: ROOT, date: '2026-11-23' });
  assert.match(md, /No Django project/);
  assert.doesNotMatch(md, /Score/);
  assert.doesNotMatch(md, /Manual checks/);
});

test('messages cannot inject markup', () => {
  assert.equal(escapeMarkdown('a <script> [x](y) *b*\nnext'), 'a \\<script\\> \\[x\\](y) \\*b\\* next');
});
