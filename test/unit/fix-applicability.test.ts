/**
 * Applicability means "behaviour unchanged" (issue 13): a safe fix leaves the running
 * application exactly as it was; everything else is unsafe (offered, applied in bulk only with
 * --unsafe-fixes) or display-only.
 *
 *  - The rules whose fixes can be safe, and when, are listed here explicitly; every other rule's
 *    fixes are never safe (DJR301, DJR304, DJR306, DJR501, DJR502, DJR504, DJR601 and DJR602
 *    among them: they changed behaviour and were applied on save).
 *  - `django-readiness check --fix` (safe fixes only) over a copy of every example project, and
 *    the product's fix-all over every rule fixture: no setting that bears behaviour changes its
 *    effective value in any settings module (development modules, and so every module they
 *    import, included); the files safe fixes touch are settings modules, .gitignore,
 *    .env.example and .github/dependabot.yml files, nothing else.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { Evaluator, MemoryFileSystem, ParseCache, resolveModuleFile, type AnalysisResult, type FileSystem, type Value } from '../../server/src/engine';
import { cli, copyProject, projectsRoot, snapshot } from '../helpers/cli';
import { analyze, ready, repoRoot, runFixAll } from '../helpers/fixtures';
import { mount, ruleFixtureSubjects } from '../helpers/subjects';

/** The rules that have safe fixes, and why those leave behaviour unchanged. */
const SAFE_FIXES = new Map<string, string>([
  ['DJR105', 'appends a .env file to .gitignore: git reads it, the application does not'],
  ['DJR106', 'lists variable names (no values) in .env.example: nothing reads it at run time'],
  ['DJR108', 'adds .env files to .dockerignore, only when the settings never read a .env file themselves: the image loses a file nothing in it reads'],
  ['DJR311', 'removes SECURE_BROWSER_XSS_FILTER, only when the project pins Django 4.0 or newer, which ignores the setting'],
  ['DJR912', 'writes .github/dependabot.yml: GitHub reads it, the application does not'],
]);

/** Settings that bear no behaviour when the project pins Django 4.0+ (see DJR311). */
const NO_EFFECT_ON_DJANGO_4 = new Set(['SECURE_BROWSER_XSS_FILTER']);

/** The fixes that set these rules off on real projects (the list): never safe. */
const WERE_SAFE_AND_CHANGED_BEHAVIOUR = ['DJR301', 'DJR304', 'DJR306', 'DJR501', 'DJR502', 'DJR504', 'DJR601', 'DJR602'];

function plain(v: Value | undefined, depth = 0): unknown {
  if (!v || depth > 8) return undefined;
  let out: unknown;
  switch (v.kind) {
    case 'str':
    case 'num':
    case 'bool':
      out = v.value;
      break;
    case 'none':
      out = null;
      break;
    case 'list':
    case 'tuple':
    case 'set':
      out = [v.kind, ...v.items.map((i) => plain(i, depth + 1))];
      break;
    case 'dict':
      out = ['dict', ...v.entries.map((e) => [plain(e.key, depth + 1), plain(e.value, depth + 1)])];
      break;
    case 'timedelta':
      out = ['timedelta', v.seconds];
      break;
    case 'path':
      out = ['path', v.display];
      break;
    default:
      out = `<${v.kind}>`;
  }
  return v.env ? { env: v.env.variable ?? '?', value: out } : out;
}

/** The effective settings (UPPERCASE names) of every settings module of an analysis. */
function effectiveSettings(fsys: FileSystem, result: AnalysisResult): Map<string, { role: string; values: Map<string, string> }> {
  const out = new Map<string, { role: string; values: Map<string, string> }>();
  for (const p of result.projects) {
    const cache = new ParseCache();
    const ev = new Evaluator((from, module, level) => {
      const f = resolveModuleFile(fsys, p.root, from.path, module, level);
      const text = f ? fsys.readFile(f) : undefined;
      return f && text !== undefined ? cache.parse(f, text) : undefined;
    });
    for (const m of p.settingsModules) {
      const text = fsys.readFile(m.path);
      if (text === undefined) continue;
      const values = new Map<string, string>();
      for (const [name, b] of ev.evaluate(cache.parse(m.path, text)).names) if (/^[A-Z][A-Z0-9_]*$/.test(name)) values.set(name, JSON.stringify(plain(b.value)));
      out.set(m.path, { role: m.role, values });
    }
  }
  return out;
}

