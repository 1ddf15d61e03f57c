/**
 * Integration tests with the real `vscode` API, on a copy of the tutorial example project opened
 * as the workspace (with a copy of the split-settings example in split-fixall/): diagnostics, the
 * preferred quick fix, source.fixAll (safe fixes only: none in the tutorial; on save in the split
 * example, development settings unchanged), the hover, the checklist view's data, and a Django
 * template synced as a document.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';

const EXTENSION_ID = 'django-readiness.django-readiness';
const SOURCE = 'django-readiness';

async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code ? String(d.code.value) : String(d.code);
}

/** Code actions, retried while the workbench cancels requests during start-up. */
async function codeActions(uri: vscode.Uri, range: vscode.Range, kind: string): Promise<vscode.CodeAction[]> {
  return waitFor(`${kind} code actions`, async () => {
    try {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind);
      return actions && actions.length > 0 ? actions : undefined;
    } catch (e) {
      if (/Canceled/.test(String((e as Error)?.message))) return undefined;
      throw e;
    }
  });
}

describe('Django Readiness in VS Code (integration, real vscode API)', () => {
  let settings: vscode.Uri;
  let doc: vscode.TextDocument;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'a workspace folder is open');
    settings = vscode.Uri.joinPath(folder, 'mysite', 'settings.py');
    doc = await vscode.workspace.openTextDocument(settings);
    await vscode.window.showTextDocument(doc);
  });

  it('activates and publishes diagnostics with codes, severities and documentation links', async () => {
    const diags = await waitFor('DJR101 and DJR201', () => {
      const d = ours(settings);
      return d.some((x) => codeOf(x) === 'DJR101') && d.some((x) => codeOf(x) === 'DJR201') ? d : undefined;
    });
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext?.isActive, 'the extension is active');
    const secret = diags.find((d) => codeOf(d) === 'DJR101');
    assert.ok(secret);
    assert.equal(secret.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(secret.range.start.line, 19);
    assert.match(secret.message, /SECRET_KEY is a hardcoded string 'dja\*\*\*\*'/);
    assert.ok(!/\^8w!f3c/.test(secret.message), 'the secret is masked');
    const href = typeof secret.code === 'object' ? secret.code.target.toString() : '';
    assert.match(href, /DJR101-hardcoded-secret-key\.md$/);
  });

  it('the hover explains the rule', async () => {
    const secret = ours(settings).find((d) => codeOf(d) === 'DJR101');
    assert.ok(secret);
    const hovers = await waitFor('a hover', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', settings, secret.range.start.translate(0, 2));
      return h?.some((x) => x.contents.some((c) => /DJR101/.test(typeof c === 'string' ? c : c.value))) ? h : undefined;
    });
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /secret key signs sessions/i);
  });

  it('the preferred quick fix replaces the secret with an environment lookup (and keeps it in .env)', async () => {
    const secret = ours(settings).find((d) => codeOf(d) === 'DJR101');
    assert.ok(secret);
    const actions = await codeActions(settings, secret.range, vscode.CodeActionKind.QuickFix.value);
    const mine = actions.filter((a) => /SECRET_KEY/.test(a.title) && a.edit);
    assert.ok(mine.length >= 2, `several fixes for DJR101: ${mine.map((a) => a.title).join(' | ')}`);
    const preferred = mine.find((a) => a.isPreferred);
    assert.ok(preferred?.edit, 'a preferred fix with an edit');
    assert.match(preferred.title, /^Move SECRET_KEY to \.env/);
    assert.ok(await vscode.workspace.applyEdit(preferred.edit));
    assert.match(doc.getText(), /^SECRET_KEY = os\.environ\['DJANGO_SECRET_KEY'\]$/m);
    await waitFor('DJR101 to go away', () => !ours(settings).some((d) => codeOf(d) === 'DJR101'));
    const env = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/.env'));
    assert.ok(env, 'the fix wrote .env');
    assert.match(env.getText(), /^DJANGO_SECRET_KEY='django-insecure-/m);
    await vscode.workspace.saveAll(false);
  });

  it('source.fixAll.djangoReadiness changes nothing in the tutorial settings: every fix there changes behaviour', async () => {
    const before = doc.getText();
    const codes = ours(settings).map(codeOf);
    for (const code of ['DJR201', 'DJR304', 'DJR301']) assert.ok(codes.includes(code), `${code} is reported (its fix is unsafe)`);
    const full = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', settings, full, 'source.fixAll.djangoReadiness');
    for (const a of actions ?? []) if (a.edit) assert.ok(await vscode.workspace.applyEdit(a.edit));
    assert.equal(doc.getText(), before, 'no unsafe fix applied');
  });

  describe('the checklist view (its data comes from the server: djangoReadiness/checklist, /setManual)', () => {
    type Provider = vscode.TreeDataProvider<unknown>;
    let provider: Provider;

    const labelOf = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
    const describeItem = (i: vscode.TreeItem) => `${labelOf(i)} [${i.contextValue}] ${i.description}`;
    /** The children of `parent` with their tree items. */
    const children = async (parent?: unknown): Promise<Array<{ node: unknown; item: vscode.TreeItem }>> => {
      const nodes = (await provider.getChildren(parent)) ?? [];
      return Promise.all(nodes.map(async (node) => ({ node, item: await provider.getTreeItem(node) })));
    };
    const category = async (title: string) => (await children()).find((c) => labelOf(c.item) === title);

    before(async () => {
      const ext = vscode.extensions.getExtension<{ checklist?: Provider }>(EXTENSION_ID);
      assert.ok(ext?.exports?.checklist, 'the extension exposes the checklist view data');
      provider = ext.exports.checklist;
      await waitFor('the checklist categories', async () => ((await category('Secrets and environment')) ? true : undefined));
    });

    it('lists the categories, with a failing DEBUG item', async () => {
      const labels = (await children()).map((c) => labelOf(c.item));
      for (const title of ['Secrets and environment', 'Debug and hosts']) assert.ok(labels.includes(title), labels.join(', '));
      const debug = await category('Debug and hosts');
      assert.ok(debug);
      assert.match(String(debug.item.description), /failing/);
      const items = await children(debug.node);
      const failing = items.find((c) => /^DEBUG is not True in production/.test(labelOf(c.item)));
      assert.ok(failing, items.map((c) => describeItem(c.item)).join(' | '));
      assert.match(String(failing.item.contextValue), /\bfailed\b/);
    });

    it('a finding opens its file at its line', async () => {
      const debugLine = doc.getText().split(/\r?\n/).indexOf('DEBUG = True');
      assert.ok(debugLine >= 0);
      const finding = await waitFor('the DEBUG finding at its current line', async () => {
        const debug = await category('Debug and hosts');
        const item = debug && (await children(debug.node)).find((c) => /^DEBUG is not True in production/.test(labelOf(c.item)));
        const findings = item ? await children(item.node) : [];
        return findings.find((f) => labelOf(f.item) === `mysite/settings.py:${debugLine + 1}`);
      });
      const command = finding.item.command;
      assert.ok(command, 'a finding has a click command');
      assert.equal(command.command, 'vscode.open');
      await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
      const editor = await waitFor('the editor at the finding', () => {
        const e = vscode.window.activeTextEditor;
        return e?.document.uri.toString() === settings.toString() && e.selection.start.line === debugLine ? e : undefined;
      });
      assert.equal(editor.document.lineAt(editor.selection.start.line).text, 'DEBUG = True');
    });

    it('ticking a manual item is saved by the server and shown as done', async () => {
      type Found = { node: unknown; item: vscode.TreeItem };
      const manualItem = async (token: 'manualOpen' | 'manualDone', id?: string): Promise<Found | undefined> => {
        for (const cat of await children()) {
          for (const c of await children(cat.node)) {
            if (new RegExp(`\\b${token}\\b`).test(String(c.item.contextValue)) && (!id || c.item.id === id)) return c;
          }
        }
        return undefined;
      };
      const open = await manualItem('manualOpen');
      assert.ok(open, 'an open manual item');
      const folder = vscode.workspace.workspaceFolders![0].uri;
      const tickFile = vscode.Uri.joinPath(folder, '.django-readiness', 'checklist.json');
      await vscode.commands.executeCommand('djangoReadiness.checklist.markDone', open.node);
      const done = await waitFor('the item shown as done', () => manualItem('manualDone', open.item.id));
      assert.match(String(done.item.description), /^done/);
      const ticks = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(tickFile)).toString('utf8')) as { items: Record<string, unknown> };
      assert.equal(Object.keys(ticks.items).length, 1, 'one tick in the file');
      await vscode.commands.executeCommand('djangoReadiness.checklist.markNotDone', done.node);
      await waitFor('the item open again', () => manualItem('manualOpen', open.item.id));
    });
  });

  it('the rule documentation comes from the server, offline (djangoReadiness/ruleDocs)', async () => {
    const docs = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'django-readiness-docs', path: '/DJR101.md' }));
    assert.match(docs.getText(), /DJR101/);
    assert.match(docs.getText(), /secret key signs sessions/i);
  });
  it('a Django template (an app\'s templates/ folder) is synced: DJR611 on its POST form, and the quick fix adds {% csrf_token %}', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const file = vscode.Uri.joinPath(folder, 'snippets', 'templates', 'snippets', 'delete.html');
    const text = '{% extends "base.html" %}\n{% block content %}\n  <form method="post">\n    <button>Delete</button>\n  </form>\n{% endblock %}\n';
    await vscode.workspace.fs.writeFile(file, Buffer.from(text, 'utf8'));
    const tpl = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(tpl);
    const d = await waitFor('DJR611 on the template', () => ours(file).find((x) => codeOf(x) === 'DJR611'));
    assert.equal(d.range.start.line, 2);
    const actions = await codeActions(file, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Add {% csrf_token %} to the form');
    assert.ok(fix?.edit, `the template's quick fixes: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(tpl.getText(), /<form method="post">\n {4}\{% csrf_token %\}\n {4}<button>/);
    await waitFor('DJR611 to go away', () => !ours(file).some((x) => codeOf(x) === 'DJR611'));
  });

  describe('split settings (config/settings/base.py imported by dev.py and production.py)', () => {
    it('fix-all on save applies only the safe fix to base.py; development settings stay unchanged', async () => {
      const folder = vscode.workspace.workspaceFolders![0].uri;
      const dir = vscode.Uri.joinPath(folder, 'split-fixall', 'config', 'settings');
      const base = vscode.Uri.joinPath(dir, 'base.py');
      const dev = vscode.Uri.joinPath(dir, 'dev.py');
      const read = async (u: vscode.Uri) => Buffer.from(await vscode.workspace.fs.readFile(u)).toString('utf8');
      const devBefore = await read(dev);
      const baseDoc = await vscode.workspace.openTextDocument(base);
      await vscode.window.showTextDocument(baseDoc);
      const codes = await waitFor('DJR311 (safe) and DJR304 (unsafe) on base.py', () => {
        const c = ours(base).map(codeOf);
        return c.includes('DJR311') && c.includes('DJR304') ? c : undefined;
      });
      for (const code of ['DJR501', 'DJR601', 'DJR602']) assert.ok(codes.includes(code), `${code} on base.py (unsafe fix)`);
      const config = vscode.workspace.getConfiguration('editor', { languageId: 'python', uri: base });
      await config.update('codeActionsOnSave', { 'source.fixAll.djangoReadiness': 'explicit' }, vscode.ConfigurationTarget.Workspace, true);
      try {
        const editor = vscode.window.activeTextEditor!;
        await editor.edit((b) => b.insert(new vscode.Position(baseDoc.lineCount, 0), '\n'));
        assert.ok(await baseDoc.save(), 'saved');
        const saved = await waitFor('fix-all on save', async () => {
          const t = await read(base);
          return t.includes('SECURE_BROWSER_XSS_FILTER') ? undefined : t;
        }, 20_000);
        assert.match(saved, /^# old advice, Django 4\.0 ignores it$/m, 'the comment of the removed setting is kept');
        assert.match(saved, /^SECURE_HSTS_SECONDS = 3600$/m, 'the HSTS ramp is kept (DJR304 is unsafe)');
        assert.match(saved, /"ACCESS_TOKEN_LIFETIME": timedelta\(hours=1\)/, 'the token lifetime is kept (DJR501 is unsafe)');
        assert.doesNotMatch(saved, /DEFAULT_PAGINATION_CLASS|DEFAULT_THROTTLE_CLASSES|token_blacklist/, 'no unsafe DRF/JWT fix');
        assert.equal(await read(dev), devBefore, 'development settings unchanged');
        await waitFor('DJR311 to go away', () => !ours(base).some((d) => codeOf(d) === 'DJR311'));
        assert.ok(ours(base).some((d) => codeOf(d) === 'DJR304'), 'DJR304 is still reported');
      } finally {
        await config.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace, true);
      }
    });
  });
});
