/**
 * The rule runner: discovers the project, evaluates the production settings, runs the rules,
 * applies configuration (select/ignore/severity) and suppressions, and returns plain findings.
 * Caches (parse trees, per-file code-rule results) make re-analysis after an edit cheap.
 */
import * as path from 'node:path';
import { BINARY_MESSAGE, buildFinding, CodeChecker, isCodeRule, isCodeRuleFile, isPackageInit, isPerFileRule, PREFILTERED, ruleFailed, tooLargeMessage, type CodeEnv, type CodeFileResult, type CodeRunData, type ReportEnv, type SilencedCheck } from './codecheck';
import { ruleEnabled } from './config';
import { dictLiteralEntry, dictLiteralOf, ModuleEditor } from './edits';
import { envLookupSites, ScopeCache, type Binding, type EnvLookupSite, type ModuleScope } from './evaluator';
import { unreadOverrides, unreadPhrase, type UnreadOverride } from './overrides';
import { settingsEvaluator } from './settingsLoader';
import { detectPackages, PACKAGE_TITLES, type PackageId } from './packages';
import { pendingFixIds } from './fix';
import { ParseCache, parseVariant, type PyModule, type TopStmt } from './parser';
import { findDjangoProjects, listFiles, looksBinary, MAX_FILE_BYTES, NodeFileSystem, type DirEntry, type DjangoProject, type FileInventory, type FileSystem, type ProjectFile } from './project';
import { installedVersion, loadDependencies, mayInstall, type DependencyModel } from './dependencies';
import type { Requirement, RequirementProblem } from './requirements';
import type { CodePool } from './pool';
import type { BaseContext, ProjectContext, ReportArgs, Rule, SettingsContext, Where } from './rule';
import { suppressionReason, Suppressions } from './suppressions';
import { findTemplateFolders, selectTemplates, type TemplateFolders } from './templateDirs';
import type { Config, Edit, Finding, Note, Range } from './types';
import { stringItems, type Origin, type Value } from './values';

export { ruleFailed };

/** The Django release assumed when the project pins none. */
export const CURRENT_DJANGO: [number, number] = [6, 0];

export interface ProjectSummary {
  root: string;
  productionModule?: string;
  productionDotted?: string;
  productionReason: string;
  /** The modules that could be production, when none could be chosen (dotted names). */
  candidates?: string[];
  /** Production overlays evaluated as part of the production module (file paths). */
  overlays?: string[];
  /** The configured production module, when it names no settings module of the project. */
  configuredMissing?: string;
  /** The repository folder above `root` whose deployment files are the project's, and why (DjangoProject.repositoryRoot). */
  repository?: { root: string; reason: string };
  /**
   * Files the production settings run after their own settings (`from .local import *`, exec of
   * local_settings.py) whose settings the analysis does not know: not in the checkout, ignored
   * by git, or exec'd (engine/overrides.ts unreadOverrides).
   */
  unread?: UnreadOverride[];
  settingsModules: { path: string; dotted: string; role: string }[];
  packages: PackageId[];
  djangoVersion: [number, number];
  djangoVersionPinned: boolean;
  /** Where the Django templates were looked for, and how many were found (templateDirs.ts). */
  templates?: TemplateSummary;
}

export interface TemplateSummary {
  /** Template folders (absolute) and why each counts. */
  folders: { path: string; source: 'DIRS' | 'app' | 'fallback' }[];
  /** Folders of Jinja2 backends (not judged). */
  jinja: string[];
  /** django_jinja reads the apps' templates/ folders: those are not judged. */
  appDirsJinja: boolean;
  /** Why every `templates/` folder of the root was taken, when the settings did not say. */
  fallbackReason?: string;
  /** Template files found (tests included). */
  files: number;
}

export interface AnalysisStats {
  filesFound: number;
  pythonFiles: number;
  parsed: number;
  /** Characters of the files the code and template rules parsed (settings modules not counted). */
  parsedChars?: number;
  skippedByPrefilter: number;
  skippedLargeOrBinary: number;
  ms: number;
}

/**
 * Why a rule that could run passed nothing: what it checks does not exist here, or it could not
 * decide (see Verdicts in rule.ts). Rules without an outcome were checked.
 */
export interface RuleOutcome {
  state: 'not-applicable' | 'not-checked';
  /** A sentence for people. */
  reason: string;
}

export interface AnalysisResult {
  root: string;
  projects: ProjectSummary[];
  /** The problems: findings that no comment or SILENCED_SYSTEM_CHECKS suppresses. */
  findings: Finding[];
  /** Suppressed findings (each with `suppressed`): accepted risks, not problems. */
  suppressed?: Finding[];
  notes: Note[];
  /** For each rule that ran or could run: whether it applies to at least one project. */
  applicability: Record<string, boolean>;
  /**
   * For rules that ran (or could run) without deciding: not applicable or not checked, with the
   * reason (the package is not used, no production settings module, a value that cannot be read,
   * code files still being scanned...). Merged over the projects of the root: not checked in one
   * project wins, then checked in one, then not applicable.
   */
  outcomes?: Record<string, RuleOutcome>;
  stats: AnalysisStats;
  /**
   * With AnalyzeOptions.defer: the code-rule work left to the caller (files without cached
   * results), per project. Their findings are missing from this result until it is done
   * (Analyzer.checkPending) and the folder analysed again.
   */
  pending?: PendingCode[];
}

/** Code-rule work of one project left for worker threads. */
export interface PendingCode {
  data: CodeRunData;
  rules: Rule[];
  configKey: string;
  files: ProjectFile[];
}

export interface AnalyzeOptions {
  /**
   * Leave the code rules of files without cached results to the caller (result.pending) instead
   * of running them now, except for the files `inline` accepts (e.g. open documents).
   */
  defer?: { inline?: (path: string) => boolean };
}

/** Whether a code-rule run goes to worker threads (see CodePool). */
export interface ParallelOptions {
  pool?: CodePool;
  /**
   * Characters left to parse (files some rule's prefilter matched) from which the workers are
   * started (default WORKERS_MIN_CHARS): below, the code rules run in-process.
   */
  minChars?: number;
  signal?: { readonly aborted: boolean };
}

/**
 * The worker threads of analyzeAsync start once this many characters are left to parse after
 * the prefilter (the main thread reads and prefilters every file; only what matched is parsed).
 * Each worker costs about 150 ms of CPU to start (its bundle, the parser's WebAssembly, the rules)
 * and parsing runs at about 4 M characters per CPU second, so below this the workers cost more
 * CPU than they could save wall time. Measured with `npm run bench -- repo --break-even`.
 */
export const WORKERS_MIN_CHARS = 4_000_000;

/**
 * The language server scans a folder's code rules in the background, in worker threads, from
 * this many files for them on (the main thread stays free for typing meanwhile).
 */
export const PARALLEL_MIN_FILES = 600;

export interface AnalyzerOptions {
  rules: Rule[];
  fs?: FileSystem;
  /** Parse trees kept between runs (the language server passes one). */
  cache?: ParseCache;
  /**
   * One analysis, nothing kept for a next one (the CLI without --fix): no per-file code-rule
   * results, no texts, the parse tree of a checked file freed once its rules ran.
   */
  oneShot?: boolean;
  /** false: every code and template rule reads every file (for checking that the prefilters lose nothing). */
  prefilters?: boolean;
}

export interface CodeCacheEntry {
  /** The configuration and package set the results were computed with. */
  config: string;
  /**
   * What they were computed from: the file system's stamp when it has one (the text is then not
   * kept), else the text (the same string object while the file is unchanged: an O(1) check).
   */
  stamp?: string;
  text?: string;
  findings: Finding[];
  notes: Note[];
  skipped?: boolean;
}

/**
 * A Value as a string that changes when it or where it is written does (origins as file and
 * offsets); undefined for what cannot be written so (module members, cycles).
 */
function valueFingerprint(v: Value | undefined): string | undefined {
  if (v === undefined) return 'undefined';
  let ok = true;
  try {
    const s = JSON.stringify(v, (_k, x: unknown) => {
      if (x && typeof x === 'object') {
        if (x instanceof Map || x instanceof Set) ok = false;
        const o = x as Partial<Origin>;
        if (o.module && o.top && o.node) return [o.module.path, o.top.start + o.node.s, o.top.start + o.node.e];
      }
      if (typeof x === 'function') ok = false;
      return x;
    });
    return ok ? s : undefined;
  } catch {
    return undefined;
  }
}

