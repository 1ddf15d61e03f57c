/**
 * Integration tests with the real `vscode` API, on a copy of the tutorial example project opened
 * as the workspace: diagnostics, the preferred quick fix, source.fixAll (safe fixes only), the
 * hover, and the checklist view's data.
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

  it('source.fixAll.djangoReadiness applies the safe fixes only', async () => {
    const before = ours(settings).map(codeOf);
    assert.ok(before.includes('DJR304'), 'HSTS (a safe fix) is reported before');
    assert.ok(before.includes('DJR201'), 'DEBUG = True (an unsafe fix) is reported before');
    const full = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions = await codeActions(settings, full, 'source.fixAll.djangoReadiness');
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.djangoReadiness');
    assert.ok(fixAll?.edit, 'a fix-all action with an edit');
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    const after = await waitFor('the safe findings to go away', () => {
      const codes = ours(settings).map(codeOf);
      return codes.includes('DJR304') ? undefined : codes;
    });
    assert.ok(after.includes('DJR201'), 'the unsafe fix (DEBUG) was not applied');
    assert.match(doc.getText(), /^DEBUG = True$/m);
    assert.match(doc.getText(), /^SECURE_HSTS_SECONDS = 31536000$/m);
    await vscode.workspace.saveAll(false);
  });

  it('the checklist view lists the categories and failing items', async () => {
    const ext = vscode.extensions.getExtension<{ checklist?: vscode.TreeDataProvider<unknown> }>(EXTENSION_ID);
    const provider = ext?.exports?.checklist;
    assert.ok(provider, 'the extension exposes the checklist view data');
    const labelOf = async (n: unknown) => {
      const item = await provider.getTreeItem(n);
      return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    };
    const top = await waitFor('checklist nodes', async () => {
      const nodes = (await provider.getChildren()) ?? [];
      const labels = await Promise.all(nodes.map(labelOf));
      return labels.some((l) => /Secrets and environment/.test(l)) ? nodes : undefined;
    });
    const labels = await Promise.all(top.map(labelOf));
    assert.ok(labels.includes('Debug and hosts'), labels.join(', '));
    const debugCategory = top[labels.indexOf('Debug and hosts')];
    const items = (await provider.getChildren(debugCategory)) ?? [];
    const itemItems = await Promise.all(items.map((n) => provider.getTreeItem(n)));
    const failing = itemItems.find((i) => /DEBUG/i.test(String(typeof i.label === 'string' ? i.label : i.label?.label)) && /fail/i.test(`${i.contextValue} ${i.description}`));
    assert.ok(failing, `a failing DEBUG item: ${itemItems.map((i) => `${typeof i.label === 'string' ? i.label : i.label?.label} [${i.contextValue}] ${i.description}`).join(' | ')}`);
  });
});
