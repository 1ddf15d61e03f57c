/**
 * Fixes formatted like the file (issue 14, item 8): an added import goes where isort puts it
 * (its section, by name; a new section with a blank line around it), a line a fix writes is no
 * longer than the file's own lines (79..99) where Python lets it break, and "Move to .env" lists
 * every variable the settings read in .env.example.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { applyFix, MemoryFileSystem, parseDotenv } from '../../server/src/engine';
import { importSection, importSlot } from '../../server/src/engine/importOrder';
import { fitLine, lineLimit } from '../../server/src/engine/linefit';
import { analyze, fixturesRoot, loadFolder, ready, runFixAll } from '../helpers/fixtures';

const MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";
const KEY = 'django-insecure-0123456789abcdefghij!@#%^&*(-_=+)klmnop';

function project(settings: string, extra: Record<string, string> = {}): MemoryFileSystem {
  const mem = new MemoryFileSystem();
  mem.write('/p/manage.py', MANAGE);
  mem.write('/p/mysite/__init__.py', '');
  mem.write('/p/mysite/settings.py', settings);
  for (const [p, t] of Object.entries(extra)) mem.write(p, t);
  return mem;
}

/** settings.py after fix-all of some codes (unsafe fixes too). */
function fixed(settings: string, codes: string[], extra: Record<string, string> = {}): string {
  const mem = project(settings, extra);
  runFixAll(mem, '/p', { unsafe: true, codes });
  return mem.readFile('/p/mysite/settings.py') ?? '';
}

/** The leading import lines of a module. */
const imports = (text: string) => text.split('\n').filter((l, i, all) => i < all.findIndex((x) => /^[A-Z_]+ =/.test(x)) && (/^(import|from) /.test(l) || l === ''));