/** A file read: its path and stamp, or (without a stamp) its text. */
type Source = [string, string | undefined, string | undefined];

/** A project rule's result and what it depended on (ProjectRun.runProjectRuleTracked). */
interface ProjectRuleResult {
  files: readonly ProjectFile[];
  dependencies: DependencyModel;
  config: Config;
  key: string;
  hasSettings: boolean;
  /** What it read of the settings: installedApps, middleware, value:NAME, with a fingerprint of each. */
  settings: [string, string][];
  reads: Source[];
  exists: [string, boolean][];
  /** Folders it listed, with a fingerprint of each listing (names and kinds). */
  dirs: [string, string][];
  findings: Finding[];
  notes: Note[];
  verdicts: [RuleOutcome['state'], string][];
}

/** What a folder listing holds, for comparing it later (names and whether each is a folder or a file). */
function listingFingerprint(entries: readonly DirEntry[]): string {
  return entries.map((e) => `${e.isDirectory ? 'd' : e.isFile ? 'f' : 's'}${e.name}`).join('\u0000');
}

/** What a tracked step read, asked and gave (ProjectRun.tracked). */
interface TrackedStep<T> {
  files: readonly ProjectFile[];
  reads: Source[];
  exists: [string, boolean][];
  value: T;
  notes: Note[];
}

export class Analyzer implements CodeEnv {
  readonly fs: FileSystem;
  readonly cache: ParseCache;
  private readonly codeCache = new Map<string, CodeCacheEntry>();
  private readonly suppressionCache = new Map<string, { text: string; s: Suppressions }>();
  /** Parsed requirements files, manifests and lock files (by path; reused while the text is the same). */
  readonly dependencyCache = new Map<string, { text: string; value: unknown }>();
  /** Settings evaluations kept between analyses, per project and set of overlays (see ScopeCache). */
  private readonly scopeCaches = new Map<string, ScopeCache>();

  private readonly memos = new WeakMap<object, Map<string, unknown>>();
  /** Results of tracked steps of the last analysis, per step and project (ProjectRun.tracked). */
  readonly steps = new Map<string, TrackedStep<unknown>>();
  /** Project rules' results of the last analysis and what they depended on (ProjectRun.runProjectRuleTracked). */
  readonly projectRuleResults = new Map<string, ProjectRuleResult>();

  /**
   * `make()`, computed once per owner object and key (owners are inventories, file lists and
   * configurations, which the language server keeps while they are unchanged).
   */
  memo<T>(owner: object, key: string, make: () => T): T {
    let m = this.memos.get(owner);
    if (!m) this.memos.set(owner, (m = new Map()));
    if (m.has(key)) return m.get(key) as T;
    const v = make();
    m.set(key, v);
    return v;
  }

  scopeCacheFor(key: string): ScopeCache {
    let c = this.scopeCaches.get(key);
    if (!c) {
      if (this.scopeCaches.size >= 16) this.scopeCaches.clear();
      this.scopeCaches.set(key, (c = new ScopeCache()));
    }
    return c;
  }

  constructor(readonly options: AnalyzerOptions) {
    this.fs = options.fs ?? new NodeFileSystem();
    this.cache = options.cache ?? new ParseCache();
  }

  get rules(): Rule[] {
    return this.options.rules;
  }

  /**
   * Forget the per-file results of the files of one folder: a migration added or deleted changes
   * which one is its app's most recent (DJR711 reads the folder).
   */
  invalidateFolder(dir: string): void {
    for (const file of [...this.codeCache.keys()]) if (path.dirname(file) === dir) this.codeCache.delete(file);
  }

  /** Forget per-file results (e.g. after the rule set or the configuration changed). */
  invalidate(file?: string): void {
    if (file) {
      this.codeCache.delete(file);
      this.cache.drop(file);
    } else this.codeCache.clear();
  }

  analyze(root: string, config: Config, inventory?: FileInventory, opts: AnalyzeOptions = {}): AnalysisResult {
    const r = this.begin(root, config, inventory);
    if ('disabled' in r) return r.disabled;
    for (const run of r.runs) run.execute(opts.defer);
    return r.end();
  }

  /**
   * Like analyze(), with the code rules of large projects in worker threads (opts.pool, when it
   * can run every enabled code rule and there are at least opts.minFiles files for them). The
   * findings are the same as analyze()'s, in the same order.
   */
  async analyzeAsync(root: string, config: Config, inventory?: FileInventory, opts: ParallelOptions = {}): Promise<AnalysisResult> {
    const r = this.begin(root, config, inventory);
    if ('disabled' in r) return r.disabled;
    for (const run of r.runs) await run.executeAsync(opts);
    return r.end();
  }

  /** The part of an analysis before the rules run (one ProjectRun per Django project), and its end. */
  private begin(root: string, config: Config, inventory: FileInventory | undefined): { disabled: AnalysisResult } | { runs: ProjectRun[]; end: () => AnalysisResult } {
    const t0 = performance.now();
    const absRoot = path.resolve(root);
    const inv = inventory ?? listFiles(absRoot, this.fs, config);
    const findings: Finding[] = [];
    const notes: Note[] = [];
    const applicability: Record<string, boolean> = {};
    const stats: AnalysisStats = { filesFound: inv.files.length, pythonFiles: this.memo(inv, 'python', () => inv.files.filter((f) => f.kind === 'python').length), parsed: 0, parsedChars: 0, skippedByPrefilter: 0, skippedLargeOrBinary: 0, ms: 0 };
    const summaries: ProjectSummary[] = [];
    if (!config.enable) return { disabled: { root: absRoot, projects: [], findings, notes, applicability, stats } };

    // no Django project (a Flask app, a folder of scripts): nothing is checked, nothing is reported
    const projects = this.discover(inv, config);
    const rules = this.memo(config, 'rules', () => this.options.rules.filter((r) => ruleEnabled(config, r.meta.code, r.meta.optIn)));

    const runs: ProjectRun[] = [];
    for (const project of projects) runs.push(new ProjectRun(this, project, inv, config, rules, findings, notes, stats, projects.map((p) => p.root)));
    return {
      runs,
      end: () => {
        const pending: PendingCode[] = [];
        for (const run of runs) {
          for (const [code, applies] of Object.entries(run.applicability)) applicability[code] = (applicability[code] ?? false) || applies;
          summaries.push(run.summary());
          if (run.pending) pending.push(run.pending);
        }
        const outcomes = mergeOutcomes(runs);
        for (const p of pending) {
          const n = p.files.length;
          for (const r of p.rules) outcomes[r.meta.code] = { state: 'not-checked', reason: `The background scan of the code has not finished (${n} file${n === 1 ? '' : 's'} left).` };
        }
        stats.ms = performance.now() - t0;
        const all = dedupe(findings);
        const result: AnalysisResult = { root: absRoot, projects: summaries, findings: all.filter((f) => !f.suppressed), suppressed: all.filter((f) => !!f.suppressed), notes, applicability, outcomes, stats };
        if (pending.length > 0) result.pending = pending;
        return result;
      },
    };
  }

  /**
   * Runs deferred code-rule work (AnalysisResult.pending) in the pool's workers, with the texts
   * this analyzer's file system holds, and caches the results: the next analyze() of the folder
   * finds them. Stops sending work once `signal` is aborted (what is done stays cached). Files
   * the main thread must handle itself (too large, binary, unreadable) are left to the next
   * analyze(). Returns the number of files checked.
   */
  async checkPending(pending: PendingCode[], pool: CodePool, signal?: { readonly aborted: boolean }): Promise<number> {
    let done = 0;
    for (const work of pending) {
      if (signal?.aborted) break;
      // the stamp of each file when its text was read (a change after that makes a new stamp)
      const stamps = new Map<string, string | undefined>();
      await pool.run(work.data, work.rules, work.files, {
        signal,
        text: (f) => {
          const size = this.fs.size(f.path);
          if (size !== undefined && size > MAX_FILE_BYTES) return null;
          stamps.set(f.path, this.fs.stamp?.(f.path));
          const t = this.fs.readFile(f.path);
          return t === undefined || looksBinary(t) ? null : t;
        },
        onResult: (i, r, text) => {
          if (text === undefined || r.skipped) return;
          const file = work.files[i].path;
          this.codeCacheSet(file, { config: work.configKey, ...this.source(file, text, stamps.get(file)), findings: r.findings, notes: r.notes, skipped: r.prefiltered || undefined });
          done++;
        },
      });
    }
    return done;
  }