/** What a safe fix-all changed that it must not have (empty: nothing). */
function behaviourChanges(label: string, before: { fs: FileSystem; result: AnalysisResult }, after: FileSystem, changedFiles: string[]): string[] {
  const problems: string[] = [];
  const modules = new Set(before.result.projects.flatMap((p) => p.settingsModules.map((m) => m.path)));
  for (const f of changedFiles) {
    const base = path.basename(f);
    const allowed = modules.has(f) || base === '.gitignore' || /^\.env\.(example|sample|template|dist)$/.test(base) || /[\\/]\.github[\\/]dependabot\.ya?ml$/.test(f) || base === '.dockerignore';
    if (!allowed) problems.push(`${label}: a safe fix changed ${f}, which is not a settings module, .gitignore, .dockerignore, .env.example or .github/dependabot.yml`);
  }
  const pinned4 = before.result.projects.every((p) => p.djangoVersionPinned && p.djangoVersion[0] >= 4);
  const was = effectiveSettings(before.fs, before.result);
  const now = effectiveSettings(after, before.result);
  for (const [file, { role, values }] of was) {
    const next = now.get(file)?.values ?? new Map<string, string>();
    for (const name of new Set([...values.keys(), ...next.keys()])) {
      if (values.get(name) === next.get(name)) continue;
      if (pinned4 && NO_EFFECT_ON_DJANGO_4.has(name)) continue;
      problems.push(`${label}: safe fix-all changed ${name} in ${role} settings ${file}: ${values.get(name) ?? '(unset)'} -> ${next.get(name) ?? '(unset)'}`);
    }
  }
  return problems;
}

