/**
 * Where fixes put a new setting (issue: settings placed after the override import). A production
 * module that ends by running another file in its namespace (`try: from .local import *`,
 * `from .custom import *`, `exec(open('local_settings.py').read())`) lets that file change any
 * setting above it: a new setting goes above the first such override, so the operator's file can
 * still change it, and every fix of one file follows that rule (engine/overrides.ts,
 * ModuleEditor.insertSetting). A setting whose current value comes from the override itself is
 * set below it (else the fix would not take effect).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { MemoryFileSystem, ParseCache, trailingOverrides } from '../../server/src/engine';
import { analyze, fixturesRoot, loadFolder, ready, runFixAll } from '../helpers/fixtures';
import { hasPython, unboundNames } from '../helpers/pycheck';

const ROOT = '/project';

function overridesOf(src: string): string[] {
  const m = new ParseCache().parse('/p/settings.py', src);
  return trailingOverrides(m).map((o) => `${o.kind} ${o.target ?? '?'} line ${m.lines.positionAt(o.top.start).line + 1}${o.optional ? ' optional' : ''}`);
}

/** Lines of `after` that `before` does not have, with their line numbers in `after` (1-based). */
function addedLines(before: string, after: string): { line: number; text: string }[] {
  const b = before.split('\n');
  const a = after.split('\n');
  // the edits only insert: walk both, skipping what was added
  const out: { line: number; text: string }[] = [];
  let i = 0;
  for (let j = 0; j < a.length; j++) {
    if (i < b.length && a[j] === b[i]) i++;
    else out.push({ line: j + 1, text: a[j] });
  }
  return out;
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i + 1;
}

/** Fix-all (unsafe) over a fixture project; the production module before and after. */
function fixProject(name: string, module: string) {
  const mem = loadFolder(path.join(fixturesRoot, 'projects', name), ROOT);
  const file = path.join(ROOT, module);
  const before = mem.readFile(file) as string;
  const first = runFixAll(mem, ROOT, { unsafe: true });
  const after = mem.readFile(file) as string;
  const second = runFixAll(mem, ROOT, { unsafe: true });
  return { mem, file, before, after, first, second };
}