  /**
   * Django projects of an inventory. What the file names say is kept per inventory object
   * (findDjangoProjects); the texts it depends on (DJANGO_SETTINGS_MODULE defaults, overlays)
   * are read again each time, from the file system's cache in the language server.
   */
  private discover(inv: FileInventory, config: Config): DjangoProject[] {
    return findDjangoProjects(inv, this.fs, config);
  }

  /** Parses a file through the cache (the tree stays valid until the file is parsed again). */
  parse(file: string, text: string): PyModule {
    return this.cache.parse(file, text);
  }

  suppressions(file: string, text: string): Suppressions {
    const c = this.suppressionCache.get(file);
    if (c && c.text === text) return c.s;
    const s = new Suppressions(text);
    this.suppressionCache.set(file, { text, s });
    return s;
  }

  /** Whether results of `file` for this configuration are cached (for some text). */
  hasCodeCache(file: string, config: string): boolean {
    return this.codeCache.get(file)?.config === config;
  }

  /** Cached results for the same configuration and an unchanged stamp (the file need not be read) or text. */
  codeCacheGet(file: string, config: string, source: { stamp?: string; text?: string }): CodeCacheEntry | undefined {
    const e = this.codeCache.get(file);
    if (!e || e.config !== config) return undefined;
    if (source.stamp !== undefined && e.stamp === source.stamp) return e;
    if (source.text !== undefined && e.text === source.text) return e;
    return undefined;
  }

  /** What a cache entry records about the source: its stamp, else its text. */
  source(file: string, text: string, stamp = this.fs.stamp?.(file)): { stamp?: string; text?: string } {
    return stamp !== undefined ? { stamp } : { text };
  }

  codeCacheSet(file: string, entry: CodeCacheEntry): void {
    this.codeCache.set(file, entry);
  }
}

