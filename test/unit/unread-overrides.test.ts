/**
 * What is not in the repository (issue: meinberlin, mathesar, online-judge load their real
 * production settings from a gitignored local.py / local_settings.py): the production-module
 * decision line says that the module also loads that file and that the settings it may set are
 * unknown (CLI note, JSON `unread`, the output channel's start-up line, the status item's
 * project), and a finding saying a setting "is not set" says it is not set in the repository,
 * that file may set it. The rule codes and severities stay.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { productionJson, productionNotes } from '../../server/src/cli/formatters';
import { MemoryFileSystem, ParseCache, unreadOverrides } from '../../server/src/engine';
import { productionLog } from '../../server/src/lsp/startupLog';
import { analyze, fixturesRoot, loadFolder, ready } from '../helpers/fixtures';

const ROOT = '/project';

function load(name: string, extra: Record<string, string> = {}): MemoryFileSystem {
  const mem = loadFolder(path.join(fixturesRoot, 'projects', name), ROOT);
  for (const [rel, text] of Object.entries(extra)) mem.write(path.join(ROOT, rel), text);
  return mem;
}

function message(mem: MemoryFileSystem, code: string): string {
  const f = analyze(mem, ROOT).findings.find((x) => x.code === code);
  assert.ok(f, `${code} reported`);
  return f.message;
}

describe('settings the repository does not hold', () => {
  before(ready);

  test('which override files are unread: missing (gitignored or not), present but gitignored, exec’d', () => {
    const fs = new MemoryFileSystem({
      '/p/.gitignore': 'local.py\n',
      '/p/app/settings.py': 'from .base import *\nDEBUG = False\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n',
      '/p/app/base.py': 'X = 1\n',
      '/p/app/prod.py': 'DEBUG = False\ntry:\n    from .secrets import *\nexcept ImportError:\n    pass\nexec(open("extra.py").read())\n',
      '/p/app/extra.py': 'Y = 1\n',
      '/p/app/custom.py': '# placeholder\n',
      '/p/app/tail.py': 'DEBUG = False\nfrom .custom import *\n',
      // pontoon: an optional local import right after the base one; test settings only under `if TEST:`
      '/p/app/__init__.py': 'import sys\nfrom .base import *\ntry:\n    from .local import *\nexcept ImportError:\n    pass\nTEST = "pytest" in sys.modules\nif TEST:\n    try:\n        from .test import *\n    except ImportError:\n        pass\n',
    });
    const cache = new ParseCache();
    const of = (file: string) => unreadOverrides(fs, '/p', [cache.parse(file, fs.readFile(file) as string)]).map((u) => `${path.basename(u.file)} ${u.state}${u.ignored ? ' ignored' : ''} line ${u.line}`);
    assert.deepEqual(of('/p/app/settings.py'), ['local.py missing ignored line 3']);
    assert.deepEqual(of('/p/app/prod.py'), ['secrets.py missing line 2', 'extra.py not-followed line 6']);
    assert.deepEqual(of('/p/app/__init__.py'), ['local.py missing ignored line 3']);
    // in the repository (a placeholder an operator may replace): read like any module, not reported
    assert.deepEqual(of('/p/app/tail.py'), []);
    fs.write('/p/app/local.py', 'ALLOWED_HOSTS = ["example.com"]\n');
    assert.deepEqual(of('/p/app/settings.py'), ['local.py gitignored line 3']);
  });

  test('meinberlin / mathesar: the decision line says the module loads local.py, not in the repository (gitignored)', () => {
    const r = analyze(load('override-local'), ROOT);
    const p = r.projects[0];
    assert.deepEqual(p.unread?.map((u) => [path.relative(ROOT, u.file), u.state, u.ignored, u.line]), [['mysite/settings/local.py', 'missing', true, 13]]);
    const note = productionNotes(r.projects)[0].message;
    assert.equal(note, 'production settings: mysite.settings.production (named like production); it also loads mysite/settings/local.py (production.py, line 13), not in the repository (gitignored): the settings it may set are unknown');
    const json = productionJson(ROOT, r.projects)[0];
    assert.deepEqual(json.unread, [{ file: 'mysite/settings/local.py', from: 'mysite/settings/production.py', line: 13, state: 'missing', ignored: true }]);
    const log = productionLog(ROOT, p);
    assert.equal(log.level, 'info');
    assert.match(log.text, /chosen because named like production; it also loads mysite\/settings\/local\.py \(production\.py, line 13\), not in the repository \(gitignored\): the settings it may set are unknown$/);
  });

  test('"X is not set" findings say the repository does not set it and the unread file may', () => {
    const mem = load('override-local');
    assert.equal(message(mem, 'DJR302'), 'SESSION_COOKIE_SECURE is not set in the repository (local.py, not in the repository, may set it): the session cookie is also sent over plain HTTP');
    assert.match(message(mem, 'DJR801'), /^LOGGING is not configured in the repository \(local\.py, not in the repository, may configure it\): /);
    assert.match(message(mem, 'DJR802'), /and ADMINS is not set in the repository \(local\.py, not in the repository, may set it\): /);
    // a rule's own parenthesis joins the same one
    const withValidators = load('override-local', { 'mysite/settings/base.py': (mem.readFile(path.join(ROOT, 'mysite/settings/base.py')) as string).replace(/AUTH_PASSWORD_VALIDATORS = \[[\s\S]*?\n\]\n/, '') });
    assert.equal(message(withValidators, 'DJR506'), 'AUTH_PASSWORD_VALIDATORS is not set in the repository (local.py, not in the repository, may set it; Django defaults to none): any password is accepted, even "1"');
    // severities and codes unchanged
    const f = analyze(mem, ROOT).findings.find((x) => x.code === 'DJR302');
    assert.equal(f?.severity, 'warning');
  });

  test('online-judge: exec of local_settings.py; "when VAR is not set" (an environment variable) is left alone', () => {
    const mem = load('override-exec');
    const r = analyze(mem, ROOT);
    assert.match(productionNotes(r.projects)[0].message, /; it also loads mysite\/local_settings\.py \(settings\.py, line 65\), not in the repository \(gitignored\): the settings it may set are unknown$/);
    assert.match(message(mem, 'DJR303'), /^CSRF_COOKIE_SECURE is not set in the repository \(local_settings\.py, not in the repository, may set it\): /);
    const settings = path.join(ROOT, 'mysite/settings.py');
    mem.write(settings, (mem.readFile(settings) as string).replace('DEBUG = False', 'DEBUG = os.environ.get("DJANGO_DEBUG", "True") == "True"'));
    assert.match(message(mem, 'DJR202'), /^DEBUG defaults to True when DJANGO_DEBUG is not set: /);
  });

  test('nothing unread: the line and the findings are as before', () => {
    const mem = load('override-tail');
    const r = analyze(mem, ROOT);
    assert.equal(r.projects[0].unread, undefined);
    assert.equal(productionNotes(r.projects)[0].message, 'production settings: mysite.settings.prod (named like production)');
    assert.deepEqual(productionJson(ROOT, r.projects)[0].unread, []);
    assert.equal(message(mem, 'DJR302'), 'SESSION_COOKIE_SECURE is not set: the session cookie is also sent over plain HTTP');
  });
});
