/** Pure pieces of the language server: engine edits as LSP edits, ignore comments, settings validation. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyEdits, Suppressions } from '../../server/src/engine';
import { ignoreEdit, scanPythonLine } from '../../server/src/lsp/ignore';
import { workspaceEditOf } from '../../server/src/lsp/edits';
import { resolveSettings } from '../../server/src/protocol/settings';

describe('engine edits -> LSP edits (1:1)', () => {
  test('each engine edit becomes one TextEdit at the same place (UTF-16 positions, CRLF lines)', () => {
    const before = 'A = 1\r\nNAME = "😀"\r\nDEBUG = True\r\n';
    const at = before.indexOf('True');
    const edits = [
      { file: '/p/s.py', start: 0, end: 0, newText: 'import os\r\n' },
      { file: '/p/s.py', start: at, end: at + 4, newText: 'False' },
    ];
    const after = applyEdits(before, edits);
    const ws = workspaceEditOf([{ file: '/p/s.py', before, after, edits }], { uriOf: (p) => `file://${p}`, versionOf: () => 3, documentChanges: true, canCreateFiles: true });
    assert.deepEqual(ws, {
      documentChanges: [
        {
          textDocument: { uri: 'file:///p/s.py', version: 3 },
          edits: [
            { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'import os\r\n' },
            { range: { start: { line: 2, character: 8 }, end: { line: 2, character: 12 } }, newText: 'False' },
          ],
        },
      ],
    });
  });

  test('a new file: CreateFile then its content; without documentChanges, plain changes; a client that cannot create files gets nothing', () => {
    const create = [{ file: '/p/.env', before: undefined, after: 'K=1\n', edits: [{ file: '/p/.env', start: 0, end: 0, newText: 'K=1\n', create: true }] }];
    const target = { uriOf: (p: string) => `file://${p}`, versionOf: () => null, documentChanges: true, canCreateFiles: true };
    assert.deepEqual(workspaceEditOf(create, target)?.documentChanges?.map((d) => ('kind' in d ? d.kind : 'edit')), ['create', 'edit']);
    assert.equal(workspaceEditOf(create, { ...target, canCreateFiles: false }), undefined);
    const plain = workspaceEditOf([{ file: '/p/s.py', before: 'x = 1\n', after: 'x = 2\n', edits: [{ file: '/p/s.py', start: 4, end: 5, newText: '2' }] }], { ...target, documentChanges: false, canCreateFiles: false });
    assert.deepEqual(plain, { changes: { 'file:///p/s.py': [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } }, newText: '2' }] } });
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

  test('Django templates: a template comment at the end of the line (it renders to nothing), appended to one there or above', () => {
    let t = apply('/p/templates/a.html', '  <form method="post">\n', 0, 'DJR611');
    assert.equal(t, '  <form method="post"> {# django-readiness: ignore[DJR611] #}\n');
    assert.ok(suppressed(t, 0, 'DJR611'));
    t = apply('/p/templates/a.html', t, 0, 'DJR610');
    assert.equal(t, '  <form method="post"> {# django-readiness: ignore[DJR611, DJR610] #}\n');
    assert.equal(ignoreEdit('/p/templates/a.html', t, 0, 'DJR611'), null, 'already ignored');
    const above = '{# django-readiness: ignore[DJR609] shown as text on purpose #}\n{% autoescape off %}{{ a }} {{ b }}{% endautoescape %}\n';
    assert.equal(apply('/p/templates/a.html', above, 1, 'DJR610'), '{# django-readiness: ignore[DJR609, DJR610] shown as text on purpose #}\n{% autoescape off %}{{ a }} {{ b }}{% endautoescape %}\n');
    // a {# comment #} without an ignore list is left as it is
    assert.equal(apply('/p/templates/a.html', '<p>{{ x|safe }}</p> {# trusted #}\n', 0, 'DJR610'), '<p>{{ x|safe }}</p> {# trusted #} {# django-readiness: ignore[DJR610] #}\n');
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