/** The outcomes of several project runs of one root (see AnalysisResult.outcomes). */
function mergeOutcomes(runs: ProjectRun[]): Record<string, RuleOutcome> {
  const out: Record<string, RuleOutcome> = {};
  const codes = new Set(runs.flatMap((r) => Object.keys(r.applicability)));
  for (const code of codes) {
    const states = runs.filter((r) => code in r.applicability).map((r) => r.outcomes[code]);
    const notChecked = states.find((o) => o?.state === 'not-checked');
    if (notChecked) out[code] = notChecked;
    else if (states.some((o) => o === undefined)) continue; // checked in some project
    else if (states[0]) out[code] = states[0];
  }
  return out;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const k = `${f.code}|${f.file}|${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}|${f.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code)));
  // two findings of one rule starting at one point (different messages): their fixes' ids get a
  // suffix in this (deterministic) order, so every id names one fix (findings may be cached: copies)
  const ids = new Set<string>();
  for (let i = 0; i < out.length; i++) {
    const f = out[i];
    // deferred fixes (rule.ts DeferredFix) are not computed for this: the ids they may have are known
    const mayHave = pendingFixIds(f) ?? f.fixes.map((x) => x.id);
    if (mayHave.every((id) => !ids.has(id))) {
      for (const id of mayHave) ids.add(id);
      continue;
    }
    const fixes = f.fixes.map((x) => {
      let id = x.id;
      for (let n = 2; ids.has(id); n++) id = `${x.id}~${n}`;
      ids.add(id);
      return id === x.id ? x : { ...x, id };
    });
    out[i] = { ...f, fixes };
  }
  return out;
}

class ProjectRun {
  readonly applicability: Record<string, boolean> = {};
  /** Rules of this run that did not decide (Verdicts): not applicable or not checked. */
  readonly outcomes: Record<string, RuleOutcome> = {};
  private packages = new Set<PackageId>();
  private dependencies: DependencyModel = { files: [], requirements: [], problems: [], locks: [], installs: [], devImages: new Set() };
  private requirements: Requirement[] = [];
  private requirementProblems: RequirementProblem[] = [];
  private djangoVersion: [number, number] = CURRENT_DJANGO;
  private djangoVersionPinned = false;
  private settingsCtx?: SettingsContextImpl;
  private silenced: Record<string, SilencedCheck> = {};
  private readonly files: ProjectFile[];
  private readonly today: Date;
  /** The Django templates of the project (found after the settings are evaluated). */
  private templateFiles: ProjectFile[] = [];
  private templateFolders: TemplateFolders | undefined;
  private readonly nestedRoots: string[];
  /** The modules the production settings ran (their trees stay cached in one-shot runs). */
  private readonly settingsPaths = new Set<string>();

  constructor(
    private readonly an: Analyzer,
    private readonly project: DjangoProject,
    private readonly inv: FileInventory,
    private readonly config: Config,
    private readonly rules: Rule[],
    private readonly findings: Finding[],
    private readonly notes: Note[],
    private readonly stats: AnalysisStats,
    allRoots: string[] = [],
  ) {
    const root = project.root;
    // Files of a Django project nested inside this one (a monorepo's other service) are its own.
    const nested = allRoots.filter((r) => r !== root && r.startsWith(root + path.sep));
    this.nestedRoots = nested;
    const mine = (p: string) => !nested.some((r) => p.startsWith(r + path.sep));
    // the same for every analysis of the same inventory (the language server's keystrokes)
    const repo = project.repositoryRoot;
    this.files = an.memo(inv, `files\u0000${root}\u0000${nested.join('\u0000')}\u0000${repo ?? ''}`, () => {
      const files = inv.files.filter((f) => (f.path === root || f.path.startsWith(root + path.sep) || (f.kind !== 'python' && inv.root === root)) && mine(f.path));
      // Project files such as .gitignore or requirements may sit above manage.py (repo root).
      // Requirements, Dockerfiles... above it count only when the project has none of its own
      // (in a monorepo, a service with its own requirements.txt is judged by that file). The
      // only project of a repository (repositoryRoot) reads them anywhere in the repository
      // (requirements/base.txt, deploy/Dockerfile), others only in the folders above them.
      if (root !== inv.root) {
        const ownKinds = new Set(files.map((f) => f.kind));
        const above = (f: ProjectFile) => (repo !== undefined ? f.path.startsWith(repo + path.sep) && mine(f.path) : root.startsWith(path.dirname(f.path) + path.sep));
        for (const f of inv.files) {
          if (f.kind === 'python' || f.kind === 'template' || files.includes(f) || !above(f)) continue;
          const shared = f.kind === 'gitignore' || f.kind === 'env' || f.kind === 'env-example' || f.kind === 'pyproject' || f.kind === 'pipfile' || f.kind === 'lock';
          if (shared || !ownKinds.has(f.kind)) files.push(f);
        }
      }
      return files;
    });
    this.today = config.today ? new Date(config.today) : new Date();
    // files named like ones the rules read that are not regular files (FIFOs, devices, links out
    // of the project): never read, one note each
    for (const p of inv.special ?? []) {
      if ((p.startsWith(root + path.sep) || inv.root === root) && mine(p)) this.skip(p, an.fs.unreadable?.(p) ?? 'Not read: not a regular file.');
    }
    this.inventoryRoot = inv.root;
  }

  private readonly inventoryRoot: string;

  summary(): ProjectSummary {
    const p = this.project;
    return {
      root: p.root,
      productionModule: p.production?.path,
      productionDotted: p.production?.dotted,
      productionReason: p.productionReason,
      ...(p.candidates ? { candidates: p.candidates } : {}),
      ...(p.overlays ? { overlays: p.overlays } : {}),
      ...(p.configuredMissing ? { configuredMissing: p.configuredMissing } : {}),
      ...(p.repositoryRoot ? { repository: { root: p.repositoryRoot, reason: p.repositoryReason ?? '' } } : {}),
      ...(this.settingsCtx && this.settingsCtx.unread.length > 0 ? { unread: this.settingsCtx.unread } : {}),
      settingsModules: p.settingsModules.map((m) => ({ path: m.path, dotted: m.dotted, role: m.role })),
      packages: [...this.packages].sort(),
      djangoVersion: this.djangoVersion,
      djangoVersionPinned: this.djangoVersionPinned,
      templates: this.templateFolders && {
        folders: this.templateFolders.folders,
        jinja: this.templateFolders.jinja,
        appDirsJinja: this.templateFolders.appDirsJinja,
        fallbackReason: this.templateFolders.fallbackReason,
        files: this.templateFiles.length,
      },
    };
  }

  /** Files skipped in this run (huge or binary): one note each, however often they are read. */
  private readonly skipped = new Set<string>();

  private skip(file: string, message: string): undefined {
    if (this.skipped.has(file)) return undefined;
    this.skipped.add(file);
    this.stats.skippedLargeOrBinary++;
    this.notes.push({ file, kind: 'skipped', message });
    return undefined;
  }

  private readText(file: string): string | undefined {
    const raw = this.readRaw(file);
    return raw === undefined ? undefined : this.checkText(file, raw);
  }

  /**
   * The text of a file not larger than MAX_FILE_BYTES (a note otherwise, or when it is not read).
   * A file system with `unreadable` caps its reads itself (NodeFileSystem: one inspection per
   * read) and says why it read nothing; others are asked for the size first.
   */
  private readRaw(file: string): string | undefined {
    const fs = this.an.fs;
    if (!fs.unreadable) {
      const size = fs.size(file);
      if (size !== undefined && size > MAX_FILE_BYTES) return this.skip(file, tooLargeMessage(size, MAX_FILE_BYTES));
    }
    const text = fs.readFile(file);
    if (text === undefined) {
      const why = fs.unreadable?.(file);
      if (why) return this.skip(file, why);
      return undefined;
    }
    // an in-memory text (an open document, a fix-all pass) is not capped by the disk reader
    if (text.length > MAX_FILE_BYTES && (fs.size(file) ?? 0) > MAX_FILE_BYTES) return this.skip(file, tooLargeMessage(fs.size(file) as number, MAX_FILE_BYTES));
    return text;
  }

  /** The text, unless it looks binary (a note then). */
  private checkText(file: string, text: string): string | undefined {
    if (looksBinary(text)) return this.skip(file, BINARY_MESSAGE);
    return text;
  }

  /**
   * A step of the analysis that depends only on the project's files and on what it reads or asks
   * about through `read` / `exists`: its result is reused while the file list is the same object
   * and every file it read gives the same text (the language server's file system gives the same
   * string while a file is unchanged) and every existence it asked about is the same. The notes
   * its reads made (a file too large...) are made again.
   */
  private tracked<T>(name: string, fn: (read: (p: string) => string | undefined, exists: (p: string) => boolean) => T): T {
    const fs = this.an.fs;
    // nothing is kept after a one-shot analysis
    if (this.an.options.oneShot) return fn((p) => this.readText(p), (p) => fs.exists(p));
    const key = `${name}\u0000${this.project.root}\u0000${this.inventoryRoot}`;
    const prev = this.an.steps.get(key) as TrackedStep<T> | undefined;
    if (prev && prev.files === this.files && prev.reads.every((r) => this.sameSource(r)) && prev.exists.every(([p, e]) => fs.exists(p) === e)) {
      for (const n of prev.notes) this.skip(n.file, n.message);
      return prev.value;
    }
    const reads: Source[] = [];
    const exists: [string, boolean][] = [];
    const notesBefore = this.notes.length;
    const value = fn(
      (p) => {
        reads.push(this.sourceOf(p));
        return this.readText(p);
      },
      (p) => {
        const e = fs.exists(p);
        exists.push([p, e]);
        return e;
      },
    );
    const notes = this.notes.slice(notesBefore).filter((n) => n.kind === 'skipped');
    this.an.steps.set(key, { files: this.files, reads, exists, value, notes });
    return value;
  }

  /** What a read depends on: the file system's stamp when it has one (the text is then not kept), else the text. */
  private sourceOf(p: string): Source {
    const stamp = this.an.fs.stamp?.(p);
    return stamp !== undefined ? [p, stamp, undefined] : [p, undefined, this.an.fs.readFile(p)];
  }

  /** Whether a file reads as it did when `r` was recorded. */
  private sameSource([p, stamp, text]: Source): boolean {
    if (stamp !== undefined) return this.an.fs.stamp?.(p) === stamp;
    return this.an.fs.stamp?.(p) === undefined && this.an.fs.readFile(p) === text;
  }

  /** Code-rule work left to the caller (AnalyzeOptions.defer). */
  pending: PendingCode | undefined;

  execute(defer?: AnalyzeOptions['defer']): void {
    this.prepare();
    this.runCodeRules(defer);
    this.finish();
  }

  async executeAsync(opts: ParallelOptions): Promise<void> {
    this.prepare();
    const work = this.codeWork();
    if (work) await this.runCodeRulesStreaming(work, opts);
    this.finish();
  }

  private prepare(): void {
    this.loadRequirements();
    const prod = this.project.production;
    if (prod) this.settingsCtx = this.buildSettings(prod.path);
    this.packages = detectPackages(
      this.settingsCtx?.installedApps ?? [],
      this.settingsCtx?.middleware ?? [],
      this.settingsCtx ? collectDottedStrings(this.settingsCtx) : [],
      new Set(this.requirements.map((r) => r.name)),
    );
    if (this.settingsCtx) {
      const silenced = this.settingsCtx.value('SILENCED_SYSTEM_CHECKS');
      for (const s of stringItems(silenced)) {
        const o = s.item.origin;
        const pos = o.module.lines.positionAt(o.top.start + o.node.s);
        this.silenced[s.value] ??= { file: o.module.path, line: pos.line, comment: trailingComment(o.module.lines.lineText(pos.line)) };
      }
    }

    if (this.rules.some((r) => r.checkTemplate)) this.findTemplates();
    for (const rule of this.rules) {
      const requires = rule.meta.requires;
      const applies = !requires || requires.some((p) => this.packages.has(p));
      // template rules apply where there are templates
      const canRun = rule.meta.kind === 'template' ? this.templateFiles.length > 0 : rule.meta.kind !== 'settings' || !!this.settingsCtx;
      this.applicability[rule.meta.code] = applies && canRun;
      if (!applies) this.verdict(rule, 'not-applicable', `The project does not use ${requires!.map((p) => PACKAGE_TITLES[p] ?? p).join(' or ')}.`);
      else if (!canRun && rule.meta.kind === 'template') this.verdict(rule, 'not-applicable', 'The project has no Django templates.');
      else if (!canRun) this.verdict(rule, 'not-checked', this.project.production ? 'The production settings module could not be read.' : 'No production settings module was found (set productionSettingsModule to choose one).');
    }

    if (this.settingsCtx) {
      for (const rule of this.rules) {
        if (!rule.checkSettings || !this.applicability[rule.meta.code]) continue;
        this.guard(rule, this.project.production?.path ?? this.project.root, () => rule.checkSettings?.(this.settingsCtx!.forRule(rule)));
      }
    }
  }

  private finish(): void {
    const projectRules = this.rules.filter((r) => r.checkProject && this.applicability[r.meta.code]);
    for (const rule of projectRules) {
      if (this.an.options.oneShot) {
        const ctx = this.projectContext(rule);
        this.guard(rule, this.project.root, () => rule.checkProject?.(ctx));
      } else this.runProjectRuleTracked(rule);
    }
  }

  /** What project rules' results depend on besides what they read (kept results are reused only with the same). */
  private projectRuleKey: string | undefined;

  /**
   * A project rule, its result reused from the last analysis when nothing it looked at changed
   * (a keystroke in a settings module does not re-run a rule that reads requirements or urls.py
   * files): the same file list, dependencies and configuration objects, the same project, Django
   * version, packages and silenced checks, the same texts and answers from every read, and the
   * same INSTALLED_APPS / MIDDLEWARE when it looked at them. A rule that looks at anything else
   * of the settings, at `today`, or at the file system in another way runs every time.
   */
  private runProjectRuleTracked(rule: Rule): void {
    const an = this.an;
    const fs = an.fs;
    this.projectRuleKey ??= JSON.stringify([
      this.summary(),
      this.project.settingsDefaults,
      this.djangoVersion,
      this.djangoVersionPinned,
      [...this.packages].sort(),
      this.silenced,
      this.templateFiles.length,
    ]);
    const key = `${rule.meta.code}\u0000${this.project.root}\u0000${this.inventoryRoot}`;
    const prev = an.projectRuleResults.get(key);
    const settings = this.settingsCtx;
    if (
      prev &&
      prev.files === this.files &&
      prev.dependencies === this.dependencies &&
      prev.config === this.config &&
      prev.key === this.projectRuleKey &&
      prev.hasSettings === !!settings &&
      prev.settings.every(([k, v]) => (k.startsWith('value:') ? valueFingerprint(settings?.value(k.slice(6))) : JSON.stringify(settings?.[k as 'installedApps' | 'middleware'])) === v) &&
      prev.reads.every((r) => this.sameSource(r)) &&
      prev.exists.every(([p, e]) => fs.exists(p) === e) &&
      prev.dirs.every(([p, fp]) => listingFingerprint(fs.readDir(p)) === fp)
    ) {
      for (const n of prev.notes) {
        if (n.kind === 'skipped') this.skip(n.file, n.message);
        else this.notes.push(n);
      }
      this.findings.push(...prev.findings);
      for (const [state, reason] of prev.verdicts) this.verdict(rule, state, reason);
      return;
    }
    let cacheable = true;
    const reads: Source[] = [];
    const exists: [string, boolean][] = [];
    const dirs: [string, string][] = [];
    const seenSettings: [string, string][] = [];
    const verdicts: [RuleOutcome['state'], string][] = [];
    const read = (p: string): string | undefined => {
      reads.push(this.sourceOf(p));
      return fs.readFile(p);
    };
    const trackedFs: FileSystem = {
      readFile: read,
      exists: (p) => {
        const e = fs.exists(p);
        exists.push([p, e]);
        return e;
      },
      // a listing is compared again before reuse (DJR910 looks for Kubernetes manifests: without
      // this, it ran again, over every urls module, on each keystroke)
      readDir: (p) => {
        const entries = fs.readDir(p);
        dirs.push([p, listingFingerprint(entries)]);
        return entries;
      },
      size: (p) => {
        cacheable = false;
        return fs.size(p);
      },
    };
    for (const m of ['stamp', 'unreadable', 'readBytes', 'statKey', 'memoryText'] as const) {
      const f = fs[m] as ((...a: unknown[]) => unknown) | undefined;
      if (f) (trackedFs as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => ((cacheable = false), f.apply(fs, a));
    }
    const settingsView = settings?.forRule(rule);
    const watchedSettings =
      settingsView &&
      new Proxy(settingsView, {
        get: (target, prop, receiver) => {
          if (prop === 'installedApps' || prop === 'middleware') seenSettings.push([prop, JSON.stringify(settings?.[prop])]);
          else if (prop === 'value') {
            // a setting's value, where it is written included (findings may point there)
            return (name: string) => {
              const v = target.value(name);
              const fp = valueFingerprint(v);
              if (fp === undefined) cacheable = false;
              else seenSettings.push([`value:${name}`, fp]);
              return v;
            };
          } else cacheable = false;
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
    const base = this.base(rule);
    const findingsBefore = this.findings.length;
    const notesBefore = this.notes.length;
    const ctx: ProjectContext = {
      config: base.config,
      thresholds: base.thresholds,
      fs: trackedFs,
      project: base.project,
      get today() {
        cacheable = false;
        return base.today;
      },
      report: (args) => base.report(args),
      uses: (pkg) => base.uses(pkg),
      djangoVersion: base.djangoVersion,
      djangoVersionPinned: base.djangoVersionPinned,
      notApplicable: (reason) => (verdicts.push(['not-applicable', reason]), this.verdict(rule, 'not-applicable', reason)),
      notChecked: (reason) => (verdicts.push(['not-checked', reason]), this.verdict(rule, 'not-checked', reason)),
      files: this.files,
      requirements: this.requirements,
      requirementProblems: this.requirementProblems,
      dependencies: this.dependencies,
      analysisRoot: this.inventoryRoot,
      settings: watchedSettings,
      readFile: (p) => {
        read(p);
        return this.readText(p);
      },
    };
    this.guard(rule, this.project.root, () => rule.checkProject?.(ctx));
    const findings = this.findings.slice(findingsBefore);
    // a finding's suppression comments are read from its file
    for (const f of findings) reads.push(this.sourceOf(f.file));
    if (!cacheable) {
      an.projectRuleResults.delete(key);
      return;
    }
    an.projectRuleResults.set(key, {
      files: this.files,
      dependencies: this.dependencies,
      config: this.config,
      key: this.projectRuleKey,
      hasSettings: !!settings,
      settings: seenSettings,
      reads,
      exists,
      dirs,
      findings,
      notes: this.notes.slice(notesBefore),
      verdicts,
    });
  }

  /** Records what a rule said about itself (Verdicts): not checked wins over not applicable. */
  verdict(rule: Rule, state: RuleOutcome['state'], reason: string): void {
    const code = rule.meta.code;
    const cur = this.outcomes[code];
    if (cur && (cur.state === 'not-checked' || state === 'not-applicable')) return;
    this.outcomes[code] = { state, reason };
  }

  private guard(rule: Rule, file: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.notes.push(ruleFailed(rule, file, e));
    }
  }

  private loadRequirements(): void {
    this.dependencies = this.tracked('dependencies', (read, exists) =>
      loadDependencies({
        files: this.files,
        root: this.project.root,
        boundary: this.inventoryRoot,
        read,
        exists,
        cache: this.an.dependencyCache,
      }),
    );
    this.requirements = this.dependencies.requirements;
    this.requirementProblems = this.dependencies.problems;
    // The Django that production installs: a lock file's, a pin, else the newest release a range admits.
    const dj = this.requirements.filter((r) => r.name === 'django' && mayInstall(r));
    const versions = dj.map(installedVersion).filter((v) => v !== undefined);
    const best = versions.find((v) => v.source !== 'range') ?? versions[0];
    if (best) {
      this.djangoVersion = best.version;
      this.djangoVersionPinned = best.source !== 'range';
    }
  }

  private buildSettings(prodPath: string): SettingsContextImpl | undefined {
    const text = this.readText(prodPath);
    if (text === undefined) return undefined;
    const modules: PyModule[] = [];
    const load = (p: string): PyModule | undefined => {
      const t = p === prodPath ? text : this.readText(p);
      if (t === undefined) return undefined;
      const m = this.an.parse(p, t);
      // each module once, in the order first loaded (an import may be resolved several times)
      if (!this.settingsPaths.has(p)) {
        this.stats.parsed++;
        this.settingsPaths.add(p);
        modules.push(m);
      }
      return m;
    };
    const prodModule = load(prodPath);
    if (!prodModule) return undefined;
    // the evaluations of modules this analysis finds unchanged are reused (ScopeCache)
    const evaluator = settingsEvaluator(this.an.fs, this.project.root, load, this.project.overlays, this.scopeCache());
    const scope = evaluator.evaluate(prodModule);
    for (const m of modules) {
      for (const se of m.syntaxErrors) {
        this.notes.push({ file: m.path, kind: 'syntax-error', range: m.lines.range(se.start, se.end), message: `Syntax error: this statement was skipped; analysis resumed at the next statement.` });
      }
    }
    const overlay = this.project.overlays?.[0];
    const home = (overlay && modules.find((m) => m.path === overlay)) || prodModule;
    return new SettingsContextImpl(this, prodModule, scope, modules, (m) => evaluator.scopeFor(m), home);
  }

  /** The kept settings evaluations of this project (and set of overlays). */
  scopeCache(): ScopeCache {
    return this.an.scopeCacheFor(`${this.project.root}\u0000${(this.project.overlays ?? []).join('\u0000')}`);
  }

  /**
   * Runs `fn` on the production settings evaluated as if `module` read `text` (the other modules
   * as this analysis read them; evaluations that do not depend on `module` reused).
   */
  withSettings<T>(prod: PyModule, modules: readonly PyModule[], module: PyModule, text: string, fn: (scope: ModuleScope) => T): T | undefined {
    const temp = new ParseCache(8);
    // only the statements the change touches are parsed again
    const variant = parseVariant(module, text);
    try {
      const known = new Map(modules.map((m) => [m.path, m]));
      const load = (p: string): PyModule | undefined => {
        if (p === module.path) return variant;
        const m = known.get(p);
        if (m) return m;
        const t = this.readText(p);
        return t === undefined ? undefined : temp.parse(p, t);
      };
      const ev = settingsEvaluator(this.an.fs, this.project.root, load, this.project.overlays, this.scopeCache(), false);
      const root = load(prod.path);
      return root ? fn(ev.evaluate(root)) : undefined;
    } finally {
      variant.release();
      temp.clear();
    }
  }

  /**
   * The Django templates of the project (templateDirs.ts): from the production TEMPLATES and
   * INSTALLED_APPS; template folders may lie outside the Django root (DIRS = BASE_DIR.parent / ...).
   */
  private findTemplates(): void {
    const s = this.settingsCtx;
    const inv = this.inv;
    const pythonDirs = this.an.memo(inv, 'pythonDirs', () => {
      const dirs = new Set<string>();
      for (const f of inv.files) if (f.kind === 'python') dirs.add(path.dirname(f.path));
      return dirs;
    });
    const apps = s?.value('INSTALLED_APPS');
    const folders = findTemplateFolders({
      root: this.project.root,
      hasSettings: !!s,
      templates: s?.value('TEMPLATES'),
      installedApps: s && apps && (apps.kind === 'list' || apps.kind === 'tuple') ? s.installedApps : undefined,
      lookup: (name) => s?.value(name),
      pythonDirs,
    });
    this.templateFolders = folders;
    // templates of a nested Django project are its own
    const nested = this.nestedRoots;
    const outsideRoot = (p: string) => !p.startsWith(this.project.root + path.sep);
    const templates = this.an.memo(inv, 'templates', () => inv.files.filter((f) => f.kind === 'template'));
    const candidates = templates.filter((f) => !nested.some((r) => f.path.startsWith(r + path.sep)) && (!outsideRoot(f.path) || folders.folders.some((d) => d.source !== 'fallback' && f.path.startsWith(d.path + path.sep))));
    this.templateFiles = selectTemplates(candidates, folders);
  }

  /** The code rules that run, the files they check, and the cache key of their results. */
  private codeWork(): { rules: Rule[]; configKey: string; files: ProjectFile[] } | undefined {
    const rules = this.rules.filter((r) => isPerFileRule(r) && this.applicability[r.meta.code]);
    if (rules.length === 0) return undefined;
    const configKey = JSON.stringify([this.config.select, this.config.ignore, this.config.severity, this.config.thresholds, [...this.packages].sort(), rules.map((r) => r.meta.code)]);
    // a file no enabled rule looks at (a migration when no migration rule runs) is not even read
    const migrations = rules.some((r) => r.files === 'migrations');
    const code = rules.some((r) => isCodeRule(r) && r.files !== 'migrations');
    const files = this.an.memo(this.files, `code\u0000${this.config.includeTests}\u0000${migrations}\u0000${code}`, () => this.files.filter((f) => isCodeRuleFile(f, this.config) && (f.isMigration ? migrations && !isPackageInit(f.path) : code))).slice();
    if (rules.some((r) => r.checkTemplate)) for (const f of this.templateFiles) if (!f.isTest || this.config.includeTests) files.push(f);
    return { rules, configKey, files };
  }

  /** What a worker needs to run the code rules of this project (plain data). */
  private codeRunData(): CodeRunData {
    return {
      config: this.config,
      project: this.project,
      packages: [...this.packages],
      djangoVersion: this.djangoVersion,
      djangoVersionPinned: this.djangoVersionPinned,
      today: this.today.toISOString(),
      silenced: this.silenced,
      ...(this.an.options.prefilters === false ? { noPrefilter: true } : {}),
    };
  }

  private codeChecker(rules: Rule[]): CodeChecker {
    return new CodeChecker(this.an, this.codeRunData(), rules);
  }

  /** Adds a file's cached code-rule results to this run; false when there are none. */
  private useCached(e: CodeCacheEntry | undefined): boolean {
    if (!e) return false;
    if (e.skipped) this.stats.skippedByPrefilter++;
    this.findings.push(...e.findings);
    this.notes.push(...e.notes);
    return true;
  }

  private runCodeRules(defer?: AnalyzeOptions['defer']): void {
    const work = this.codeWork();
    if (!work) return;
    const { rules, configKey } = work;
    let checker: CodeChecker | undefined;
    const deferred: ProjectFile[] = [];
    for (const f of work.files) {
      // deferred (left to workers): files never checked, or changed, unless checked inline
      if (defer && !this.an.hasCodeCache(f.path, configKey) && !defer.inline?.(f.path)) {
        deferred.push(f);
        continue;
      }
      // unchanged since the last run (the language server re-runs on every keystroke): the cached
      // results, without reading (stamp) or scanning (text identity) the file again
      const stamp = this.an.fs.stamp?.(f.path);
      if (this.useCached(this.an.codeCacheGet(f.path, configKey, { stamp }))) continue;
      const raw = this.readRaw(f.path);
      if (raw === undefined) continue;
      if (this.useCached(this.an.codeCacheGet(f.path, configKey, { text: raw }))) continue;
      if (defer && !defer.inline?.(f.path)) {
        deferred.push(f);
        continue;
      }
      const text = this.checkText(f.path, raw);
      if (text === undefined) continue;
      checker ??= this.codeChecker(rules);
      const r = this.checkOne(checker, f, text, checker.candidates(text, f));
      this.addCodeResult(r);
      if (r.parsed) this.stats.parsedChars = (this.stats.parsedChars ?? 0) + text.length;
      this.an.codeCacheSet(f.path, { config: configKey, ...this.an.source(f.path, text, stamp), findings: r.findings, notes: r.notes, skipped: r.prefiltered || undefined });
    }
    if (deferred.length > 0) this.pending = { data: this.codeRunData(), rules, configKey, files: deferred };
  }

  private addCodeResult(r: CodeFileResult): void {
    if (r.prefiltered) this.stats.skippedByPrefilter++;
    if (r.parsed) this.stats.parsed++;
    this.findings.push(...r.findings);
    this.notes.push(...r.notes);
  }

  /**
   * The code rules of analyzeAsync: this thread reads each file and runs the prefilters (one
   * pass over the rules); what matched is parsed and checked here, or, once the characters left
   * to parse reach `opts.minChars`, in the pool's worker threads (sent with the text and the
   * rules that matched, in batches, at most two per worker in flight). Results are merged in file
   * order, as the in-process loop would. Files a failing pool could not check are checked here.
   */
  private async runCodeRulesStreaming(work: { rules: Rule[]; configKey: string; files: ProjectFile[] }, opts: ParallelOptions): Promise<void> {
    const { rules, configKey, files } = work;
    const pool = opts.pool?.available && opts.pool.accepts(rules) ? opts.pool : undefined;
    const minChars = opts.minChars ?? WORKERS_MIN_CHARS;
    const oneShot = !!this.an.options.oneShot;
    const checker = this.codeChecker(rules);
    const data = this.codeRunData();
    /** Per file: the result, its text while it waits for one, the notes its reading made. */
    const slots: { result?: CodeFileResult; text?: string; chars?: number; rules?: Rule[]; stamp?: string; notes?: Note[]; cached?: boolean }[] = files.map(() => ({}));
    let queue: number[] = [];
    let queuedChars = 0;
    let workers = false;
    const inflight = new Set<Promise<void>>();
    const BATCH_CHARS = 256 * 1024;
    const send = (batch: number[]): void => {
      const p = (pool as CodePool)
        .check(data, rules, batch.map((i) => ({ file: files[i], text: slots[i].text, rules: (slots[i].rules as Rule[]).map((r) => r.meta.code) })))
        .then(
          (results) => {
            results.forEach((r, k) => {
              const slot = slots[batch[k]];
              slot.result = r;
              if (oneShot) slot.text = undefined;
            });
          },
          () => undefined, // checked here afterwards (the pool is broken: nothing more is sent)
        )
        .finally(() => inflight.delete(p));
      inflight.add(p);
    };
    const flush = async (all: boolean): Promise<void> => {
      while (queue.length > 0 && pool?.available) {
        let chars = 0;
        let n = 0;
        while (n < queue.length && n < 64 && chars < BATCH_CHARS) chars += (slots[queue[n++]].text as string).length;
        if (!all && chars < BATCH_CHARS && n < 64) return;
        send(queue.slice(0, n));
        queue = queue.slice(n);
        // back-pressure: the texts in flight stay bounded
        while (inflight.size >= pool.size * 2) await Promise.race(inflight);
      }
    };
    for (let i = 0; i < files.length; i++) {
      if (opts.signal?.aborted) break;
      const f = files[i];
      const slot = slots[i];
      const stamp = oneShot ? undefined : this.an.fs.stamp?.(f.path);
      const hit = oneShot ? undefined : this.an.codeCacheGet(f.path, configKey, { stamp });
      if (hit) {
        slot.result = { findings: hit.findings, notes: hit.notes, parsed: false, prefiltered: !!hit.skipped };
        slot.cached = true;
        continue;
      }
      // notes of the reading (too large, binary, unreadable) keep their place among the results
      const before = this.notes.length;
      const raw = this.readRaw(f.path);
      const text = raw === undefined ? undefined : this.checkText(f.path, raw);
      if (this.notes.length > before) slot.notes = this.notes.splice(before);
      if (text === undefined) continue;
      const cached = oneShot ? undefined : this.an.codeCacheGet(f.path, configKey, { text });
      if (cached) {
        slot.result = { findings: cached.findings, notes: cached.notes, parsed: false, prefiltered: !!cached.skipped };
        slot.cached = true;
        continue;
      }
      slot.stamp = stamp;
      const matched = checker.candidates(text, f);
      if (matched.length === 0) {
        slot.result = PREFILTERED;
        if (!oneShot) slot.text = text;
        continue;
      }
      slot.text = text;
      slot.chars = text.length;
      slot.rules = matched;
      if (!pool) {
        slot.result = this.checkOne(checker, f, text, matched);
        if (oneShot) slot.text = undefined;
        continue;
      }
      queue.push(i);
      queuedChars += text.length;
      if (!workers && queuedChars >= minChars) workers = true;
      if (workers) await flush(false);
    }
    if (workers) {
      await flush(true);
      while (inflight.size > 0) await Promise.race(inflight);
    }
    // what is left: the queue below the threshold, or files a failing pool did not check
    for (let i = 0; i < files.length; i++) {
      const slot = slots[i];
      if (slot.result || slot.text === undefined || !slot.rules) continue;
      if (opts.signal?.aborted) break;
      slot.result = this.checkOne(checker, files[i], slot.text, slot.rules);
    }
    for (let i = 0; i < files.length; i++) {
      const slot = slots[i];
      if (slot.notes) this.notes.push(...slot.notes);
      const r = slot.result;
      if (!r) continue;
      this.addCodeResult(r);
      if (r.parsed) this.stats.parsedChars = (this.stats.parsedChars ?? 0) + (slot.chars ?? 0);
      if (!oneShot && !slot.cached && slot.text !== undefined) {
        this.an.codeCacheSet(files[i].path, { config: configKey, ...this.an.source(files[i].path, slot.text, slot.stamp), findings: r.findings, notes: r.notes, skipped: r.prefiltered || undefined });
      }
    }
  }

  /** Checks one file in this thread (its tree freed afterwards in a one-shot run, unless settings use it). */
  private checkOne(checker: CodeChecker, f: ProjectFile, text: string, rules: Rule[]): CodeFileResult {
    const r = checker.check(f, text, rules);
    if (this.an.options.oneShot && f.kind === 'python' && !this.settingsPaths.has(f.path)) this.an.cache.drop(f.path);
    return r;
  }

  /** The file system and the project root (for the settings context's unread overrides). */
  get fs(): FileSystem {
    return this.an.fs;
  }

  get root(): string {
    return this.project.root;
  }

  get findingSink(): Finding[] {
    return this.findings;
  }

  base(rule: Rule, sink: Finding[] = this.findings): BaseContext {
    return {
      config: this.config,
      thresholds: this.config.thresholds,
      fs: this.an.fs,
      project: this.project,
      today: this.today,
      djangoVersion: this.djangoVersion,
      djangoVersionPinned: this.djangoVersionPinned,
      uses: (pkg) => this.packages.has(pkg),
      envExamples: () => (this.envExampleFiles ??= this.files.filter((f) => f.kind === 'env-example').map((f) => f.path)),
      report: (args) => this.report(rule, args, sink),
    };
  }

  private envExampleFiles: string[] | undefined;

  private reportEnv: ReportEnv | undefined;

  report(rule: Rule, args: ReportArgs, sink: Finding[]): void {
    this.reportEnv ??= { env: this.an, config: this.config, silenced: this.silenced, projectRoot: this.project.root };
    sink.push(buildFinding(this.reportEnv, rule, args));
  }

  private projectContext(rule: Rule): ProjectContext {
    return {
      ...this.base(rule),
      notApplicable: (reason) => this.verdict(rule, 'not-applicable', reason),
      notChecked: (reason) => this.verdict(rule, 'not-checked', reason),
      files: this.files,
      requirements: this.requirements,
      requirementProblems: this.requirementProblems,
      dependencies: this.dependencies,
      analysisRoot: this.inventoryRoot,
      settings: this.settingsCtx?.forRule(rule),
      readFile: (p) => this.readText(p),
    };
  }
}

/**
 * Where a finding about the module as a whole goes (a setting missing from it): its docstring,
 * else its first statement (a whole, readable range, not the three characters of a line that
 * holds only the opening quotes), else its first line.
 */
export function moduleAnchor(m: PyModule): { file: string; range: Range } {
  const first = m.stmts[0];
  if (!first) return { file: m.path, range: m.lines.lineRange(0) };
  const docstring = first.ir.t === 'expr' && first.ir.value.t === 'str';
  if (docstring) return { file: m.path, range: m.lines.range(first.start, first.end) };
  // a statement on several lines (a dict, a call): its first line, from where it starts
  const line = m.lines.positionAt(first.start).line;
  return { file: m.path, range: m.lines.range(first.start, Math.min(first.end, m.lines.lineEnd(line))) };
}

/** The comment at the end of a line of Python ('' when none): `'security.W004',  # HSTS at the proxy` -> `HSTS at the proxy`. */
function trailingComment(line: string): string {
  // outside string literals: skip quoted runs, then take what follows the first '#'
  const m = /^(?:[^'"#]|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")*#(.*)$/.exec(line);
  return m ? suppressionReason(m[1]) : '';
}

function collectDottedStrings(ctx: SettingsContextImpl): string[] {
  const out: string[] = [];
  const visit = (v: Value | undefined, depth: number) => {
    if (!v || depth > 6) return;
    if (v.kind === 'str') out.push(v.value);
    else if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') for (const i of v.items) visit(i, depth + 1);
    else if (v.kind === 'dict') for (const e of v.entries) visit(e.value, depth + 1);
  };
  for (const name of ['REST_FRAMEWORK', 'AUTHENTICATION_BACKENDS', 'STORAGES', 'STATICFILES_STORAGE']) visit(ctx.value(name), 0);
  for (const c of ctx.calls) out.push(c.qualified);
  return out;
}

class SettingsContextImpl {
  readonly installedApps: string[];
  readonly middleware: string[];
  readonly editor: ModuleEditor;
  private readonly editors = new Map<PyModule, ModuleEditor>();

  constructor(
    private readonly run: ProjectRun,
    readonly module: PyModule,
    readonly scope: ModuleScope,
    readonly modules: PyModule[],
    /** The evaluated scope of another module of the closure (fixes there follow its own idiom). */
    private readonly scopeOf?: (m: PyModule) => ModuleScope,
    /**
     * Where missing settings are reported and added: the production overlay when the production
     * module pulls one in under an environment switch (settings there apply to production only),
     * else the production module.
     */
    readonly home: PyModule = module,
  ) {
    this.installedApps = stringItems(this.value('INSTALLED_APPS')).map((s) => s.value);
    this.middleware = stringItems(this.value('MIDDLEWARE')).map((s) => s.value);
    this.editor = this.editorFor(home);
  }

  get calls() {
    return this.scope.calls;
  }

  private unreadList: UnreadOverride[] | undefined;

  /** The override files of the production settings whose settings are unknown (see unreadOverrides). */
  get unread(): UnreadOverride[] {
    return (this.unreadList ??= unreadOverrides(this.run.fs, this.run.root, this.modules));
  }

  /**
   * A finding saying a setting "is not set" / "is not configured" in production, when the
   * production settings also run a file the analysis cannot read (a gitignored local.py): it is
   * not set in the repository, and that file may set it. Said in the message; the finding stays.
   */
  qualifyMissing(args: ReportArgs): ReportArgs {
    if (this.unread.length === 0) return args;
    const files = this.unread.map(unreadPhrase).join('; ');
    // `X is not set (Django defaults to none): ...` keeps one parenthesis: `(local.py, ..., may set it; Django defaults to none)`
    const re = /(^|\band |\bbut )([A-Z][A-Z0-9_]*) is not (set|configured)\b(?: \(([^()]*)\))?/;
    const message = args.message;
    if (!message || !re.test(message)) return args;
    return {
      ...args,
      message: message.replace(re, (_m, lead: string, name: string, verb: string, aside?: string) => `${lead}${name} is not ${verb} in the repository (${files}, may ${verb === 'set' ? 'set' : 'configure'} it${aside ? `; ${aside}` : ''})`),
    };
  }

  setting(name: string): Binding | undefined {
    return this.scope.names.get(name);
  }

  value(name: string): Value | undefined {
    return this.scope.names.get(name)?.value;
  }

  /** The environment lookups of every module, once per analysis (each DJR102/DJR104 fix reads them). */
  private lookups: EnvLookupSite[] | undefined;

  envLookups(): EnvLookupSite[] {
    if (!this.lookups) {
      this.lookups = [];
      for (const m of this.modules) {
        const scope = m === this.module ? this.scope : this.scopeOf?.(m);
        if (scope) this.lookups.push(...envLookupSites(scope));
      }
    }
    return [...this.lookups];
  }

  editorFor(module: PyModule): ModuleEditor {
    let e = this.editors.get(module);
    if (!e) {
      e = new ModuleEditor(module, module === this.module ? this.scope : this.scopeOf?.(module));
      this.editors.set(module, e);
    }
    return e;
  }

  bindingAt(b: Binding): Where {
    const m = b.stmt.module;
    const start = b.stmt.top.start + b.stmt.node.s;
    const end = b.stmt.top.start + b.stmt.node.e;
    const firstLineEnd = m.lines.lineEnd(m.lines.positionAt(start).line);
    return { file: m.path, range: m.lines.range(start, Math.min(end, Math.max(start, firstLineEnd))) };
  }

  missingAt(dictSetting?: string): Where {
    if (dictSetting) {
      const b = this.setting(dictSetting);
      if (b) return b.target;
    }
    return moduleAnchor(this.home);
  }

  missingNear(name: string): Where {
    // related = sharing two name segments (SECURE_HSTS_, SESSION_COOKIE_), or one for a two-word name (STATIC_)
    const parts = name.split('_');
    for (let k = parts.length - 1; k >= Math.min(2, parts.length - 1); k--) {
      const prefix = parts.slice(0, k).join('_') + '_';
      let near: Binding | undefined;
      for (const [n, b] of this.scope.names) {
        if (n === name || !n.startsWith(prefix) || b.stmt.module !== this.home || b.conditional) continue;
        if (!near || b.stmt.top.start > near.stmt.top.start) near = b;
      }
      if (near) return this.bindingAt(near);
    }
    return moduleAnchor(this.home);
  }

  setSettingEdits(name: string, valueSrc: string): Edit[] {
    const b = this.setting(name);
    const ed = this.editor;
    if (b && b.stmt.module === this.home && b.stmt.node.t === 'assign' && b.stmt.node.targets.length === 1 && !b.conditional && b.mutations.length === 0) {
      return [ed.replaceNode(b.stmt.top, b.stmt.node.value, valueSrc)];
    }
    if (b && b.stmt.module === this.home && !b.conditional) return [ed.insertStatement(`${name} = ${valueSrc}`, b.stmt.top)];
    const family = name.split('_')[0] + '_';
    return [ed.insertSetting(`${name} = ${valueSrc}`, { near: ed.lastAssignmentWithPrefix(family), floor: b && this.floorOf(b) })];
  }

  /**
   * The statement of the home module a new assignment of `b`'s name must follow to take effect:
   * `b`'s own (last) statement there, else the star import or include() there that brings `b`
   * in (the last one when several do); undefined when `b` comes from elsewhere (an overlay's
   * production module).
   */
  private floorOf(b: Binding): TopStmt | undefined {
    if (b.stmt.module === this.home) return lastStmtOf(b);
    const from = b.stmt.module;
    const reaches = (m: PyModule): boolean => {
      if (m === from) return true;
      const s = this.scopeOf?.(m);
      return !!s && (s.starImports.some((x) => x.module === from) || s.includes.some((x) => x.module === from));
    };
    let floor: TopStmt | undefined;
    for (const e of [...this.scope.starImports, ...this.scope.includes]) {
      if (e.origin.module !== this.home || !reaches(e.module)) continue;
      if (!floor || e.origin.top.start > floor.start) floor = e.origin.top;
    }
    return floor;
  }

  setDictKeyEdits(dictName: string, keys: string[], valueSrc: string): Edit[] {
    const b = this.setting(dictName);
    const nested = (ks: string[], ed: ModuleEditor): string => {
      let src = valueSrc;
      for (let i = ks.length - 1; i >= 1; i--) src = `{${ed.str(ks[i])}: ${src}}`;
      return src;
    };
    if (!b) {
      const ed = this.editor;
      const inner = nested(keys, ed);
      return [ed.insertStatement(`${dictName} = {${ed.eol}${ed.indent}${ed.str(keys[0])}: ${inner},${ed.eol}}`)];
    }
    const ed = this.editorFor(b.stmt.module);
    let dict = b.mutations.length === 0 && !b.conditional ? dictLiteralOf(b.stmt.node as never) : undefined;
    for (let i = 0; dict && i < keys.length; i++) {
      const entry = dictLiteralEntry(dict, keys[i]);
      if (!entry) return ed.insertDictEntry(b.stmt.top, dict, ed.str(keys[i]), nested(keys.slice(i), ed));
      if (i === keys.length - 1) return [ed.replaceNode(b.stmt.top, entry.v, valueSrc)];
      dict = entry.v.t === 'dict' ? entry.v : undefined;
    }
    // Not a literal we can edit: assign the key explicitly in the production module.
    const pe = this.editor;
    const target = dictName + keys.map((k) => `[${pe.str(k)}]`).join('');
    const src = `${target} = ${valueSrc}`;
    return [b.stmt.module === this.home ? pe.insertStatement(src, lastStmtOf(b)) : pe.insertSetting(src, { floor: this.floorOf(b) })];
  }

  /**
   * The context handed to one settings rule. A single object serves every rule of a run (rules
   * are called one at a time): only the rule that reports changes, so nothing is rebuilt per rule.
   */
  forRule(rule: Rule): SettingsContext {
    if (!this.shared) this.shared = this.buildShared();
    this.currentRule = rule;
    return this.shared;
  }

  private shared: SettingsContext | undefined;
  private currentRule: Rule | undefined;

  private buildShared(): SettingsContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    const run = this.run;
    const base = run.base({ meta: { code: '' } } as Rule);
    return {
      ...base,
      report: (args) => run.report(self.currentRule as Rule, self.qualifyMissing(args), run.findingSink),
      notApplicable: (reason) => run.verdict(self.currentRule as Rule, 'not-applicable', reason),
      notChecked: (reason) => run.verdict(self.currentRule as Rule, 'not-checked', reason),
      module: self.module,
      scope: self.scope,
      modules: self.modules,
      withSettings: (m, t, fn) => run.withSettings(self.module, self.modules, m, t, fn),
      installedApps: self.installedApps,
      middleware: self.middleware,
      calls: self.calls,
      editor: self.editor,
      setting: (n) => self.setting(n),
      value: (n) => self.value(n),
      envLookups: () => self.envLookups(),
      editorFor: (m) => self.editorFor(m),
      missingAt: (d) => self.missingAt(d),
      missingNear: (n) => self.missingNear(n),
      bindingAt: (b) => self.bindingAt(b),
      setSettingEdits: (n, v) => self.setSettingEdits(n, v),
      setDictKeyEdits: (d, k, v) => self.setDictKeyEdits(d, k, v),
    };
  }

}

function lastStmtOf(b: Binding) {
  const m = b.mutations[b.mutations.length - 1];
  return m && m.module === b.stmt.module ? m.top : b.stmt.top;
}
