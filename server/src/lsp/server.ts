/**
 * The language server, independent of its transport: documents, analysis scheduling,
 * diagnostics, code actions, hover, settings and the custom requests. connection.ts wires an
 * LSP connection to it; tests drive it in-process through a pair of streams.
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
  CodeActionTriggerKind,
  FileChangeType,
  TextDocumentSyncKind,
  WatchKind,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type ConfigurationItem,
  type CreateFile,
  type Diagnostic,
  type DidChangeConfigurationParams,
  type DidChangeTextDocumentParams,
  type DidChangeWatchedFilesParams,
  type DidCloseTextDocumentParams,
  type DidOpenTextDocumentParams,
  type DidSaveTextDocumentParams,
  type FileSystemWatcher,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
  type WorkspaceFolder,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { allRules } from '../../../rules/index.generated';
import { Analyzer, PARALLEL_MIN_FILES, type AnalysisResult, type PendingCode } from '../engine/analyzer';
import { isCodeRule, isCodeRuleFile } from '../engine/codecheck';
import { CodePool, defaultPoolSize } from '../engine/pool';
import { loadPyprojectConfig, mergeConfig, type ConfigProblem } from '../engine/config';
import { renderHover, renderRuleMarkdown } from '../engine/docs';
import { fixToApply } from '../engine/fix';
import { applyFix, fixPass } from '../engine/fixer';
import { initParser } from '../engine/parser';
import { inTemplateFolder } from '../engine/templateDirs';
import { classify, listFiles, NodeFileSystem, OverlayFileSystem, type FileInventory, type FileSystem } from '../engine/project';
import { ruleDocUrl, type Rule, type RuleMeta } from '../engine/rule';
import { comparePositions } from '../engine/text';
import type { Config, Finding, Fix, Position, Range, Severity } from '../engine/types';
import {
  DIAGNOSTIC_SOURCE,
  FIX_ALL_KIND,
  SHOW_RULE_DOCUMENTATION_COMMAND,
  STATUS_NOTIFICATION,
  type AnalysisTiming,
  type DebugStats,
  type FixAllParams,
  type RecheckParams,
  type RecheckResult,
  type RuleDocsParams,
  type RuleDocsResult,
  type RuleSummary,
  type StatusParams,
} from '../protocol/messages';
import { resolveSettings, SETTINGS_SECTION, type ResolvedSettings } from '../protocol/settings';
import { CachingFileSystem } from './cachedFs';
import { findingDiagnostic, noteDiagnostic, noteSignature } from './diagnostics';
import { ignoreEdit } from './ignore';
import { diffEdits } from './textDiff';
import { isInside, pathToUri, uriToPath } from './uri';

export type LogLevel = 'error' | 'warn' | 'info' | 'log';

/** What the server needs from its connection (connection.ts implements it; tests may fake it). */
export interface ServerHost {
  publishDiagnostics(params: PublishDiagnosticsParams): void;
  sendNotification(method: string, params: unknown): void;
  /** workspace/configuration (only called when the client supports it). */
  getConfiguration(items: ConfigurationItem[]): Promise<unknown[]>;
  /** Dynamic registration of workspace/didChangeWatchedFiles. */
  registerFileWatchers(watchers: FileSystemWatcher[]): Promise<void>;
  /** Dynamic registration of workspace/didChangeConfiguration for a section. */
  registerConfigurationChange(section: string): Promise<void>;
  log(level: LogLevel, message: string): void;
}

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

/** A folder as the extension points see it. */
export interface FolderInfo {
  uri: string;
  root: string;
  name: string;
  implicit: boolean;
}

interface OpenDoc {
  uri: string;
  doc: TextDocument;
}

interface Folder extends FolderInfo {
  analyzer: Analyzer;
  settings: ResolvedSettings;
  settingsKey: string;
  settingsLoaded: boolean;
  /** Resolves once the folder's settings are known (requests wait for it). */
  settingsReady: Promise<void>;
  markSettingsReady: () => void;
  /** Sequence number of the latest settings request (older answers are dropped). */
  settingsSeq: number;
  config?: Config;
  configProblems: ConfigProblem[];
  /** config.exclude the inventory was listed with. */
  excludeKey?: string;
  inventory?: FileInventory;
  result?: AnalysisResult;
  /** Findings of the last result, by file (only the files this folder owns). */
  byFile: Map<string, Finding[]>;
  /** Sequence number of the analysis that produced `result`. */
  seq: number;
  /** Bumped by every change that affects the folder. */
  generation: number;
  analyzedGeneration: number;
  /** Cancels the scheduled analysis. */
  timer?: () => void;
  /** performance.now() of the first change not analysed yet. */
  pendingSince?: number;
  changeMs: number;
  /** path -> signature of what was last published for it. */
  published: Map<string, string>;
  /** The rule failures of the last publication (already logged). */
  loggedFailures: Set<string>;
  statusKey?: string;
  status?: StatusParams;
  /**
   * The background scan of a large folder: code rules of the files without cached results, in
   * worker threads. Aborted by any newer change (what is done stays cached).
   */
  scan?: { signal: { aborted: boolean }; key: string };
}

/** Files the server watches (create, change, delete); folders are watched for create/delete. */
export const WATCHED_GLOBS = [
  '**/*.py',
  '**/requirements*.txt',
  '**/requirements*.in',
  '**/req*.txt',
  '**/requirements/*.txt',
  '**/requirements/*.in',
  '**/pyproject.toml',
  '**/Pipfile',
  '**/{poetry,uv,pdm,Pipfile}.lock',
  '**/.env',
  '**/.env.*',
  '**/env.example',
  '**/.gitignore',
  '**/Dockerfile',
  '**/Dockerfile.*',
  '**/dockerfile',
  '**/*.dockerfile',
  '**/Procfile',
  '**/docker-compose*.yml',
  '**/docker-compose*.yaml',
  '**/compose*.yml',
  '**/compose*.yaml',
];

