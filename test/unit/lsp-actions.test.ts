/**
 * Code actions like Ruff's and ESLint's extensions, in-process: "Fix all django-readiness
 * problems" in the quick-fix (Ctrl+.) menu applies the file's safe fixes (on the split-settings
 * example: only DJR311's), and is not offered where no fix is safe; "Disable DJRxxx for
 * this file" writes a file-wide ignore comment beside "Disable DJRxxx for this line"; the
 * engine honours it, and the finding becomes accepted rather than passed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { allRules } from '../../rules/index.generated';
import { buildChecklist, emptyManualState, MemoryFileSystem } from '../../server/src/engine';
import { ignoreFileEdit } from '../../server/src/lsp/ignore';
import { analyze } from '../helpers/fixtures';
import { codesOf, tempProject, TestClient } from '../helpers/lsp';

async function withTutorial(opts: { resolveSupport?: boolean }, fn: (c: TestClient, uri: string, diags: Diagnostic[], root: string) => Promise<void>): Promise<void> {
  const root = tempProject('tutorial');
  const client = new TestClient({ root, ...opts });
  try {
    await client.initialize();
    const uri = await client.open(path.join(root, 'mysite', 'settings.py'));
    const diags = await client.waitFor(uri, (d) => d.some((x) => x.code === 'DJR201') && d.some((x) => x.code === 'DJR301'));
    await fn(client, uri, diags, root);
  } finally {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const titles = (a: CodeAction[]) => a.map((x) => x.title);

/** The split-settings example: base.py (imported by dev.py and production.py) has one safe fix (DJR311) among unsafe ones. */
async function withSplit(opts: { resolveSupport?: boolean }, fn: (c: TestClient, uri: string, diags: Diagnostic[], root: string) => Promise<void>): Promise<void> {
  const root = tempProject('split-fixall');
  const client = new TestClient({ root, ...opts });
  try {
    await client.initialize();
    const uri = await client.open(path.join(root, 'config', 'settings', 'base.py'));
    const diags = await client.waitFor(uri, (d) => d.some((x) => x.code === 'DJR311') && d.some((x) => x.code === 'DJR304'));
    await fn(client, uri, diags, root);
  } finally {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('quick-fix menu: Fix all, Disable for this file', () => {
  for (const resolveSupport of [true, false]) {
    test(`"Fix all django-readiness problems" is in the Ctrl+. menu and applies the safe fixes only (resolve support: ${resolveSupport})`, async () => {
      await withSplit({ resolveSupport }, async (c, uri, diags) => {
        const d = diags.find((x) => x.code === 'DJR304')!;
        const actions = await c.codeActions(uri, d.range, [d]);
        const all = actions.find((a) => a.title === 'Fix all django-readiness problems');
        assert.ok(all, titles(actions).join(' | '));
        assert.equal(all.kind, 'quickfix');
        const edit = (resolveSupport ? await c.resolve(all) : all).edit;
        assert.ok(edit);
        await c.apply(edit);
        const after = await c.waitForCurrent(uri, (x) => !x.some((y) => y.code === 'DJR311'));
        // the safe fix applied (the setting Django 4.0+ ignores is gone), unsafe ones not (the HSTS ramp, the token lifetime)
        assert.doesNotMatch(c.text(uri), /SECURE_BROWSER_XSS_FILTER/);
        assert.match(c.text(uri), /^SECURE_HSTS_SECONDS = 3600$/m);
        assert.ok(codesOf(after).includes('DJR304'));
        assert.ok(codesOf(after).includes('DJR501'));
      });
    });
  }

  test('no "Fix all django-readiness problems" where no fix is safe (every fix of the tutorial\'s settings.py changes behaviour)', async () => {
    await withTutorial({}, async (c, uri, diags) => {
      const d = diags.find((x) => x.code === 'DJR201')!;
      const t = titles(await c.codeActions(uri, d.range, [d]));
      assert.ok(t.includes('Disable DJR201 for this line'), t.join(' | '));
      assert.ok(!t.includes('Fix all django-readiness problems'), t.join(' | '));
    });
  });

  test('"Disable DJR201 for this file" beside "for this line": a file-wide comment at the top; the finding goes, and its item is accepted', async () => {
    await withTutorial({}, async (c, uri, diags) => {
      const d = diags.find((x) => x.code === 'DJR201')!;
      const actions = await c.codeActions(uri, d.range, [d]);
      const t = titles(actions);
      const line = t.indexOf('Disable DJR201 for this line');
      const file = t.indexOf('Disable DJR201 for this file');
      assert.ok(line >= 0 && file === line + 1, t.join(' | '));
      await c.apply(actions[file].edit!);
      assert.ok(c.text(uri).startsWith('# django-readiness: ignore-file[DJR201]\n"""\nDjango settings'), c.text(uri).slice(0, 80));
      const after = await c.waitForCurrent(uri, (x) => !x.some((y) => y.code === 'DJR201'));
      assert.ok(codesOf(after).includes('DJR101'), 'other rules still report');
      // a second rule disabled for the file joins the same comment
      const secret = after.find((x) => x.code === 'DJR101')!;
      const again = await c.codeActions(uri, secret.range, [secret]);
      await c.apply(again.find((a) => a.title === 'Disable DJR101 for this file')!.edit!);
      assert.ok(c.text(uri).startsWith('# django-readiness: ignore-file[DJR201, DJR101]\n'));
      await c.waitForCurrent(uri, (x) => !x.some((y) => y.code === 'DJR101'));
    });
  });

  test('the file-wide comment goes after a shebang and an encoding line, in a template as a template comment, never in a Procfile', () => {
    const e = ignoreFileEdit('/p/settings.py', '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nX = 1\n', 'DJR201')!;
    assert.deepEqual(e, { file: '/p/settings.py', start: 46, end: 46, newText: '# django-readiness: ignore-file[DJR201]\n' });
    const crlf = ignoreFileEdit('/p/requirements.txt', 'django\r\n', 'DJR903')!;
    assert.equal(crlf.newText, '# django-readiness: ignore-file[DJR903]\r\n');
    assert.equal(ignoreFileEdit('/p/t/base.html', '<html></html>\n', 'DJR609')!.newText, '{# django-readiness: ignore-file[DJR609] #}\n');
    assert.equal(ignoreFileEdit('/p/Procfile', 'web: gunicorn app.wsgi\n', 'DJR906'), undefined);
    assert.equal(ignoreFileEdit('/p/x.py', '# django-readiness: ignore-file[DJR201]\n', 'DJR201'), null, 'already there');
  });

  test('an ignore-file comment makes the item accepted with its reason, and silences the whole file', () => {
    const settings = "# django-readiness: ignore-file[DJR201, DJR909] a demo project, never deployed\nSECRET_KEY = 'x'\nDEBUG = True\n";
    const mem = new MemoryFileSystem({ 'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n", 'mysite/__init__.py': '', 'mysite/settings.py': settings }, '/p');
    const res = analyze(mem, '/p');
    assert.ok(!res.findings.some((f) => f.code === 'DJR201'));
    const report = buildChecklist(res, emptyManualState(), allRules);
    const debug = report.items.find((i) => i.id === 'debug.debug-off')!;
    assert.equal(debug.status, 'accepted');
    assert.match(debug.reason, /"a demo project, never deployed" \(a file-wide ignore comment at mysite\/settings\.py:1\)/);
  });
});
