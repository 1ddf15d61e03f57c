/** The settings evaluator: literals, arithmetic, env lookups, branches, star-imports, mutations. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Evaluator, MemoryFileSystem, ParseCache, resolveModuleFile, type ModuleScope, type Value } from '../../server/src/engine';
import { ready } from '../helpers/fixtures';

function evaluate(files: Record<string, string>, main = '/p/app/settings.py'): ModuleScope {
  const fs = new MemoryFileSystem(files);
  const cache = new ParseCache();
  const ev = new Evaluator((from, module, level) => {
    const f = resolveModuleFile(fs, '/p', from.path, module, level);
    return f ? cache.parse(f, fs.readFile(f) ?? '') : undefined;
  });
  return ev.evaluate(cache.parse(main, files[main]));
}

function val(src: string, name: string): Value | undefined {
  return evaluate({ '/p/app/settings.py': src }).names.get(name)?.value;
}

function plain(v: Value | undefined): unknown {
  if (!v) return undefined;
  switch (v.kind) {
    case 'str': case 'num': case 'bool': return v.value;
    case 'none': return null;
    case 'list': case 'tuple': case 'set': return v.items.map(plain);
    case 'dict': return Object.fromEntries(v.entries.map((e) => [plain(e.key), plain(e.value)]));
    case 'timedelta': return { seconds: v.seconds };
    default: return `<${v.kind}>`;
  }
}

describe('evaluator', () => {
  before(ready);

  test('literals, containers and arithmetic', () => {
    const src = 'A = 60 * 60 * 24 * 365\nB = "x" "y"\nC = [1, (2, 3), {"k": None}]\nD = -5 + 2 ** 3\nE = True and "yes"\nF = 7 // 2\n';
    assert.equal(plain(val(src, 'A')), 31536000);
    assert.equal(plain(val(src, 'B')), 'xy');
    assert.deepEqual(plain(val(src, 'C')), [1, [2, 3], { k: null }]);
    assert.equal(plain(val(src, 'D')), 3);
    assert.equal(plain(val(src, 'E')), 'yes');
    assert.equal(plain(val(src, 'F')), 3);
  });

  test('timedelta in its import forms', () => {
    assert.deepEqual(plain(val('from datetime import timedelta\nX = timedelta(days=1, hours=2)', 'X')), { seconds: 93600 });
    assert.deepEqual(plain(val('import datetime\nX = datetime.timedelta(minutes=5) * 3', 'X')), { seconds: 900 });
    assert.deepEqual(plain(val('from datetime import timedelta as td\nX = td(7)', 'X')), { seconds: 604800 });
  });

  test('paths', () => {
    const v = val('from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nSTATIC_ROOT = BASE_DIR / "static"', 'STATIC_ROOT');
    assert.equal(v?.kind, 'path');
  });

  test('os.environ lookups: production value is the default', () => {
    const src = [
      'import os',
      'A = os.environ["SECRET"]',
      'B = os.environ.get("DEBUG", "True") == "True"',
      'C = os.getenv("HOSTS", "a.com,b.com").split(",")',
      'D = int(os.environ.get("HSTS", "3600"))',
      'E = os.environ.get("X")',
    ].join('\n');
    const a = val(src, 'A');
    assert.equal(a?.kind, 'unknown');
    assert.equal(a?.env?.variable, 'SECRET');
    assert.equal(a?.env?.hasDefault, false);
    const b = val(src, 'B');
    assert.equal(plain(b), true);
    assert.equal(b?.env?.variable, 'DEBUG');
    assert.deepEqual(plain(val(src, 'C')), ['a.com', 'b.com']);
    assert.equal(plain(val(src, 'D')), 3600);
    assert.equal(val(src, 'E')?.env?.hasDefault, false);
  });

  test('from os import environ / getenv', () => {
    assert.equal(val('from os import getenv\nX = getenv("K", "v")', 'X')?.env?.variable, 'K');
    assert.equal(val('from os import environ\nX = environ["K"]', 'X')?.env?.variable, 'K');
  });

  test('python-decouple config with cast and Csv', () => {
    const src = 'from decouple import config, Csv\nD = config("DEBUG", default=True, cast=bool)\nS = config("DEBUG2", default="False", cast=bool)\nH = config("HOSTS", default="*", cast=Csv())\nN = config("PORT", default="5432", cast=int)\nK = config("SECRET_KEY")';
    assert.equal(plain(val(src, 'D')), true);
    assert.equal(val(src, 'D')?.env?.source, 'decouple');
    assert.equal(plain(val(src, 'S')), false);
    assert.deepEqual(plain(val(src, 'H')), ['*']);
    assert.equal(plain(val(src, 'N')), 5432);
    assert.equal(val(src, 'K')?.kind, 'unknown');
    assert.equal(val(src, 'K')?.env?.hasDefault, false);
  });

  test('django-environ: Env schemes, typed methods, db urls', () => {
    const src = [
      'import environ',
      'env = environ.Env(DEBUG=(bool, True), HOSTS=(list, ["*"]))',
      'DEBUG = env("DEBUG")',
      'HOSTS = env("HOSTS")',
      'X = env.bool("X", default=False)',
      'L = env.list("L", default=["a"])',
      'DATABASES = {"default": env.db("DATABASE_URL", default="postgres://u:p@db:5432/app")}',
    ].join('\n');
    assert.equal(plain(val(src, 'DEBUG')), true);
    assert.equal(val(src, 'DEBUG')?.env?.source, 'environ');
    assert.deepEqual(plain(val(src, 'HOSTS')), ['*']);
    assert.equal(plain(val(src, 'X')), false);
    assert.deepEqual(plain(val(src, 'L')), ['a']);
    assert.deepEqual(plain(val(src, 'DATABASES')), { default: { ENGINE: 'django.db.backends.postgresql', NAME: 'app', USER: 'u', PASSWORD: 'p', HOST: 'db', PORT: '5432' } });
  });

  test('dj_database_url.config with conn_max_age and ssl_require', () => {
    const v = val('import dj_database_url\nDATABASES = {"default": dj_database_url.config(default="sqlite:///db.sqlite3", conn_max_age=600, ssl_require=True)}', 'DATABASES');
    const d = plain(v) as { default: Record<string, unknown> };
    assert.equal(d.default.ENGINE, 'django.db.backends.sqlite3');
    assert.equal(d.default.CONN_MAX_AGE, 600);
    assert.deepEqual(d.default.OPTIONS, { sslmode: 'require' });
  });

  test('if DEBUG / if not DEBUG branches use the value known at that point', () => {
    const src = 'DEBUG = False\nif DEBUG:\n    A = 1\nelse:\n    A = 2\nif not DEBUG:\n    B = "prod"\n';
    assert.equal(plain(val(src, 'A')), 2);
    assert.equal(plain(val(src, 'B')), 'prod');
  });

  test('an undecidable condition marks what it sets as conditional', () => {
    const s = evaluate({ '/p/app/settings.py': 'import os\nif os.environ.get("CI"):\n    A = 1\nB = 2\n' });
    assert.equal(s.names.get('A')?.conditional, true);
    assert.equal(s.names.get('B')?.conditional, false);
  });

  test('list mutations: +=, append, insert, extend, remove', () => {
    const src = 'APPS = ["a"]\nAPPS += ["b"]\nAPPS.append("c")\nAPPS.insert(0, "z")\nAPPS.extend(("d", "e"))\nAPPS.remove("b")\n';
    assert.deepEqual(plain(val(src, 'APPS')), ['z', 'a', 'c', 'd', 'e']);
  });

  test('dict mutations: subscript assignment, nested, update, splat', () => {
    const src = 'D = {"default": {"ENGINE": "x"}}\nD["default"]["CONN_MAX_AGE"] = 60\nR = {"A": 1}\nR.update({"B": 2})\nR["C"] = 3\nS = {**R, "A": 9}\n';
    assert.deepEqual(plain(val(src, 'D')), { default: { ENGINE: 'x', CONN_MAX_AGE: 60 } });
    assert.deepEqual(plain(val(src, 'S')), { A: 9, B: 2, C: 3 });
  });

  test('star-imports merge the base module, and values keep their origin there', () => {
    const files = {
      '/p/app/__init__.py': '',
      '/p/app/settings/__init__.py': '',
      '/p/app/settings/base.py': 'SECRET_KEY = "from-base"\nDEBUG = False\nAPPS = ["a"]\nif DEBUG:\n    X = 1\nelse:\n    X = 2\n',
      '/p/app/settings/production.py': 'from .base import *\nAPPS += ["b"]\nDEBUG = True\n',
    };
    const s = evaluate(files, '/p/app/settings/production.py');
    const key = s.names.get('SECRET_KEY');
    assert.equal(plain(key?.value), 'from-base');
    assert.equal(key?.stmt.module.path, '/p/app/settings/base.py');
    assert.deepEqual(plain(s.names.get('APPS')?.value), ['a', 'b']);
    // base's `if DEBUG:` was decided with base's DEBUG (False), as Python runs it
    assert.equal(plain(s.names.get('X')?.value), 2);
    assert.equal(plain(s.names.get('DEBUG')?.value), true);
  });

  test('absolute star-import and import cycles', () => {
    const files = {
      '/p/app/__init__.py': '',
      '/p/app/a.py': 'from app.b import *\nA = 1\n',
      '/p/app/b.py': 'from app.a import *\nB = 2\n',
    };
    const s = evaluate(files, '/p/app/a.py');
    assert.equal(plain(s.names.get('A')?.value), 1);
    assert.equal(plain(s.names.get('B')?.value), 2);
  });

  test('try: from .local import * except ImportError runs the handler when local is missing', () => {
    const s = evaluate({ '/p/app/settings.py': 'DEBUG = True\ntry:\n    from .local import *\nexcept ImportError:\n    DEBUG = False\n' });
    assert.equal(plain(s.names.get('DEBUG')?.value), false);
  });

  test('tuple unpacking and chained assignment', () => {
    const s = evaluate({ '/p/app/settings.py': 'A, B = 1, 2\nC = D = "x"\n' });
    assert.equal(plain(s.names.get('B')?.value), 2);
    assert.equal(plain(s.names.get('D')?.value), 'x');
  });

  test('records env reads and top-level calls', () => {
    const s = evaluate({ '/p/app/settings.py': 'import os\nimport sentry_sdk\nA = os.environ["A"]\nsentry_sdk.init(dsn=os.environ.get("SENTRY_DSN"))\n' });
    assert.deepEqual(s.envReads.map((r) => r.info.variable).sort(), ['A', 'SENTRY_DSN']);
    assert.ok(s.calls.some((c) => c.qualified === 'sentry_sdk.init'));
  });

  test('deeply nested expressions do not overflow the stack', () => {
    const deep = 'X = ' + '['.repeat(3000) + ']'.repeat(3000) + '\nY = 1\n';
    const s = evaluate({ '/p/app/settings.py': deep });
    assert.equal(plain(s.names.get('Y')?.value), 1);
  });
});

describe('evaluator: names changed very often', () => {
  before(ready);

  test('a list extended hundreds of times is followed up to a limit, then unknown (no quadratic copying)', () => {
    const few = `X = []\n${Array.from({ length: 100 }, (_, i) => `X += ['a${i}']`).join('\n')}\n`;
    const v = val(few, 'X');
    assert.equal(v?.kind, 'list');
    assert.equal(v?.kind === 'list' ? v.items.length : 0, 100);
    const many = `X = []\n${Array.from({ length: 3000 }, (_, i) => `X += ['a${i}']`).join('\n')}\nY = 1\n`;
    const t = performance.now();
    assert.equal(val(many, 'X')?.kind, 'unknown');
    assert.equal(plain(val(many, 'Y')), 1);
    assert.ok(performance.now() - t < 5000);
  });
});