/** Folders whose file events never matter (the engine's listing skips them too). */
const IGNORED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', '.idea', '.vscode', '.cache', '.eggs', '.direnv', 'htmlcov']);

const ZERO_COUNTS = (): Record<Severity, number> => ({ error: 0, warning: 0, info: 0, hint: 0 });

function overlapsOrTouches(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

function contains(r: Range, p: Position): boolean {
  return comparePositions(r.start, p) <= 0 && comparePositions(p, r.end) <= 0;
}

function sameRange(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}

function kindMatches(kind: string, only: string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => o === '' || kind === o || kind.startsWith(o + '.'));
}

export class DjangoReadinessServer {
  private readonly rules: Rule[];
  private readonly metaByCode = new Map<string, RuleMeta>();
  private readonly diskFs: CachingFileSystem;
  /** The disk (links followed only inside the workspace folders: see addFolder). */
  private readonly nodeFs: FileSystem;
  /** Open documents over the (cached) disk: what every analyzer reads. */
  readonly fs: OverlayFileSystem;
  private readonly docs = new Map<string, OpenDoc>();
  private readonly folderMap = new Map<string, Folder>();
  private debounceMs: number;
  private readonly maxWaitMs: number;
  private caps: ClientCapabilities = {};
  private pushedSettings: unknown;
  private parserReady = false;
  private watching = false;
  private disposed = false;
  private seq = 0;
  private readonly listeners: ((folder: FolderInfo, result: AnalysisResult) => void)[] = [];
  private readonly timings: AnalysisTiming[] = [];
  private pool: CodePool | undefined;
  private readonly workers: number | undefined;
  private readonly parallelMinFiles: number;

  constructor(
    private readonly host: ServerHost,
    opts: ServerOptions = {},
  ) {
    this.rules = opts.rules ?? allRules;
    for (const r of this.rules) this.metaByCode.set(r.meta.code, r.meta);
    this.nodeFs = opts.fs ?? new NodeFileSystem();
    this.diskFs = new CachingFileSystem(this.nodeFs);
    this.fs = new OverlayFileSystem(this.diskFs);
    this.debounceMs = opts.debounceMs ?? 75;
    this.maxWaitMs = opts.maxWaitMs ?? 400;
    this.workers = opts.workers;
    this.parallelMinFiles = opts.parallelMinFiles ?? PARALLEL_MIN_FILES;
  }

  // ---------------------------------------------------------------- lifecycle

