/** The CLI, in-process, on the example projects under test/fixtures/projects/. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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
    assert.deepEqual(Object.keys(j), ['version', 'root', 'diagnostics', 'checklist', 'accepted', 'summaries', 'production', 'projects']);
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

describe('cli: which module is production, said out loud (issue 12)', () => {
  test('text: a note names the module and why; JSON: a production object; SARIF: run properties', async () => {
    const root = path.join(projects, 'overlay');
    const text = await cli(['check', root, '--no-color']);
    assert.match(text.out, /^mysite\/settings\.py: note: production settings: mysite\.settings \(Django loads mysite\/settings\.py, which imports production_settings\.py when the environment selects production\)$/m);
    const j = JSON.parse((await cli(['check', root, '--format', 'json'])).out);
    assert.deepEqual(j.production, {
      project: '.',
      module: 'mysite.settings',
      file: 'mysite/settings.py',
      reason: 'Django loads mysite/settings.py, which imports production_settings.py when the environment selects production',
      candidates: [],
      overlays: ['mysite/production_settings.py'],
      repository: null,
      unread: [],
    });
    assert.deepEqual(j.projects, [j.production]);
    const sarif = JSON.parse((await cli(['check', root, '--format', 'sarif'])).out);
    assert.deepEqual(sarif.runs[0].properties.production, j.production);
  });

  test('a Django project in a subfolder reads the deployment files of the whole folder, and says so', async () => {
    const root = path.join(projects, 'repo-subfolder');
    const text = await cli(['check', root, '--no-color']);
    assert.match(text.out, /^repo-subfolder: note: deployment files: the whole folder's are those of the Django project in src \(the only Django project of the analysed folder: .*\)$/m);
    assert.match(text.out, /^requirements\/base\.txt:3:1: DJR903 /m);
    const j = JSON.parse((await cli(['check', root, '--format', 'json'])).out);
    assert.equal(j.projects.length, 1);
    assert.equal(j.projects[0].project, 'src');
    assert.equal(j.projects[0].repository.folder, '.');
    assert.match(j.projects[0].repository.reason, /^the only Django project of the analysed folder/);
  });

  test('several candidates and no hint: unknown, with the candidates, in text and JSON', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-ambiguous-'));
    try {
      const files: Record<string, string> = {
        'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.dev')\n",
        'mysite/__init__.py': '',
        'mysite/settings/__init__.py': '',
        'mysite/settings/staging.py': 'DEBUG = False\nINSTALLED_APPS = []\n',
        'mysite/settings/qa.py': 'DEBUG = False\nINSTALLED_APPS = []\n',
        'mysite/settings/dev.py': 'DEBUG = True\n',
      };
      for (const [f, t] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), t);
      }
      const text = await cli(['check', dir, '--no-color']);
      assert.match(text.out, /^\.?[^:\n]*: note: production settings: unknown, 2 candidate modules and nothing says which one runs in production; candidates: mysite\.settings\.qa, mysite\.settings\.staging — name it with --production-settings/m);
      const j = JSON.parse((await cli(['check', dir, '--format', 'json'])).out);
      assert.equal(j.production.module, null);
      assert.equal(j.production.file, null);
      assert.deepEqual(j.production.candidates, ['mysite.settings.qa', 'mysite.settings.staging']);
      assert.equal(j.diagnostics.filter((d: { file: string }) => d.file.startsWith('mysite/settings')).length, 0);
      // naming one of them makes it production
      const chosen = JSON.parse((await cli(['check', dir, '--format', 'json', '--production-settings', 'mysite.settings.qa'])).out);
      assert.equal(chosen.production.module, 'mysite.settings.qa');
      assert.equal(chosen.production.reason, 'configured');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a --production-settings that matches no settings module is an error (exit 2), also from pyproject.toml', async () => {
    const r = await cli(['check', path.join(projects, 'overlay'), '--production-settings', 'mysite.nope']);
    assert.equal(r.code, 2);
    assert.match(r.err, /production settings module mysite\.nope matches no settings module of .*overlay \(settings modules: mysite\.production_settings, mysite\.settings\)/);
    assert.equal(r.out, '');
    const dir = copyProject('overlay');
    try {
      fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.django-readiness]\nproduction-settings-module = "mysite.missing"\n');
      const p = await cli(['check', dir]);
      assert.equal(p.code, 2);
      assert.match(p.err, /mysite\.missing matches no settings module/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('not a Django project (a Flask app with a settings.py, a .env, a Dockerfile, f-string SQL): no finding, exit 0', async () => {
    const dir = copyProject('flask-app');
    try {
      const text = await cli(['check', dir, '--no-color']);
      assert.equal(text.code, 0);
      assert.equal(text.out, 'No Django project found: nothing to check (no manage.py, no Django settings, no Django import or requirement).\n');
      const j = JSON.parse((await cli(['check', dir, '--format', 'json'])).out);
      assert.deepEqual(j.diagnostics, []);
      assert.equal(j.production, null);
      assert.deepEqual(j.projects, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a reusable Django app (no manage.py, no settings, Django required) is still checked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-app-'));
    try {
      fs.mkdirSync(path.join(dir, 'polls'));
      fs.writeFileSync(path.join(dir, 'requirements.txt'), 'Django>=4.2\n');
      fs.writeFileSync(path.join(dir, 'polls', 'views.py'), 'from django.db import connection\n\ndef v(request, q):\n    with connection.cursor() as c:\n        c.execute(f"SELECT * FROM t WHERE x = {q}")\n');
      const j = JSON.parse((await cli(['check', dir, '--format', 'json'])).out);
      assert.ok(j.diagnostics.some((d: { rule: string }) => d.rule === 'DJR606'), JSON.stringify(j.diagnostics));
      assert.equal(j.production.module, null);
      assert.equal(j.production.reason, 'no settings module found');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
