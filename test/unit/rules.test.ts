/**
 * The generic fixture runner: every rule is tested from its folder test/fixtures/rules/<name>/
 * with no per-rule test code.
 *
 *  - valid.<ext>: no finding of the rule;
 *  - invalid.<ext>: exactly the findings announced by `expect: DJRxxx` comments (on the line the
 *    finding starts), or by fixture.json {"expect": [{"code": "DJR906", "line": 1}]} (1-based);
 *    findings in the folder's other files (e.g. an inherited base.py) are announced by comments
 *    in those files, or by expect entries with a "file" key ({"file": "base.py", ...});
 *  - invalid.fixed.<ext> (when the rule has a fix): the result of applying the rule's fixes
 *    (safe and unsafe) until stable; a second pass changes nothing; Python output parses. A rule
 *    whose fixes are display-only (never part of fix-all) has none.
 *  - fixture.json may set "file" (the name the fixture is analysed as; default settings.py for
 *    settings rules, app/views.py for code rules and templates/page.html for template rules,
 *    whose fixtures are valid.html, invalid.html and invalid.fixed.html with `{# expect: DJR611 #}`
 *    comments) and "config" (a partial configuration).
 *  - every other file of the folder is part of the project as-is (base.py, requirements.txt...).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import type { PartialConfig, Rule } from '../../server/src/engine';
import { analyze, fixturesRoot, fixUntilStable, loadFolder, ready } from '../helpers/fixtures';

const ROOT = '/project';
const VARIANT = /^(invalid\.fixed|invalid|valid)(\.[^./]+)?$/;

interface FixtureSpec {
  file?: string;
  config?: PartialConfig;
  expect?: { code: string; line: number; file?: string }[];
}

function pythonParses(text: string): boolean | undefined {
  try {
    execFileSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: text, stdio: ['pipe', 'ignore', 'ignore'] });
    return true;
  } catch (e) {
    const err = e as { code?: string; status?: number };
    if (err.code === 'ENOENT') return undefined; // no python3 here: tree-sitter checks elsewhere
    return false;
  }
}

function variantFile(dir: string, variant: string): string | undefined {
  return fs.readdirSync(dir).find((f) => {
    const m = VARIANT.exec(f);
    return m && m[1] === variant;
  });
}

function expectedLines(text: string, code: string): number[] {
  const out: number[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const m = /expect:\s*([A-Z0-9, ]+)/.exec(l);
    if (m && m[1].split(/[ ,]+/).includes(code)) out.push(i);
  });
  return out;
}

function setup(rule: Rule, dir: string, variant: 'valid' | 'invalid') {
  const spec: FixtureSpec = fs.existsSync(path.join(dir, 'fixture.json')) ? JSON.parse(fs.readFileSync(path.join(dir, 'fixture.json'), 'utf8')) : {};
  const fileName = spec.file ?? (rule.meta.kind === 'code' ? 'app/views.py' : rule.meta.kind === 'template' ? 'templates/page.html' : 'settings.py');
  const source = variantFile(dir, variant);
  assert.ok(source, `${rule.meta.name}: missing ${variant} fixture`);
  const mem = loadFolder(dir, ROOT, (rel) => {
    if (rel === 'fixture.json') return undefined;
    const m = VARIANT.exec(rel);
    if (!m) return rel;
    return m[1] === variant ? fileName : undefined;
  });
  // every fixture is a Django project (a folder with no trace of Django is not checked at all)
  if (!mem.exists(path.join(ROOT, 'manage.py'))) mem.write(path.join(ROOT, 'manage.py'), '# the fixture is a Django project\n');
  return { mem, spec, file: path.join(ROOT, fileName), source: path.join(dir, source) };
}

// RULES=DJR1,DJR304 limits the run to some codes (prefixes) while working on them.
const only = (process.env.RULES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const selected = allRules.filter((r) => only.length === 0 || only.some((p) => r.meta.code.startsWith(p) || r.meta.name === p));

describe('rules: fixtures', () => {
  before(ready);
  for (const rule of selected) {
    const dir = path.join(fixturesRoot, 'rules', rule.meta.name);
    describe(`${rule.meta.code} ${rule.meta.name}`, () => {
      test('valid fixture has no finding', () => {
        const { mem, spec } = setup(rule, dir, 'valid');
        const result = analyze(mem, ROOT, spec.config);
        const mine = result.findings.filter((f) => f.code === rule.meta.code);
        assert.deepEqual(mine.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.message}`), []);
        assert.deepEqual(result.notes.filter((n) => n.kind === 'rule-failed'), []);
      });

      test('invalid fixture has exactly the expected findings', () => {
        const { mem, spec, file } = setup(rule, dir, 'invalid');
        const result = analyze(mem, ROOT, spec.config);
        assert.deepEqual(result.notes.filter((n) => n.kind === 'rule-failed'), []);
        const mine = result.findings.filter((f) => f.code === rule.meta.code);
        const expected: (number | string)[] = spec.expect
          ? spec.expect.filter((e) => e.code === rule.meta.code).map((e) => (e.file ? `${path.basename(e.file)}:${e.line - 1}` : e.line - 1))
          : expectedLines(mem.readFile(file) ?? '', rule.meta.code);
        // Comments in the other files of the folder announce findings there (base.py:<line>).
        for (const other of fs.readdirSync(dir)) {
          if (other === 'fixture.json' || VARIANT.test(other) || !fs.statSync(path.join(dir, other)).isFile()) continue;
          for (const l of expectedLines(fs.readFileSync(path.join(dir, other), 'utf8'), rule.meta.code)) expected.push(`${other}:${l}`);
        }
        assert.ok(expected.length > 0, 'the invalid fixture must announce at least one finding');
        const where = (f: (typeof mine)[number]) => (f.file === file ? f.range.start.line : `${path.basename(f.file)}:${f.range.start.line}`);
        assert.deepEqual(mine.map(where).sort(), [...expected].sort(), `findings: ${mine.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.message}`).join('; ')}`);
        for (const f of mine) {
          assert.equal(f.name, rule.meta.name);
          assert.ok(f.message.length > 0);
          if (rule.meta.fix === 'none') assert.equal(f.fixes.length, 0, 'a rule declared without fix offers one');
          for (const fix of f.fixes) if (fix.applicability === 'safe') assert.equal(rule.meta.fix, 'safe', 'a safe fix from a rule declared unsafe');
        }
      });

      const fixed = variantFile(dir, 'invalid.fixed');
      if (rule.meta.fix === 'none') {
        test('has no fix and no fixed fixture', () => assert.equal(fixed, undefined));
        return;
      }
      if (rule.meta.fix === 'display-only') {
        // offered one at a time, never applied by fix-all: nothing to compare with invalid.fixed
        test('its fixes are display-only and there is no fixed fixture', () => {
          assert.equal(fixed, undefined);
          const { mem, spec } = setup(rule, dir, 'invalid');
          const mine = analyze(mem, ROOT, spec.config).findings.filter((f) => f.code === rule.meta.code);
          for (const f of mine) for (const fix of f.fixes) assert.equal(fix.applicability, 'display-only');
        });
        return;
      }
      test('fixes produce invalid.fixed and are idempotent', () => {
        assert.ok(fixed, `${rule.meta.name}: missing invalid.fixed fixture`);
        const { mem, spec, file } = setup(rule, dir, 'invalid');
        const passes = fixUntilStable(mem, ROOT, { unsafe: true, codes: [rule.meta.code], partial: spec.config });
        assert.ok(passes >= 1, 'the fix changed nothing');
        const out = mem.readFile(file) ?? '';
        assert.equal(out, fs.readFileSync(path.join(dir, fixed), 'utf8'));
        // A second run changes nothing.
        assert.equal(fixUntilStable(mem, ROOT, { unsafe: true, codes: [rule.meta.code], partial: spec.config }), 0);
        if (file.endsWith('.py')) assert.notEqual(pythonParses(out), false, 'fixed file does not parse');
      });
    });
  }
});
