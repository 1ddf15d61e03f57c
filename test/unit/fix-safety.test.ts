/**
 * Fix safety, over every rule fixture (valid and invalid), every example project and a sample of
 * fuzz-surviving mutants:
 *
 *  - each fix of each finding applied alone, and fix-all (safe fixes; safe and unsafe ones)
 *    repeated until stable: the Python output parses whenever the input did (python3's
 *    ast.parse, batched into one process per group; tree-sitter when there is no python3),
 *    and uses no name at module level before it is bound when the input did not
 *    (test/helpers/pycheck.ts: imports above their first use);
 *  - fix-all is stable: after it, one more pass makes no edit;
 *  - no comment of a parsing input is lost;
 *  - no secret literal is silently lost: after a fix, every secret written in the input is
 *    still somewhere in the project (moved to .env, kept as a fallback...), unless the fix is
 *    unsafe and says that it removes the literal (its title or its rule's fix-safety docs);
 *    safe fix-all never loses one.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { applyFix, fixToApply, MemoryFileSystem, type Fix, type Finding } from '../../server/src/engine';
import { analyze, fixUntilStable, runFixAll } from '../helpers/fixtures';
import { runFuzz } from '../helpers/fuzz';
import { commentsOf, mount, parsesBatch, projectSubjects, ruleFixtureSubjects, secretLiterals, type Subject } from '../helpers/subjects';
import { ready } from '../helpers/fixtures';
import { hasPython, unboundNames } from '../helpers/pycheck';

const ROOT = '/project';
const metaOf = new Map(allRules.map((r) => [r.meta.code, r.meta]));

interface Pair {
  label: string;
  before: string;
  after: string;
}

interface Outcome {
  pairs: Pair[];
  problems: string[];
  /** Fixes applied alone that removed a secret literal from the project. */
  removals: { label: string; fix: Fix; code: string; lost: string[] }[];
  fixes: number;
}

function rel(p: string): string {
  return path.relative(ROOT, p).split(path.sep).join('/');
}

function secretsOf(files: Map<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [file, text] of files) for (const s of secretLiterals(text, file)) out.add(s);
  return out;
}

function lostSecrets(before: Map<string, string>, after: Map<string, string>): string[] {
  const all = [...after.values()].join('\n\u0000\n');
  return [...secretsOf(before)].filter((s) => !all.includes(s));
}

/** Whether a removal is announced: an unsafe fix whose title or rule docs say the literal goes. */
function documentedRemoval(code: string, fix: Fix): boolean {
  const docs = metaOf.get(code)?.docs.fixSafety ?? '';
  return fix.applicability !== 'safe' && (/remov/i.test(fix.title) || /literal is removed|removes the literal/i.test(docs));
}

function masked(s: string): string {
  return `${s.slice(0, 3)}…(${s.length})`;
}

