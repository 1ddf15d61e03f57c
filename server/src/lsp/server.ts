/**
 * The language server, independent of its transport. connection.ts wires an LSP connection to
 * it; tests drive it in-process through a pair of streams.
 *
 * It is a facade over its parts, each a class testable on its own:
 *  - context.ts     what they share (host, capabilities, rules, file systems, open documents);
 *  - folders.ts     folders and configuration (workspace/configuration, pyproject.toml);
 *  - documents.ts   documents and file events, which mark folders dirty;
 *  - scheduler.ts   debounced, incremental analysis per folder (worker threads for large ones);
 *  - publisher.ts   diagnostics and status notifications;
 *  - fixes.ts       code actions, fix-all and the fix requests (engine/fixAll.ts, edits 1:1);
 *  - requests.ts    hover and the other custom requests.
 *
 * Model: one Folder per workspace folder (plus implicit ones for files opened outside every
 * folder), each with one Analyzer (parse trees and per-file results cached) reading through a
 * shared overlay of the open documents over a caching view of the disk. An edit marks its folder
 * dirty; after a short debounce the folder is analysed (incrementally: only what changed is
 * re-parsed) and the diagnostics of every file whose findings changed are published, for open
 * and closed files alike; files whose findings went away are cleared.
 */
import * as path from 'node:path';
import {
  CodeActionKind,
  TextDocumentSyncKind,
  WatchKind,
  type CodeAction,
  type CodeActionParams,
  type DidChangeConfigurationParams,
  type DidChangeTextDocumentParams,
  type DidChangeWatchedFilesParams,
  type DidCloseTextDocumentParams,
  type DidOpenTextDocumentParams,
  type DidSaveTextDocumentParams,
  type ExecuteCommandParams,
  type FileSystemWatcher,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceEdit,
  type WorkspaceFolder,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver';
import { allRules } from '../../../rules/index.generated';
import type { AnalysisResult } from '../engine/analyzer';
import { initParser } from '../engine/parser';
import type { FileSystem } from '../engine/project';
import type { Rule } from '../engine/rule';
import {
  FIX_ALL_KIND,
  SERVER_APPLY_FIX_COMMAND,
  type ApplyFixParams,
  type ApplyFixResult,
  type DebugStats,
  type FixAllParams,
  type RecheckParams,
  type RecheckResult,
  type RuleDocsParams,
  type RuleDocsResult,
  type RuleSummary,
  type StatusParams,
} from '../protocol/messages';
import { resolveSettings, SETTINGS_SECTION } from '../protocol/settings';
import { ServerContext, type ServerHost } from './context';
import { Documents, WATCHED_GLOBS } from './documents';
import { Fixes } from './fixes';
import { Folders, type FolderInfo } from './folders';
import { Publisher } from './publisher';
import { Requests } from './requests';
import { Scheduler } from './scheduler';
import { StartupLog } from './startupLog';
import pkg from '../../../package.json';
import { isInside, uriToPath } from './uri';

export type { LogLevel, ServerHost } from './context';
export type { FolderInfo } from './folders';
export { WATCHED_GLOBS } from './documents';

export interface ServerOptions {
  rules?: Rule[];
  /** Delay between the last keystroke and the analysis (ms). Default 75. */
  debounceMs?: number;
  /** Longest a burst of keystrokes postpones the analysis (ms). Default 400. */
  maxWaitMs?: number;
  /** The disk (tests may pass an in-memory file system). */
  fs?: FileSystem;
  /**
   * Worker threads for the code rules of large folders (default: one per core but one; 0: none). A
   * folder with fewer files for the code rules than `parallelMinFiles` is analysed in-process.
   */
  workers?: number;
  parallelMinFiles?: number;
}

export class DjangoReadinessServer {
  readonly ctx: ServerContext;
  readonly folderSet: Folders;
  readonly scheduler: Scheduler;
  readonly publisher: Publisher;
  readonly documents: Documents;
  readonly fixes: Fixes;
  readonly requests: Requests;
  readonly startupLog: StartupLog;

  constructor(host: ServerHost, opts: ServerOptions = {}) {
    this.ctx = new ServerContext(host, opts.rules ?? allRules, opts.fs);
    // the parts refer to one another through these late-bound events
    this.folderSet = new Folders(this.ctx, {
      settingsChanged: (f) => this.scheduler.touch(f, 'config'),
      removed: (f) => this.publisher.clear(f),
    });
    this.publisher = new Publisher(this.ctx, this.folderSet);
    this.scheduler = new Scheduler(this.ctx, this.folderSet, this.publisher, { ...opts, registry: allRules });
    this.documents = new Documents(this.ctx, this.folderSet, this.scheduler, this.publisher);
    this.fixes = new Fixes(this.ctx, this.folderSet, this.scheduler);
    this.requests = new Requests(this.ctx, this.folderSet, this.scheduler, this.publisher);
    this.startupLog = new StartupLog(this.ctx, this.folderSet, pkg.version);
    this.scheduler.onPublished = (f, result, files, ms) => this.startupLog.published(f, result, files, ms);
  }

  /** Open documents over the (cached) disk: what every analyzer reads. */
  get fs() {
    return this.ctx.fs;
  }

  // ---------------------------------------------------------------- lifecycle

  async initialize(params: InitializeParams): Promise<InitializeResult> {
    this.ctx.caps = params.capabilities ?? {};
    const init = params.initializationOptions as { settings?: unknown; djangoReadiness?: unknown; debounceMs?: unknown } | undefined;
    if (init && typeof init === 'object') {
      // `{ settings: {...} }` (the VS Code client), `{ djangoReadiness: {...} }`, or the settings themselves
      const direct = ['enable', 'rules', 'productionSettingsModule', 'thresholds', 'includeTests', 'exclude', 'trace', 'logLevel'].some((k) => k in init);
      const settings = init.settings ?? init.djangoReadiness ?? (direct ? init : undefined);
      this.folderSet.setPushedSettings(settings);
      // the log level applies from the first line (the folders' settings come later)
      this.ctx.logLevel = resolveSettings(settings).logLevel;
      if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) this.scheduler.debounceMs = init.debounceMs;
    }
    const folders: WorkspaceFolder[] = params.workspaceFolders ?? [];
    if (folders.length === 0 && params.rootUri) folders.push({ uri: params.rootUri, name: path.basename(uriToPath(params.rootUri) ?? 'root') });
    for (const wf of folders) this.folderSet.add(wf.uri, wf.name, false);
    try {
      await initParser();
      this.scheduler.parserReady = true;
    } catch (e) {
      this.ctx.host.log('error', `The Python parser could not be loaded: ${(e as Error).message}. No analysis will run.`);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND], resolveProvider: this.ctx.resolveSupport },
        hoverProvider: true,
        // clients that cannot create files get fixes creating one as this command (lsp/fixes.ts)
        ...(this.ctx.canCreateFiles ? {} : { executeCommandProvider: { commands: [SERVER_APPLY_FIX_COMMAND] } }),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'django-readiness' },
    };
  }

  async initialized(): Promise<void> {
    const ws = this.ctx.caps.workspace;
    if (ws?.didChangeWatchedFiles?.dynamicRegistration) {
      try {
        const watchers: FileSystemWatcher[] = WATCHED_GLOBS.map((globPattern) => ({ globPattern }));
        // folders created or deleted (a deleted folder is one event, not one per file)
        watchers.push({ globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete });
        await this.ctx.host.registerFileWatchers(watchers);
        this.documents.watching = true;
        this.ctx.diskFs.enabled = true;
      } catch (e) {
        this.ctx.host.log('warn', `Could not register file watchers: ${(e as Error).message}`);
      }
    }
    if (ws?.didChangeConfiguration?.dynamicRegistration) {
      try {
        await this.ctx.host.registerConfigurationChange(SETTINGS_SECTION);
      } catch (e) {
        this.ctx.host.log('warn', `Could not register for configuration changes: ${(e as Error).message}`);
      }
    }
    await this.folderSet.loadSettings(this.folderSet.all());
    // once the settings are known (djangoReadiness.logLevel)
    this.startupLog.started(this.folderSet.all().map((f) => ({ name: f.name, root: f.root })));
  }

  dispose(): void {
    this.ctx.disposed = true;
    this.scheduler.dispose();
    this.folderSet.dispose();
  }

  // ---------------------------------------------------------------- folders (extension points)

  didChangeWorkspaceFolders(e: WorkspaceFoldersChangeEvent): void {
    for (const r of e.removed) {
      const f = this.folderSet.byUri(r.uri);
      if (f) this.folderSet.remove(f);
    }
    const added = e.added.flatMap((a) => this.folderSet.add(a.uri, a.name, false) ?? []);
    // files of the new folders may have been analysed by an implicit folder, or by a parent one
    for (const f of this.folderSet.all()) {
      if (f.implicit && added.some((a) => isInside(a.root, f.root))) this.folderSet.remove(f);
    }
    for (const f of this.folderSet.all()) if (!added.includes(f)) this.scheduler.touch(f, 'fs');
    void this.folderSet.loadSettings(added);
  }

  /** The folders (workspace and implicit ones) currently known. */
  folders(): FolderInfo[] {
    return this.folderSet.infos();
  }

  /** The latest analysis of a folder (by folder URI); undefined before the first one. */
  getResult(folderUri: string): AnalysisResult | undefined {
    return this.folderSet.get(folderUri)?.result;
  }

  /** The folder a document or file URI belongs to. */
  folderOf(uri: string): FolderInfo | undefined {
    const p = uriToPath(uri);
    const f = p ? this.folderSet.ownerOf(p) : undefined;
    return f ? { uri: f.uri, root: f.root, name: f.name, implicit: f.implicit } : undefined;
  }

  /** Called after every analysis of a folder (the checklist view listens here). */
  onDidAnalyze(listener: (folder: FolderInfo, result: AnalysisResult) => void): { dispose(): void } {
    return this.scheduler.onDidAnalyze(listener);
  }

  /** Analyses a folder now if it has changes not analysed yet; returns its latest result. */
  flush(folderUri: string): AnalysisResult | undefined {
    const f = this.folderSet.get(folderUri);
    if (!f) return undefined;
    this.scheduler.ensureFresh(f, true);
    return f.result;
  }

  // ---------------------------------------------------------------- LSP messages

  didChangeConfiguration(params: DidChangeConfigurationParams): void {
    this.folderSet.didChangeConfiguration(params);
  }

  didOpen(params: DidOpenTextDocumentParams): void {
    this.documents.didOpen(params);
  }

  didChange(params: DidChangeTextDocumentParams): void {
    this.documents.didChange(params);
  }

  didSave(params: DidSaveTextDocumentParams): void {
    this.documents.didSave(params);
  }

  didClose(params: DidCloseTextDocumentParams): void {
    this.documents.didClose(params);
  }

  didChangeWatchedFiles(params: DidChangeWatchedFilesParams): void {
    this.documents.didChangeWatchedFiles(params);
  }

  codeAction(params: CodeActionParams): Promise<CodeAction[]> {
    return this.fixes.codeAction(params);
  }

  codeActionResolve(action: CodeAction): Promise<CodeAction> {
    return this.fixes.codeActionResolve(action);
  }

  hover(params: HoverParams): Promise<Hover | null> {
    return this.requests.hover(params);
  }

  // ---------------------------------------------------------------- custom requests

  getStatus(): StatusParams[] {
    return this.requests.getStatus();
  }

  recheck(params: RecheckParams | undefined): RecheckResult {
    return this.requests.recheck(params);
  }

  ruleDocs(params: RuleDocsParams | undefined): RuleDocsResult | null {
    return this.requests.ruleDocs(params);
  }

  listRules(): RuleSummary[] {
    return this.requests.listRules();
  }

  fixAll(params: FixAllParams | undefined): Promise<WorkspaceEdit | null> {
    return this.fixes.fixAll(params);
  }

  executeCommand(params: ExecuteCommandParams): Promise<ApplyFixResult | null> {
    return this.fixes.executeCommand(params.command, params.arguments);
  }

  applyFix(params: ApplyFixParams | undefined): Promise<ApplyFixResult> {
    return this.fixes.applyFix(params);
  }

  debugStats(params?: { gc?: boolean }): DebugStats {
    return this.requests.debugStats(params);
  }
}
