/**
 * Folders and configuration: one Folder per workspace folder (plus implicit ones for files opened
 * outside every folder), each with its Analyzer, its settings (workspace/configuration, or the
 * settings pushed at initialization) merged with pyproject.toml, and its analysis state.
 */
import * as path from 'node:path';
import type { DidChangeConfigurationParams } from 'vscode-languageserver';
import { Analyzer, type AnalysisResult } from '../engine/analyzer';
import { loadPyprojectConfig, mergeConfig, type ConfigProblem } from '../engine/config';
import { NodeFileSystem, type FileInventory } from '../engine/project';
import type { Config, Finding } from '../engine/types';
import type { StatusParams } from '../protocol/messages';
import { resolveSettings, SETTINGS_SECTION, type ResolvedSettings } from '../protocol/settings';
import type { ServerContext } from './context';
import { isInside, pathToUri, uriToPath } from './uri';

/** A folder as the extension points see it. */
export interface FolderInfo {
  uri: string;
  root: string;
  name: string;
  implicit: boolean;
}

export interface Folder extends FolderInfo {
  analyzer: Analyzer;
  /** The folder was found deleted from disk (logged once; see Scheduler.folderGone). */
  gone?: boolean;
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
  /** The severities of every diagnostic of the folder as last published (StatusParams.counts). */
  diagnosticCounts: Record<'error' | 'warning' | 'info' | 'hint', number>;
  /** The rule failures of the last publication (already logged). */
  loggedFailures: Set<string>;
  statusKey?: string;
  status?: StatusParams;
  /** The production choice last written to the log (logged again when it changes). */
  productionLogged?: string;
  /**
   * The background scan of a large folder: code rules of the files without cached results, in
   * worker threads. Aborted by any newer change (what is done stays cached).
   */
  scan?: { signal: { aborted: boolean }; key: string };
}

export interface FolderEvents {
  /** A folder's settings changed (or arrived for the first time): analyse it again. */
  settingsChanged(f: Folder): void;
  /** A folder is going away: clear what was published for it. */
  removed(f: Folder): void;
}

export class Folders {
  private readonly map = new Map<string, Folder>();
  /** Settings pushed at initialization or by didChangeConfiguration (clients without workspace/configuration). */
  private pushedSettings: unknown;

  constructor(
    private readonly ctx: ServerContext,
    private readonly events: FolderEvents,
  ) {}

  all(): Folder[] {
    return [...this.map.values()];
  }

  get(uri: string): Folder | undefined {
    return this.map.get(uri);
  }

  has(f: Folder): boolean {
    return this.map.has(f.uri);
  }

  infos(): FolderInfo[] {
    return this.all().map(({ uri, root, name, implicit }) => ({ uri, root, name, implicit }));
  }

  setPushedSettings(settings: unknown): void {
    this.pushedSettings = settings;
  }

  add(uri: string, name: string, implicit: boolean): Folder | undefined {
    const root = uriToPath(uri);
    if (!root) return undefined;
    const existing = this.all().find((f) => f.root === root);
    if (existing) return existing;
    if (this.ctx.nodeFs instanceof NodeFileSystem) this.ctx.nodeFs.addRoot(root);
    const settings = resolveSettings(undefined);
    let markSettingsReady = () => {};
    const settingsReady = new Promise<void>((resolve) => (markSettingsReady = resolve));
    const f: Folder = {
      uri,
      root,
      name,
      implicit,
      analyzer: new Analyzer({ rules: this.ctx.rules, fs: this.ctx.fs }),
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
      diagnosticCounts: { error: 0, warning: 0, info: 0, hint: 0 },
      loggedFailures: new Set(),
    };
    this.map.set(uri, f);
    return f;
  }

  remove(f: Folder): void {
    if (f.scan) f.scan.signal.aborted = true;
    f.timer?.();
    f.markSettingsReady();
    this.events.removed(f);
    f.analyzer.cache.clear();
    this.map.delete(f.uri);
  }