function checkSubject(subject: Subject): Outcome {
  const out: Outcome = { pairs: [], problems: [], removals: [], fixes: 0 };
  const mem = mount(subject, ROOT);
  const original = new Map(mem.files);
  const result = analyze(mem, ROOT, subject.config ?? {});
  for (const n of result.notes) if (n.kind === 'rule-failed') out.problems.push(`${subject.name}: ${n.message}`);

  // Each fix alone.
  const applyAlone = (f: Finding, fix: Fix) => {
    const changed = applyFix(mem, fix);
    const after = new Map(original);
    for (const [file, text] of changed) after.set(file, text);
    const label = `${subject.name}: ${f.code} at ${rel(f.file)}:${f.range.start.line + 1} fix "${fix.title}"${fix.applicability === 'safe' ? '' : ` (${fix.applicability})`}`;
    for (const file of changed.keys()) if (file.endsWith('.py') && original.has(file)) out.pairs.push({ label: `${label} on ${rel(file)}`, before: original.get(file) ?? '', after: after.get(file) ?? '' });
    const lost = lostSecrets(original, after);
    if (lost.length > 0) out.removals.push({ label, fix, code: f.code, lost });
    out.fixes++;
  };
  for (const f of result.findings) for (const fix of f.fixes) applyAlone(f, fix);

  // Fix-all until stable, then one more pass must change nothing.
  for (const unsafe of [false, true]) {
    const m = mount(subject, ROOT);
    const first = runFixAll(m, ROOT, { unsafe, partial: subject.config });
    const again = runFixAll(m, ROOT, { unsafe, partial: subject.config, maxPasses: 1 });
    const kind = unsafe ? 'fix-all --unsafe-fixes' : 'fix-all';
    if (!first.stable || again.changes.length > 0) out.problems.push(`${subject.name}: ${kind} is not stable: another pass still changes ${again.changes.map((c) => rel(c.file)).join(', ')}`);
    for (const [file, text] of m.files) if (file.endsWith('.py') && original.has(file) && original.get(file) !== text) out.pairs.push({ label: `${subject.name}: ${kind} on ${rel(file)}`, before: original.get(file) ?? '', after: text });
    const lost = lostSecrets(original, m.files);
    if (!unsafe && lost.length > 0) out.problems.push(`${subject.name}: safe fix-all lost secret literals ${lost.map(masked).join(', ')}`);
    if (unsafe) {
      // every secret fix-all loses is lost by a fix that says so
      const announced = new Set(out.removals.filter((r) => documentedRemoval(r.code, r.fix)).flatMap((r) => r.lost));
      const silent = lost.filter((s) => !announced.has(s));
      if (silent.length > 0) out.problems.push(`${subject.name}: ${kind} silently lost secret literals ${silent.map(masked).join(', ')}`);
    }
  }
  for (const r of out.removals) {
    if (!documentedRemoval(r.code, r.fix)) out.problems.push(`${r.label} removes the secret literal(s) ${r.lost.map(masked).join(', ')} without keeping them anywhere, and is not an unsafe fix that says so`);
  }
  return out;
}

/** Parse and comment checks over all pairs of a group (one python3 process). */
function checkPairs(pairs: Pair[]): { problems: string[]; checker: string; checked: number } {
  const texts = new Map<string, number>();
  const idx = (t: string) => {
    let i = texts.get(t);
    if (i === undefined) texts.set(t, (i = texts.size));
    return i;
  };
  const ids = pairs.map((p) => [idx(p.before), idx(p.after)]);
  const { results, checker } = parsesBatch([...texts.keys()]);
  // names used at module level before they are bound (python3 only): a fix must add none
  const unbound = hasPython() ? unboundNames([...texts.keys()]) : undefined;
  const problems: string[] = [];
  let checked = 0;
  pairs.forEach((p, k) => {
    const [b, a] = ids[k];
    if (!results[b]) return; // the input did not parse: nothing to preserve
    checked++;
    if (!results[a]) problems.push(`${p.label}: the input parses, the output does not:\n${p.after}`);
    const nameOf = (m: string) => m.split(' ')[0];
    const had = new Set((unbound?.[b] ?? []).map(nameOf));
    for (const m of unbound?.[a] ?? []) if (!had.has(nameOf(m))) problems.push(`${p.label}: ${m}:\n${p.after}`);
    const remaining = commentsOf(p.after);
    for (const c of commentsOf(p.before)) {
      const i = remaining.indexOf(c);
      if (i < 0) problems.push(`${p.label}: lost the comment ${JSON.stringify(c)}`);
      else remaining.splice(i, 1);
    }
  });
  return { problems, checker, checked };
}

function runGroup(t: { diagnostic(m: string): void }, subjects: Subject[]): void {
  const pairs: Pair[] = [];
  const problems: string[] = [];
  let fixes = 0;
  let removals = 0;
  for (const s of subjects) {
    const o = checkSubject(s);
    pairs.push(...o.pairs);
    problems.push(...o.problems);
    fixes += o.fixes;
    removals += o.removals.length;
  }
  const checked = checkPairs(pairs);
  problems.push(...checked.problems);
  t.diagnostic(`${subjects.length} subjects, ${fixes} fixes applied alone (${removals} remove a secret literal, each unsafe and announced), ${pairs.length} changed Python files, ${checked.checked} with a parsing input checked by ${checked.checker}`);
  assert.deepEqual(problems, []);
  assert.ok(fixes > 0 || subjects.length === 0);
}

