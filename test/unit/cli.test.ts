/** The CLI, in-process, on the example projects under test/fixtures/projects/. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { cli, copyProject, projectsRoot, snapshot } from '../helpers/cli';

const projects = projectsRoot;
const EXAMPLES = fs.readdirSync(projects).filter((d) => fs.statSync(path.join(projects, d)).isDirectory());

function pythonParses(file: string): boolean | undefined {
  try {
    execFileSync('python3', ['-c', 'import ast,sys; ast.parse(open(sys.argv[1]).read())', file], { stdio: 'ignore' });
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    return false;
  }
}

/** Every string literal of the example settings that looks like a secret. */
function secretLiterals(): string[] {
  const out: string[] = [];
  for (const [, text] of EXAMPLES.flatMap((e) => [...snapshot(path.join(projects, e))])) {
    // (an environment variable name such as config("EMAIL_HOST_PASSWORD") is not a secret)
    for (const m of text.matchAll(/(?:SECRET_KEY|PASSWORD|_KEY)[^=\n]*=\s*[^'"\n]*(["'])([^"'\n]{12,})\1/g)) if (!/^[A-Z][A-Z0-9_]*$/.test(m[2])) out.push(m[2]);
  }
  return out;
}

describe('cli', () => {
  test('usage errors exit 2; --help and --version exit 0', async () => {
    assert.equal((await cli(['check', '--format', 'xml'])).code, 2);
    assert.equal((await cli(['check', '/no/such/folder'])).code, 2);
    assert.equal((await cli(['frobnicate'])).code, 2);
    assert.equal((await cli(['--help'])).code, 0);
    assert.match((await cli(['--version'])).out, /^\d+\.\d+\.\d+/);
  });

  test('rule DJR101 prints the docs; rule --list lists every rule', async () => {
    const r = await cli(['rule', 'DJR101']);
    assert.equal(r.code, 0);
    assert.match(r.out, /hardcoded-secret-key/);
    assert.match(r.out, /Why it matters/);
    const list = await cli(['rule', '--list']);
    assert.match(list.out, /DJR101\s+hardcoded-secret-key/);
    assert.equal((await cli(['rule', 'DJR999'])).code, 2);
  });

  test('text output: path:line:col: CODE message, summary, exit 1', async () => {
    const r = await cli(['check', path.join(projects, 'tutorial'), '--no-color']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^mysite\/settings\.py:20:1: DJR101 /m);
    assert.match(r.out, /^mysite\/settings\.py:23:1: DJR201 /m);
    assert.match(r.out, /^Found \d+ problems \(/m);
  });

  test('json output follows the design.md contract', async () => {
    const root = path.join(projects, 'tutorial');
    const r = await cli(['check', root, '--format', 'json']);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), ['version', 'root', 'diagnostics', 'checklist', 'accepted', 'summaries']);
    assert.equal(j.version, 1);
    assert.equal(j.root, root);
    const d = j.diagnostics.find((x: { rule: string }) => x.rule === 'DJR101');
    assert.deepEqual(Object.keys(d), ['rule', 'name', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fix']);
    assert.equal(d.name, 'hardcoded-secret-key');
    assert.equal(d.severity, 'error');
    assert.equal(d.file, 'mysite/settings.py');
    assert.equal(d.line, 20);
    assert.equal(d.column, 1);
    assert.equal(d.fix.safe, false);
    assert.ok(Array.isArray(j.checklist));
    for (const x of j.diagnostics) {
      assert.ok(['error', 'warning', 'info', 'hint'].includes(x.severity));
      assert.ok(x.fix === null || (typeof x.fix.title === 'string' && typeof x.fix.safe === 'boolean'));
    }
  });

  test('sarif output is SARIF 2.1.0 with rules and 1-based regions', async () => {
    const r = await cli(['check', path.join(projects, 'tutorial'), '--format', 'sarif']);
    const s = JSON.parse(r.out);
    assert.equal(s.version, '2.1.0');
    const run = s.runs[0];
    assert.equal(run.tool.driver.name, 'django-readiness');
    assert.ok(run.tool.driver.rules.length > 0);
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'DJR101');
    assert.equal(res.level, 'error');
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'mysite/settings.py');
    assert.equal(res.locations[0].physicalLocation.region.startLine, 20);
    assert.equal(run.tool.driver.rules[res.ruleIndex].id, 'DJR101');
  });

  test('no secret value appears in any output format', async () => {
    const secrets = secretLiterals();
    assert.ok(secrets.length >= 4, `found ${secrets.length} secret literals in the examples`);
    for (const e of EXAMPLES) {
      for (const format of ['text', 'json', 'sarif']) {
        const r = await cli(['check', path.join(projects, e), '--format', format, '--no-color']);
        for (const s of secrets) {
          assert.ok(!r.out.includes(s) && !r.err.includes(s), `${e} ${format} output contains a secret`);
          assert.ok(!r.out.includes(s.slice(0, 12)), `${e} ${format} output contains a secret prefix`);
        }
      }
    }
  });

  test('split settings: DEBUG = True in dev is not reported; the inherited key is reported in base.py', async () => {
    const r = await cli(['check', path.join(projects, 'split'), '--format', 'json']);
    const j = JSON.parse(r.out);
    const debug = j.diagnostics.filter((d: { rule: string; file: string; severity: string }) => d.file.endsWith('dev.py') && (d.severity === 'error' || d.severity === 'warning'));
    assert.deepEqual(debug, []);
    assert.ok(!j.diagnostics.some((d: { rule: string }) => d.rule === 'DJR201'));
    const key = j.diagnostics.find((d: { rule: string }) => d.rule === 'DJR101');
    assert.equal(key.file, 'config/settings/base.py');
    assert.equal(key.line, 6);
  });

  test('a file broken mid-edit still reports the statements after the error', async () => {
    const r = await cli(['check', path.join(projects, 'broken'), '--format', 'json']);
    const j = JSON.parse(r.out);
    const codes = j.diagnostics.map((d: { rule: string; line: number }) => `${d.rule}:${d.line}`);
    assert.ok(codes.includes('DJR101:12'), codes.join(' '));
    assert.ok(codes.includes('DJR201:14'), codes.join(' '));
    assert.match(r.err, /Syntax error/);
  });

  test('checking a single file reports that file only', async () => {
    const r = await cli(['check', path.join(projects, 'split', 'config', 'settings', 'base.py'), '--format', 'json']);
    const j = JSON.parse(r.out);
    assert.ok(j.diagnostics.length > 0);
    for (const d of j.diagnostics) assert.equal(d.file, 'config/settings/base.py');
  });

  test('--select and --ignore', async () => {
    const r = await cli(['check', path.join(projects, 'tutorial'), '--format', 'json', '--select', 'DJR2']);
    const j = JSON.parse(r.out);
    assert.ok(j.diagnostics.length > 0);
    for (const d of j.diagnostics) assert.match(d.rule, /^DJR2/);
    const k = JSON.parse((await cli(['check', path.join(projects, 'tutorial'), '--format', 'json', '--ignore', 'DJR101,DJR201'])).out);
    assert.ok(!k.diagnostics.some((d: { rule: string }) => d.rule === 'DJR101' || d.rule === 'DJR201'));
  });

  for (const name of EXAMPLES) {
    test(`--fix --unsafe-fixes on ${name}: Python still parses, a second run changes nothing`, async () => {
      const dir = copyProject(name);
      try {
        const before = snapshot(dir);
        const first = await cli(['check', dir, '--fix', '--unsafe-fixes', '--no-color']);
        assert.notEqual(first.code, 2, first.err);
        const after = snapshot(dir);
        for (const [rel, text] of after) {
          if (!rel.endsWith('.py')) continue;
          const orig = before.get(rel);
          const parsedBefore = orig === undefined ? true : pythonParses(path.join(projects, name, rel));
          if (parsedBefore) assert.notEqual(pythonParses(path.join(dir, rel)), false, `${name}/${rel} no longer parses:\n${text}`);
        }
        await cli(['check', dir, '--fix', '--unsafe-fixes', '--no-color']);
        assert.deepEqual(snapshot(dir), after, 'the second --fix run changed files');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
