/**
 * Environment fallbacks: `os.environ.get('X') or 'fallback'`, os lookups without a default in
 * comparisons (None), and the fix helpers that remove a default (dropEnvDefault) in every shape.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { defineRule, dropEnvDefault, Evaluator, MemoryFileSystem, originText, ParseCache, resolveModuleFile, type Value } from '../../server/src/engine';
import { analyze, ready, runFixAll } from '../helpers/fixtures';

function val(src: string, name: string): Value | undefined {
  const fs = new MemoryFileSystem({ '/p/app/settings.py': src });
  const cache = new ParseCache();
  const ev = new Evaluator((from, module, level) => {
    const f = resolveModuleFile(fs, '/p', from.path, module, level);
    return f ? cache.parse(f, fs.readFile(f) ?? '') : undefined;
  });
  return ev.evaluate(cache.parse('/p/app/settings.py', src)).names.get(name)?.value;
}

/** A throw-away rule: drops the default of NAME's environment lookup, or reads X from the environment. */
const probe = defineRule({
  meta: {
    code: 'DJR999',
    name: 'probe',
    category: 'secrets',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000'],
    message: 'probe',
    fixTitle: 'probe',
    fix: 'unsafe',
    docs: { what: 'probe', why: 'probe', example: 'probe', instead: 'probe', references: ['x'] },
  },
  checkSettings(ctx) {
    const b = ctx.setting('NAME');
    const env = b?.value.env;
    if (b && env?.hasDefault) ctx.report({ at: ctx.bindingAt(b), fixes: [{ title: 'drop', applicability: 'unsafe', edits: dropEnvDefault(ctx, env) }] });
    const x = ctx.setting('X');
    if (x && x.value.kind === 'str' && !x.value.env) {
      const ed = ctx.editorFor(x.value.origin.module);
      const { expr, edits } = ed.envLookup('X', 'str');
      ctx.report({ at: ctx.bindingAt(x), fixes: [{ title: 'env', applicability: 'unsafe', edits: [ed.replaceNode(x.value.origin.top, x.value.origin.node, expr), ...edits] }] });
    }
  },
});

function fixed(files: Record<string, string>, file = '/project/settings.py'): string {
  const mem = new MemoryFileSystem(files);
  assert.ok(analyze(mem, '/project', {}, [probe]).findings.length > 0, 'the probe found nothing');
  runFixAll(mem, '/project', { unsafe: true, rules: [probe], maxPasses: 5 });
  return mem.readFile(file) ?? '';
}

