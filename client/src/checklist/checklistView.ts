/**
 * The "Production Readiness" view: a thin vscode adapter over ChecklistTreeModel (tree.ts),
 * fed by the language server (djangoReadiness/checklist, djangoReadiness/checklistChanged),
 * plus the checklist commands (refresh, export, filter, apply fix, documentation, manual ticks)
 * and the score in a language status item. Wired from extension.ts by registerChecklist().
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  CHECKLIST_CHANGED_NOTIFICATION,
  CHECKLIST_MARKDOWN_REQUEST,
  CHECKLIST_REQUEST,
  SET_MANUAL_REQUEST,
  type ChecklistChangedParams,
  type ChecklistMarkdownParams,
  type ChecklistMarkdownResult,
  type ChecklistParams,
  type ChecklistResponse,
  type SetManualParams,
  type SetManualResult,
} from '../../../server/src/protocol/checklist';
import { APPLY_FIX_REQUEST, SHOW_RULE_DOCUMENTATION_COMMAND, type ApplyFixParams, type ApplyFixResult, type StatusParams } from '../../../server/src/protocol/messages';
import { DOCUMENT_SELECTOR } from '../selector';
import { CHECKLIST_COMMANDS, CONTEXT_KEYS, VIEW_ID } from './ids';
import { ChecklistTreeModel, docCodeOf, docUrlOf, fixableFinding, primaryFix, scoreText, type ChecklistNode, type TreeItemSpec } from './tree';

export { VIEW_ID };
export const COMMANDS = CHECKLIST_COMMANDS;
const CTX_STATE = CONTEXT_KEYS.state;
const CTX_ONLY_FAILING = CONTEXT_KEYS.onlyFailing;

/** What the view needs from the language client (vscode-languageclient's LanguageClient fits). */
export interface ChecklistServer {
  sendRequest<R>(method: string, params: unknown): Promise<R>;
  onNotification(method: string, handler: (params: ChecklistChangedParams) => void): vscode.Disposable;
}

export function toTreeItem(spec: TreeItemSpec): vscode.TreeItem {
  const state = spec.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded : spec.collapsible === 'collapsed' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(spec.label, state);
  item.id = spec.id;
  item.description = spec.description;
  if (spec.tooltip) item.tooltip = new vscode.MarkdownString(spec.tooltip);
  if (spec.icon) item.iconPath = new vscode.ThemeIcon(spec.icon.id, spec.icon.color ? new vscode.ThemeColor(spec.icon.color) : undefined);
  item.contextValue = spec.contextValue;
  if (spec.open) {
    const r = spec.open.range;
    item.command = {
      command: 'vscode.open',
      title: 'Open',
      arguments: [vscode.Uri.file(spec.open.file), { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) } satisfies vscode.TextDocumentShowOptions],
    };
  }
  return item;
}

