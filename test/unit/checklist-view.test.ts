/**
 * The vscode adapter of the checklist view (checklistView.ts) against a small stand-in for the
 * `vscode` module and a fake language client: requests, live updates, context keys, the score
 * in the view and the language status item, ticks, fixes, documentation and the export.
 * (The real VS Code run is the e2e suite's job; this catches wiring mistakes in-process.)
 */
import assert from 'node:assert/strict';
import Module from 'node:module';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { buildChecklist, emptyManualState, renderMarkdownReport, type AnalysisResult, type ChecklistReport } from '../../server/src/engine';
import { toWireReport } from '../../server/src/lsp/checklist';
import { CHECKLIST_CHANGED_NOTIFICATION, CHECKLIST_MARKDOWN_REQUEST, CHECKLIST_REQUEST, SET_MANUAL_REQUEST, type ChecklistMarkdownParams } from '../../server/src/protocol/checklist';
import { APPLY_FIX_REQUEST } from '../../server/src/protocol/messages';

type Fn = (...a: unknown[]) => unknown;
const calls: { executed: unknown[][]; contexts: Record<string, unknown>; applied: unknown[]; opened: string[]; written: Map<string, string>; external: string[] } = { executed: [], contexts: {}, applied: [], opened: [], written: new Map(), external: [] };
const registered = new Map<string, Fn>();
let treeView: { description?: string; badge?: unknown; selection: unknown[] } | undefined;
let statusItem: { text?: string; detail?: string } | undefined;
let saveTarget: { fsPath: string; toString(): string } | undefined;

class Uri {
  constructor(readonly fsPath: string) {}
  static file(p: string) {
    return new Uri(p);
  }
  static parse(s: string) {
    return new Uri(s.replace(/^file:\/\//, ''));
  }
  static joinPath(u: Uri, ...parts: string[]) {
    return new Uri([u.fsPath, ...parts].join('/'));
  }
  toString() {
    return `file://${this.fsPath}`;
  }
}
class EventEmitter {
  private ls: Fn[] = [];
  event = (l: Fn) => {
    this.ls.push(l);
    return { dispose() {} };
  };
  fire(v?: unknown) {
    for (const l of this.ls) l(v);
  }
  dispose() {}
}
const folder = { uri: Uri.file('/ws'), name: 'ws', index: 0 };
const vscodeStub = {
  Uri,
  EventEmitter,
  TreeItem: class {
    constructor(
      public label: string,
      public collapsibleState: number,
    ) {}
  },
  ThemeIcon: class {
    constructor(
      public id: string,
      public color?: unknown,
    ) {}
  },
  ThemeColor: class {
    constructor(public id: string) {}
  },
  MarkdownString: class {
    constructor(public value: string) {}
  },
  Range: class {
    constructor(...a: number[]) {
      Object.assign(this, { a });
    }
  },
  WorkspaceEdit: class {
    ops: unknown[] = [];
    replace(uri: Uri, range: unknown, text: string) {
      this.ops.push(['replace', uri.fsPath, range, text]);
    }
    createFile(uri: Uri, o: unknown) {
      this.ops.push(['create', uri.fsPath, o]);
    }
  },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  LanguageStatusSeverity: { Information: 0, Warning: 1, Error: 2 },
  window: {
    createTreeView: (_id: string, _o: unknown) => (treeView = { selection: [], dispose() {} } as never),
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => 'Apply',
    showErrorMessage: async (m: string) => {
      throw new Error(`unexpected error message: ${m}`);
    },
    showQuickPick: async () => undefined,
    showSaveDialog: async () => saveTarget,
    showTextDocument: async () => undefined,
  },
  languages: { createLanguageStatusItem: () => (statusItem = { dispose() {} } as never) },
  workspace: {
    workspaceFolders: [folder],
    onDidChangeWorkspaceFolders: () => ({ dispose() {} }),
    getWorkspaceFolder: () => folder,
    createFileSystemWatcher: () => ({ onDidChange: () => ({ dispose() {} }), onDidCreate: () => ({ dispose() {} }), onDidDelete: () => ({ dispose() {} }), dispose() {} }),
    applyEdit: async (e: unknown) => {
      calls.applied.push(e);
      return true;
    },
    fs: {
      writeFile: async (u: Uri, b: Uint8Array) => {
        calls.written.set(u.fsPath, Buffer.from(b).toString('utf8'));
      },
    },
    openTextDocument: async (u: Uri) => {
      calls.opened.push(u.fsPath);
      return { positionAt: (offset: number) => ({ offset }) };
    },
  },
  commands: {
    executeCommand: async (...a: unknown[]) => {
      calls.executed.push(a);
      if (a[0] === 'setContext') calls.contexts[a[1] as string] = a[2];
    },
    registerCommand: (id: string, fn: Fn) => {
      registered.set(id, fn);
      return { dispose() {} };
    },
    getCommands: async () => ['djangoReadiness.showRuleDocumentation'],
  },
  env: {
    openExternal: async (u: Uri) => {
      calls.external.push(u.toString());
      return true;
    },
  },
};

// `require('vscode')` inside the adapter resolves to the stand-in.
const mod = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
const originalLoad = mod._load;
before(() => {
  mod._load = function (req: string, ...rest: unknown[]) {
    return req === 'vscode' ? vscodeStub : originalLoad.call(this, req, ...rest);
  };
});
after(() => {
  mod._load = originalLoad;
});

function report(done: boolean): ChecklistReport {
  const result: AnalysisResult = {
    root: '/ws',
    projects: [{ root: '/ws', productionModule: '/ws/s.py', productionReason: 'x', settingsModules: [], packages: [], djangoVersion: [5, 2], djangoVersionPinned: true }],
    findings: [{ code: 'DJR201', name: 'debug-enabled', severity: 'error', file: '/ws/s.py', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 12 } }, message: 'DEBUG is True in production', fixes: [{ id: 'DJR201@/ws/s.py:4:1#fix', title: 'Use the environment', applicability: 'unsafe', edits: [{ file: '/ws/.env', start: 0, end: 0, newText: 'X=1\n', create: true }, { file: '/ws/s.py', start: 50, end: 54, newText: 'False' }] }] }],
    notes: [],
    applicability: { DJR201: true, DJR202: true },
    stats: { filesFound: 0, pythonFiles: 0, parsed: 0, skippedByPrefilter: 0, skippedLargeOrBinary: 0, ms: 0 },
  };
  const ticks = emptyManualState();
  if (done) ticks.items['database.backups'] = { done: true, by: 'me', date: '2026-01-01' };
  return buildChecklist(result, ticks, []);
}

