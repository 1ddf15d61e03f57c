/**
 * Suppressed is not passed: a finding silenced by `# noqa`, an ignore comment, a file-wide
 * ignore comment or SILENCED_SYSTEM_CHECKS is kept as an accepted risk with the reason written
 * beside it: its checklist item is "accepted" (not passed) in the model, the CLI JSON, the
 * report and the score; SARIF carries it as a result with a `suppressions` entry; it is not a
 * problem (no diagnostic, no exit code).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { buildChecklist, emptyManualState, MemoryFileSystem, renderMarkdownReport, Suppressions, suppressionReason } from '../../server/src/engine';
import { cli } from '../helpers/cli';
import { analyze, ready } from '../helpers/fixtures';

const SETTINGS = `import os

# django-readiness: ignore-file[DJR801] logs go to journald through gunicorn's stderr
SECRET_KEY = os.environ['DJANGO_SECRET_KEY']
DEBUG = False
ALLOWED_HOSTS = ['example.com']
INSTALLED_APPS = ['django.contrib.staticfiles']
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',  # noqa: DJR701 -- a single-user internal tool
        'NAME': 'db.sqlite3',
    },
}
SILENCED_SYSTEM_CHECKS = [
    'security.W004',  # HSTS is set by the load balancer
]
`;

const FILES: Record<string, string> = {
  'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
  'mysite/__init__.py': '',
  'mysite/settings.py': SETTINGS,
};

describe('suppression comments', () => {
  test('the reason is what follows the codes, without separators', () => {
    const s = new Suppressions([
      "X = 1  # noqa: DJR701 -- a single-user internal tool",
      "# django-readiness: ignore[DJR101, DJR102]: rotated by the vault agent",
      "SECRET_KEY = 'x'",
      "Y = 2  # noqa: DJR201",
      "# django-readiness: ignore-file[DJR909]   one settings module on purpose",
    ].join('\n'));
    assert.deepEqual(s.find('DJR701', 0), { kind: 'line', line: 0, reason: 'a single-user internal tool' });
    assert.deepEqual(s.find('DJR102', 2), { kind: 'line', line: 1, reason: 'rotated by the vault agent' }, 'the line below the comment');
    assert.deepEqual(s.find('DJR201', 3), { kind: 'line', line: 3, reason: '' });
    assert.deepEqual(s.find('DJR909', 0), { kind: 'file', line: 4, reason: 'one settings module on purpose' }, 'anywhere in the file');
    assert.deepEqual(s.find('DJR909', 400), { kind: 'file', line: 4, reason: 'one settings module on purpose' });
    assert.equal(s.find('DJR701', 1), undefined);
    assert.equal(s.find('DJR101', 0), undefined);
    assert.equal(suppressionReason('  # — see ADR-12  '), 'see ADR-12');
  });

  test('a bare # noqa and an ignore-file comment inside code do not count', () => {
    const s = new Suppressions("DEBUG = True  # noqa\nX = 1  # django-readiness: ignore-file[DJR201] not alone on its line\n");
    assert.equal(s.find('DJR201', 0), undefined);
    assert.equal(s.find('DJR201', 5), undefined);
  });
});

describe('accepted findings in the analysis and the checklist', () => {
  before(ready);

  test('suppressed findings leave the problems and keep their kind, reason and place', () => {
    const mem = new MemoryFileSystem(FILES, '/p');
    const res = analyze(mem, '/p');
    for (const code of ['DJR701', 'DJR304', 'DJR801']) assert.ok(!res.findings.some((f) => f.code === code), `${code} is not a problem`);
    const sup = new Map((res.suppressed ?? []).map((f) => [f.code, f] as const));
    assert.deepEqual(sup.get('DJR701')?.suppressed, { kind: 'line', reason: 'a single-user internal tool', file: '/p/mysite/settings.py', line: 14 });
    assert.deepEqual(sup.get('DJR304')?.suppressed, { kind: 'silenced-check', reason: 'HSTS is set by the load balancer', file: '/p/mysite/settings.py', line: 19, check: 'security.W004' });
    assert.deepEqual(sup.get('DJR801')?.suppressed, { kind: 'file', reason: "logs go to journald through gunicorn's stderr", file: '/p/mysite/settings.py', line: 2 });
  });

  test('their items are accepted (not passed), with the reason; left out of the score; the report says so', () => {
    const mem = new MemoryFileSystem(FILES, '/p');
    const report = buildChecklist(analyze(mem, '/p'), emptyManualState(), allRules);
    const item = (id: string) => report.items.find((i) => i.id === id)!;
    assert.equal(item('database.production-engine').status, 'accepted');
    assert.match(item('database.production-engine').reason, /DJR701: "a single-user internal tool" \(an ignore comment at mysite\/settings\.py:15\)/);
    assert.equal(item('https.hsts').status, 'accepted');
    assert.match(item('https.hsts').reason, /"HSTS is set by the load balancer" \(SILENCED_SYSTEM_CHECKS \(security\.W004\) at mysite\/settings\.py:20\)/);
    assert.equal(item('logging.configured').status, 'accepted');
    for (const id of ['database.production-engine', 'https.hsts', 'logging.configured']) assert.equal(item(id).weight, 0, id);
    assert.equal(report.counts.accepted, 3);
    const md = renderMarkdownReport(report, { root: '/p', date: '2026-11-23' });
    assert.match(md, /- \*\*Accepted:\*\* The production database is not SQLite\n {2}- \[mysite\/settings\.py:15\]\(mysite\/settings\.py#L15\) .*: "a single-user internal tool" \(an ignore comment at mysite\/settings\.py:15\)/);
    assert.match(md, /\| Automated checks \| \d+ passed · \d+ failing · 3 accepted/);
  });

  test('without the comment the same item fails', () => {
    const mem = new MemoryFileSystem({ ...FILES, 'mysite/settings.py': SETTINGS.replace('  # noqa: DJR701 -- a single-user internal tool', '') }, '/p');
    const report = buildChecklist(analyze(mem, '/p'), emptyManualState(), allRules);
    assert.equal(report.items.find((i) => i.id === 'database.production-engine')?.status, 'failed');
  });
});

describe('accepted findings in the CLI', () => {
  let dir: string;
  before(async () => {
    await ready();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-accepted-'));
    for (const [rel, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('JSON: not in diagnostics; listed under accepted with the suppression; the item is accepted', async () => {
    const r = await cli(['check', dir, '--format', 'json']);
    const j = JSON.parse(r.out);
    assert.ok(!j.diagnostics.some((d: { rule: string }) => ['DJR701', 'DJR304', 'DJR801'].includes(d.rule)));
    const a = j.accepted.find((x: { rule: string }) => x.rule === 'DJR701');
    assert.deepEqual(a.suppression, { kind: 'line', reason: 'a single-user internal tool', file: 'mysite/settings.py', line: 15 });
    assert.equal(a.file, 'mysite/settings.py');
    const item = j.checklist.find((i: { id: string }) => i.id === 'database.production-engine');
    assert.equal(item.status, 'accepted');
    assert.equal(item.accepted[0].suppression.reason, 'a single-user internal tool');
    assert.equal(j.summaries[0].counts.accepted, 3);
  });

  test('SARIF: a result with a suppressions entry carrying the reason', async () => {
    const r = await cli(['check', dir, '--format', 'sarif']);
    const results = JSON.parse(r.out).runs[0].results as { ruleId: string; suppressions?: { kind: string; status: string; justification: string }[] }[];
    const db = results.find((x) => x.ruleId === 'DJR701');
    assert.ok(db?.suppressions, 'the suppressed finding is a result');
    assert.equal(db.suppressions[0].kind, 'inSource');
    assert.equal(db.suppressions[0].status, 'accepted');
    assert.match(db.suppressions[0].justification, /a single-user internal tool/);
    const hsts = results.find((x) => x.ruleId === 'DJR304');
    assert.match(hsts?.suppressions?.[0].justification ?? '', /HSTS is set by the load balancer \(SILENCED_SYSTEM_CHECKS lists security\.W004\)/);
    assert.ok(results.filter((x) => !x.suppressions).length > 0, 'problems have no suppressions');
  });

  test('text output and exit code ignore accepted findings', async () => {
    const r = await cli(['check', dir, '--no-color']);
    assert.doesNotMatch(r.out, /DJR701|DJR304|DJR801/);
  });
});