describe('fix applicability', () => {
  before(ready);

  test('the rules with safe fixes are exactly the listed ones; the issue 13 ones are unsafe', () => {
    const declared = allRules.filter((r) => r.meta.fix === 'safe').map((r) => r.meta.code).sort();
    assert.deepEqual(declared, [...SAFE_FIXES.keys()].sort());
    for (const code of WERE_SAFE_AND_CHANGED_BEHAVIOUR) {
      const rule = allRules.find((r) => r.meta.code === code);
      assert.ok(rule, code);
      assert.notEqual(rule.meta.fix, 'safe', `${code} must not be safe`);
    }
    // every rule with a fix says why it is (not) safe
    for (const r of allRules) if (r.meta.fix !== 'none') assert.ok((r.meta.docs.fixSafety ?? '').length > 40, `${r.meta.code}: docs.fixSafety missing`);
  });

  test('`rule --list` and the rule pages show each rule\'s applicability; the safe ones are the listed ones', async () => {
    const list = await cli(['rule', '--list']);
    assert.equal(list.code, 0);
    const shown = new Map<string, string>();
    for (const line of list.out.split('\n')) {
      const m = /^(DJR\d{3})\s.*?(?:fix: (safe|unsafe|display-only))?\s*$/.exec(line);
      if (m) shown.set(m[1], m[2] ?? 'none');
    }
    assert.equal(shown.size, allRules.length);
    for (const r of allRules) assert.equal(shown.get(r.meta.code), r.meta.fix, `rule --list: ${r.meta.code}`);
    assert.deepEqual([...shown].filter(([, fix]) => fix === 'safe').map(([code]) => code).sort(), [...SAFE_FIXES.keys()].sort());
    const docs = path.join(repoRoot, 'docs', 'rules');
    for (const r of allRules) {
      const page = fs.readFileSync(path.join(docs, `${r.meta.code}-${r.meta.name}.md`), 'utf8');
      const section = /## Fix safety\n\n([\s\S]*?)\n## /.exec(page + '\n## ')?.[1] ?? '';
      if (r.meta.fix === 'none') assert.match(section, /No automatic fix/, `${r.meta.code} page`);
      else assert.match(section, new RegExp(`Applicability: ${r.meta.fix}\\b`), `${r.meta.code} page shows its applicability`);
    }
  });

  test('over every rule fixture, safe fixes come only from the listed rules, and each listed rule has one', () => {
    const seen = new Set<string>();
    for (const s of ruleFixtureSubjects()) {
      const result = analyze(mount(s, '/project'), '/project', s.config ?? {});
      for (const f of result.findings) for (const x of f.fixes) if (x.applicability === 'safe') {
        assert.ok(SAFE_FIXES.has(f.code), `${s.name}: ${f.code} offers a safe fix "${x.title}"`);
        seen.add(f.code);
      }
    }
    assert.deepEqual([...seen].sort(), [...SAFE_FIXES.keys()].sort());
  });

  test('DJR311 removes the obsolete setting as a safe fix only when Django 4.0+ is pinned', () => {
    const settings = 'SECURE_BROWSER_XSS_FILTER = True\n';
    const fixOf = (requirements?: string) => {
      const files: Record<string, string> = { '/p/manage.py': '', '/p/settings.py': settings };
      if (requirements !== undefined) files['/p/requirements.txt'] = requirements;
      return analyze(new MemoryFileSystem(files), '/p').findings.find((f) => f.code === 'DJR311')?.fixes[0]?.applicability;
    };
    assert.equal(fixOf('Django==5.2.1\n'), 'safe');
    assert.equal(fixOf('Django==3.2.25\n'), 'unsafe');
    assert.equal(fixOf('Django\n'), 'unsafe', 'an unpinned Django may be anything');
    assert.equal(fixOf(), 'unsafe');
  });

  test('`check --fix` over a copy of every example project: no behaviour-bearing setting changes in any settings module', async () => {
    const problems: string[] = [];
    let changedProjects = 0;
    for (const name of fs.readdirSync(projectsRoot).sort()) {
      if (!fs.statSync(path.join(projectsRoot, name)).isDirectory()) continue;
      const dir = copyProject(name, 'djr-applicability');
      try {
        const beforeFiles = snapshot(dir);
        const mem = new MemoryFileSystem();
        for (const [rel, text] of beforeFiles) mem.write(path.join(dir, rel), text);
        const result = analyze(mem, dir);
        const run = await cli(['check', dir, '--fix', '--workers', '0', '--no-color']);
        assert.ok(run.code !== undefined && run.code < 2, `${name}: ${run.err}`);
        const afterFiles = snapshot(dir);
        const changed = [...afterFiles.keys()].filter((rel) => afterFiles.get(rel) !== beforeFiles.get(rel)).map((rel) => path.join(dir, rel));
        if (changed.length > 0) changedProjects++;
        const after = new MemoryFileSystem();
        for (const [rel, text] of afterFiles) after.write(path.join(dir, rel), text);
        problems.push(...behaviourChanges(`project ${name}`, { fs: mem, result }, after, changed));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(changedProjects >= 3, `safe fixes changed only ${changedProjects} projects: the test would prove little`);
  });

  test('the split-settings example: --fix removes only the no-op setting from base.py; development settings keep every value', async () => {
    const dir = copyProject('split-fixall', 'djr-applicability');
    try {
      const settings = path.join(dir, 'config', 'settings');
      const before = snapshot(settings);
      const run = await cli(['check', dir, '--fix', '--workers', '0', '--no-color']);
      assert.match(run.out, /Fixed \d+ problems?\./);
      const after = snapshot(settings);
      assert.equal(after.get('dev.py'), before.get('dev.py'));
      assert.equal(after.get('production.py'), before.get('production.py'));
      assert.equal(after.get('base.py'), before.get('base.py')?.replace('SECURE_BROWSER_XSS_FILTER = True  # old advice, Django 4.0 ignores it\n', '# old advice, Django 4.0 ignores it\n'));
      // the deliberate HSTS ramp and token lifetime are still there: their fixes are unsafe
      assert.match(after.get('base.py') ?? '', /^SECURE_HSTS_SECONDS = 3600$/m);
      assert.match(after.get('base.py') ?? '', /"ACCESS_TOKEN_LIFETIME": timedelta\(hours=1\)/);
      assert.ok(fs.existsSync(path.join(dir, '.env.example')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the product\'s fix-all (safe) over every rule fixture: no behaviour-bearing setting changes', () => {
    const problems: string[] = [];
    for (const s of ruleFixtureSubjects()) {
      const mem = mount(s, '/project');
      const beforeFs = mount(s, '/project');
      const result = analyze(beforeFs, '/project', s.config ?? {});
      const res = runFixAll(mem, '/project', { unsafe: false, partial: s.config });
      problems.push(...behaviourChanges(s.name, { fs: beforeFs, result }, mem, res.changes.map((c) => c.file)));
    }
    assert.deepEqual(problems, []);
  });
});