test('the adapter requests, renders, ticks, fixes, documents and exports', async () => {
  const { registerChecklist } = await import('../../client/src/checklist/checklistView');
  const requests: [string, unknown][] = [];
  let ticked = false;
  let notify: ((p: unknown) => void) | undefined;
  const server = {
    sendRequest: async <R>(method: string, params: unknown): Promise<R> => {
      requests.push([method, params]);
      // what the server sends: the wire report (no fix edits), and the Markdown it renders
      if (method === CHECKLIST_REQUEST) return toWireReport(report(ticked)) as R;
      if (method === CHECKLIST_MARKDOWN_REQUEST) return { markdown: renderMarkdownReport(report(ticked), { root: path.dirname((params as ChecklistMarkdownParams).target ?? '/ws'), date: '2026-01-01' }) } as R;
      if (method === SET_MANUAL_REQUEST) {
        ticked = (params as { done: boolean }).done;
        return { ok: true } as R;
      }
      if (method === APPLY_FIX_REQUEST) return { applied: true, title: 'Use the environment', files: ['/ws/s.py'] } as R;
      throw new Error(method);
    },
    onNotification: (method: string, h: (p: never) => void) => {
      assert.equal(method, CHECKLIST_CHANGED_NOTIFICATION);
      notify = h as (p: unknown) => void;
      return { dispose() {} };
    },
  };
  const context = { subscriptions: [] as unknown[] };
  const view = registerChecklist(context as never, server);
  await view.refreshAll();
  assert.deepEqual(requests[0], [CHECKLIST_REQUEST, { uri: 'file:///ws' }]);
  assert.equal(calls.contexts['djangoReadiness.checklist.state'], 'ready');
  assert.equal(calls.contexts['djangoReadiness.checklist.onlyFailing'], false);
  assert.match(treeView?.description ?? '', /^Score 0% · 1 failing · manual 0\/\d+$/);
  assert.equal(treeView?.badge, undefined, 'no djangoReadiness/status yet');
  assert.equal((treeView as { title?: string } | undefined)?.title, 'Checklist · 0%');
  // the server's status (published diagnostics) sets the badge: the Problems panel's count
  view.setStatus({ uri: 'file:///ws', enabled: true, hasDjangoProject: true, projects: [], counts: { error: 1, warning: 2, info: 1, hint: 0 }, files: 1, ms: 1 });
  assert.deepEqual(treeView?.badge, { value: 4, tooltip: '4 problems (1 error, 2 warnings, 1 info), as in the Problems panel · 1 checklist item failing · score 0%' });
  assert.equal(statusItem?.text, '$(checklist) Readiness 0%');

  // the tree: a finding node opens its file at its range
  const cats = view.getChildren();
  const debugCat = cats.find((c) => view.getTreeItem(c).label === 'Debug and hosts')!;
  const debugItem = view.getChildren(debugCat)[0];
  const findingNode = view.getChildren(debugItem)[0];
  const ti = view.getTreeItem(findingNode) as unknown as { command: { command: string; arguments: [Uri, { selection: unknown }] } };
  assert.equal(ti.command.command, 'vscode.open');
  assert.equal(ti.command.arguments[0].fsPath, '/ws/s.py');

  // live update: a notification re-requests
  const before = requests.length;
  notify?.({ uri: 'file:///ws', summary: {} });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(requests.length, before + 1);

  // mark a manual item done, then undo
  const dbCat = view.getChildren().find((c) => view.getTreeItem(c).label === 'Database')!;
  const backups = view.getChildren(dbCat).find((n) => String(view.getTreeItem(n).label).startsWith('Automated backups'))!;
  await registered.get('djangoReadiness.checklist.markDone')!(backups);
  const setReq = requests.find((r) => r[0] === SET_MANUAL_REQUEST);
  assert.equal((setReq?.[1] as { id: string; done: boolean }).id, 'database.backups');
  assert.match(treeView?.description ?? '', /manual 1\//);
  const backupsNow = view.getChildren(view.getChildren().find((c) => view.getTreeItem(c).label === 'Database')!).find((n) => String(view.getTreeItem(n).label).startsWith('Automated backups'))!;
  assert.match(String(view.getTreeItem(backupsNow).contextValue), /\bmanualDone\b/);
  await registered.get('djangoReadiness.checklist.markNotDone')!(backupsNow);
  assert.equal(ticked, false);

  // apply the fix (unsafe: confirmed): the server is asked to apply it by id; no edit is computed here
  await registered.get('djangoReadiness.checklist.applyFix')!(findingNode);
  assert.deepEqual(requests.filter((r) => r[0] === APPLY_FIX_REQUEST), [[APPLY_FIX_REQUEST, { uri: 'file:///ws', id: 'DJR201@/ws/s.py:4:1#fix' }]]);
  assert.deepEqual(calls.applied, [], 'the client applies no edit of its own');

  // documentation through the extension's own command
  await registered.get('djangoReadiness.checklist.showDocumentation')!(findingNode);
  assert.ok(calls.executed.some((c) => c[0] === 'djangoReadiness.showRuleDocumentation' && c[1] === 'DJR201'));

  // filter toggle
  await registered.get('djangoReadiness.checklist.showOnlyFailing')!();
  assert.equal(calls.contexts['djangoReadiness.checklist.onlyFailing'], true);
  assert.deepEqual(view.getChildren().map((c) => view.getTreeItem(c).label), ['Debug and hosts']);
  await registered.get('djangoReadiness.checklist.showAll')!();

  // export: writes Markdown beside the chosen path and opens it
  saveTarget = Uri.file('/ws/docs/READINESS.md');
  await registered.get('djangoReadiness.checklist.exportReport')!();
  assert.deepEqual(requests.find((r) => r[0] === CHECKLIST_MARKDOWN_REQUEST), [CHECKLIST_MARKDOWN_REQUEST, { uri: 'file:///ws', target: '/ws/docs/READINESS.md' }], 'the server renders the report');
  const md = calls.written.get('/ws/docs/READINESS.md');
  assert.ok(md);
  assert.match(md, /^# Production readiness report: /);
  assert.match(md, /\[\.\.\/s\.py:4\]\(\.\.\/s\.py#L4\)/);
  assert.deepEqual(calls.opened, ['/ws/docs/READINESS.md']);
  view.dispose();
});