  /** The folder registered for a workspace folder URI (or the same root). */
  byUri(uri: string): Folder | undefined {
    return this.map.get(uri) ?? this.all().find((x) => x.root === uriToPath(uri));
  }

  /** The deepest folder containing `p` (workspace folders first). */
  ownerOf(p: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.map.values()) {
      if (!isInside(f.root, p)) continue;
      if (!best || (best.implicit && !f.implicit) || (best.implicit === f.implicit && f.root.length > best.root.length)) best = f;
    }
    return best;
  }

  /** The folder for a document, creating an implicit one for a file outside every folder. */
  forDocument(p: string): Folder | undefined {
    const own = this.ownerOf(p);
    if (own) return own;
    // nearest folder above with manage.py, else the file's folder
    let dir = path.dirname(p);
    let root = dir;
    for (let i = 0; i < 8; i++) {
      if (this.ctx.diskFs.exists(path.join(dir, 'manage.py'))) {
        root = dir;
        break;
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    const f = this.add(pathToUri(root), path.basename(root), true);
    if (f) void this.loadSettings([f]);
    return f;
  }

  dispose(): void {
    for (const f of this.map.values()) {
      if (f.scan) f.scan.signal.aborted = true;
      f.timer?.();
      f.markSettingsReady();
      f.analyzer.cache.clear();
    }
    this.map.clear();
  }

  // ---------------------------------------------------------------- settings

  async loadSettings(folders: Folder[]): Promise<void> {
    if (folders.length === 0) return;
    const seqs = folders.map((f) => ++f.settingsSeq);
    let values: unknown[] | undefined;
    if (this.ctx.caps.workspace?.configuration) {
      const items = folders.map((f) => ({ scopeUri: f.implicit ? undefined : f.uri, section: SETTINGS_SECTION }));
      try {
        values = await Promise.race([
          this.ctx.host.getConfiguration(items),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5000).unref?.()),
        ]);
        if (!values) this.ctx.host.log('warn', 'The client did not answer workspace/configuration in 5 s: using pyproject.toml and defaults.');
      } catch (e) {
        this.ctx.host.log('warn', `workspace/configuration failed: ${(e as Error).message}`);
      }
    }
    folders.forEach((f, i) => {
      // a newer request (another configuration change) was sent meanwhile: its answer decides
      if (seqs[i] === f.settingsSeq) this.applySettings(f, values ? values[i] : this.pushedSettings);
    });
  }

  private applySettings(f: Folder, raw: unknown): void {
    if (this.ctx.disposed || !this.map.has(f.uri)) {
      f.markSettingsReady();
      return;
    }
    const r = resolveSettings(raw);
    // a window setting: every folder carries the same value
    this.ctx.logLevel = r.logLevel;
    for (const p of r.problems) this.ctx.host.log('warn', `Setting djangoReadiness.${p}`);
    const key = JSON.stringify([r.config, r.run]);
    const first = !f.settingsLoaded;
    f.settingsLoaded = true;
    f.markSettingsReady();
    if (key === f.settingsKey && !first) return;
    f.settings = r;
    f.settingsKey = key;
    f.config = undefined;
    this.events.settingsChanged(f);
  }

  didChangeConfiguration(params: DidChangeConfigurationParams): void {
    if (!this.ctx.caps.workspace?.configuration) {
      // `{ settings: { djangoReadiness: {...} } }` as the specification's examples have it
      const s = (params?.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
      if (s !== undefined) this.pushedSettings = s;
    }
    void this.loadSettings(this.all());
  }

  /** The folder's effective configuration: its settings over pyproject.toml over the defaults. */
  configOf(f: Folder): Config {
    if (!f.config) {
      const problems: ConfigProblem[] = [];
      const py = loadPyprojectConfig(this.ctx.fs, f.root, problems);
      const config = mergeConfig(py, f.settings.config);
      const excludeKey = JSON.stringify(config.exclude);
      if (excludeKey !== f.excludeKey) f.inventory = undefined;
      f.excludeKey = excludeKey;
      f.configProblems = problems;
      f.config = config;
    }
    return f.config;
  }
}
