/**
 * Custom messages between the language server and the VS Code client (besides the checklist
 * ones in checklist.ts). Plain method names and JSON shapes, no vscode or LSP import.
 *
 *  - notification djangoReadiness/status      server -> client  StatusParams (after each analysis that changes it)
 *  - request      djangoReadiness/getStatus   {}                -> StatusParams[] (every folder)
 *  - request      djangoReadiness/recheck     {uri?: folder}    -> RecheckResult (re-lists files, re-reads everything)
 *  - request      djangoReadiness/ruleDocs    {code}            -> RuleDocsResult | null (Markdown, offline)
 *  - request      djangoReadiness/rules       {}                -> RuleSummary[]
 *  - request      djangoReadiness/fixAll      {uri, unsafe?}    -> LSP WorkspaceEdit | null (fix-all for one file)
 *  - request      djangoReadiness/applyFix    {uri: folder, id} -> ApplyFixResult (the server applies the fix with
 *                                                                  workspace/applyEdit; the checklist's "Apply fix")
 *  - request      djangoReadiness/debugStats  {}                -> DebugStats (memory, recent timings)
 *
 * Paths are absolute file-system paths; URIs are `file:` URIs as the client sent them.
 */
import type { Applicability, Severity } from '../engine/types';

export type { Applicability, Range, Severity } from '../engine/types';

export const STATUS_NOTIFICATION = 'djangoReadiness/status';
export const GET_STATUS_REQUEST = 'djangoReadiness/getStatus';
export const RECHECK_REQUEST = 'djangoReadiness/recheck';
export const RULE_DOCS_REQUEST = 'djangoReadiness/ruleDocs';
export const RULES_REQUEST = 'djangoReadiness/rules';
export const FIX_ALL_REQUEST = 'djangoReadiness/fixAll';
export const APPLY_FIX_REQUEST = 'djangoReadiness/applyFix';
/** Internal (benchmarks, bug reports): memory and recent timings of the server. */
export const DEBUG_STATS_REQUEST = 'djangoReadiness/debugStats';

/**
 * Node flags the language server process is started with (the VS Code client's execArgv; for
 * `django-readiness server --stdio`, put them in NODE_OPTIONS). V8's young generation grows to
 * two 16 MB semi-spaces while the user types, and what it touched stays resident (V8's heap
 * pages, and malloc'd memory: 24-37 MB of the C heap against 8 MB with small semi-spaces); with
 * 1 MB semi-spaces the server's RSS at rest after 2,000 keystrokes in a 4,000-file workspace was
 * 104-106 MB against 120-124 MB (bench keystroke --memory 2000, three runs each), keystroke
 * times unchanged within noise. A V8 flag: it cannot be set once the process runs.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/** `source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'django-readiness';

/** The code action kind of fix-all (put it in `editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = 'source.fixAll.djangoReadiness';

/**
 * Client command the "Show documentation for DJRxxx" code action runs, with the rule code as
 * its argument. The VS Code client registers it; it is also in the command palette.
 */
export const SHOW_RULE_DOCUMENTATION_COMMAND = 'djangoReadiness.showRuleDocumentation';
/**
 * A server-side command (workspace/executeCommand, arguments `[{ uri: folder URI, id: fix id }]`):
 * applies a fix for a client that cannot create files in a WorkspaceEdit (no
 * `workspaceEdit.documentChanges` / resource operation `create`). The server creates the new
 * files (empty, under the same checks as every fix), then asks the client to apply the text
 * edits with workspace/applyEdit.
 */
export const SERVER_APPLY_FIX_COMMAND = 'djangoReadiness.server.applyFix';

export interface StatusProject {
  /** The Django root (folder of manage.py). */
  root: string;
  /** Absolute path of the production settings module, when one was found. */
  productionModule?: string;
  productionDotted?: string;
  /** Why that module (or why none), e.g. "named production". */
  productionReason: string;
  /** The modules that could be production, when none could be chosen (dotted names). */
  candidates?: string[];
  /** Production overlays evaluated as part of the module (paths). */
  overlays?: string[];
  /** The configured production module, when it matches no settings module (an error). */
  configuredMissing?: string;
  /** The folder above the project whose deployment files are the project's, and why. */
  repository?: { root: string; reason: string };
  /**
   * Files the production settings run after their own settings whose settings are unknown (a
   * gitignored local.py, an exec'd local_settings.py): paths, the line that runs them, why.
   */
  unread?: { file: string; from: string; line: number; kind: 'star-import' | 'include' | 'exec'; state: 'missing' | 'gitignored' | 'not-followed'; ignored?: boolean }[];
  settingsModules: { path: string; dotted: string; role: string }[];
}

export interface StatusParams {
  /** The workspace folder URI (or the implicit folder of a file opened outside any folder). */
  uri: string;
  enabled: boolean;
  projects: StatusProject[];
  /**
   * The folder's diagnostics by severity, exactly those published (findings, and the notes shown
   * as diagnostics): what the Problems panel lists for django-readiness. The client's badge and
   * status item show these, so the three agree.
   */
  counts: Record<Severity, number>;
  /** False when the folder holds no Django project (the client stays silent there). */
  hasDjangoProject: boolean;
  /** Files the findings are in. */
  files: number;
  /** Duration of the last analysis, ms. */
  ms: number;
}

export interface RecheckParams {
  /** One folder; all folders when absent. */
  uri?: string;
}

export interface RecheckResult {
  folders: number;
  findings: number;
  ms: number;
}

export interface RuleDocsParams {
  code: string;
}

export interface RuleDocsResult {
  code: string;
  name: string;
  markdown: string;
  url: string;
}

export interface RuleSummary {
  code: string;
  name: string;
  category: string;
  severity: Severity;
  message: string;
  fix: Applicability | 'none';
  deprecated?: boolean;
}

export interface FixAllParams {
  /** The document URI. */
  uri: string;
  /** Apply unsafe fixes too (default false: only safe ones, as on save). */
  unsafe?: boolean;
}

export interface ApplyFixParams {
  /** The workspace folder URI. */
  uri: string;
  /** The fix's id, as the checklist received it (stable for the same texts). */
  id: string;
}

export interface ApplyFixResult {
  /** The client applied the server's edit. */
  applied: boolean;
  /** The fix's title. */
  title?: string;
  /** Files changed (absolute paths). */
  files?: string[];
  /** Why nothing was applied (for the user). */
  message?: string;
}

/** `data` of a published finding diagnostic (what the code actions need to find it again). */
export interface FindingDiagnosticData {
  kind: 'finding';
  code: string;
  // no fix count: some fixes are checked only when asked for (a code action), not at each keystroke
}

/** One analysis run of the server, for the benchmark and the log. */
export interface AnalysisTiming {
  folder: string;
  /** From the first unprocessed change (didChange, file event...) to the start of the analysis. */
  waitedMs: number;
  analysisMs: number;
  /** Converting findings to diagnostics and sending them. */
  publishMs: number;
  /** From the first unprocessed change to the last publishDiagnostics. */
  totalMs: number;
  /** Time spent in didChange handlers (applying the edits) since the previous analysis. */
  changeMs: number;
  published: number;
}

export interface DebugStats {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  folders: { uri: string; files: number; pythonFiles: number; findings: number }[];
  timings: AnalysisTiming[];
}