describe('evaluator: environment fallbacks', () => {
  before(ready);

  test('`os.environ.get(X) or fallback`: the fallback is the production value, tagged as the default', () => {
    const v = val('import os\nA = os.environ.get("A") or "fallback"\n', 'A');
    assert.equal(v?.kind, 'str');
    assert.equal(v?.kind === 'str' && v.value, 'fallback');
    assert.equal(v?.env?.variable, 'A');
    assert.equal(v?.env?.hasDefault, true);
    assert.equal(v?.env?.defaultOrigin && originText(v.env.defaultOrigin), '"fallback"');
    assert.equal(v?.env && originText(v.env.lookupOrigin), 'os.environ.get("A") or "fallback"');
  });

  test('an empty default followed by `or` falls back too; a non-empty default does not', () => {
    const a = val('import os\nA = os.getenv("A", "") or "fb"\n', 'A');
    assert.equal(a?.kind === 'str' && a.value, 'fb');
    assert.equal(a?.env?.hasDefault, true);
    const b = val('from decouple import config\nB = config("B", default="") or "fb"\n', 'B');
    assert.equal(b?.env?.source, 'decouple');
    assert.equal(b?.kind === 'str' && b.value, 'fb');
    const c = val('import os\nC = os.environ.get("C", "set") or "fb"\n', 'C');
    assert.equal(c?.kind === 'str' && c.value, 'set');
  });

  test('os.environ[X] or fallback stays unknown (a missing variable raises KeyError)', () => {
    const v = val('import os\nA = os.environ["A"] or "fb"\n', 'A');
    assert.equal(v?.kind, 'unknown');
    assert.equal(v?.env?.variable, 'A');
  });

  test('env.db() without arguments reads DATABASE_URL, including its Env scheme default', () => {
    const v = val('import environ\nenv = environ.Env(DATABASE_URL=(str, "postgres://u:pw@db/app"))\nDATABASES = {"default": env.db()}\n', 'DATABASES');
    const d = v?.kind === 'dict' ? v.entries[0].value : undefined;
    assert.equal(d?.kind, 'dict');
    assert.equal(d?.env?.variable, 'DATABASE_URL');
    assert.equal(d?.env?.hasDefault, true);
    assert.equal(d?.kind === 'dict' && d.entries.find((e) => e.key.kind === 'str' && e.key.value === 'HOST')?.value.kind, 'str');
  });

  test('os lookups without a default compare as None', () => {
    const src = 'import os\nfrom decouple import config\nA = os.getenv("DJANGO_ENV") != "production"\nB = os.environ.get("DEBUG") == "True"\nC = config("X") == "a"\nD = os.environ["E"] == "x"\n';
    assert.equal(val(src, 'A')?.kind === 'bool' && (val(src, 'A') as { value: boolean }).value, true);
    assert.equal(val(src, 'A')?.env?.variable, 'DJANGO_ENV');
    assert.equal(val(src, 'B')?.kind === 'bool' && (val(src, 'B') as { value: boolean }).value, false);
    assert.equal(val(src, 'C')?.kind, 'unknown');
    assert.equal(val(src, 'D')?.kind, 'unknown');
  });
});

describe('helpers: dropEnvDefault and idiomatic editors', () => {
  before(ready);

  test('a default given as the first keyword takes the following comma with it', () => {
    const out = fixed({ '/project/settings.py': 'import dj_database_url\nNAME = dj_database_url.config(default="postgres://u:p@h/db", conn_max_age=600)\n' });
    assert.equal(out, 'import dj_database_url\nNAME = dj_database_url.config(conn_max_age=600)\n');
  });

  test('keyword, positional and os.environ.get defaults', () => {
    assert.equal(fixed({ '/project/settings.py': 'from decouple import config\nNAME = config("N", cast=str, default="x")\n' }), 'from decouple import config\nNAME = config("N", cast=str)\n');
    assert.equal(fixed({ '/project/settings.py': 'import environ\nenv = environ.Env()\nNAME = env.str("N", "x")\n' }), 'import environ\nenv = environ.Env()\nNAME = env.str("N")\n');
    assert.equal(fixed({ '/project/settings.py': 'import os\nNAME = os.getenv("N", "x").strip()\n' }), 'import os\nNAME = os.environ["N"].strip()\n');
  });

  test('a django-environ scheme default: VAR=(cast, default) becomes VAR=cast', () => {
    const src = 'import environ\nenv = environ.Env(DEBUG=(bool, False), NAME=(str, "x"))\nNAME = env("NAME")\n';
    assert.equal(fixed({ '/project/settings.py': src }), 'import environ\nenv = environ.Env(DEBUG=(bool, False), NAME=str)\nNAME = env("NAME")\n');
  });

  test('`os.environ.get(X) or fallback` becomes os.environ[X]', () => {
    assert.equal(fixed({ '/project/settings.py': 'import os\nNAME = os.environ.get("N") or "x"\n' }), 'import os\nNAME = os.environ["N"]\n');
    assert.equal(fixed({ '/project/settings.py': 'from os import getenv\nNAME = getenv("N", "") or "x"\n' }), 'import os\nfrom os import getenv\nNAME = os.environ["N"]\n', 'import os goes where isort puts it');
  });

  test('fixes in an inherited module follow that module\'s own idiom', () => {
    const out = fixed({ '/project/settings.py': 'from .base import *\nDEBUG = False\n', '/project/base.py': 'from decouple import config\n\nX = "literal"\n' }, '/project/base.py');
    assert.equal(out, 'from decouple import config\n\nX = config("X")\n');
  });
});