function whoAmI(): string | undefined {
  try {
    return process.env.GIT_AUTHOR_NAME || os.userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

export class ChecklistView implements vscode.TreeDataProvider<ChecklistNode>, vscode.Disposable {
  readonly model = new ChecklistTreeModel();
  private readonly changed = new vscode.EventEmitter<ChecklistNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<ChecklistNode>;
  /** The score in the language status (only while a checklist is shown: silent outside Django). */
  private status: vscode.LanguageStatusItem | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly server: ChecklistServer) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.view, this.changed, { dispose: () => this.status?.dispose() });
    this.disposables.push(server.onNotification(CHECKLIST_CHANGED_NOTIFICATION, (p) => void this.refresh(p.uri)));
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const f of e.removed) this.model.removeFolder(f.uri.toString());
      void this.refreshAll();
    }));
    // Ticks edited by hand or pulled from git: the server reads the file on each request.
    const watcher = vscode.workspace.createFileSystemWatcher('**/.django-readiness/checklist.json');
    const onTicks = (uri: vscode.Uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      void (folder ? this.refresh(folder.uri.toString()) : this.refreshAll());
    };
    this.disposables.push(watcher, watcher.onDidChange(onTicks), watcher.onDidCreate(onTicks), watcher.onDidDelete(onTicks));
    void vscode.commands.executeCommand('setContext', CTX_ONLY_FAILING, false);
    this.render();
  }

  getTreeItem(node: ChecklistNode): vscode.TreeItem {
    return toTreeItem(this.model.treeItem(node));
  }

  getChildren(node?: ChecklistNode): ChecklistNode[] {
    return this.model.children(node);
  }

  getParent(node: ChecklistNode): ChecklistNode | undefined {
    return this.model.parent(node);
  }

  /** Re-requests every workspace folder's checklist. */
  async refreshAll(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    await Promise.all(folders.map((f) => this.refresh(f.uri.toString())));
    this.render();
  }

  /** Re-requests one folder's checklist (coalesces concurrent requests for the same folder). */
  refresh(folderUri: string): Promise<void> {
    const running = this.pending.get(folderUri);
    if (running) return running.then(() => this.refresh(folderUri));
    const p = this.load(folderUri).finally(() => this.pending.delete(folderUri));
    this.pending.set(folderUri, p);
    return p;
  }

  private async load(folderUri: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === folderUri);
    if (!folder) {
      this.model.removeFolder(folderUri);
      this.render();
      return;
    }
    const previous = this.model.folder(folderUri);
    try {
      const report = await this.server.sendRequest<ChecklistResponse>(CHECKLIST_REQUEST, { uri: folderUri } satisfies ChecklistParams);
      // null: not analysed yet; keep what we had, a checklistChanged notification follows.
      this.model.setFolder(report ? { uri: folderUri, name: folder.name, report } : { uri: folderUri, name: folder.name, report: previous?.report, loading: !previous?.report });
    } catch (e) {
      this.model.setFolder({ uri: folderUri, name: folder.name, report: previous?.report, error: previous?.report ? undefined : `The checklist is not available: ${(e as Error).message}` });
    }
    this.render();
  }

  /** The server's djangoReadiness/status of a folder: its published diagnostics feed the badge. */
  setStatus(s: StatusParams): void {
    this.model.setProblems(s.uri, s.counts);
    this.render();
  }

  private render(): void {
    // no folder open at all: nothing to analyse (the welcome content offers to open one)
    const state = (vscode.workspace.workspaceFolders?.length ?? 0) === 0 ? 'no-project' : this.model.state();
    void vscode.commands.executeCommand('setContext', CTX_STATE, state);
    this.view.title = this.model.title();
    this.view.description = this.model.description();
    this.view.badge = this.model.badge();
    const t = this.model.totals();
    if (state === 'ready') {
      if (!this.status) {
        this.status = vscode.languages.createLanguageStatusItem('djangoReadiness.checklistScore', DOCUMENT_SELECTOR);
        this.status.name = 'Django readiness score';
        this.status.command = { command: `${VIEW_ID}.focus`, title: 'Show checklist', tooltip: 'Open the Production Readiness checklist' };
      }
      this.status.text = `$(checklist) Readiness ${scoreText(t.score)}`;
      this.status.detail = `${t.failed} item${t.failed === 1 ? '' : 's'} failing`;
      this.status.severity = vscode.LanguageStatusSeverity.Information;
    } else if (this.status) {
      this.status.dispose();
      this.status = undefined;
    }
    this.changed.fire();
  }

  /** The selected node (commands run from the keyboard or the palette). */
  selection(): ChecklistNode | undefined {
    return this.view.selection[0];
  }

  setOnlyFailing(on: boolean): void {
    this.model.onlyFailing = on;
    void vscode.commands.executeCommand('setContext', CTX_ONLY_FAILING, on);
    this.render();
  }

  async applyFix(node: ChecklistNode | undefined): Promise<void> {
    let finding = node?.kind === 'finding' ? node.finding : node?.kind === 'item' ? fixableFinding(node.item) : undefined;
    if (finding && node && node.kind !== 'message' && node.kind !== 'category') {
      // A fix's id names its place in the files as last analysed: take it fresh.
      const wanted = finding;
      await this.refresh(node.folder.uri);
      const fresh = this.model.folder(node.folder.uri)?.report?.items.flatMap((i) => i.findings);
      finding = fresh?.find((f) => f.code === wanted.code && f.file === wanted.file && f.message === wanted.message) ?? fresh?.find((f) => f.code === wanted.code && f.file === wanted.file);
    }
    const fix = finding && primaryFix(finding);
    if (!fix) {
      void vscode.window.showInformationMessage('No automatic fix for this item.');
      return;
    }
    if (fix.applicability !== 'safe') {
      const go = await vscode.window.showWarningMessage(`${fix.title}?`, { modal: true, detail: fix.applicability === 'display-only' ? 'This fix is never applied automatically: it may lose data (for example, a secret literal replaced by an environment lookup, with its value nowhere else). Keep a copy first, and review the change.' : 'This fix changes what the application does (for example, a setting must now come from the environment, or browsers start enforcing a header). Review the change before deploying.' }, 'Apply');
      if (go !== 'Apply') return;
    }
    // the server finds the fix again by id, runs it and applies the edit (workspace/applyEdit)
    const folderUri = node && node.kind !== 'message' && node.kind !== 'category' ? node.folder.uri : undefined;
    if (!folderUri) return;
    let res: ApplyFixResult;
    try {
      res = await this.server.sendRequest<ApplyFixResult>(APPLY_FIX_REQUEST, { uri: folderUri, id: fix.id } satisfies ApplyFixParams);
    } catch (e) {
      res = { applied: false, message: (e as Error).message };
    }
    if (!res.applied) void vscode.window.showErrorMessage(`Could not apply "${fix.title}": ${res.message ?? 'unknown error'}`);
  }

  async showDocumentation(node: ChecklistNode | undefined): Promise<void> {
    if (!node) return;
    const code = docCodeOf(node);
    // The extension's own (offline) documentation view, else the page online.
    const local = code ? (await vscode.commands.getCommands(true)).includes(SHOW_RULE_DOCUMENTATION_COMMAND) : false;
    if (code && local) {
      await vscode.commands.executeCommand(SHOW_RULE_DOCUMENTATION_COMMAND, code);
      return;
    }
    const url = docUrlOf(node);
    if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
  }

  async setManual(node: ChecklistNode | undefined, done: boolean): Promise<void> {
    if (node?.kind !== 'item' || node.item.status !== 'manual') return;
    const params: SetManualParams = { uri: node.folder.uri, id: node.item.id, done, by: done ? whoAmI() : undefined };
    try {
      const res = await this.server.sendRequest<SetManualResult>(SET_MANUAL_REQUEST, params);
      if (!res.ok) void vscode.window.showErrorMessage(`Could not save the tick: ${res.error ?? 'unknown error'}`);
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not save the tick: ${(e as Error).message}`);
    }
    await this.refresh(node.folder.uri);
  }

  async exportReport(): Promise<void> {
    const ready = this.model.folderStates().filter((f) => f.report?.hasDjangoProject);
    if (ready.length === 0) {
      void vscode.window.showInformationMessage('No readiness checklist to export yet: no Django project has been analysed.');
      return;
    }
    let target = ready[0];
    if (ready.length > 1) {
      const pick = await vscode.window.showQuickPick(ready.map((f) => ({ label: f.name, folder: f })), { placeHolder: 'Export the checklist of which folder?' });
      if (!pick) return;
      target = pick.folder;
    }
    await this.refresh(target.uri);
    const report = this.model.folder(target.uri)?.report;
    if (!report) return;
    const folderUri = vscode.Uri.parse(target.uri);
    const file = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folderUri, 'PRODUCTION_READINESS.md'), filters: { Markdown: ['md'] }, saveLabel: 'Export checklist' });
    if (!file) return;
    // the server renders the report (links relative to where it is written): the client bundles no engine code
    const res = await this.server.sendRequest<ChecklistMarkdownResult | null>(CHECKLIST_MARKDOWN_REQUEST, { uri: target.uri, target: file.fsPath } satisfies ChecklistMarkdownParams);
    if (!res) {
      void vscode.window.showInformationMessage('The readiness checklist is not ready yet: try again once the analysis has finished.');
      return;
    }
    const text = res.markdown;
    await vscode.workspace.fs.writeFile(file, Buffer.from(text, 'utf8'));
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Registers the view, its commands and its live updates. Call once from activate(). */
export function registerChecklist(context: vscode.ExtensionContext, server: ChecklistServer): ChecklistView {
  const view = new ChecklistView(server);
  context.subscriptions.push(
    view,
    vscode.commands.registerCommand(COMMANDS.refresh, () => view.refreshAll()),
    vscode.commands.registerCommand(COMMANDS.exportReport, () => view.exportReport()),
    vscode.commands.registerCommand(COMMANDS.showOnlyFailing, () => view.setOnlyFailing(true)),
    vscode.commands.registerCommand(COMMANDS.showAll, () => view.setOnlyFailing(false)),
    vscode.commands.registerCommand(COMMANDS.applyFix, (node?: ChecklistNode) => view.applyFix(node ?? view.selection())),
    vscode.commands.registerCommand(COMMANDS.showDocumentation, (node?: ChecklistNode) => view.showDocumentation(node ?? view.selection())),
    vscode.commands.registerCommand(COMMANDS.markDone, (node?: ChecklistNode) => view.setManual(node ?? view.selection(), true)),
    vscode.commands.registerCommand(COMMANDS.markNotDone, (node?: ChecklistNode) => view.setManual(node ?? view.selection(), false)),
  );
  void view.refreshAll();
  return view;
}