describe('imports in isort order', () => {
  before(ready);

  test('sections: __future__, standard library, other packages, relative imports', () => {
    assert.equal(importSection({ module: '__future__', from: true, level: 0 }), 0);
    assert.equal(importSection({ module: 'os', from: false, level: 0 }), 1);
    assert.equal(importSection({ module: 'os.path', from: false, level: 0 }), 1);
    assert.equal(importSection({ module: 'decouple', from: true, level: 0 }), 2);
    assert.equal(importSection({ module: 'django.utils.html', from: true, level: 0 }), 2);
    assert.equal(importSection({ module: 'base', from: true, level: 1 }), 3);
  });

  test("Django's startproject settings: import os goes above from pathlib import Path", () => {
    const out = fixed(`"""Settings."""\n\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\nSECRET_KEY = '${KEY}'\n`, ['DJR101']);
    assert.match(out, /^"""Settings\."""\n\nimport os\nfrom pathlib import Path\n\nBASE_DIR = /);
  });

  test('a third-party import joins its section by name, before the project\'s own imports', () => {
    const slot = importSlot(
      [
        { module: 'os', from: false, level: 0, run: 0 },
        { module: 'pathlib', from: true, level: 0, run: 0 },
        { module: 'dj_database_url', from: false, level: 0, run: 1 },
        { module: 'django.core.exceptions', from: true, level: 0, run: 1 },
        { module: 'mysite.base', from: true, level: 0, run: 2 },
      ],
      { module: 'decouple', from: true, level: 0 },
    );
    assert.deepEqual(slot, { index: 3, where: 'before', group: false }, 'from decouple ... between dj_database_url and from django...');
    assert.deepEqual(importSlot([{ module: 'django.conf', from: true, level: 0, run: 0 }], { module: 'hmac', from: false, level: 0 }), { index: 0, where: 'before', group: true }, 'a new standard-library section above the others');
    assert.deepEqual(importSlot([{ module: '__future__', from: true, level: 0, run: 0 }], { module: 'os', from: false, level: 0 }), { index: 0, where: 'after', group: true });
  });

  test('a new section gets its blank lines; an unsorted block is not reshuffled', () => {
    // only relative imports: import os opens the standard-library section above them
    assert.match(fixed(`from .base import *  # noqa: F403\n\nSECRET_KEY = '${KEY}'\n`, ['DJR101']), /^import os\n\nfrom \.base import \* {2}# noqa: F403\n\nSECRET_KEY = os\.environ\['DJANGO_SECRET_KEY'\]\n/);
    // __future__ only: a section after it, a blank line on each side
    assert.match(fixed(`from __future__ import annotations\nSECRET_KEY = '${KEY}'\n`, ['DJR101']), /^from __future__ import annotations\n\nimport os\n\nSECRET_KEY = /);
    // not sorted: after the last standard-library import, nothing else moves
    const out = fixed(`import sys\nimport json\n\nSECRET_KEY = '${KEY}'\n`, ['DJR101']);
    assert.deepEqual(imports(out), ['import sys', 'import json', 'import os', '']);
  });

  test('a name from a module already imported joins its line, in isort order, as isort would merge it', () => {
    // classes before functions (isort's order_by_type): Csv before config
    const out = fixed(`from pathlib import Path\n\nfrom decouple import config\n\nALLOWED_HOSTS = ['*']\n`, ['DJR203']);
    assert.match(out, /^from pathlib import Path\n\nfrom decouple import Csv, config\n\nALLOWED_HOSTS = config\('DJANGO_ALLOWED_HOSTS', cast=Csv\(\)\)\n/);
    // the names not in isort's order: the new one goes at the end, nothing else moves
    assert.match(fixed(`from decouple import config, AutoConfig\n\nALLOWED_HOSTS = ['*']\n`, ['DJR203']), /^from decouple import config, AutoConfig, Csv\n/);
    // an alias is kept as written
    assert.match(fixed(`from decouple import config as cfg\n\nALLOWED_HOSTS = ['*']\n`, ['DJR203']), /^from decouple import Csv, config as cfg\n\nALLOWED_HOSTS = cfg\('DJANGO_ALLOWED_HOSTS', cast=Csv\(\)\)\n/);
  });

  test('an import line with a comment, brackets or a backslash is left as written: the name gets its own line', () => {
    for (const line of ['from decouple import config  # noqa', 'from decouple import (config)', 'from decouple import \\\n    config']) {
      const out = fixed(`${line}\n\nALLOWED_HOSTS = ['*']\n`, ['DJR203']);
      assert.ok(out.startsWith(`${line}\n`), out);
      assert.match(out, /^from decouple import Csv$/m, out);
    }
  });

  test('a comment above an import stays above it', () => {
    const out = fixed(`# paths\nfrom pathlib import Path\n\nSECRET_KEY = '${KEY}'\n`, ['DJR101']);
    assert.match(out, /^import os\n# paths\nfrom pathlib import Path\n/);
  });

  test('imports come before their first use: a module that uses the name above its imports keeps the old placement', () => {
    const out = fixed(`SECRET_KEY = '${KEY}'\nfrom pathlib import Path\n`, ['DJR101']);
    assert.ok(out.indexOf('import os') < out.indexOf('os.environ'), out);
  });
});

describe('lines no longer than the file', () => {
  test('the limit: the file\'s longest line, within 79..99', () => {
    assert.equal(lineLimit('x = 1\n'), 79);
    assert.equal(lineLimit(`${'x'.repeat(88)}\n`), 88);
    assert.equal(lineLimit(`${'x'.repeat(130)}\n`), 99);
  });

  test('Black-like breaks: the last bracket, one element per line in literals, comprehension clauses, calls that fit', () => {
    const u = '    ';
    assert.deepEqual(fitLine(`X = ["${'a'.repeat(40)}", "${'b'.repeat(40)}"]`, 79, u), ['X = [', `    "${'a'.repeat(40)}",`, `    "${'b'.repeat(40)}",`, ']']);
    assert.deepEqual(fitLine(`HOSTS = [item.strip() for item in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if item.strip()]`, 79, u), ['HOSTS = [', '    item.strip()', '    for item in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")', '    if item.strip()', ']']);
    assert.deepEqual(fitLine(`ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")`, 79, u), ['ACCOUNT_EMAIL_VERIFICATION = env(', '    "ACCOUNT_EMAIL_VERIFICATION", default="mandatory"', ')']);
    // a subscript never gets a trailing comma (x[a,] is a tuple index)
    assert.deepEqual(fitLine(`VALUE = os.environ["${'A'.repeat(80)}"]`, 79, u), ['VALUE = os.environ[', `    "${'A'.repeat(80)}"`, ']']);
    // no break possible, or a comment on the line: as written
    const s = `    "NAME": "${'x'.repeat(90)}",`;
    assert.deepEqual(fitLine(s, 79, u), [s]);
    const c = `X = [${'1, '.repeat(40)}1]  # keep`;
    assert.deepEqual(fitLine(c, 79, u), [c]);
  });

  test('every fix offered on the example and fixture projects writes lines that fit where a break is possible', async () => {
    await ready();
    const dirs = ['tutorial', 'everything-wrong', 'production-ready', 'heroku', 'split', 'decouple', 'environ', 'reqs-pipenv'].map((d) => path.join(fixturesRoot, 'projects', d));
    let checked = 0;
    for (const dir of dirs) {
      if (!fs.existsSync(dir)) continue;
      const mem = loadFolder(dir, '/p');
      const result = analyze(mem, '/p', {});
      for (const f of result.findings) {
        for (const fix of f.fixes) {
          for (const [file, after] of applyFix(mem, fix)) {
            if (!file.endsWith('.py')) continue;
            const before = mem.readFile(file) ?? '';
            const limit = lineLimit(before);
            const old = new Set(before.split('\n'));
            for (const line of after.split('\n')) {
              if (old.has(line) || line.length <= limit) continue;
              // over the limit: only a line with nothing to break (no bracket holding anything), a comment, or a line that was already longer
              const breakable = /[[({][^\])}]+[\])}]/.test(line.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""')) && !line.includes('#');
              assert.ok(!breakable, `${path.basename(dir)} ${f.code} "${fix.title}": ${line.length} > ${limit}: ${line}`);
            }
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 50, `${checked} fixes checked`);
  });
});

describe('Move to .env: every variable the settings read is listed in .env.example', () => {
  before(ready);

  test('the moved one and the others read through os.environ, getenv and the idiom', () => {
    const settings = `import os\n\nSECRET_KEY = '${KEY}'\nDEBUG = os.environ.get('DJANGO_DEBUG', '') == '1'\nALLOWED_HOSTS = os.getenv('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')\nEMAIL_HOST = os.environ['EMAIL_HOST']\n`;
    const mem = project(settings, { '/p/.env.example': 'DJANGO_DEBUG=\n' });
    const f = analyze(mem, '/p', { select: ['DJR101'] }).findings.find((x) => x.code === 'DJR101');
    assert.ok(f);
    const move = f.fixes.find((x) => /^Move SECRET_KEY to \.env/.test(x.title));
    assert.ok(move);
    for (const [file, text] of applyFix(mem, move)) mem.write(file, text);
    const example = mem.readFile('/p/.env.example') ?? '';
    assert.deepEqual(parseDotenv(example).map((e) => e.name).sort(), ['DJANGO_ALLOWED_HOSTS', 'DJANGO_DEBUG', 'DJANGO_SECRET_KEY', 'EMAIL_HOST']);
    assert.ok(parseDotenv(example).every((e) => e.value === ''), 'names only, never a value');
    assert.ok(example.startsWith('DJANGO_DEBUG=\n'), 'what the file held stays first');
  });
});
