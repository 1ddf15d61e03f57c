/** Pure pieces of the language server: text diffs, ignore comments, settings validation. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Suppressions } from '../../server/src/engine';
import { ignoreEdit, scanPythonLine } from '../../server/src/lsp/ignore';
import { applyEdits, diffEdits } from '../../server/src/lsp/textDiff';
import { resolveSettings } from '../../server/src/protocol/settings';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('diffEdits', () => {
  test('small, ordered, non-overlapping edits that reproduce the new text (randomized)', () => {
    const r = rng(42);
    const words = ['DEBUG = True', 'x = 1', '', '# comment', "SECRET_KEY = 'abc'", 'import os', '    1,', ']', 'A = [', 'é = "ü"'];
    for (let iter = 0; iter < 400; iter++) {
      const eol = r() < 0.2 ? '\r\n' : '\n';
      const lines = Array.from({ length: Math.floor(r() * 30) }, () => words[Math.floor(r() * words.length)]);
      const a = lines.join(eol) + (r() < 0.5 ? eol : '');
      const bl = [...lines];
      const n = Math.floor(r() * 5);
      for (let k = 0; k < n; k++) {
        const at = Math.floor(r() * (bl.length + 1));
        const op = r();
        if (op < 0.4) bl.splice(at, 0, words[Math.floor(r() * words.length)]);
        else if (op < 0.7) bl.splice(at, 1);
        else if (at < bl.length) bl[at] = bl[at] + ' # changed';
      }
      const b = bl.join(eol) + (r() < 0.5 ? eol : '');
      const edits = diffEdits(a, b);
      assert.equal(applyEdits(a, edits), b, JSON.stringify({ a, b, edits }));
      for (let i = 1; i < edits.length; i++) {
        const p = edits[i - 1].range.end;
        const q = edits[i].range.start;
        assert.ok(p.line < q.line || (p.line === q.line && p.character <= q.character), 'ordered, non-overlapping');
      }
    }
  });

  test('a one-word change is a one-word edit', () => {
    const edits = diffEdits('A = 1\nDEBUG = True\nB = 2\n', 'A = 1\nDEBUG = False\nB = 2\n');
    // True -> False shares the final "e"
    assert.deepEqual(edits, [{ range: { start: { line: 1, character: 8 }, end: { line: 1, character: 11 } }, newText: 'Fals' }]);
    assert.deepEqual(diffEdits('same', 'same'), []);
    assert.equal(applyEdits('', diffEdits('', 'new file\n')), 'new file\n');
  });
});

describe('ignore comments', () => {
  const suppressed = (text: string, line: number, code: string) => new Suppressions(text).isSuppressed(code, line);
  const apply = (file: string, text: string, line: number, code: string): string => {
    const e = ignoreEdit(file, text, line, code);
    assert.ok(e);
    return applyEdits(text, [e]);
  };

  test('Python: at the end of the line, or appended to an existing ignore comment', () => {
    let t = "DEBUG = True\nX = 1\n";
    t = apply('/p/settings.py', t, 0, 'DJR201');
    assert.equal(t, 'DEBUG = True  # django-readiness: ignore[DJR201]\nX = 1\n');
    assert.ok(suppressed(t, 0, 'DJR201'));
    t = apply('/p/settings.py', t, 0, 'DJR202');
    assert.equal(t, 'DEBUG = True  # django-readiness: ignore[DJR201, DJR202]\nX = 1\n');
    assert.equal(ignoreEdit('/p/settings.py', t, 0, 'DJR201'), null, 'already ignored');
    t = apply('/p/settings.py', "URL = 'a#b'  # noqa: E501\n", 0, 'DJR101');
    assert.equal(t, "URL = 'a#b'  # noqa: E501  # django-readiness: ignore[DJR101]\n");
    assert.ok(suppressed(t, 0, 'DJR101'));
  });

  test('Python: on the line above when the line opens a string or continues', () => {
    const doc = '"""\nDjango settings.\n"""\nDEBUG = True\n';
    const t = apply('/p/settings.py', doc, 0, 'DJR304');
    assert.equal(t, '# django-readiness: ignore[DJR304]\n"""\nDjango settings.\n"""\nDEBUG = True\n');
    assert.ok(suppressed(t, 0, 'DJR304'));
    const t2 = apply('/p/settings.py', t, 0, 'DJR801');
    assert.ok(t2.startsWith('# django-readiness: ignore[DJR304, DJR801]\n'));
    const cont = "    X = 'a' \\\n        'b'\n";
    assert.equal(apply('/p/settings.py', cont, 0, 'DJR101'), "    # django-readiness: ignore[DJR101]\n    X = 'a' \\\n        'b'\n");
    assert.equal(scanPythonLine("x = '''abc").continues, true);
    assert.equal(scanPythonLine("x = '''abc''' # c").commentAt, 14);
    assert.equal(scanPythonLine("x = 'it\\'s' # c").commentAt, 12);
  });

  test('other files: requirements inline, Dockerfile and .env on the line above', () => {
    assert.equal(apply('/p/requirements.txt', 'django==3.2\n', 0, 'DJR905'), 'django==3.2  # django-readiness: ignore[DJR905]\n');
    const docker = 'FROM python:3.12\nCMD ["python", "manage.py", "runserver"]\n';
    const t = apply('/p/Dockerfile', docker, 1, 'DJR910');
    assert.equal(t, 'FROM python:3.12\n# django-readiness: ignore[DJR910]\nCMD ["python", "manage.py", "runserver"]\n');
    assert.ok(suppressed(t, 2, 'DJR910'));
    assert.equal(apply('/p/Dockerfile', t, 2, 'DJR911'), 'FROM python:3.12\n# django-readiness: ignore[DJR910, DJR911]\nCMD ["python", "manage.py", "runserver"]\n');
    assert.equal(apply('/p/.env', 'DEBUG=1\r\n', 0, 'DJR201'), '# django-readiness: ignore[DJR201]\r\nDEBUG=1\r\n');
  });
});

describe('settings from the editor', () => {
  test('every documented setting maps to the engine configuration', () => {
    const r = resolveSettings({
      enable: true,
      rules: { select: ['djr1', 'DJR2'], ignore: 'DJR909, djr910', severity: { djr101: 'warning', DJR201: 'off' } },
      productionSettingsModule: ' mysite.settings.production ',
      jwt: { accessTokenMaxMinutes: 5, refreshTokenMaxDays: 1 },
      hsts: { minSeconds: 3600 },
      passwords: { minLength: 14 },
      run: 'onSave',
      trace: { server: 'verbose' },
    });
    assert.deepEqual(r.problems, []);
    assert.equal(r.run, 'onSave');
    assert.deepEqual(r.config, {
      enable: true,
      select: ['DJR1', 'DJR2'],
      ignore: ['DJR909', 'DJR910'],
      severity: { DJR101: 'warning', DJR201: 'off' },
      productionSettingsModule: 'mysite.settings.production',
      thresholds: { jwtAccessTokenMaxMinutes: 5, jwtRefreshTokenMaxDays: 1, hstsMinSeconds: 3600, passwordMinLength: 14 },
    });
  });

  test('absent values stay absent (pyproject.toml decides); malformed ones are reported, never thrown', () => {
    assert.deepEqual(resolveSettings({}).config, {});
    assert.deepEqual(resolveSettings(undefined).config, {});
    assert.deepEqual(resolveSettings({ productionSettingsModule: '' }).config, {});
    const bad = resolveSettings({ enable: 'yes', rules: { severity: { DJR101: 'loud' }, select: 3 }, hsts: { minSeconds: -5 }, run: 'sometimes' });
    assert.equal(bad.problems.length, 5);
    assert.deepEqual(bad.config, { severity: {} });
    assert.equal(bad.run, 'onType');
    assert.deepEqual(resolveSettings(42).problems, ['djangoReadiness: expected an object']);
  });
});