  async initialize(params: InitializeParams): Promise<InitializeResult> {
    this.caps = params.capabilities ?? {};
    const init = params.initializationOptions as { settings?: unknown; debounceMs?: unknown } | undefined;
    if (init && typeof init === 'object') {
      this.pushedSettings = init.settings;
      if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) this.debounceMs = init.debounceMs;
    }
    const folders: WorkspaceFolder[] = params.workspaceFolders ?? [];
    if (folders.length === 0 && params.rootUri) folders.push({ uri: params.rootUri, name: path.basename(uriToPath(params.rootUri) ?? 'root') });
    for (const wf of folders) this.addFolder(wf.uri, wf.name, false);
    try {
      await initParser();
      this.parserReady = true;
    } catch (e) {
      this.host.log('error', `The Python parser could not be loaded: ${(e as Error).message}. No analysis will run.`);
    }
    const resolve = this.caps.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit') ?? false;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND], resolveProvider: resolve },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'django-readiness' },
    };
  }

  async initialized(): Promise<void> {
    const ws = this.caps.workspace;
    if (ws?.didChangeWatchedFiles?.dynamicRegistration) {
      try {
        const watchers: FileSystemWatcher[] = WATCHED_GLOBS.map((globPattern) => ({ globPattern }));
        // folders created or deleted (a deleted folder is one event, not one per file)
        watchers.push({ globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete });
        await this.host.registerFileWatchers(watchers);
        this.watching = true;
        this.diskFs.enabled = true;
      } catch (e) {
        this.host.log('warn', `Could not register file watchers: ${(e as Error).message}`);
      }
    }
    if (ws?.didChangeConfiguration?.dynamicRegistration) {
      try {
        await this.host.registerConfigurationChange(SETTINGS_SECTION);
      } catch (e) {
        this.host.log('warn', `Could not register for configuration changes: ${(e as Error).message}`);
      }
    }
    await this.loadSettings([...this.folderMap.values()]);
  }

  dispose(): void {
    this.disposed = true;
    void this.pool?.close();
    for (const f of this.folderMap.values()) {
      if (f.scan) f.scan.signal.aborted = true;
      f.timer?.();
      f.markSettingsReady();
      f.analyzer.cache.clear();
    }
    this.folderMap.clear();
  }

  // ---------------------------------------------------------------- folders

  private addFolder(uri: string, name: string, implicit: boolean): Folder | undefined {
    const root = uriToPath(uri);
    if (!root) return undefined;
    const existing = [...this.folderMap.values()].find((f) => f.root === root);
    if (existing) return existing;
    if (this.nodeFs instanceof NodeFileSystem) this.nodeFs.addRoot(root);
    const settings = resolveSettings(undefined);
    let markSettingsReady = () => {};
    const settingsReady = new Promise<void>((resolve) => (markSettingsReady = resolve));
    const f: Folder = {
      uri,
      root,
      name,
      implicit,
      analyzer: new Analyzer({ rules: this.rules, fs: this.fs }),
      settings,
      settingsKey: '',
      settingsLoaded: false,
      settingsReady,
      markSettingsReady,
      settingsSeq: 0,
      configProblems: [],
      byFile: new Map(),
      seq: 0,
      generation: 1,
      analyzedGeneration: 0,
      changeMs: 0,
      published: new Map(),
      loggedFailures: new Set(),
    };
    this.folderMap.set(uri, f);
    return f;
  }

  private removeFolder(f: Folder): void {
    if (f.scan) f.scan.signal.aborted = true;
    f.timer?.();
    f.markSettingsReady();
    for (const file of f.published.keys()) this.host.publishDiagnostics({ uri: this.uriOf(file), diagnostics: [] });
    f.published.clear();
    f.analyzer.cache.clear();
    this.folderMap.delete(f.uri);
  }

  didChangeWorkspaceFolders(e: WorkspaceFoldersChangeEvent): void {
    for (const r of e.removed) {
      const f = this.folderMap.get(r.uri) ?? [...this.folderMap.values()].find((x) => x.root === uriToPath(r.uri));
      if (f) this.removeFolder(f);
    }
    const added: Folder[] = [];
    for (const a of e.added) {
      const f = this.addFolder(a.uri, a.name, false);
      if (f) added.push(f);
    }
    // files of the new folders may have been analysed by an implicit folder, or by a parent one
    for (const f of this.folderMap.values()) {
      if (f.implicit && added.some((a) => isInside(a.root, f.root))) this.removeFolder(f);
    }
    for (const f of this.folderMap.values()) if (!added.includes(f)) this.touch(f, 'fs');
    void this.loadSettings(added);
  }

  /** The folders (workspace and implicit ones) currently known. */
  folders(): FolderInfo[] {
    return [...this.folderMap.values()].map(({ uri, root, name, implicit }) => ({ uri, root, name, implicit }));
  }

  /** The latest analysis of a folder (by folder URI); undefined before the first one. */
  getResult(folderUri: string): AnalysisResult | undefined {
    return this.folderMap.get(folderUri)?.result;
  }

  /** The folder a document or file URI belongs to. */
  folderOf(uri: string): FolderInfo | undefined {
    const p = uriToPath(uri);
    const f = p ? this.ownerOf(p) : undefined;
    return f ? { uri: f.uri, root: f.root, name: f.name, implicit: f.implicit } : undefined;
  }

  /** Called after every analysis of a folder (the checklist view listens here). */
  onDidAnalyze(listener: (folder: FolderInfo, result: AnalysisResult) => void): { dispose(): void } {
    this.listeners.push(listener);
    return { dispose: () => void this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1) };
  }

  /** Analyses a folder now if it has changes not analysed yet; returns its latest result. */
  flush(folderUri: string): AnalysisResult | undefined {
    const f = this.folderMap.get(folderUri);
    if (!f) return undefined;
    this.ensureFresh(f, true);
    return f.result;
  }

  /** The deepest folder containing `p` (workspace folders first). */
  private ownerOf(p: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.folderMap.values()) {
      if (!isInside(f.root, p)) continue;
      if (!best || (best.implicit && !f.implicit) || (best.implicit === f.implicit && f.root.length > best.root.length)) best = f;
    }
    return best;
  }

  /** The folder for a document, creating an implicit one for a file outside every folder. */
  private folderForDocument(p: string): Folder | undefined {
    const own = this.ownerOf(p);
    if (own) return own;
    // nearest folder above with manage.py, else the file's folder
    let dir = path.dirname(p);
    let root = dir;
    for (let i = 0; i < 8; i++) {
      if (this.diskFs.exists(path.join(dir, 'manage.py'))) {
        root = dir;
        break;
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    const f = this.addFolder(pathToUri(root), path.basename(root), true);
    if (f) void this.loadSettings([f]);
    return f;
  }

  // ---------------------------------------------------------------- settings

  private async loadSettings(folders: Folder[]): Promise<void> {
    if (folders.length === 0) return;
    const seqs = folders.map((f) => ++f.settingsSeq);
    let values: unknown[] | undefined;
    if (this.caps.workspace?.configuration) {
      const items = folders.map((f) => ({ scopeUri: f.implicit ? undefined : f.uri, section: SETTINGS_SECTION }));
      try {
        values = await Promise.race([
          this.host.getConfiguration(items),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5000).unref?.()),
        ]);
        if (!values) this.host.log('warn', 'The client did not answer workspace/configuration in 5 s: using pyproject.toml and defaults.');
      } catch (e) {
        this.host.log('warn', `workspace/configuration failed: ${(e as Error).message}`);
      }
    }
    folders.forEach((f, i) => {
      // a newer request (another configuration change) was sent meanwhile: its answer decides
      if (seqs[i] === f.settingsSeq) this.applySettings(f, values ? values[i] : this.pushedSettings);
    });
  }

  private applySettings(f: Folder, raw: unknown): void {
    if (this.disposed || !this.folderMap.has(f.uri)) {
      f.markSettingsReady();
      return;
    }
    const r = resolveSettings(raw);
    for (const p of r.problems) this.host.log('warn', `Setting djangoReadiness.${p}`);
    const key = JSON.stringify([r.config, r.run]);
    const first = !f.settingsLoaded;
    f.settingsLoaded = true;
    f.markSettingsReady();
    if (key === f.settingsKey && !first) return;
    f.settings = r;
    f.settingsKey = key;
    f.config = undefined;
    this.touch(f, 'config');
  }

  didChangeConfiguration(params: DidChangeConfigurationParams): void {
    if (!this.caps.workspace?.configuration) {
      const s = (params?.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
      if (s !== undefined) this.pushedSettings = s;
    }
    void this.loadSettings([...this.folderMap.values()]);
  }

  private configOf(f: Folder): Config {
    if (!f.config) {
      const problems: ConfigProblem[] = [];
      const py = loadPyprojectConfig(this.fs, f.root, problems);
      const config = mergeConfig(py, f.settings.config);
      const excludeKey = JSON.stringify(config.exclude);
      if (excludeKey !== f.excludeKey) f.inventory = undefined;
      f.excludeKey = excludeKey;
      f.configProblems = problems;
      f.config = config;
    }
    return f.config;
  }

  // ---------------------------------------------------------------- documents

  didOpen(params: DidOpenTextDocumentParams): void {
    const td = params.textDocument;
    const p = uriToPath(td.uri);
    if (!p) return;
    const doc = TextDocument.create(td.uri, td.languageId, td.version, td.text);
    this.docs.set(p, { uri: td.uri, doc });
    const before = this.fs.readFile(p);
    this.fs.overlay.set(p, td.text);
    if (!classify(p)) return;
    const f = this.folderForDocument(p);
    if (!f) return;
    const known = f.inventory?.files.some((x) => x.path === p) ?? false;
    if (!known || !this.watching) f.inventory = undefined;
    if (f.result && known && before === td.text && f.generation === f.analyzedGeneration) {
      // nothing changed: just (re)publish this document's diagnostics with its version
      this.publishFolder(f, new Set([p]));
      return;
    }
    this.touch(f, 'open');
  }

  didChange(params: DidChangeTextDocumentParams): void {
    const t0 = performance.now();
    const p = uriToPath(params.textDocument.uri);
    const open = p ? this.docs.get(p) : undefined;
    if (!p || !open) return;
    TextDocument.update(open.doc, params.contentChanges, params.textDocument.version ?? open.doc.version + 1);
    this.fs.overlay.set(p, open.doc.getText());
    if (!classify(p)) return;
    const f = this.ownerOf(p);
    if (!f) return;
    f.changeMs += performance.now() - t0;
    this.touch(f, 'type');
  }

  didSave(params: DidSaveTextDocumentParams): void {
    const p = uriToPath(params.textDocument.uri);
    if (!p) return;
    this.diskFs.invalidate(p);
    const f = this.ownerOf(p);
    if (!f) return;
    if (!this.watching) f.inventory = undefined;
    if (path.basename(p) === 'pyproject.toml') f.config = undefined;
    if (classify(p)) this.touch(f, 'save');
  }

  didClose(params: DidCloseTextDocumentParams): void {
    const p = uriToPath(params.textDocument.uri);
    if (!p) return;
    const open = this.docs.get(p);
    this.docs.delete(p);
    const buffer = this.fs.overlay.get(p);
    this.fs.overlay.delete(p);
    this.diskFs.invalidate(p);
    const f = this.ownerOf(p);
    if (!f) return;
    if (f.implicit && ![...this.docs.keys()].some((d) => isInside(f.root, d))) {
      this.removeFolder(f);
      return;
    }
    if (open && buffer !== this.fs.readFile(p) && classify(p)) this.touch(f, 'fs');
  }

  didChangeWatchedFiles(params: DidChangeWatchedFilesParams): void {
    for (const ch of params.changes ?? []) {
      const p = uriToPath(ch.uri);
      if (!p) continue;
      const base = path.basename(p);
      const kind = classify(p);
      const structural = ch.type !== FileChangeType.Changed;
      // what the rules read, or a folder (no extension); never caches, VCS data, virtualenvs
      if (!kind && (!structural || path.extname(base) !== '')) continue;
      this.diskFs.invalidate(p, structural);
      for (const f of this.folderMap.values()) {
        const inside = isInside(f.root, p);
        const pyprojectAbove = base === 'pyproject.toml' && isInside(path.dirname(p), f.root);
        if (!inside && !pyprojectAbove) continue;
        if (inside && path.relative(f.root, p).split(path.sep).some((seg) => IGNORED_DIRS.has(seg))) continue;
        // an .html / .txt file outside the template folders of the last analysis is not read
        if (kind === 'template' && !structural && f.result && !inTemplateFolder(p, f.result.projects)) continue;
        if (base === 'pyproject.toml') f.config = undefined;
        if (structural) {
          f.inventory = undefined;
          if (ch.type === FileChangeType.Deleted) f.analyzer.invalidate(p);
        }
        // an open document's buffer wins over the disk: its change was already seen
        if (!structural && this.docs.has(p)) continue;
        this.touch(f, 'fs');
      }
    }
  }

  // ---------------------------------------------------------------- analysis scheduling

  private touch(f: Folder, cause: 'type' | 'save' | 'open' | 'fs' | 'config'): void {
    if (this.disposed) return;
    f.generation++;
    // Files changed on disk or a new configuration: a running background scan stops sending
    // work, the next analysis starts a new one with what is left (results already computed stay
    // cached). Typing in an open document does not stop it: open documents are checked inline.
    if (f.scan && (cause === 'fs' || cause === 'config')) {
      f.scan.signal.aborted = true;
      f.scan = undefined;
    }
    const now = performance.now();
    f.pendingSince ??= now;
    if (cause === 'type' && f.settings.run === 'onSave') return;
    f.timer?.();
    const overdue = now - f.pendingSince >= this.maxWaitMs;
    const delay = overdue ? 0 : this.debounceMs;
    const run = () => {
      f.timer = undefined;
      this.guard('analysis', () => this.analyzeFolder(f));
    };
    // no delay: right after the pending messages (setTimeout(0) would wait a timer tick, ~1 ms)
    if (delay === 0) {
      const h = setImmediate(run);
      f.timer = () => clearImmediate(h);
    } else {
      const h = setTimeout(run, delay);
      f.timer = () => clearTimeout(h);
    }
  }

  /**
   * Whether the folder's result matches the current texts; with `force`, runs the pending
   * analysis now to make it so. Without it a stale folder answers false: the caller offers
   * nothing rather than ranges and fixes computed for older texts.
   */
  private ensureFresh(f: Folder, force: boolean): boolean {
    if (f.generation === f.analyzedGeneration && f.result) return true;
    if (!force) return false;
    this.analyzeFolder(f);
    return f.generation === f.analyzedGeneration && !!f.result;
  }

  /** The worker pool, when this folder's code rules are many enough to pay for it. */
  private poolFor(f: Folder, config: Config): CodePool | undefined {
    if (this.workers === 0 || !f.inventory) return undefined;
    let n = 0;
    for (const x of f.inventory.files) if (isCodeRuleFile(x, config)) n++;
    if (n < this.parallelMinFiles) return undefined;
    // idle workers stop after 10 s: no threads (or their memory) are kept between scans
    // one core stays free for this thread (typing is answered while the workers scan)
    this.pool ??= new CodePool({ registry: allRules, size: this.workers ?? Math.max(1, defaultPoolSize() - 1), idleMs: 10_000 });
    return this.pool.available && this.pool.accepts(this.rules.filter(isCodeRule)) ? this.pool : undefined;
  }

  /**
   * Runs the code rules of the files a large folder's analysis left pending in worker threads
   * (the event loop stays free: typing is answered meanwhile), then analyses the folder again
   * from the cached results and publishes the complete diagnostics.
   */
  private startScan(f: Folder, pool: CodePool, pending: PendingCode[]): void {
    // the scan running already covers these files for the same configuration: let it finish
    const key = pending.map((p) => p.configKey).join('\u0000');
    if (f.scan && f.scan.key === key && !f.scan.signal.aborted) return;
    if (f.scan) f.scan.signal.aborted = true;
    const signal = { aborted: false };
    f.scan = { signal, key };
    const files = pending.reduce((n, p) => n + p.files.length, 0);
    const t0 = performance.now();
    f.analyzer.checkPending(pending, pool, signal).then(
      (checked) => {
        if (signal.aborted || this.disposed || f.scan?.signal !== signal) return;
        f.scan = undefined;
        this.host.log('info', `Scanned ${checked} of ${files} files of ${f.root} in worker threads in ${Math.round(performance.now() - t0)} ms.`);
        this.guard('analysis', () => this.analyzeFolder(f, true));
      },
      (e: unknown) => {
        if (f.scan?.signal === signal) f.scan = undefined;
        this.host.log('warn', `Worker threads failed (${(e as Error)?.message ?? String(e)}): analysing ${f.root} in-process.`);
        if (!signal.aborted && !this.disposed) this.guard('analysis', () => this.analyzeFolder(f, true));
      },
    );
  }

  /** `complete`: run every code rule now (no background scan), e.g. once the scan is done. */
  private analyzeFolder(f: Folder, complete = false): void {
    if (this.disposed || !this.folderMap.has(f.uri)) return;
    f.timer?.();
    f.timer = undefined;
    if (!this.parserReady || !f.settingsLoaded) return; // re-triggered when they are
    const t0 = performance.now();
    const gen = f.generation;
    const seq = ++this.seq;
    const config = this.configOf(f);
    if (!f.inventory) f.inventory = listFiles(f.root, this.fs, config);
    // a large folder: files without cached code-rule results (all of them at first) go to the
    // worker threads in the background; open documents are checked now
    const pool = complete ? undefined : this.poolFor(f, config);
    let result: AnalysisResult;
    try {
      result = f.analyzer.analyze(f.root, config, f.inventory, pool ? { defer: { inline: (p) => this.docs.has(p) } } : {});
    } catch (e) {
      f.analyzedGeneration = gen;
      this.host.log('error', `Analysis of ${f.root} failed: ${(e as Error).stack ?? (e as Error).message}`);
      return;
    }
    const t1 = performance.now();
    // The analysis is synchronous today, so nothing can change while it runs; if it ever moves
    // to a worker, a result computed for an older generation must not replace a newer one.
    if (gen !== f.generation || gen < f.analyzedGeneration || seq < f.seq) return;
    f.seq = seq;
    f.result = result;
    f.analyzedGeneration = gen;
    const byFile = new Map<string, Finding[]>();
    for (const finding of result.findings) {
      if (this.ownerOf(finding.file) !== f) continue;
      let l = byFile.get(finding.file);
      if (!l) byFile.set(finding.file, (l = []));
      l.push(finding);
    }
    // files still being scanned keep what was published for them
    for (const p of result.pending ?? []) {
      const codes = new Set(p.rules.map((r) => r.meta.code));
      for (const x of p.files) {
        const kept = (f.byFile.get(x.path) ?? []).filter((o) => codes.has(o.code));
        if (kept.length > 0) byFile.set(x.path, [...(byFile.get(x.path) ?? []), ...kept]);
      }
    }
    f.byFile = byFile;
    const published = this.publishFolder(f);
    this.sendStatus(f);
    const t2 = performance.now();
    const waited = f.pendingSince !== undefined ? t0 - f.pendingSince : 0;
    this.timings.push({ folder: f.uri, waitedMs: waited, analysisMs: t1 - t0, publishMs: t2 - t1, totalMs: waited + (t2 - t0), changeMs: f.changeMs, published });
    if (this.timings.length > 500) this.timings.splice(0, this.timings.length - 500);
    f.pendingSince = undefined;
    f.changeMs = 0;
    if (result.pending && pool) {
      // the checklist waits for the complete result
      this.startScan(f, pool, result.pending);
      return;
    }
    for (const l of this.listeners) this.guard('onDidAnalyze listener', () => l(f, result));
  }

  // ---------------------------------------------------------------- diagnostics

  private uriOf(p: string): string {
    return this.docs.get(p)?.uri ?? pathToUri(p);
  }

  /**
   * Publishes the diagnostics of the folder's files that changed since the last publication
   * (plus the open documents whose version changed, so the editor knows they are current),
   * and clears the files that no longer have any. `only`: publish these files regardless.
   */
  private publishFolder(f: Folder, only?: Set<string>): number {
    const result = f.result;
    if (!result) return 0;
    const diags = new Map<string, { list: Diagnostic[]; sig: string[] }>();
    const add = (file: string, d: Diagnostic, sig: string) => {
      let e = diags.get(file);
      if (!e) diags.set(file, (e = { list: [], sig: [] }));
      e.list.push(d);
      e.sig.push(sig);
    };
    for (const [file, findings] of f.byFile) {
      for (const finding of findings) {
        const c = findingDiagnostic(finding);
        add(file, c.diagnostic, c.signature);
      }
    }
    // One diagnostic per note and file (a failed rule: per rule and file), each failure logged
    // with its stack when it first appears (not again on every re-analysis while it persists).
    const seen = new Set<string>();
    const failures = new Set<string>();
    for (const n of result.notes) {
      if (n.kind === 'syntax-error') continue;
      let file = n.file;
      if (n.kind === 'rule-failed') {
        // project rules fail "on" the project folder: show it on manage.py
        if (!classify(file) && this.fs.exists(path.join(file, 'manage.py'))) file = path.join(file, 'manage.py');
        const key = `${n.code ?? ''}|${file}|${n.message}`;
        failures.add(key);
        if (!f.loggedFailures.has(key)) this.host.log('error', `${n.message} (${file})${n.detail ? `\n${n.detail}` : ''}`);
      }
      const d = noteDiagnostic(n);
      const key = d ? `${file}\u0000${n.kind === 'rule-failed' ? `failed|${n.code ?? n.message}` : noteSignature(d)}` : '';
      if (seen.has(key)) continue;
      seen.add(key);
      if (!classify(file) || this.ownerOf(file) !== f) {
        if (n.kind !== 'rule-failed') this.host.log('info', n.message);
        continue;
      }
      if (d) add(file, d, noteSignature(d));
    }
    f.loggedFailures = failures;
    for (const p of f.configProblems) {
      if (this.ownerOf(p.file) !== f && !isInside(path.dirname(p.file), f.root)) continue;
      const d = noteDiagnostic({ file: p.file, kind: 'info', message: p.message });
      if (d) add(p.file, d, noteSignature(d));
    }
    let count = 0;
    const send = (file: string, list: Diagnostic[], sig: string) => {
      const open = this.docs.get(file);
      this.host.publishDiagnostics({ uri: open?.uri ?? pathToUri(file), version: open?.doc.version, diagnostics: list });
      f.published.set(file, open ? `${sig}\u0000v${open.doc.version}` : sig);
      count++;
    };
    for (const [file, e] of diags) {
      const open = this.docs.get(file);
      const sig = e.sig.join('\n');
      const key = open ? `${sig}\u0000v${open.doc.version}` : sig;
      if (only ? only.has(file) : f.published.get(file) !== key) send(file, e.list, sig);
    }
    for (const file of [...f.published.keys()]) {
      if (diags.has(file)) continue;
      if (only && !only.has(file)) continue;
      f.published.delete(file);
      // a nested folder took the file over: its own publication (if any) must not be erased
      const owner = this.ownerOf(file);
      if (owner && owner !== f && owner.published.has(file)) continue;
      this.host.publishDiagnostics({ uri: this.uriOf(file), version: this.docs.get(file)?.doc.version, diagnostics: [] });
      count++;
    }
    // open documents of this folder without any diagnostic whose version moved: confirm "none"
    for (const [file, open] of this.docs) {
      if (diags.has(file) || (only && !only.has(file)) || this.ownerOf(file) !== f) continue;
      const key = `\u0000v${open.doc.version}`;
      if (f.published.get(file) === key) continue;
      this.host.publishDiagnostics({ uri: open.uri, version: open.doc.version, diagnostics: [] });
      f.published.set(file, key);
      count++;
    }
    return count;
  }

  private statusOf(f: Folder): StatusParams {
    const counts = ZERO_COUNTS();
    for (const list of f.byFile.values()) for (const x of list) counts[x.severity]++;
    const r = f.result;
    return {
      uri: f.uri,
      enabled: f.config?.enable ?? true,
      projects: (r?.projects ?? []).map((p) => ({
        root: p.root,
        productionModule: p.productionModule,
        productionDotted: p.productionDotted,
        productionReason: p.productionReason,
        settingsModules: p.settingsModules,
      })),
      counts,
      files: f.byFile.size,
      ms: Math.round((r?.stats.ms ?? 0) * 10) / 10,
    };
  }

  private sendStatus(f: Folder): void {
    const s = this.statusOf(f);
    f.status = s;
    const key = JSON.stringify({ ...s, ms: 0 });
    if (key === f.statusKey) return;
    f.statusKey = key;
    this.host.sendNotification(STATUS_NOTIFICATION, s);
  }

  // ---------------------------------------------------------------- code actions

  private docVersion(file: string): number | null {
    return this.docs.get(file)?.doc.version ?? null;
  }

  private canCreateFiles(): boolean {
    const we = this.caps.workspace?.workspaceEdit;
    return !!we?.documentChanges && !!we.resourceOperations?.includes('create');
  }

  /** A WorkspaceEdit turning each file's current text into its new text (undefined: impossible). */
  private workspaceEdit(changes: Map<string, string>): WorkspaceEdit | undefined {
    const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
    const plain: Record<string, TextEdit[]> = {};
    const useDocumentChanges = !!this.caps.workspace?.workspaceEdit?.documentChanges;
    for (const [file, newText] of changes) {
      const current = this.fs.readFile(file);
      const uri = this.uriOf(file);
      const edits = diffEdits(current ?? '', newText);
      if (current === undefined) {
        if (!this.canCreateFiles()) {
          this.host.log('info', `The client cannot create files: the fix that creates ${path.basename(file)} is not offered.`);
          return undefined;
        }
        documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
      }
      if (edits.length === 0) continue;
      if (useDocumentChanges) documentChanges.push({ textDocument: { uri, version: this.docVersion(file) }, edits });
      else plain[uri] = edits;
    }
    return useDocumentChanges ? { documentChanges } : { changes: plain };
  }

  /** The texts after applying one fix. */
  private fixTexts(fix: Fix): Map<string, string> {
    return applyFix(this.fs, fix);
  }

  /**
   * Fix-all over a folder's fresh findings, repeated until nothing changes (10 passes at most):
   * returns the new texts of the files that change. Each pass is analysed against the texts of
   * the previous one, through the folder's analyzer (its caches are keyed by content).
   */
  private computeFixAll(f: Folder, filter: { file?: string; codes?: Set<string>; unsafe: boolean }): Map<string, string> {
    const texts = new Map<string, string>();
    let findings = f.result?.findings ?? [];
    const config = this.configOf(f);
    for (let pass = 0; pass < 10; pass++) {
      const canCreate = this.canCreateFiles();
      const selected = findings.filter(
        (x) =>
          (!filter.file || x.file === filter.file) &&
          (!filter.codes || filter.codes.has(x.code)) &&
          // a client that cannot create files gets the other fixes (each fix is whole or absent)
          (canCreate || !fixToApply(x, filter.unsafe)?.edits.some((e) => e.create && !texts.has(e.file))),
      );
      const { changed } = fixPass(this.fs, selected, { unsafe: filter.unsafe }, texts);
      if (changed.size === 0) break;
      for (const [file, t] of changed) texts.set(file, t);
      if (pass === 9) break;
      findings = this.analyzeWith(f, config, texts).findings;
    }
    for (const [file, t] of [...texts]) if (this.fs.readFile(file) === t) texts.delete(file);
    return texts;
  }

  /** Analyses the folder as if `texts` were the files' contents (the overlay is restored). */
  private analyzeWith(f: Folder, config: Config, texts: Map<string, string>): AnalysisResult {
    const saved = new Map<string, string | undefined>();
    let inventory = f.inventory ?? listFiles(f.root, this.fs, config);
    const created = [...texts.keys()].filter((p) => !this.fs.exists(p) && !inventory.files.some((x) => x.path === p));
    if (created.length > 0) {
      const extra = created.flatMap((p) => {
        const kind = classify(p);
        return kind ? [{ path: p, kind }] : [];
      });
      inventory = { ...inventory, files: [...inventory.files, ...extra].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
    }
    for (const [p, t] of texts) {
      saved.set(p, this.fs.overlay.get(p));
      this.fs.overlay.set(p, t);
    }
    try {
      return f.analyzer.analyze(f.root, config, inventory);
    } finally {
      for (const [p, t] of saved) {
        if (t === undefined) this.fs.overlay.delete(p);
        else this.fs.overlay.set(p, t);
      }
    }
  }

  async codeAction(params: CodeActionParams): Promise<CodeAction[]> {
    const file = uriToPath(params.textDocument.uri);
    if (!file) return [];
    const f = this.ownerOf(file);
    if (!f) return [];
    await f.settingsReady;
    const only = params.context.only;
    const wantsFixAll = !!only && only.some((o) => kindMatches(FIX_ALL_KIND, [o]));
    const wantsQuick = kindMatches(CodeActionKind.QuickFix, only);
    // Automatic requests (the lightbulb after a cursor move) while an analysis is pending get
    // nothing: VS Code asks again when the diagnostics change. Explicit ones (Ctrl+., fix-all
    // on save, an old client without triggerKind) analyse now.
    const explicit = params.context.triggerKind !== CodeActionTriggerKind.Automatic || wantsFixAll;
    if (!this.ensureFresh(f, explicit)) return [];
    const actions: CodeAction[] = [];
    if (wantsQuick) actions.push(...this.quickFixes(f, file, params));
    if (wantsFixAll) {
      const edit = this.fixAllEdit(f, file, false);
      if (edit) actions.push({ title: 'Fix all safe django-readiness problems', kind: FIX_ALL_KIND, edit });
    }
    return actions;
  }

  /** The fix-all WorkspaceEdit for one file (null when there is nothing to fix). */
  fixAllEdit(f: Folder, file: string, unsafe: boolean, codes?: Set<string>): WorkspaceEdit | undefined {
    const texts = this.computeFixAll(f, { file, unsafe, codes });
    if (texts.size === 0) return undefined;
    return this.workspaceEdit(texts);
  }

  private quickFixes(f: Folder, file: string, params: CodeActionParams): CodeAction[] {
    const findings = f.byFile.get(file) ?? [];
    const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    const matched = findings.filter((x) => overlapsOrTouches(x.range, params.range) || ours.some((d) => d.code === x.code && sameRange(d.range, x.range)));
    if (matched.length === 0) return [];
    const fixes: CodeAction[] = [];
    const extras: CodeAction[] = [];
    const seen = new Set<string>();
    const resolve = this.caps.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit') ?? false;
    for (const finding of matched) {
      const diagnostic = findingDiagnostic(finding).diagnostic;
      let preferredGiven = false;
      finding.fixes.forEach((fix: Fix, i) => {
        const edit = this.guardValue('fix edit', () => this.workspaceEdit(this.fixTexts(fix)), undefined);
        if (!edit) return;
        const preferred = !preferredGiven && (fix.preferred ?? (fix.applicability === 'safe' || (i === 0 && finding.fixes.length === 1)));
        if (preferred) preferredGiven = true;
        const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit };
        if (preferred) action.isPreferred = true;
        fixes.push(action);
      });
      const code = finding.code;
      const fixable = findings.filter((x) => x.code === code && fixToApply(x, true));
      if (fixable.length > 1 && !seen.has(`all|${code}`)) {
        seen.add(`all|${code}`);
        const action: CodeAction = { title: `Fix all ${code} problems in this file`, kind: CodeActionKind.QuickFix, data: { type: 'fixAllCode', uri: params.textDocument.uri, code } };
        if (!resolve) {
          const edit = this.guardValue('fix-all edit', () => this.fixAllEdit(f, file, true, new Set([code])), undefined);
          if (edit) action.edit = edit;
          else delete action.data;
        }
        if (action.edit || action.data) extras.push(action);
      }
      const line = finding.range.start.line;
      if (!seen.has(`ignore|${code}|${line}`)) {
        seen.add(`ignore|${code}|${line}`);
        const text = this.fs.readFile(file);
        const edit = text === undefined ? null : ignoreEdit(file, text, line, code);
        if (edit) {
          const ws = this.useDocumentChanges() ? { documentChanges: [{ textDocument: { uri: params.textDocument.uri, version: this.docVersion(file) }, edits: [edit] }] } : { changes: { [params.textDocument.uri]: [edit] } };
          extras.push({ title: `Ignore ${code} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: ws });
        }
      }
      if (!seen.has(`doc|${code}`)) {
        seen.add(`doc|${code}`);
        extras.push({ title: `Show documentation for ${code}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: `Show documentation for ${code}`, command: SHOW_RULE_DOCUMENTATION_COMMAND, arguments: [code] } });
      }
    }
    return [...fixes, ...extras];
  }

  private useDocumentChanges(): boolean {
    return !!this.caps.workspace?.workspaceEdit?.documentChanges;
  }

  async codeActionResolve(action: CodeAction): Promise<CodeAction> {
    const data = action.data as { type?: string; uri?: string; code?: string } | undefined;
    if (data?.type !== 'fixAllCode' || typeof data.uri !== 'string' || typeof data.code !== 'string') return action;
    const file = uriToPath(data.uri);
    const f = file ? this.ownerOf(file) : undefined;
    if (!file || !f) return action;
    await f.settingsReady;
    this.ensureFresh(f, true);
    const edit = this.fixAllEdit(f, file, true, new Set([data.code]));
    return { ...action, edit: edit ?? { changes: {} } };
  }

  // ---------------------------------------------------------------- hover

  async hover(params: HoverParams): Promise<Hover | null> {
    const file = uriToPath(params.textDocument.uri);
    const f = file ? this.ownerOf(file) : undefined;
    if (f) await f.settingsReady;
    // a hover is explicit, but in onSave mode it must not analyse unsaved edits
    if (!file || !f || !this.ensureFresh(f, f.settings.run !== 'onSave')) return null;
    const hits = (f.byFile.get(file) ?? []).filter((x) => contains(x.range, params.position));
    const parts: string[] = [];
    for (const h of hits) {
      const meta = this.metaByCode.get(h.code);
      if (meta) parts.push(renderHover(meta, h.message));
    }
    if (parts.length === 0) return null;
    return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, range: hits[0].range };
  }

  // ---------------------------------------------------------------- custom requests

  getStatus(): StatusParams[] {
    return [...this.folderMap.values()].map((f) => f.status ?? this.statusOf(f));
  }

  recheck(params: RecheckParams | undefined): RecheckResult {
    const t0 = performance.now();
    const folders = [...this.folderMap.values()].filter((f) => !params?.uri || f.uri === params.uri);
    this.diskFs.clear();
    let findings = 0;
    for (const f of folders) {
      f.inventory = undefined;
      f.config = undefined;
      f.analyzer.invalidate();
      f.analyzer.cache.clear();
      f.generation++;
      this.analyzeFolder(f);
      findings += f.result?.findings.length ?? 0;
    }
    return { folders: folders.length, findings, ms: performance.now() - t0 };
  }

  ruleDocs(params: RuleDocsParams | undefined): RuleDocsResult | null {
    const code = typeof params?.code === 'string' ? params.code.trim().toUpperCase() : '';
    const meta = this.metaByCode.get(code) ?? this.rules.find((r) => r.meta.name === params?.code)?.meta;
    if (!meta) return null;
    return { code: meta.code, name: meta.name, markdown: renderRuleMarkdown(meta), url: ruleDocUrl(meta) };
  }

  listRules(): RuleSummary[] {
    return [...this.rules]
      .sort((a, b) => a.meta.code.localeCompare(b.meta.code))
      .map(({ meta }) => ({ code: meta.code, name: meta.name, category: meta.category, severity: meta.severity, message: meta.message, fix: meta.fix, deprecated: meta.deprecated }));
  }

  async fixAll(params: FixAllParams | undefined): Promise<WorkspaceEdit | null> {
    const file = params?.uri ? uriToPath(params.uri) : undefined;
    const f = file ? this.ownerOf(file) : undefined;
    if (!file || !f) return null;
    await f.settingsReady;
    this.ensureFresh(f, true);
    return this.fixAllEdit(f, file, !!params?.unsafe) ?? null;
  }

  debugStats(params?: { gc?: boolean }): DebugStats {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (params?.gc && gc) gc();
    const m = process.memoryUsage();
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      folders: [...this.folderMap.values()].map((f) => ({ uri: f.uri, files: f.inventory?.files.length ?? 0, pythonFiles: f.result?.stats.pythonFiles ?? 0, findings: f.result?.findings.length ?? 0 })),
      timings: [...this.timings],
    };
  }

  // ---------------------------------------------------------------- errors

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.host.log('error', `${what} failed: ${(e as Error).stack ?? String(e)}`);
    }
  }

  private guardValue<T>(what: string, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (e) {
      this.host.log('error', `${what} failed: ${(e as Error).stack ?? String(e)}`);
      return fallback;
    }
  }
}