describe('new settings go above the override at the end of a settings module', () => {
  before(ready);

  test('which statements are trailing overrides', () => {
    // the base import above the module's own settings is not one; a try/if, an exec, an include
    // of optional files, or a star import after the last own setting is
    assert.deepEqual(overridesOf('from .base import *\n\nDEBUG = False\n\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n\nCELERY_BEAT = {}\n'), ['star-import .local line 5 optional']);
    assert.deepEqual(overridesOf('DEBUG = False\nfrom .custom import *\n'), ['star-import .custom line 2']);
    // a plain star import among the module's settings is a part it is built from (django-oscar's `from oscar.defaults import *`)
    assert.deepEqual(overridesOf('DEBUG = False\nfrom oscar.defaults import *\nOSCAR_X = 1\ntry:\n    from settings_local import *\nexcept ImportError:\n    pass\n'), ['star-import settings_local line 4 optional']);
    assert.deepEqual(
      overridesOf('import os\nDEBUG = False\ntry:\n    with open(os.path.join(os.path.dirname(__file__), "local_settings.py")) as f:\n        exec(f.read(), globals())\nexcept IOError:\n    pass\nassert DEBUG is False\n'),
      ['exec local_settings.py line 3 optional'],
    );
    assert.deepEqual(overridesOf('DEBUG = False\nexec(open("local_settings.py").read())\nX = 1\n'), ['exec local_settings.py line 2']);
    assert.deepEqual(overridesOf('from split_settings.tools import include, optional\n_ENV = "x"\ninclude("components/base.py", optional("local.py"))\n'), []);
    assert.deepEqual(overridesOf('from split_settings.tools import include, optional\nDEBUG = False\ninclude("components/base.py", optional("local.py"))\nX = 1\n'), ['include components/base.py line 3 optional']);
    assert.deepEqual(overridesOf('DEBUG = False\nif os.path.exists("local_settings.py"):\n    from .local_settings import *\n'), ['star-import .local_settings line 2 optional']);
    assert.deepEqual(overridesOf('from .base import *\nfrom .components import *\nDEBUG = False\n'), []);
  });

  test('meinberlin / mathesar: `try: from .local import *` in the middle, settings after it', () => {
    const { before: src, after, first, second } = fixProject('override-local', 'mysite/settings/production.py');
    assert.ok(first.applied.length >= 5, `fixes applied: ${first.applied.map((a) => a.code).join(', ')}`);
    const tryLine = lineOf(after, 'try:');
    const added = addedLines(src, after).filter((l) => /^[A-Z_]+ = /.test(l.text));
    for (const name of ['ALLOWED_HOSTS', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'LOGGING']) {
      const l = added.find((x) => x.text.startsWith(`${name} = `));
      assert.ok(l, `${name} added:\n${after}`);
      assert.ok(l.line < tryLine, `${name} (line ${l.line}) above the local import (line ${tryLine}):\n${after}`);
    }
    // SESSION_COOKIE_SECURE is not put beside SESSION_ENGINE, which comes after the override
    assert.ok(lineOf(after, 'SESSION_COOKIE_SECURE') < lineOf(after, 'SESSION_ENGINE'));
    // the comment above the try stays attached to it
    assert.match(after, /# Values that stay out of the repository[^\n]*\ntry:\n {4}from \.local import \*/);
    assert.equal(second.passes, 0, 'fix-all twice: the second run changes nothing');
  });

  test('online-judge / django-oscar: exec of local_settings.py, and a plain star import among the settings', () => {
    const { before: src, after, second } = fixProject('override-exec', 'mysite/settings.py');
    const tryLine = lineOf(after, 'try:');
    const defaultsLine = lineOf(after, 'from shop.defaults import *');
    const added = addedLines(src, after).filter((l) => /^[A-Z_]+ = /.test(l.text));
    assert.ok(added.length >= 5, after);
    for (const l of added) assert.ok(l.line < tryLine, `${l.text} (line ${l.line}) above the exec (line ${tryLine}):\n${after}`);
    // the shop defaults are not an override: the SECURE_ settings stay beside their family, after them
    assert.ok(lineOf(after, 'SECURE_HSTS_SECONDS') > defaultsLine);
    assert.ok(lineOf(after, 'SECURE_HSTS_SECONDS') > lineOf(after, 'SECURE_CONTENT_TYPE_NOSNIFF'));
    assert.equal(second.passes, 0);
  });

  test('linkding: `from .custom import *` as the last statement (a placeholder file in the repository)', () => {
    const { before: src, after, second } = fixProject('override-tail', 'mysite/settings/prod.py');
    const importLine = lineOf(after, 'from .custom import *');
    const added = addedLines(src, after).filter((l) => /^[A-Z_]+ = /.test(l.text));
    assert.ok(added.length >= 4, after);
    for (const l of added) assert.ok(l.line < importLine, `${l.text} (line ${l.line}) above the custom import (line ${importLine}):\n${after}`);
    assert.match(after, /# Import custom settings\n# noinspection PyUnresolvedReferences\nfrom \.custom import \*\n$/);
    assert.equal(second.passes, 0);
  });

  test('the fixed modules compile and bind every name before use', { skip: !hasPython() && 'no python3' }, () => {
    const sources = [
      fixProject('override-local', 'mysite/settings/production.py').after,
      fixProject('override-exec', 'mysite/settings.py').after,
      fixProject('override-tail', 'mysite/settings/prod.py').after,
    ];
    // the modules star-import or exec files that are not here: names they bind are unknown, so only compilation is checked
    for (const [i, r] of unboundNames(sources).entries()) assert.notEqual(r, undefined, `fixed module ${i} compiles:\n${sources[i]}`);
  });

  test('a setting whose value comes from the override file is set below it (else the fix would not take effect)', () => {
    const mem = loadFolder(path.join(fixturesRoot, 'projects', 'override-tail'), ROOT);
    const custom = path.join(ROOT, 'mysite/settings/custom.py');
    mem.write(custom, 'SESSION_COOKIE_SECURE = False\n');
    const prod = path.join(ROOT, 'mysite/settings/prod.py');
    runFixAll(mem, ROOT, { unsafe: true, codes: ['DJR302'] });
    const after = mem.readFile(prod) as string;
    assert.ok(lineOf(after, 'SESSION_COOKIE_SECURE = True') > lineOf(after, 'from .custom import *'), after);
    const left = analyze(mem as MemoryFileSystem, ROOT).findings.filter((f) => f.code === 'DJR302');
    assert.deepEqual(left, []);
  });
});
