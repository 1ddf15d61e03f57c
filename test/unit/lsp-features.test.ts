/**
 * Language server features beyond the tutorial walk-through: configuration precedence
 * (editor > pyproject.toml > defaults), run-on-save, fixes that create files, failed rules,
 * deprecated rules, skipped files, and the extension points of the server class.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { CreateFile, Diagnostic } from 'vscode-languageserver';
import { allRules } from '../../rules/index.generated';
import { defineRule, type Rule } from '../../server/src/engine';
import { FIX_ALL_KIND, GET_STATUS_REQUEST, RECHECK_REQUEST, type RecheckResult, type StatusParams } from '../../server/src/protocol/messages';
import { codesOf, messageOf, tempProject, TestClient, uriOf } from '../helpers/lsp';

const docs = { what: 'w', why: 'y', example: 'x = 1', instead: 'x = 2', references: [] };

async function withClient(name: string, opts: Partial<ConstructorParameters<typeof TestClient>[0]>, fn: (c: TestClient, root: string) => Promise<void>, prepare?: (root: string) => void): Promise<void> {
  const root = tempProject(name);
  prepare?.(root);
  const client = new TestClient({ root, ...opts });
  try {
    await client.initialize();
    await fn(client, root);
  } finally {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function sev(d: Diagnostic[], code: string): number | undefined {
  return d.find((x) => x.code === code)?.severity;
}

describe('language server: configuration', () => {
  test('an explicit editor setting wins over pyproject.toml, which wins over the defaults', async () => {
    await withClient(
      'tutorial',
      {},
      async (c, root) => {
        const uri = await c.open(path.join(root, 'mysite', 'settings.py'));
        // pyproject: DJR201 warning, DJR204 off, hsts threshold irrelevant here
        let d = await c.waitFor(uri, (x) => x.some((y) => y.code === 'DJR201'));
        assert.equal(sev(d, 'DJR201'), 2);
        assert.ok(!codesOf(d).includes('DJR204'));
        // the editor explicitly sets DJR201 -> info: it wins
        await c.changeSettings({ rules: { severity: { DJR201: 'info' } } });
        d = await c.waitFor(uri, (x) => sev(x, 'DJR201') === 3);
        assert.ok(!codesOf(d).includes('DJR204'), 'pyproject value for another rule still applies');
        // the editor's select narrows the rules
        await c.changeSettings({ rules: { select: ['DJR2'] } });
        d = await c.waitFor(uri, (x) => x.length > 0 && x.every((y) => String(y.code).startsWith('DJR2')));
        // enable: false clears everything
        await c.changeSettings({ enable: false });
        await c.waitFor(uri, (x) => x.length === 0);
        const status = (await c.conn.sendRequest(GET_STATUS_REQUEST, {})) as StatusParams[];
        assert.equal(status[0].enabled, false);
        await c.changeSettings({});
        d = await c.waitFor(uri, (x) => sev(x, 'DJR201') === 2);
      },
      (root) => fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.django-readiness]\nseverity = { DJR201 = "warning", DJR204 = "off" }\n'),
    );
  });

  test('pyproject.toml changes are picked up from the watcher; its problems become diagnostics', async () => {
    await withClient('tutorial', {}, async (c, root) => {
      const uri = await c.open(path.join(root, 'mysite', 'settings.py'));
      await c.waitFor(uri, (x) => sev(x, 'DJR201') === 1);
      const py = path.join(root, 'pyproject.toml');
      fs.writeFileSync(py, '[tool.django-readiness]\nseverity = { DJR201 = "hint" }\nbogus-key = 1\n');
      await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(py), type: 1 }] });
      await c.waitFor(uri, (x) => sev(x, 'DJR201') === 4);
      const pd = await c.waitFor(uriOf(py), (x) => x.length > 0);
      assert.match(messageOf(pd[0]), /unknown key: bogus-key/);
    });
  });

  test('run: onSave analyses on save, not while typing', async () => {
    await withClient('tutorial', { settings: { run: 'onSave' } }, async (c, root) => {
      const file = path.join(root, 'mysite', 'settings.py');
      const uri = await c.open(file);
      await c.waitFor(uri, (x) => x.some((y) => y.code === 'DJR201'));
      const line = c.text(uri).split('\n').findIndex((l) => l.startsWith('DEBUG = True'));
      await c.edit(uri, [{ range: { start: { line, character: 8 }, end: { line, character: 12 } }, newText: 'False' }]);
      await new Promise((r) => setTimeout(r, 150));
      assert.ok(codesOf(c.diagnostics.get(uri)?.diagnostics ?? []).includes('DJR201'), 'not re-analysed while typing');
      fs.writeFileSync(file, c.text(uri));
      await c.conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
      await c.waitForCurrent(uri, (x) => !codesOf(x).includes('DJR201'));
    });
  });
});

describe('language server: fixes and notes from custom rules', () => {
  const createsEnv: Rule = defineRule({
    meta: { code: 'DJR990', name: 'test-creates-env', category: 'secrets', severity: 'warning', kind: 'project', seeds: ['000'], message: 'no .env', fixTitle: 'Create .env', fix: 'safe', docs },
    checkProject(ctx) {
      const env = path.join(ctx.project.root, '.env');
      const settings = ctx.settings?.module.path;
      if (!settings || ctx.fs.exists(env)) return;
      ctx.report({ at: { file: settings, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } } }, fixes: [{ title: 'Create .env', applicability: 'safe', edits: [{ file: env, start: 0, end: 0, newText: 'DJANGO_SECRET_KEY=change-me\n', create: true }] }] });
    },
  });
  const fails: Rule = defineRule({
    meta: { code: 'DJR991', name: 'test-fails', category: 'debug', severity: 'error', kind: 'settings', seeds: ['000'], message: 'never', fix: 'none', docs },
    checkSettings() {
      throw new Error('boom');
    },
  });
  const deprecated: Rule = defineRule({
    meta: { code: 'DJR992', name: 'test-deprecated', category: 'https', severity: 'hint', kind: 'settings', seeds: ['000'], message: 'old setting', fix: 'none', deprecated: true, docs },
    checkSettings(ctx) {
      const b = ctx.setting('DEBUG');
      if (b) ctx.report({ at: ctx.bindingAt(b) });
    },
  });
  const rules = [...allRules.filter((r) => r.meta.code === 'DJR201'), createsEnv, fails, deprecated];

  test('a fix that creates a file: CreateFile then its content; fix-all creates it once', async () => {
    await withClient('tutorial', { server: { rules, debounceMs: 10 } }, async (c, root) => {
      const uri = await c.open(path.join(root, 'mysite', 'settings.py'));
      const d = await c.waitFor(uri, (x) => x.some((y) => y.code === 'DJR990'));
      const actions = await c.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, d.filter((x) => x.code === 'DJR990'));
      const create = actions.find((a) => a.title === 'Create .env');
      assert.ok(create?.edit?.documentChanges);
      assert.equal(create.isPreferred, true);
      const [first, second] = create.edit.documentChanges as [CreateFile, { textDocument: { uri: string; version: number | null }; edits: { newText: string }[] }];
      assert.equal(first.kind, 'create');
      assert.equal(first.uri, uriOf(path.join(root, '.env')));
      assert.equal(second.textDocument.uri, first.uri);
      assert.equal(second.textDocument.version, null);
      assert.equal(second.edits[0].newText, 'DJANGO_SECRET_KEY=change-me\n');
      const fixAll = await c.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [FIX_ALL_KIND]);
      assert.equal(fixAll.length, 1);
      const changes = fixAll[0].edit?.documentChanges ?? [];
      assert.equal(changes.filter((x) => 'kind' in x && x.kind === 'create').length, 1);
      await c.apply(fixAll[0].edit ?? {});
      assert.equal(fs.readFileSync(path.join(root, '.env'), 'utf8'), 'DJANGO_SECRET_KEY=change-me\n');
      await c.waitFor(uri, (x) => !x.some((y) => y.code === 'DJR990'));
    });
  });

  test('a failing rule is one information diagnostic; a deprecated rule is tagged', async () => {
    await withClient('tutorial', { server: { rules, debounceMs: 10 } }, async (c, root) => {
      const uri = await c.open(path.join(root, 'mysite', 'settings.py'));
      const d = await c.waitFor(uri, (x) => x.some((y) => y.code === 'DJR992'));
      const failed = d.filter((x) => x.code === 'DJR991');
      assert.equal(failed.length, 1);
      assert.equal(failed[0].severity, 3);
      assert.match(messageOf(failed[0]), /DJR991 \(test-fails\) failed: boom/);
      const dep = d.find((x) => x.code === 'DJR992');
      assert.deepEqual(dep?.tags, [2]);
      assert.equal(dep?.severity, 4);
      assert.ok(c.logs.every((l) => !/django-insecure/.test(l)), 'no secret in the logs');
    });
  });

  test('a binary file is skipped with one information diagnostic', async () => {
    const codeRule: Rule = defineRule({
      meta: { code: 'DJR993', name: 'test-code-rule', category: 'api', severity: 'warning', kind: 'code', seeds: ['000'], message: 'print call', fix: 'none', docs },
      prefilter: /print\(/,
      checkFile(ctx) {
        const i = ctx.module.text.indexOf('print(');
        if (i >= 0) ctx.report({ at: { file: ctx.file.path, range: ctx.module.lines.range(i, i + 5) } });
      },
    });
    await withClient(
      'tutorial',
      { server: { rules: [...allRules, codeRule], debounceMs: 10 } },
      async (c, root) => {
        const bin = path.join(root, 'snippets', 'blob.py');
        await c.open(path.join(root, 'mysite', 'settings.py'));
        const d = await c.waitFor(uriOf(bin), (x) => x.length > 0);
        assert.equal(d.length, 1);
        assert.equal(d[0].severity, 3);
        assert.match(messageOf(d[0]), /binary/);
        // code-rule findings of a file that is not open are published too
        const views = await c.waitFor(uriOf(path.join(root, 'snippets', 'printing.py')), (x) => x.length > 0);
        assert.equal(views[0].code, 'DJR993');
      },
      (root) => {
        fs.writeFileSync(path.join(root, 'snippets', 'blob.py'), 'x = 1\n\u0000\u0001\u0002\n');
        fs.writeFileSync(path.join(root, 'snippets', 'printing.py'), 'def f():\n    print("hi")\n');
      },
    );
  });
});

describe('language server: scheduling and folders', () => {
  test('automatic code action requests wait for the pending analysis; explicit ones run it', async () => {
    await withClient('tutorial', { server: { debounceMs: 10_000 } }, async (c, root) => {
      const uri = await c.open(path.join(root, 'mysite', 'settings.py'));
      const range = { start: { line: 22, character: 0 }, end: { line: 22, character: 0 } };
      // nothing analysed yet (10 s debounce): the lightbulb gets nothing, Ctrl+. gets the fixes
      assert.deepEqual(await c.codeActions(uri, range, [], undefined, 2), []);
      const invoked = await c.codeActions(uri, range, [], undefined, 1);
      assert.ok(invoked.some((a) => a.title === 'Disable DJR201 for this line'));
      // the explicit request published the diagnostics too
      await c.waitForCurrent(uri, (d) => codesOf(d).includes('DJR201'));
      assert.ok((await c.codeActions(uri, range, [], undefined, 2)).length > 0, 'fresh: automatic requests are answered');
    });
  });

  test('file events of caches, VCS data and unrelated files do not re-analyse', async () => {
    await withClient('tutorial', {}, async (c, root) => {
      const uri = await c.open(path.join(root, 'mysite', 'settings.py'));
      await c.waitFor(uri, (d) => d.length > 0);
      let runs = 0;
      c.server.onDidAnalyze(() => runs++);
      const ev = (rel: string, type: number) => ({ uri: uriOf(path.join(root, rel)), type });
      await c.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [ev('.git/index.lock', 1), ev('.git/index.lock', 3), ev('snippets/__pycache__/views.cpython-312.pyc', 1), ev('README.md', 1), ev('notes.txt', 2), ev('node_modules/x/index.py', 1)],
      });
      await new Promise((r) => setTimeout(r, 120));
      assert.equal(runs, 0);
      fs.writeFileSync(path.join(root, 'snippets', 'new.py'), 'x = 1\n');
      await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [ev('snippets/new.py', 1)] });
      await new Promise((r) => setTimeout(r, 120));
      assert.equal(runs, 1);
    });
  });

  test('workspace folders added and removed', async () => {
    const other = tempProject('split');
    try {
      await withClient('tutorial', {}, async (c, root) => {
        const uri = await c.open(path.join(root, 'mysite', 'settings.py'));
        await c.waitFor(uri, (d) => d.length > 0);
        await c.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uriOf(other), name: 'split' }], removed: [] } });
        const base = uriOf(path.join(other, 'config', 'settings', 'base.py'));
        await c.waitFor(base, (d) => d.some((x) => x.code === 'DJR101'));
        assert.equal(c.server.folders().length, 2);
        await c.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uriOf(other), name: 'split' }] } });
        await c.waitFor(base, (d) => d.length === 0);
        assert.equal(c.server.folders().length, 1);
      });
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test('a file outside every workspace folder gets an implicit folder (its Django project)', async () => {
    const other = tempProject('split');
    try {
      await withClient('tutorial', {}, async (c) => {
        const prod = path.join(other, 'config', 'settings', 'production.py');
        const uri = await c.open(prod);
        await c.waitFor(uri, (d) => d.some((x) => x.code === 'DJR304'));
        const f = c.server.folderOf(uri);
        assert.equal(f?.root, other);
        assert.equal(f?.implicit, true);
        await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
        await c.waitFor(uri, (d) => d.length === 0);
        assert.equal(c.server.folders().length, 1);
      });
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('language server: extension points', () => {
  test('onDidAnalyze, getResult, folderOf, flush and recheck', async () => {
    await withClient('tutorial', {}, async (c, root) => {
      const seen: number[] = [];
      c.server.onDidAnalyze((_f, r) => seen.push(r.findings.length));
      const uri = await c.open(path.join(root, 'mysite', 'settings.py'));
      await c.waitFor(uri, (x) => x.length > 0);
      assert.ok(seen.length >= 1);
      const folder = c.server.folderOf(uri);
      assert.equal(folder?.root, root);
      assert.equal(c.server.folders().length, 1);
      assert.ok(c.server.getResult(folder.uri)?.findings.some((f) => f.code === 'DJR101'));
      assert.ok(c.server.flush(folder.uri));
      const r = (await c.conn.sendRequest(RECHECK_REQUEST, {})) as RecheckResult;
      assert.equal(r.folders, 1);
      assert.ok(r.findings > 0);
    });
  });
});