describe('fix safety', () => {
  before(ready);

  test('rule fixtures: every fix alone and fix-all parse, are stable, keep comments and secrets', (t) => {
    const subjects = ruleFixtureSubjects();
    // every rule with a fix has its fixture here
    const fixable = allRules.filter((r) => r.meta.fix !== 'none').map((r) => r.meta.code);
    for (const code of fixable) assert.ok(subjects.some((s) => s.name.startsWith(`${code} `)), `no fixture subject for ${code}`);
    runGroup(t, subjects);
  });

  test('example projects: every fix alone and fix-all parse, are stable, keep comments and secrets', (t) => {
    runGroup(t, projectSubjects());
  });

  test('fuzz survivors: every fix alone and fix-all parse (when the input did), are stable, keep comments and secrets', (t) => {
    const subjects: Subject[] = [];
    runFuzz({
      seed: 424242,
      iterations: 120,
      sequences: 0,
      special: false,
      onSurvivor: ({ project, file, text }) => {
        if (subjects.length >= 40) return;
        const files = new Map<string, string>();
        for (const [p, t0] of project.files) files.set(path.relative(project.root, p).split(path.sep).join('/'), p === file ? text : t0);
        subjects.push({ name: `fuzz mutant of ${project.name}/${path.relative(project.root, file)} #${subjects.length}`, files });
      },
    });
    assert.ok(subjects.length >= 20, `only ${subjects.length} survivors`);
    runGroup(t, subjects);
  });
});

describe('fix safety regressions', () => {
  before(ready);

  test('comments inside a replaced value are kept (DJR203 and DJR603 dropped them)', (t) => {
    const settings = [
      'DEBUG = False',
      'ALLOWED_HOSTS = [',
      "    '*',  # wildcard comment",
      '    # inner hosts comment',
      ']',
      "INSTALLED_APPS = ['django.contrib.admin', 'rest_framework']",
      'REST_FRAMEWORK = {',
      "    'DEFAULT_PERMISSION_CLASSES': [",
      "        'rest_framework.permissions.AllowAny',  # allow any comment",
      '    ],',
      '}',
      '',
    ].join('\n');
    const subject: Subject = {
      name: 'comments inside values',
      files: new Map([
        ['manage.py', "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"],
        ['mysite/__init__.py', ''],
        ['mysite/settings.py', settings],
      ]),
    };
    const result = analyze(mount(subject, ROOT), ROOT);
    for (const code of ['DJR203', 'DJR603']) assert.ok(result.findings.some((f) => f.code === code && f.fixes.length > 0), `${code} with a fix expected`);
    runGroup(t, [subject]);
  });

  test('fix-all leaves a file with syntax errors alone (it used to append the missing settings again on every pass)', () => {
    // found by the fuzzer: the parser's recovery swallowed what fix-all appended below the
    // broken list, so the settings still looked missing and every pass appended them again
    const settings = [
      'from pathlib import Path',
      '',
      'TRUSTED = [',
      '    "https://example.com",',
      '',
      'def helper(:',
      '    pass',
      '',
      'SECRET_KEY = "still-typing-but-this-key-is-hardcoded-0123456789"',
      '',
      'DEBUG = True',
      '',
      'INSTALLED_APPS = [',
      '    "django.co\'\'\'ntrib.admin",',
      '    "djb"ango.contrib.contenttypes",',
      '    "django.contrib.sessions",',
      ']',
      '',
    ].join('\n');
    const mem = new MemoryFileSystem({ 'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blog.settings')\n", 'blog/__init__.py': '', 'blog/settings.py': settings }, ROOT);
    const result = analyze(mem, ROOT);
    assert.ok(result.notes.some((n) => n.kind === 'syntax-error'));
    const inBroken = result.findings.filter((f) => f.file === path.join(ROOT, 'blog/settings.py') && f.fixes.length > 0);
    assert.ok(inBroken.length >= 3, 'findings with fixes in the broken file');
    // still offered as quick fixes, but never chosen by fix-all
    for (const f of inBroken) {
      assert.ok(f.fixes.every((x) => x.applicability === 'display-only'), `${f.code}: fix not display-only`);
      assert.equal(fixToApply(f, true), undefined);
    }
    assert.equal(fixUntilStable(mem, ROOT, { unsafe: true }), 0);
    assert.equal(mem.readFile(path.join(ROOT, 'blog/settings.py')), settings);
    // once the file parses again, fix-all works on it
    mem.write(path.join(ROOT, 'blog/settings.py'), "DEBUG = True\nINSTALLED_APPS = ['django.contrib.admin']\n");
    assert.ok(fixUntilStable(mem, ROOT, { unsafe: true }) >= 1);
  });
});
